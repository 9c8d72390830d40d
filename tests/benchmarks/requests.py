"""Server time of the pages people use most, measured in-process over the largest example, beside
a floor page of the same app: its base layout with one database read.

The app runs on a SQLite file (WAL, as `make run` uses), is driven through ASGI by httpx, and the
time is taken inside the app (from the request's arrival to the last byte of its response), so
the figures are the server's, not the client's. Printed as a ratio to the floor."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import Response
from jinja2 import ChoiceLoader, DictLoader
from sqlmodel import Session, SQLModel, select

from app.accounts import SESSION_COOKIE, start_session
from app.config import PROJECT_ROOT, Settings
from app.content import Content
from app.csrf import csrf_token_for
from app.data.files import load_model
from app.db import make_engine
from app.deps import SessionDep
from app.drafts.answers_file import AnswersFile, document_from_answers_file, import_answers_file
from app.main import create_app
from app.models import Membership, Organisation, Role, User
from app.pages import render

FLOOR_TEMPLATE = "_bench/floor.html"
ROUNDS = 9


class ServerClock:
    """ASGI wrapper that times each request inside the server."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.last_ms = 0.0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        start = time.perf_counter()
        await self.app(scope, receive, send)
        self.last_ms = (time.perf_counter() - start) * 1000


def largest_example(content: Content) -> Path:
    examples = sorted((PROJECT_ROOT / "examples").glob("*.yaml"))
    return max(
        examples,
        key=lambda path: len(
            document_from_answers_file(load_model(AnswersFile, path), content).requirements
        ),
    )


def _add_floor_page(app: FastAPI) -> None:
    environment = app.state.templates
    if not isinstance(environment.loader, ChoiceLoader):
        environment.loader = ChoiceLoader(
            [
                DictLoader(
                    {
                        FLOOR_TEMPLATE: '{% extends "base.html" %}'
                        "{% block content %}<h1>{{ name }}</h1>{% endblock %}"
                    }
                ),
                environment.loader,
            ]
        )

    @app.get("/_bench/floor")
    def floor(request: Request, session: SessionDep) -> Response:
        organisation = session.exec(select(Organisation).limit(1)).first()
        return render(request, FLOOR_TEMPLATE, {"name": organisation.name if organisation else ""})


def _toggled(question_type: str, value: Any) -> Any:
    """Another valid value of the same kind, so every autosave is a real change."""
    if question_type in ("integer", "number", "money"):
        return value + 1 if isinstance(value, int | float) else value
    text = str(value)
    return text[:-4] if text.endswith(" (2)") else text + " (2)"


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


