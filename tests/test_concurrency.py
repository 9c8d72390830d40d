"""Busy colleagues at once: 32 people autosaving into one draft through a real server on a real
database (a SQLite file, or PostgreSQL when TEST_DATABASE_URL is set): no error, no lost
answer, and the draft's version raised once for every save."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from app.accounts import SESSION_COOKIE, create_api_token, start_session
from app.config import Settings
from app.content import Content
from app.csrf import csrf_token_for
from app.db import make_engine
from app.main import create_app
from app.models import Answer, AuditEvent, Draft, Membership, Organisation, Revision, Role, User
from tests.conftest import TEST_DATABASE_URL

WRITERS = 32
SAVES = 5


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture()
def live(engine: Engine, content: Content, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A server on a free port over a database that commits for real."""
    if TEST_DATABASE_URL:
        url, database = TEST_DATABASE_URL, engine
    else:
        url = f"sqlite:///{tmp_path / 'busy.db'}"
        database = make_engine(url, pool_size=WRITERS + 10)
        SQLModel.metadata.create_all(database)
    settings = Settings(  # type: ignore[call-arg]
        KRAVLOTSEN_ENV="test", DATABASE_URL=url, KRAVLOTSEN_VAR_DIR=tmp_path
    )
    app = create_app(settings, engine=database, content=content)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield {"url": f"http://127.0.0.1:{port}", "engine": database, "secret": app.state.secret_key}
    server.should_exit = True
    thread.join(timeout=10)
    if not TEST_DATABASE_URL:
        database.dispose()


