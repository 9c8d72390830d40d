"""Exports kept: started over the API or a form, answered 202, made after the response,
stored with their checksum and audit event, given again from the store for the same draft
content, listed in the draft's export history and downloadable byte for byte."""

from __future__ import annotations

import hashlib
import io

import openpyxl
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.content import Content
from app.export.pdf import PdfRenderer
from app.models import AuditEvent, ExportFile
from tests.conftest import csrf_from, login
from tests.factories import make_api_token, make_draft, make_organisation, make_user
from tests.test_export_routes import accept_all, imported_draft


def api_headers(session: Session, organisation_name: str, email: str) -> dict[str, str]:
    from app.models import Organisation, User

    user = session.exec(select(User).where(User.email == email)).first()
    if user is None:
        organisation = session.exec(
            select(Organisation).where(Organisation.name == organisation_name)
        ).first() or make_organisation(session, organisation_name)
        user = make_user(session, email, organisation)
    return {"Authorization": f"Bearer {make_api_token(session, user)}"}


def test_api_export_is_202_then_done_and_a_repeat_is_the_stored_file(
    client: TestClient, session: Session, content: Content
) -> None:
    draft_id = imported_draft(session, content)
    accept_all(session, draft_id)
    headers = api_headers(session, "Exempelstads kommun", "ulla@demo.se")

    started = client.post(
        f"/api/v1/drafts/{draft_id}/exports", json={"format": "xlsx"}, headers=headers
    )

    assert started.status_code == 202, started.text
    body = started.json()
    assert set(body) == {"id", "status", "status_url"}
    assert body["status_url"] == f"/api/v1/exports/{body['id']}"
    status = client.get(body["status_url"], headers=headers).json()
    assert status["status"] == "done" and status["format"] == "xlsx"
    file = client.get(status["file_url"], headers=headers)
    assert file.status_code == 200
    assert hashlib.sha256(file.content).hexdigest() == status["sha256"]
    assert status["size"] == len(file.content)
    workbook = openpyxl.load_workbook(io.BytesIO(file.content))
    assert workbook.worksheets[0]["A2"].value == "K1.1"

    again = client.post(
        f"/api/v1/drafts/{draft_id}/exports", json={"format": "xlsx"}, headers=headers
    )

    assert again.status_code == 202
    assert again.json() == {**body, "status": "done"}
    assert client.get(status["file_url"], headers=headers).content == file.content
    session.expire_all()
    rows = session.exec(select(ExportFile).where(ExportFile.draft_id == draft_id)).all()
    assert len(rows) == 1
    events = session.exec(
        select(AuditEvent).where(
            AuditEvent.draft_id == draft_id, AuditEvent.action == "export.xlsx"
        )
    ).all()
    assert [event.detail["sha256"] for event in events] == [status["sha256"]]


def test_an_unknown_format_is_refused_and_a_blocked_draft_gets_409(
    client: TestClient, session: Session, content: Content
) -> None:
    organisation = make_organisation(session, "Demo kommun")
    user = make_user(session, "ulla@demo.se", organisation)
    draft_id = make_draft(session, organisation, user, content=content, filled=True).id
    headers = {"Authorization": f"Bearer {make_api_token(session, user)}"}

    unknown = client.post(
        f"/api/v1/drafts/{draft_id}/exports", json={"format": "exe"}, headers=headers
    )
    blocked = client.post(
        f"/api/v1/drafts/{draft_id}/exports", json={"format": "docx"}, headers=headers
    )

    assert unknown.status_code == 422
    assert blocked.status_code == 409
    assert blocked.json()["detail"]["errors"]


def test_another_organisation_gets_404_on_every_export_url(
    client: TestClient, session: Session, content: Content
) -> None:
    draft_id = imported_draft(session, content)
    headers = api_headers(session, "Exempelstads kommun", "ulla@demo.se")
    body = client.post(
        f"/api/v1/drafts/{draft_id}/exports", json={"format": "json"}, headers=headers
    ).json()
    outsider = api_headers(session, "Annan kommun", "annan@annan.se")

    assert client.get(body["status_url"], headers=outsider).status_code == 404
    assert client.get(body["status_url"] + "/file", headers=outsider).status_code == 404
    assert (
        client.post(
            f"/api/v1/drafts/{draft_id}/exports", json={"format": "json"}, headers=outsider
        ).status_code
        == 404
    )
    login(client, "annan@annan.se")
    assert client.get(f"/drafts/{draft_id}/exports").status_code == 404
    assert client.get(f"/drafts/{draft_id}/exports/{body['id']}/file").status_code == 404


def test_export_history_lists_each_file_with_its_checksum_and_gives_it_back_exactly(
    client: TestClient, session: Session, content: Content
) -> None:
    draft_id = imported_draft(session, content)
    accept_all(session, draft_id)
    login(client, "ulla@demo.se")
    page = client.get(f"/drafts/{draft_id}/exports")
    assert page.status_code == 200
    assert session.exec(select(ExportFile)).all() == []  # looking changes nothing

    posted = client.post(
        f"/drafts/{draft_id}/exports",
        data={"csrf_token": csrf_from(page.text), "format": "docx"},
        follow_redirects=False,
    )

    assert posted.status_code == 303
    history = BeautifulSoup(client.get(f"/drafts/{draft_id}/exports").text, "html.parser")
    rows = history.select("#export-list tbody tr")
    assert len(rows) == 1
    checksum = rows[0].select_one("code.checksum").get_text(strip=True)
    link = rows[0].select_one("a[download]")
    assert link is not None
    first = client.get(str(link["href"]))
    second = client.get(str(link["href"]))
    assert first.status_code == 200
    assert first.content == second.content
    assert hashlib.sha256(first.content).hexdigest() == checksum
    assert first.headers["x-checksum-sha256"] == checksum
    assert history.find(attrs={"hx-get": True}) is None  # nothing on its way: no polling


