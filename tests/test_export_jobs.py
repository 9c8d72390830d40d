"""The export job queue: a kept export is a job (queued, running, done or failed) run by
procrastinate's worker on PostgreSQL and by the web process itself on SQLite; a job past its
time limit fails with a message in the asker's language and the next one is made."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, SQLModel, select

from app.config import Settings
from app.content import Content
from app.db import make_engine
from app.main import create_app
from app.models import Draft, DraftStatus, ExportFile, User
from tests.conftest import TEST_DATABASE_URL, csrf_from, finish_exports, login
from tests.factories import make_api_token
from tests.test_export_formats import _shared
from tests.test_export_routes import pdf_text


def _headers(session: Session, email: str = "ulla@demo.se") -> dict[str, str]:
    user = session.exec(select(User).where(User.email == email)).one()
    return {"Authorization": f"Bearer {make_api_token(session, user)}"}


def _queued_json(session: Session, draft_id: int) -> ExportFile:
    """A JSON export left queued, as a request that was cut off leaves it."""
    row = ExportFile(
        draft_id=draft_id,
        format="json",
        filename="x.json",
        media_type="application/json",
        job_status="queued",
    )
    session.add(row)
    session.commit()
    return row


def test_the_api_answers_202_queued_then_the_job_makes_the_file(
    client: TestClient, session: Session, content: Content
) -> None:
    draft_id, _owner = _shared(session, content)
    headers = _headers(session)
    started = client.post(
        f"/api/v1/drafts/{draft_id}/exports", json={"format": "xlsx"}, headers=headers
    )
    assert started.status_code == 202
    body = started.json()
    assert {"id", "status", "status_url", "file_url"} <= set(body)
    assert body["status"] == "queued" and body["sha256"] == ""
    finish_exports(client.app)  # type: ignore[arg-type]
    done = client.get(body["status_url"], headers=headers).json()
    assert done["status"] == "done" and done["error"] == "" and done["finished_at"]
    file = client.get(body["file_url"], headers=headers)
    assert file.status_code == 200
    assert hashlib.sha256(file.content).hexdigest() == done["sha256"]
    # The same export again: the kept file, the same row and checksum, no new job.
    again = client.post(
        f"/api/v1/drafts/{draft_id}/exports", json={"format": "xlsx"}, headers=headers
    )
    assert again.status_code == 202
    assert again.json()["id"] == body["id"] and again.json()["status"] == "done"
    assert again.json()["sha256"] == done["sha256"]
    assert len(session.exec(select(ExportFile)).all()) == 1


def test_the_file_is_409_until_the_job_is_done_and_a_get_changes_nothing(
    client: TestClient, session: Session, content: Content
) -> None:
    draft_id, _owner = _shared(session, content)
    headers = _headers(session)
    row = _queued_json(session, draft_id)
    assert client.get(f"/api/v1/exports/{row.id}", headers=headers).json()["status"] == "queued"
    assert client.get(f"/api/v1/exports/{row.id}/file", headers=headers).status_code == 409
    login(client, "ulla@demo.se")
    assert client.get(f"/drafts/{draft_id}/exports/{row.id}").status_code == 409
    history = BeautifulSoup(client.get(f"/drafts/{draft_id}/exports").text, "html.parser")
    listing = history.select_one("#export-list")
    assert listing is not None and listing.get("hx-trigger") == "every 1s"
    status = listing.select_one("[role=status]")
    assert status is not None and status.get("aria-live") == "polite"
    refresh = status.select_one("a")
    assert refresh is not None and refresh["href"] == f"/drafts/{draft_id}/exports"
    assert "Köad" in listing.get_text()
    # htmx asks for the list only.
    partial = client.get(f"/drafts/{draft_id}/exports", headers={"HX-Request": "true"})
    assert partial.text.lstrip().startswith('<div id="export-list"')
    session.refresh(row)
    assert row.job_status == "queued"  # reading the status started nothing


def test_a_job_past_its_time_limit_fails_in_the_askers_language_and_the_next_succeeds(
    client: TestClient, app: FastAPI, session: Session, content: Content
) -> None:
    draft_id, _owner = _shared(session, content)
    login(client, "ulla@demo.se")
    csrf = csrf_from(client.get(f"/drafts/{draft_id}/export").text)
    runner = app.state.export_runner
    limit = runner.renderer.seconds
    runner.renderer.seconds = 0.001
    try:
        client.post(f"/drafts/{draft_id}/exports", data={"csrf_token": csrf, "format": "pdf"})
        finish_exports(app)
    finally:
        runner.renderer.seconds = limit
    failed = session.exec(select(ExportFile)).one()
    assert failed.job_status == "failed" and failed.content is None
    assert "tog längre tid" in failed.error
    history = client.get(f"/drafts/{draft_id}/exports").text
    assert "Misslyckades" in history and "tog längre tid" in history
    # The next job (a failed one is not reused) is made.
    client.post(f"/drafts/{draft_id}/exports", data={"csrf_token": csrf, "format": "pdf"})
    finish_exports(app)
    rows = session.exec(select(ExportFile).order_by(ExportFile.id)).all()  # type: ignore[arg-type]
    assert [row.job_status for row in rows] == ["failed", "done"]
    assert rows[1].content is not None and rows[1].content.startswith(b"%PDF")


def test_a_submission_queues_the_pdf_and_the_answer_matrix(
    client: TestClient, session: Session, content: Content
) -> None:
    draft_id, _owner = _shared(session, content)
    headers = _headers(session)
    response = client.post(
        f"/api/v1/drafts/{draft_id}/status", json={"action": "submit"}, headers=headers
    )
    assert response.status_code == 200, response.text
    finish_exports(client.app)  # type: ignore[arg-type]
    rows = session.exec(select(ExportFile)).all()
    assert sorted((row.format, row.job_status) for row in rows) == [
        ("pdf", "done"),
        ("xlsx", "done"),
    ]
    draft = session.get(Draft, draft_id)
    assert draft is not None and draft.status == DraftStatus.in_review
    assert {row.revision for row in rows} == {draft.revision}
    # Asking for the PDF now is the kept one.
    again = client.post(
        f"/api/v1/drafts/{draft_id}/exports", json={"format": "pdf"}, headers=headers
    )
    assert again.json()["status"] == "done"
    assert again.json()["id"] in {row.id for row in rows}


def test_another_organisation_gets_404_on_every_export_url(
    client: TestClient, session: Session, content: Content
) -> None:
    draft_id, _owner = _shared(session, content)
    started = client.post(
        f"/api/v1/drafts/{draft_id}/exports", json={"format": "json"}, headers=_headers(session)
    ).json()
    finish_exports(client.app)  # type: ignore[arg-type]
    stranger = _headers(session, "annan@annan.se")
    assert client.get(started["status_url"], headers=stranger).status_code == 404
    assert client.get(started["file_url"], headers=stranger).status_code == 404
    posted = client.post(
        f"/api/v1/drafts/{draft_id}/exports", json={"format": "json"}, headers=stranger
    )
    assert posted.status_code == 404
    login(client, "annan@annan.se")
    csrf = csrf_from(client.get("/").text)
    for path in (f"/drafts/{draft_id}/exports", f"/drafts/{draft_id}/exports/{started['id']}"):
        assert client.get(path).status_code == 404
    form = client.post(f"/drafts/{draft_id}/exports", data={"csrf_token": csrf, "format": "json"})
    assert form.status_code == 404


def test_on_sqlite_exports_are_made_in_a_process_beside_the_web_process(
    tmp_path: Path, content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make run` on SQLite: no worker to start, and the exports are made in a process of
    their own, not in the web process whose pages would wait for them."""
    if TEST_DATABASE_URL:
        return  # PostgreSQL runs procrastinate's worker (the other tests here)
    url = f"sqlite:///{tmp_path / 'local.db'}"
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    settings = Settings(  # type: ignore[call-arg]
        KRAVLOTSEN_ENV="test", DATABASE_URL=url, KRAVLOTSEN_VAR_DIR=tmp_path
    )
    assert settings.export_queue == "local"

    def not_here(_self: object, _export_id: int) -> str:
        raise AssertionError("an export was made in the web process")

    def not_made_here(*_args: object, **_kwargs: object) -> bytes:
        raise AssertionError("a download was made in the web process")

    # In this process making an export fails; the export process has its own, untouched.
    monkeypatch.setattr("app.export.jobs.ExportRunner.run", not_here)
    monkeypatch.setattr("app.routes.exports.render_format", not_made_here)
    with Session(engine, expire_on_commit=False) as session:
        draft_id, _owner = _shared(session, content)
        headers = _headers(session)
        # Left queued by a process that stopped: made when the next one starts.
        left = _queued_json(session, draft_id)
    app = create_app(settings, engine=engine, content=content)
    with TestClient(app) as client:
        deadline = time.monotonic() + 60
        while client.get(f"/api/v1/exports/{left.id}", headers=headers).json()["status"] != "done":
            assert time.monotonic() < deadline, "the job left queued was not made"
            time.sleep(0.05)
        body = client.post(
            f"/api/v1/drafts/{draft_id}/exports", json={"format": "docx"}, headers=headers
        ).json()
        deadline = time.monotonic() + 60
        while client.get(body["status_url"], headers=headers).json()["status"] != "done":
            assert time.monotonic() < deadline, "the export process made nothing"
            time.sleep(0.05)
        file = client.get(body["file_url"], headers=headers)
        assert file.content.startswith(b"PK")
        # A download made now and not kept is made there too, and reads as the draft does.
        login(client, "ulla@demo.se")
        pdf = client.get(f"/drafts/{draft_id}/export-rfi.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        with Session(engine) as reading:
            title = reading.get(Draft, draft_id).title  # type: ignore[union-attr]
        assert title in " ".join(pdf_text(pdf.content).split())
    engine.dispose()


def test_the_worker_command_runs_the_queue_on_postgresql_and_refuses_sqlite(
    client: TestClient, session: Session, content: Content, tmp_path: Path
) -> None:
    from tests.cli import run_cli

    if not TEST_DATABASE_URL:
        refused = run_cli(
            "worker",
            "--once",
            env={
                "DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}",
                "KRAVLOTSEN_VAR_DIR": str(tmp_path),
            },
        )
        assert refused.returncode == 1 and b"PostgreSQL" in refused.stderr
        return
    draft_id, _owner = _shared(session, content)
    body = client.post(
        f"/api/v1/drafts/{draft_id}/exports", json={"format": "json"}, headers=_headers(session)
    ).json()
    assert body["status"] == "queued"
    result = run_cli(
        "worker",
        "--once",
        env={"DATABASE_URL": TEST_DATABASE_URL, "KRAVLOTSEN_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    row = session.get(ExportFile, body["id"])
    assert row is not None
    session.refresh(row)
    assert row.job_status == "done" and row.content


def test_on_sqlite_pdfs_and_exports_leave_a_core_to_the_web_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqlite_url = f"sqlite:///{tmp_path}/k.db"
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    sqlite = Settings(DATABASE_URL=sqlite_url, KRAVLOTSEN_ENV="test")  # type: ignore[call-arg]
    assert (sqlite.pdf_workers, sqlite.export_workers) == (1, 1)
    assert sqlite.pdf_slot_files == tmp_path / "k.db"
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    bigger = Settings(DATABASE_URL=sqlite_url, KRAVLOTSEN_ENV="test")  # type: ignore[call-arg]
    assert (bigger.pdf_workers, bigger.export_workers) == (7, 7)
    postgres = Settings(  # type: ignore[call-arg]
        DATABASE_URL="postgresql+psycopg://kl@db/kl", KRAVLOTSEN_ENV="test"
    )
    assert (postgres.pdf_workers, postgres.export_workers) == (2, 2)
    assert postgres.pdf_slot_files is None
    chosen = Settings(  # type: ignore[call-arg]
        DATABASE_URL=sqlite_url, KRAVLOTSEN_ENV="test", EXPORT_WORKERS=3
    )
    assert chosen.export_workers == 3