def test_thirty_two_writers_lose_no_answer(live: dict[str, Any], content: Content) -> None:
    database: Engine = live["engine"]
    texts = [
        question.id
        for question in content.wizard.questions.values()
        if question.type in ("text", "textarea") and question.id != "title"
    ]
    whole_numbers = [
        question.id
        for question in content.wizard.questions.values()
        if question.type == "integer" and question.max is None and (question.min or 0) <= 1
    ]
    questions = (texts + whole_numbers)[:WRITERS]
    assert len(questions) == WRITERS

    def value(number: int, save: int) -> str | int:
        return f"svar {number}-{save}" if questions[number] in texts else 1000 * number + save + 1

    logins: list[str] = []
    with Session(database, expire_on_commit=False) as session:
        organisation = Organisation(name="Bråda kommunen")
        session.add(organisation)
        session.flush()
        draft = Draft(organisation_id=organisation.id or 0, title="Många samtidigt")
        session.add(draft)
        for number in range(WRITERS):
            user = User(email=f"skribent{number}@brada.se", password_hash="-")
            session.add(user)
            session.flush()
            session.add(
                Membership(
                    user_id=user.id or 0, organisation_id=organisation.id or 0, role=Role.editor
                )
            )
            logins.append(start_session(session, user, 3600)[0])
        session.commit()
        draft_id, version_before = draft.id, draft.version

    failures: list[str] = []

    def write(number: int) -> None:
        token = logins[number]
        headers = {
            "X-CSRF-Token": csrf_token_for(live["secret"], token, None),
            "HX-Request": "true",
        }
        question = questions[number]
        with httpx.Client(
            base_url=live["url"], cookies={SESSION_COOKIE: token}, timeout=60
        ) as client:
            for save in range(SAVES):
                response = client.post(
                    f"/drafts/{draft_id}/answers/{question}",
                    data={question: str(value(number, save))},
                    headers=headers,
                )
                if response.status_code != 200:
                    failures.append(f"{question}: {response.status_code} {response.text[:200]}")

    threads = [threading.Thread(target=write, args=(number,)) for number in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    with Session(database) as session:
        stored = {
            row.question_id: row.value
            for row in session.exec(select(Answer).where(Answer.draft_id == draft_id)).all()
        }
        for number, question in enumerate(questions):
            assert stored.get(question) == value(number, SAVES - 1), question
        draft = session.get(Draft, draft_id)
        assert draft is not None and draft.version == version_before + WRITERS * SAVES
        saves = session.exec(
            select(AuditEvent).where(
                AuditEvent.draft_id == draft_id, AuditEvent.action == "answer.saved"
            )
        ).all()
        assert len(saves) == WRITERS * SAVES


def test_ten_saves_at_once_with_one_version_let_exactly_one_through(
    live: dict[str, Any],
) -> None:
    database: Engine = live["engine"]
    with Session(database, expire_on_commit=False) as session:
        organisation = Organisation(name="Versionskommunen")
        session.add(organisation)
        session.flush()
        user = User(email="api@version.se", password_hash="-")
        session.add(user)
        session.flush()
        session.add(
            Membership(user_id=user.id or 0, organisation_id=organisation.id or 0, role=Role.owner)
        )
        draft = Draft(organisation_id=organisation.id or 0, title="En version")
        session.add(draft)
        token = create_api_token(session, user)
        session.commit()
        draft_id, version = draft.id, draft.version
    statuses: list[int] = []
    start = threading.Barrier(10)

    def save(number: int) -> None:
        with httpx.Client(base_url=live["url"], timeout=60) as client:
            start.wait()
            response = client.put(
                f"/api/v1/drafts/{draft_id}/answers",
                json={"answers": {"problem": f"Version {number}"}, "version": version},
                headers={"Authorization": f"Bearer {token}"},
            )
            statuses.append(response.status_code)

    threads = [threading.Thread(target=save, args=(number,)) for number in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [409] * 9
    with Session(database) as session:
        stored = session.get(Draft, draft_id)
        assert stored is not None and stored.version == version + 1


def test_ten_submits_at_once_make_one_revision(live: dict[str, Any]) -> None:
    """Two people pressing "Submit for review" at once: one revision, the other told."""
    database: Engine = live["engine"]
    with Session(database, expire_on_commit=False) as session:
        organisation = Organisation(name="Granskningskommunen")
        session.add(organisation)
        session.flush()
        user = User(email="api@granskning.se", password_hash="-")
        session.add(user)
        session.flush()
        session.add(
            Membership(user_id=user.id or 0, organisation_id=organisation.id or 0, role=Role.owner)
        )
        draft = Draft(organisation_id=organisation.id or 0, title="Inskickad")
        session.add(draft)
        token = create_api_token(session, user)
        session.commit()
        draft_id = draft.id
    statuses: list[int] = []
    start = threading.Barrier(10)

    def submit() -> None:
        with httpx.Client(base_url=live["url"], timeout=60) as client:
            start.wait()
            response = client.post(
                f"/api/v1/drafts/{draft_id}/status",
                json={"action": "submit"},
                headers={"Authorization": f"Bearer {token}"},
            )
            statuses.append(response.status_code)

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [409] * 9
    with Session(database) as session:
        revisions = session.exec(select(Revision).where(Revision.draft_id == draft_id)).all()
        assert [revision.number for revision in revisions] == [1]


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite's write lock")
def test_a_download_while_someone_saves_is_not_refused(
    live: dict[str, Any], content: Content
) -> None:
    """Downloading a PDF notes the export in the audit log. Written inside the download's own
    reading transaction, that note failed at once ("database is locked") whenever a colleague's
    save held the write lock; found by `make bench` with two exports under load."""
    database: Engine = live["engine"]
    with Session(database, expire_on_commit=False) as session:
        organisation = Organisation(name="Exportkommunen")
        session.add(organisation)
        session.flush()
        user = User(email="export@kommun.se", password_hash="-")
        session.add(user)
        session.flush()
        session.add(
            Membership(user_id=user.id or 0, organisation_id=organisation.id or 0, role=Role.owner)
        )
        draft = Draft(organisation_id=organisation.id or 0, title="Export under last")
        session.add(draft)
        token = start_session(session, user, 3600)[0]
        session.commit()
        draft_id = draft.id
    with httpx.Client(base_url=live["url"], cookies={SESSION_COOKIE: token}, timeout=60) as client:
        assert client.get(f"/drafts/{draft_id}/export-rfi.pdf").status_code == 200  # warm up
        held = threading.Event()

        def hold_the_write_lock() -> None:
            """A colleague's save: the write lock held a moment, a row changed."""
            writer = sqlite3.connect(str(database.url.database), isolation_level=None, timeout=15)
            writer.execute("BEGIN IMMEDIATE")
            writer.execute(
                "UPDATE draft SET updated_at = CURRENT_TIMESTAMP WHERE id = ?", (draft_id,)
            )
            held.set()
            time.sleep(1.5)
            writer.execute("COMMIT")
            writer.close()

        holder = threading.Thread(target=hold_the_write_lock)
        holder.start()
        assert held.wait(5)
        response = client.get(f"/drafts/{draft_id}/export-rfi.pdf")
        holder.join()
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    with Session(database) as session:
        noted = session.exec(
            select(AuditEvent).where(
                AuditEvent.draft_id == draft_id, AuditEvent.action == "export.rfi"
            )
        ).all()
    assert len(noted) == 2


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite's one writer at a time")
def test_writers_wait_their_turn_without_holding_a_thread(
    settings: Settings, engine: Engine, content: Content
) -> None:
    """On SQLite one writer holds the lock at a time. Under load (200 people, `make bench`)
    saves took seconds: every waiting writer slept in a worker thread (the busy timeout) while
    the one with the lock waited for a thread to commit. Now a writer's unit of work begins
    only when the one before it in the process has ended; a reader does not wait."""
    import asyncio

    from starlette.requests import Request

    from app.deps import get_session

    app = create_app(settings, engine=engine, content=content)

    def request(method: str) -> Request:
        return Request({"type": "http", "method": method, "app": app, "headers": []})

    async def scenario() -> list[str]:
        order: list[str] = []
        first = get_session(request("POST"))
        await first.__anext__()
        order.append("first writer in")

        async def second_writer() -> None:
            second = get_session(request("POST"))
            await second.__anext__()
            order.append("second writer in")
            await second.aclose()

        waiting = asyncio.create_task(second_writer())
        await asyncio.sleep(0.05)
        reader = get_session(request("GET"))
        await reader.__anext__()
        order.append("reader in")
        await reader.aclose()
        with pytest.raises(StopAsyncIteration):
            await first.__anext__()
        order.append("first writer done")
        await waiting
        return order

    assert asyncio.run(scenario()) == [
        "first writer in",
        "reader in",
        "first writer done",
        "second writer in",
    ]


def test_writers_of_two_processes_on_one_sqlite_file_take_turns(tmp_path: Path) -> None:
    """The machine-wide writers' turn: while one process holds it, a writer of another waits
    (holding no thread) and gets it as soon as it is let go, not at SQLite's next busy retry."""
    import asyncio
    import multiprocessing

    from app.deps import _end_turn, _machine_turn

    path = tmp_path / "kravlotsen.db.writer-turn"
    forking = multiprocessing.get_context("fork")
    held, release = forking.Event(), forking.Event()
    other = forking.Process(target=_hold_turn, args=(path, held, release))
    other.start()
    try:
        assert held.wait(10)

        async def take() -> tuple[float, int | None]:
            started = time.monotonic()
            asyncio.get_running_loop().call_later(0.2, release.set)
            turn = await _machine_turn(path)
            return time.monotonic() - started, turn

        waited, turn = asyncio.run(take())
        assert turn is not None
        _end_turn(turn)
        assert 0.15 < waited < 5
    finally:
        release.set()
        other.join(10)


def _hold_turn(path: Path, held: Any, release: Any) -> None:
    import asyncio

    from app.deps import _end_turn, _machine_turn

    turn = asyncio.run(_machine_turn(path))
    assert turn is not None
    held.set()
    release.wait(10)
    _end_turn(turn)