def test_an_export_past_its_time_limit_fails_in_swedish_and_the_next_one_is_made(
    client: TestClient, session: Session, content: Content
) -> None:
    draft_id = imported_draft(session, content)
    headers = api_headers(session, "Exempelstads kommun", "ulla@demo.se")
    state = client.app.state  # type: ignore[attr-defined]
    working = state.pdf_renderer
    state.pdf_renderer = PdfRenderer(1, seconds=0.001)

    stopped = client.post(
        f"/api/v1/drafts/{draft_id}/exports",
        json={"format": "rfi"},
        headers={**headers, "Accept-Language": "sv"},
    ).json()
    status = client.get(stopped["status_url"], headers=headers).json()

    assert status["status"] == "failed"
    assert "stoppades" in status["error"] and "Inget i utkastet ändrades" in status["error"]
    assert status["file_url"] is None
    assert client.get(stopped["status_url"] + "/file", headers=headers).status_code == 409

    state.pdf_renderer = working
    made = client.post(
        f"/api/v1/drafts/{draft_id}/exports", json={"format": "rfi"}, headers=headers
    ).json()

    assert made["id"] != stopped["id"]
    done = client.get(made["status_url"], headers=headers).json()
    assert done["status"] == "done"
    assert client.get(done["file_url"], headers=headers).content.startswith(b"%PDF")


def test_submitting_a_draft_queues_its_pdf_and_answer_matrix(
    client: TestClient, session: Session, content: Content
) -> None:
    draft_id = imported_draft(session, content)
    accept_all(session, draft_id)
    headers = api_headers(session, "Exempelstads kommun", "ulla@demo.se")

    submitted = client.post(
        f"/api/v1/drafts/{draft_id}/status", json={"action": "submit"}, headers=headers
    )

    assert submitted.status_code == 200, submitted.text
    session.expire_all()
    rows = session.exec(select(ExportFile).where(ExportFile.draft_id == draft_id)).all()
    assert sorted((row.format, row.status) for row in rows) == [("pdf", "done"), ("xlsx", "done")]
    assert {row.revision for row in rows} == {submitted.json()["revision"]}
    pdf = next(row for row in rows if row.format == "pdf")
    asked = client.post(
        f"/api/v1/drafts/{draft_id}/exports", json={"format": "pdf"}, headers=headers
    ).json()
    assert asked["id"] == pdf.id and asked["status"] == "done"


def test_with_a_worker_queue_the_web_only_queues_and_a_worker_makes_each_export_once(
    client: TestClient, session: Session, content: Content
) -> None:
    from app.export.store import claim, work_queue

    draft_id = imported_draft(session, content)
    headers = api_headers(session, "Exempelstads kommun", "ulla@demo.se")
    state = client.app.state  # type: ignore[attr-defined]
    state.settings = state.settings.model_copy(update={"export_queue": "worker"})

    started = client.post(
        f"/api/v1/drafts/{draft_id}/exports", json={"format": "json"}, headers=headers
    ).json()
    ocds = client.post(
        f"/api/v1/drafts/{draft_id}/exports", json={"format": "rfi"}, headers=headers
    ).json()

    assert started["status"] == "queued"
    assert client.get(started["status_url"], headers=headers).json()["status"] == "queued"
    taken = work_queue(
        state.write_engine, content, state.templates, state.pdf_renderer.render, once=True
    )

    assert taken == 2
    for export in (started, ocds):
        status = client.get(export["status_url"], headers=headers).json()
        assert status["status"] == "done", status
        assert status["size"] > 0
    assert not claim(state.write_engine, started["id"])  # done: nobody takes it again


def test_history_polls_while_an_export_is_on_its_way_and_offers_a_refresh_link(
    client: TestClient, session: Session, content: Content
) -> None:
    draft_id = imported_draft(session, content)
    state = client.app.state  # type: ignore[attr-defined]
    state.settings = state.settings.model_copy(update={"export_queue": "worker"})
    login(client, "ulla@demo.se")
    page = client.get(f"/drafts/{draft_id}/exports")
    client.post(
        f"/drafts/{draft_id}/exports",
        data={"csrf_token": csrf_from(page.text), "format": "json"},
        follow_redirects=False,
    )

    whole = BeautifulSoup(client.get(f"/drafts/{draft_id}/exports").text, "html.parser")
    fragment = client.get(f"/drafts/{draft_id}/exports", headers={"HX-Request": "true"})

    poller = whole.select_one("#export-list")
    assert poller is not None and poller["hx-get"] == f"/drafts/{draft_id}/exports"
    assert poller.find("a", href=f"/drafts/{draft_id}/exports") is not None  # without JS
    assert whole.find("h1") is not None
    part = BeautifulSoup(fragment.text, "html.parser")
    assert part.find("h1") is None and part.select_one("#export-list") is not None
    assert "HX-Request" in fragment.headers["vary"]
