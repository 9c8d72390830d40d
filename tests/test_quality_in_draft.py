"""The checker where the officer works: live while typing, on the Krav step, in the gate."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.content import Content
from tests.conftest import csrf_from, login
from tests.factories import make_draft, make_organisation, make_user


@pytest.fixture()
def draft_url(client: TestClient, session: Session, content: Content) -> str:
    organisation = make_organisation(session, "Demo kommun")
    user = make_user(session, "ulla@demo.se", organisation)
    draft = make_draft(session, organisation, user, content=content, filled=True)
    login(client, "ulla@demo.se")
    return f"/drafts/{draft.id}"


def test_live_check_marks_the_smell_and_suggests(client: TestClient, draft_url: str) -> None:
    token = csrf_from(client.get(f"{draft_url}/requirements/new").text)
    response = client.post(
        f"{draft_url}/check",
        data={"field": "text", "text": "Systemet ska vara användarvänligt."},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    page = BeautifulSoup(response.text, "html.parser")
    assert page.select_one("mark").get_text().endswith("användarvänligt")
    assert "Otydligt ord" in page.select_one(".finding").get_text()


def test_need_autosave_shows_findings_next_to_the_field(client: TestClient, draft_url: str) -> None:
    needs_page = client.get(f"{draft_url}/steps/needs")
    token = csrf_from(needs_page.text)
    row = BeautifulSoup(needs_page.text, "html.parser").select_one("fieldset.need-row")
    need_id = row["id"].removeprefix("row-needs-")
    response = client.post(
        f"{draft_url}/groups/needs/rows/{need_id}",
        data={f"needs-{need_id}-what": "Ett modernt och flexibelt system, om möjligt i molnet"},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    page = BeautifulSoup(response.text, "html.parser")
    check = page.find(id=f"check-needs-{need_id}-what")
    assert check is not None and check["hx-swap-oob"] == "true"
    assert len(check.select("mark")) >= 2


def _own_requirement(
    client: TestClient, draft_url: str, text: str, justification: str = ""
) -> None:
    token = csrf_from(client.get(f"{draft_url}/requirements/new").text)
    response = client.post(
        f"{draft_url}/requirements/new",
        data={
            "csrf_token": token,
            "title": "Datorer",
            "text": text,
            "motive": "m",
            "verification": "v",
            "obligation": "ska",
            "kind": "function",
            "type": "teknisk_specifikation",
            "level": "bas",
            "needs": "B1",
            "brand_justification": justification,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_a_brand_blocks_export_until_justified(client: TestClient, draft_url: str) -> None:
    _own_requirement(
        client, draft_url, "Leverantören ska leverera bärbara datorer av märket Lenovo."
    )
    export = BeautifulSoup(client.get(f"{draft_url}/export").text, "html.parser")
    blockers = [li.get_text(" ", strip=True) for li in export.select(".error-summary li")]
    assert any("9 kap. 6 §" in text for text in blockers)
    requirements = BeautifulSoup(client.get(f"{draft_url}/requirements").text, "html.parser")
    assert requirements.select(".finding-blocker")
    own = [
        r
        for r in client.get(f"/api/v1/drafts/{draft_url.rsplit('/', 1)[-1]}/requirements").json()
        if r["template_id"] is None
    ][0]
    token = csrf_from(client.get(f"{draft_url}/requirements/{own['id']}/edit").text)
    client.post(
        f"{draft_url}/requirements/{own['id']}/edit",
        data={
            "csrf_token": token,
            "title": own["title"],
            "text": own["text"],
            "motive": "m",
            "verification": "v",
            "obligation": "ska",
            "kind": "function",
            "type": "teknisk_specifikation",
            "level": "bas",
            "needs": "B1",
            "brand_justification": (
                "Datorerna ska passa ett befintligt dockningssystem som bara finns för märket."
            ),
        },
    )
    export = BeautifulSoup(client.get(f"{draft_url}/export").text, "html.parser")
    assert not [li for li in export.select(".error-summary li") if "9 kap. 6 §" in li.get_text()]


def test_the_export_page_links_a_finding_to_its_requirement(
    client: TestClient, draft_url: str
) -> None:
    """The link in the list of what to fix lands on the requirement, not the top of Krav."""
    _own_requirement(client, draft_url, "Leverantören ska leverera datorer av märket Lenovo.")
    own = [
        r
        for r in client.get(f"/api/v1/drafts/{draft_url.rsplit('/', 1)[-1]}/requirements").json()
        if r["template_id"] is None
    ][0]
    export = BeautifulSoup(client.get(f"{draft_url}/export").text, "html.parser")
    links = [
        a["href"] for a in export.select(".error-summary li a") if "9 kap. 6 §" in a.get_text()
    ]
    assert links == [f"{draft_url}/requirements#requirement-{own['id']}"]
    requirements = BeautifulSoup(client.get(f"{draft_url}/requirements").text, "html.parser")
    assert requirements.find(id=f"requirement-{own['id']}") is not None


def test_krav_step_shows_quality_report_and_innovation_readiness(
    client: TestClient, draft_url: str
) -> None:
    _own_requirement(client, draft_url, "Lösningen ska vara användarvänlig och modern.")
    page = BeautifulSoup(client.get(f"{draft_url}/requirements").text, "html.parser")
    report = page.find(id="quality-heading").find_parent("section").get_text(" ", strip=True)
    assert "1" in report
    readiness = page.select(".readiness li")
    assert len(readiness) == 5
    assert all(item.select_one(".tag").get_text(strip=True) for item in readiness)
