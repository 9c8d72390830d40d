"""The exports over HTTP: the tender PDF carries the JSON export inside it, the export page
counts undecided suggestions and offers the need statement for market dialogue, and the API
gives both PDFs (the tender one only once the gate lets it)."""

from __future__ import annotations

import io
import json

import pikepdf
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from httpx import Response
from pypdf import PdfReader
from sqlmodel import Session, select

from app.config import PROJECT_ROOT
from app.content import Content
from app.data.files import load_model
from app.drafts.answers_file import AnswersFile, import_answers_file
from app.drafts.requirements import set_requirement_status
from app.export.pdf import ATTACHMENT_NAME, PdfRenderer
from app.models import Draft, DraftRequirement, Organisation, RequirementStatus, Role
from tests.conftest import csrf_from, exported_file, login
from tests.factories import make_api_token, make_draft, make_organisation, make_user

EXAMPLE = PROJECT_ROOT / "examples" / "trygghetslarm.yaml"


def imported_draft(session: Session, content: Content) -> int:
    organisation = make_organisation(session, "Exempelstads kommun")
    user = make_user(session, "ulla@demo.se", organisation)
    draft = import_answers_file(
        session, organisation, user, load_model(AnswersFile, EXAMPLE), content, content.library
    )
    session.commit()
    return draft.id or 0


def accept_all(session: Session, draft_id: int) -> None:
    """Every suggestion accepted, as the officer would on the Krav page."""
    draft = session.get(Draft, draft_id)
    assert draft is not None
    rows = session.exec(select(DraftRequirement).where(DraftRequirement.draft_id == draft_id))
    for row in list(rows):
        set_requirement_status(session, draft, None, row, RequirementStatus.accepted)
    session.commit()


def pdf_text(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def test_tender_pdf_carries_the_json_export_and_only_decided_requirements(
    client: TestClient, session: Session, content: Content
) -> None:
    draft_id = imported_draft(session, content)
    login(client, "ulla@demo.se")
    before = BeautifulSoup(client.get(f"/drafts/{draft_id}/export").text, "html.parser")
    warnings = before.select_one(".warning-panel").get_text(" ", strip=True)
    assert "föreslagna krav är inte avgjorda och kommer inte med i underlaget" in warnings
    accept_all(session, draft_id)

    response = client.get(f"/drafts/{draft_id}/export.pdf")
    exported = client.get(f"/drafts/{draft_id}/export.json")

    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/pdf"
    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        assert pdf.open_metadata().pdfa_status == "3B"
        embedded = pdf.attachments[ATTACHMENT_NAME].get_file().read_bytes()
    assert json.loads(embedded) == exported.json()
    text = pdf_text(response.content)
    assert "K1.1" in text and "Kvalificering av anbudsgivare" in text


def test_export_page_offers_the_need_statement_for_market_dialogue(
    client: TestClient, session: Session, content: Content
) -> None:
    draft_id = imported_draft(session, content)
    login(client, "ulla@demo.se")
    html = client.get(f"/drafts/{draft_id}/export").text
    page = BeautifulSoup(html, "html.parser")
    button = page.find("input", attrs={"name": "format", "value": "rfi"})
    assert button is not None
    form = button.find_parent("form")
    assert form is not None and "marknadsdialog" in form.get_text()

    response = exported_file(
        client,
        client.post(
            str(form["action"]),
            data={"csrf_token": csrf_from(html), "format": "rfi"},
            follow_redirects=False,
        ),
    )

    assert isinstance(response, Response) and response.status_code == 200
    text = pdf_text(response.content)
    assert "Kunna larma och få talkontakt med en människa dygnet runt" in text
    assert "Ska-krav" not in text


def test_api_gives_the_need_statement_and_holds_back_a_blocked_tender_pdf(
    client: TestClient, session: Session, content: Content
) -> None:
    organisation = make_organisation(session, "Demo kommun")
    user = make_user(session, "ulla@demo.se", organisation)
    draft = make_draft(session, organisation, user, content=content, filled=True)
    headers = {"Authorization": f"Bearer {make_api_token(session, user)}"}

    rfi = client.get(f"/api/v1/drafts/{draft.id}/rfi.pdf", headers=headers)
    tender = client.get(f"/api/v1/drafts/{draft.id}/tender.pdf", headers=headers)

    assert rfi.status_code == 200 and rfi.headers["content-type"] == "application/pdf"
    assert "Kunna ansöka om bygglov från mobilen" in pdf_text(rfi.content)
    assert tender.status_code == 409
    detail = tender.json()["detail"]
    assert detail["message"] and detail["errors"]
    assert all(key.startswith("blockers.") and text for key, text in detail["errors"].items())


def test_a_pdf_stopped_at_its_limit_says_so_in_swedish_and_the_draft_stays(
    client: TestClient, session: Session, content: Content
) -> None:
    draft_id = imported_draft(session, content)
    login(client, "ulla@demo.se")
    client.app.state.pdf_renderer = PdfRenderer(1, seconds=0.001)  # type: ignore[attr-defined]

    page = client.get(f"/drafts/{draft_id}/export-rfi.pdf")

    assert page.status_code == 503
    text = BeautifulSoup(page.text, "html.parser").get_text(" ", strip=True)
    assert "stoppades" in text and "Inget i utkastet ändrades" in text
    assert client.get(f"/drafts/{draft_id}").status_code == 200


def test_an_owner_appends_the_review_log_to_the_tender_pdf(
    client: TestClient, session: Session, content: Content
) -> None:
    draft_id = imported_draft(session, content)
    accept_all(session, draft_id)
    organisation_id = session.get(Draft, draft_id).organisation_id  # type: ignore[union-attr]
    editor = make_user(
        session, "erik@demo.se", session.get(Organisation, organisation_id), Role.editor
    )
    headers = {"Authorization": f"Bearer {make_api_token(session, editor)}"}
    assert (
        client.post(
            f"/api/v1/drafts/{draft_id}/status", json={"action": "submit"}, headers=headers
        ).status_code
        == 200
    )

    login(client, "erik@demo.se")
    assert client.get(f"/drafts/{draft_id}/export.pdf?review_log=1").status_code == 403
    login(client, "ulla@demo.se")
    page = BeautifulSoup(client.get(f"/drafts/{draft_id}/export").text, "html.parser")
    link = page.find("a", href=f"/drafts/{draft_id}/export.pdf?review_log=1")
    assert link is not None
    with_log = pdf_text(client.get(str(link["href"])).content)
    plain = pdf_text(client.get(f"/drafts/{draft_id}/export.pdf").content)

    assert "Granskningslogg" in with_log and "Granskningslogg" not in plain
    assert "Skapade en revision: Revision 1" in with_log
    assert "Utkast → Under granskning" in with_log
