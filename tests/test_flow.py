"""The main job end to end over HTTP: log in, create a draft, answer, see suggestions, get a PDF."""

from __future__ import annotations

import io

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session

from tests.conftest import csrf_from, login
from tests.factories import make_organisation, make_user


def test_officer_goes_from_questions_to_pdf(client: TestClient, session: Session) -> None:
    make_user(session, "ulla@demo.se", make_organisation(session, "Demo kommun"))
    login(client, "ulla@demo.se")
    dashboard = client.get("/")
    created = client.post(
        "/drafts",
        data={"title": "E-tjänst för bygglov", "csrf_token": csrf_from(dashboard.text)},
        follow_redirects=False,
    )
    assert created.status_code == 303
    draft_url = created.headers["location"]
    token = csrf_from(client.get(draft_url + "/steps/basics").text)
    headers = {"X-CSRF-Token": token, "HX-Request": "true"}

    # Autosave, one field at a time, as htmx sends them.
    for question, value in {
        "object_type": "tjanst",
        "area": "it",
        "estimated_value": "2 400 000",
        "contract_length_months": "48",
        "authority_type": "other",
        "award_model": "best_price_quality",
        "tender_deadline": "2027-03-15",
    }.items():
        saved = client.post(
            f"{draft_url}/answers/{question}", data={question: value}, headers=headers
        )
        assert saved.status_code == 200
        assert "Sparat" in saved.text, saved.text

    # Situation step through the plain form.
    client.post(
        f"{draft_url}/steps/situation",
        data={
            "csrf_token": token,
            "current_situation": "Ansökningar kommer in på papper och via e-post.",
            "problem": "Hälften av ansökningarna är ofullständiga och måste kompletteras.",
        },
    )
    # A need, added and filled in with htmx.
    row = client.post(f"{draft_url}/groups/needs/rows", headers=headers)
    need_id = (
        BeautifulSoup(row.text, "html.parser").find("fieldset")["id"].removeprefix("row-needs-")
    )
    filled = client.post(
        f"{draft_url}/groups/needs/rows/{need_id}",
        data={
            f"needs-{need_id}-who": "Privatpersoner som söker bygglov",
            f"needs-{need_id}-what": "Kunna ansöka om bygglov från mobilen utan att ringa kommunen",
            f"needs-{need_id}-why": "De flesta ansöker på kvällar och helger",
            f"needs-{need_id}-kinds__present": "1",
            f"needs-{need_id}-kinds": "access",
        },
        headers=headers,
    )
    assert "Sparat" in filled.text
    # An effect goal that follows from the need.
    goal = client.post(f"{draft_url}/groups/effect_goals/rows", headers=headers)
    goal_id = BeautifulSoup(goal.text, "html.parser").find("fieldset")["id"]
    goal_id = goal_id.removeprefix("row-effect_goals-")
    client.post(
        f"{draft_url}/groups/effect_goals/rows/{goal_id}",
        data={
            f"effect_goals-{goal_id}-goal": "Fler ansökningar kommer in kompletta",
            f"effect_goals-{goal_id}-indicator": "Andel kompletta ansökningar",
            f"effect_goals-{goal_id}-target": "80 procent",
            f"effect_goals-{goal_id}-needs__present": "1",
            f"effect_goals-{goal_id}-needs": "B1",
        },
        headers=headers,
    )

    requirements = BeautifulSoup(client.get(f"{draft_url}/requirements").text, "html.parser")
    items = requirements.select("li.requirement")
    assert items, "no suggested requirements"
    # Suggestions propose the need of the kind they serve (the officer confirms).
    traced = [item for item in items if "B1" in item.select_one(".requirement-serves").get_text()]
    assert traced, "no requirement traces to the need"
    # Only accepted requirements go into the document: accept the first suggestion.
    accept = items[0].find("form", action=lambda action: action and action.endswith("/status"))
    client.post(accept["action"], data={"csrf_token": token, "status": "accepted"})

    pdf = client.get(f"{draft_url}/export.pdf")
    assert pdf.status_code == 200, pdf.text[:500]
    assert pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "E-tjänst för bygglov" in text
    assert "UTKAST" in text
    assert "Kunna ansöka om bygglov" in text
    first_requirement = items[0].select_one(".requirement-text").get_text(strip=True)
    assert first_requirement[:40] in " ".join(text.split())


def test_export_is_stopped_until_the_draft_has_a_need(client: TestClient, session: Session) -> None:
    make_user(session, "ulla@demo.se", make_organisation(session))
    login(client, "ulla@demo.se")
    created = client.post(
        "/drafts",
        data={"title": "Tom", "csrf_token": csrf_from(client.get("/").text)},
        follow_redirects=False,
    )
    response = client.get(created.headers["location"] + "/export.pdf")
    assert response.status_code == 409
    assert "inga behov" in response.text