async def _measure(content: Content, directory: Path) -> dict[str, float]:
    url = f"sqlite:///{directory / 'bench.db'}"
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    settings = Settings(  # type: ignore[call-arg]
        KRAVLOTSEN_ENV="test", DATABASE_URL=url, KRAVLOTSEN_VAR_DIR=directory
    )
    app = create_app(settings, engine=engine, content=content)
    _add_floor_page(app)
    example = largest_example(content)
    with Session(engine, expire_on_commit=False) as session:
        organisation = Organisation(name="Bänkkommun")
        user = User(email="bank@example.se", name="Bänk", password_hash="-")
        session.add_all([organisation, user])
        session.flush()
        session.add(
            Membership(user_id=user.id or 0, organisation_id=organisation.id or 0, role=Role.owner)
        )
        answers_file = load_model(AnswersFile, example)
        draft = import_answers_file(
            session, organisation, user, answers_file, content, content.library
        )
        token, _login = start_session(session, user, 3600)
        session.commit()
        draft_id = draft.id
    csrf = csrf_token_for(app.state.secret_key, token, None)
    clock = ServerClock(app)
    transport = httpx.ASGITransport(app=clock)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://bench", cookies={SESSION_COOKIE: token}
    ) as client:

        async def timed(method: str, path: str, **kwargs: Any) -> float:
            response = await client.request(method, path, **kwargs)
            assert response.status_code < 400, (path, response.status_code)
            return clock.last_ms

        step_paths = [
            f"/drafts/{draft_id}/steps/{step.id}"
            for step in content.wizard.steps
            if step.kind == "questions"
        ]
        autosaves = [
            (question.id, question.type, value)
            for question_id, value in answers_file.answers.items()
            if (question := content.wizard.questions.get(question_id)) is not None
            and question.type in ("text", "textarea", "email", "integer", "number", "money")
            and question_id != "title"
        ]
        figures: dict[str, list[float]] = {
            "floor_ms": [],
            "autosave_ms": [],
            "step_ms": [],
            "krav_ms": [],
            "check_ms": [],
        }
        for path in ["/_bench/floor", *step_paths[:1]]:  # warm the template cache
            await timed("GET", path)
        headers = {"X-CSRF-Token": csrf, "HX-Request": "true"}

        async def paired(name: str, method: str, path: str, **kwargs: Any) -> None:
            """A floor page right before each measured request: both meet the same load."""
            figures["floor_ms"].append(await timed("GET", "/_bench/floor"))
            figures[name].append(await timed(method, path, **kwargs))

        for round_number in range(ROUNDS):
            for question_id, question_type, value in autosaves:
                if round_number % 2 == 0:
                    value = _toggled(question_type, value)
                await paired(
                    "autosave_ms",
                    "POST",
                    f"/drafts/{draft_id}/answers/{question_id}",
                    data={question_id: str(value)},
                    headers=headers,
                )
            for path in step_paths:
                await paired("step_ms", "GET", path)
            await paired("krav_ms", "GET", f"/drafts/{draft_id}/requirements")
            await paired("check_ms", "GET", f"/drafts/{draft_id}/export")
        # Each export's job, from the form's post to the file kept (the web process's own
        # pool, as `make run` has it), polled as the history page would.
        for output_format in QUEUED_FORMATS:
            figures[f"export_queue_to_done_ms_{output_format}"] = [
                await queue_to_done(client, engine, draft_id, csrf, output_format)
            ]
        figures["pdf_first_ms"] = figures["export_queue_to_done_ms_pdf"]
        # A repeat export of an unchanged draft: served from the export store, not rendered.
        export = {"data": {"format": "pdf"}, "headers": {"X-CSRF-Token": csrf}}
        figures["pdf_cached_ms"] = [
            await timed("POST", f"/drafts/{draft_id}/exports", **export) for _ in range(ROUNDS)
        ]
    engine.dispose()
    return {name: _median(values) for name, values in figures.items()}


QUEUED_FORMATS = ("pdf", "xlsx", "docx")


async def queue_to_done(
    client: httpx.AsyncClient, engine: Any, draft_id: int | None, csrf: str, output_format: str
) -> float:
    """Milliseconds from posting an export to its job being done (the row polled every 5 ms)."""
    from app.models import ExportFile

    start = time.perf_counter()
    response = await client.post(
        f"/drafts/{draft_id}/exports",
        data={"format": output_format},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 303, (output_format, response.status_code)
    export_id = int(response.headers["location"].rsplit("-", 1)[1])
    while True:
        with Session(engine) as session:
            row = session.get(ExportFile, export_id)
            assert row is not None
            if row.job_status in ("done", "failed"):
                break
        await asyncio.sleep(0.005)
    assert row.job_status == "done", row.error
    return (time.perf_counter() - start) * 1000


def bench_requests(content: Content) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as directory:
        return asyncio.run(_measure(content, Path(directory)))


TARGETS = {"autosave_ms": 3, "step_ms": 5, "krav_ms": 15, "check_ms": 15}


def print_requests(figures: dict[str, float]) -> None:
    floor = figures["floor_ms"]
    print(f"floor page (base layout, one read)      median {floor:7.2f} ms")
    print(
        "export jobs, queue to done: "
        + ", ".join(
            f"{name} {figures[f'export_queue_to_done_ms_{name}']:.0f} ms" for name in QUEUED_FORMATS
        )
        + " (one local pool, as make run has it)"
    )
    print(
        f"tender PDF export, first {figures['pdf_first_ms']:.0f} ms; a repeat from the store "
        f"median {figures['pdf_cached_ms']:.1f} ms (goal <= 50 ms)"
    )
    for name, target in TARGETS.items():
        ratio = figures[name] / floor if floor else 0
        print(
            f"{name:<40} median {figures[name]:7.2f} ms  {ratio:5.1f}x floor  (goal <= {target}x)"
        )
