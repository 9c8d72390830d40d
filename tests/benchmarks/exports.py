"""Exports through the API on a SQLite file: an export job's time from the request that queues
it until its status says done (rendered by the app's own worker threads), and a repeat export
of the same draft served from the store (`pdf_cached_ms`: the POST and the file's download)."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, SQLModel, select

from app.accounts import create_api_token
from app.config import PROJECT_ROOT, Settings
from app.content import Content
from app.data.files import load_model
from app.db import make_engine
from app.drafts.answers_file import AnswersFile, import_answers_file
from app.drafts.requirements import set_requirement_status
from app.main import create_app
from app.models import DraftRequirement, Membership, Organisation, RequirementStatus, Role, User

EXAMPLE = PROJECT_ROOT / "examples" / "trygghetslarm.yaml"
CACHED_ROUNDS = 20


def _wait_done(client: TestClient, url: str, headers: dict[str, str]) -> dict[str, object]:
    while True:
        status = client.get(url, headers=headers).json()
        if status["status"] in ("done", "failed"):
            return status  # type: ignore[no-any-return]
        time.sleep(0.01)


def bench_exports(content: Content) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'bench.db'}"
        engine = make_engine(url)
        SQLModel.metadata.create_all(engine)
        settings = Settings(  # type: ignore[call-arg]
            KRAVLOTSEN_ENV="test", DATABASE_URL=url, KRAVLOTSEN_VAR_DIR=directory
        )
        app = create_app(settings, engine=engine, content=content)
        with Session(engine, expire_on_commit=False) as session:
            organisation = Organisation(name="Bänkkommun")
            user = User(email="bank@example.se", name="Bänk", password_hash="-")
            session.add_all([organisation, user])
            session.flush()
            session.add(
                Membership(
                    user_id=user.id or 0, organisation_id=organisation.id or 0, role=Role.owner
                )
            )
            draft = import_answers_file(
                session,
                organisation,
                user,
                load_model(AnswersFile, EXAMPLE),
                content,
                content.library,
            )
            session.flush()
            rows = session.exec(
                select(DraftRequirement).where(DraftRequirement.draft_id == draft.id)
            )
            for row in list(rows):
                set_requirement_status(session, draft, None, row, RequirementStatus.accepted)
            token = create_api_token(session, user)
            session.commit()
            draft_id = draft.id
        headers = {"Authorization": f"Bearer {token}"}
        figures: dict[str, float] = {}
        with TestClient(app) as client:
            for export_format in ("pdf", "xlsx", "docx", "ocds"):
                start = time.perf_counter()
                started = client.post(
                    f"/api/v1/drafts/{draft_id}/exports",
                    json={"format": export_format},
                    headers=headers,
                )
                assert started.status_code == 202, started.text
                status = _wait_done(client, started.json()["status_url"], headers)
                assert status["status"] == "done", status
                figures[f"export_job_{export_format}_ms"] = round(
                    (time.perf_counter() - start) * 1000, 1
                )
            timings = []
            checksum = ""
            for _ in range(CACHED_ROUNDS):
                start = time.perf_counter()
                again = client.post(
                    f"/api/v1/drafts/{draft_id}/exports", json={"format": "pdf"}, headers=headers
                )
                file = client.get(again.json()["status_url"] + "/file", headers=headers)
                timings.append((time.perf_counter() - start) * 1000)
                assert file.status_code == 200
                checksum = checksum or file.headers["x-checksum-sha256"]
                assert file.headers["x-checksum-sha256"] == checksum
            figures["pdf_cached_ms"] = round(statistics.median(timings), 1)
        engine.dispose()
        return figures


def print_exports(figures: dict[str, float]) -> None:
    for name in ("pdf", "xlsx", "docx", "ocds"):
        print(
            f"export job {name:<5} queue to done        {figures[f'export_job_{name}_ms']:8.1f} ms"
        )
    print(
        f"pdf_cached_ms (repeat export from the store) {figures['pdf_cached_ms']:6.1f} ms "
        "(goal <= 50 ms)"
    )


if __name__ == "__main__":
    import json

    from app.content import load_content

    loaded = load_content(PROJECT_ROOT / "wizard_steps", PROJECT_ROOT / "requirement_library")
    result = bench_exports(loaded)
    print_exports(result)
    print(json.dumps(result))
