"""The Krav page as an officer uses it with 40-60 requirements: sections with what is left to
decide, whole-section decisions, filters, the values and their sources, links to confirm,
copies and imports that keep the decisions, and the flags of the gate."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.config import PROJECT_ROOT
from app.drafts.answers_file import AnswersFile
from app.models import DraftRequirement
from tests.conftest import csrf_from, login
from tests.factories import make_organisation, make_user

EXAMPLE = PROJECT_ROOT / "examples" / "trygghetslarm.yaml"


@pytest.fixture()
def officer(client: TestClient, session: Session) -> TestClient:
    make_user(session, "ulla@demo.se", make_organisation(session, "Demo kommun"))
    return login(client, "ulla@demo.se")


def _import(client: TestClient, path: Path | None = None, text: str | None = None) -> str:
    token = csrf_from(client.get("/").text)
    body = text.encode() if text is not None else (path or EXAMPLE).read_bytes()
    response = client.post(
        "/drafts/import",
        data={"csrf_token": token},
        files={"answers_file": ("svar.yaml", body, "application/yaml")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:2000]
    return str(response.headers["location"])


def _requirements(client: TestClient, draft_url: str) -> list[dict[str, object]]:
    draft_id = draft_url.rsplit("/", 1)[-1]
    return client.get(f"/api/v1/drafts/{draft_id}/requirements").json()  # type: ignore[no-any-return]


def _page(client: TestClient, url: str) -> BeautifulSoup:
    return BeautifulSoup(client.get(url).text, "html.parser")


def test_requirements_are_grouped_by_section_with_what_is_left_to_decide(
    officer: TestClient,
) -> None:
    draft_url = _import(officer)
    page = _page(officer, f"{draft_url}/requirements")
    sections = page.select("section.requirement-section")
    titles = [section.find("h2").get_text(" ", strip=True) for section in sections]
    assert titles and all(title.startswith("K") for title in titles)
    summary = sections[0].select_one(".section-summary").get_text()
    assert "Att ta ställning till:" in summary
    numbers = [
        item.select_one(".requirement-number").get_text()
        for item in sections[0].select("li.requirement")
    ]
    assert numbers and all(number.startswith(titles[0][:2]) for number in numbers)
    # Continue goes to the step after Krav, not to the export.
    assert page.find("a", string="Fortsätt")["href"].endswith("/steps/evaluation")


def test_a_whole_section_is_accepted_after_a_confirmation(officer: TestClient) -> None:
    draft_url = _import(officer)
    confirm_url = f"{draft_url}/requirements/sections/2/accepted"
    confirm = _page(officer, confirm_url)
    listed = confirm.select("ul li")
    assert listed and confirm.find("button", string="Ja, godta dem")
    # Looking at the confirmation changes nothing.
    assert all(item["status"] == "suggested" for item in _requirements(officer, draft_url))
    officer.post(confirm_url, data={"csrf_token": csrf_from(str(confirm))})
    after = _requirements(officer, draft_url)
    section_two = [item for item in after if str(item["number"]).startswith("K2.")]
    assert section_two and all(item["status"] == "accepted" for item in section_two)
    assert all(item["status"] == "suggested" for item in after if item not in section_two)
    # Accepting takes the proposed links as the officer's.
    linked = [item for item in section_two if item["needs"]]
    assert linked and all(not item["proposed_needs"] for item in section_two)


def test_requirements_are_filtered_by_status_and_need(officer: TestClient) -> None:
    draft_url = _import(officer)
    first = _requirements(officer, draft_url)[0]
    token = csrf_from(officer.get(f"{draft_url}/requirements").text)
    officer.post(
        f"{draft_url}/requirements/{first['id']}/status",
        data={"csrf_token": token, "status": "rejected"},
    )
    rejected = _page(officer, f"{draft_url}/requirements?status=rejected")
    assert [item["id"] for item in rejected.select("li.requirement")] == [
        f"requirement-{first['id']}"
    ]
    for_b5 = _page(officer, f"{draft_url}/requirements?need=B5")
    shown = for_b5.select("li.requirement")
    assert shown and all(
        "B5" in item.select_one(".requirement-serves").get_text() for item in shown
    )
    assert "Visar" in for_b5.find(role="status").get_text()


def test_values_name_the_answer_they_come_from_and_defaults_to_check(
    officer: TestClient,
) -> None:
    draft_url = _import(officer)
    page = _page(officer, f"{draft_url}/requirements")
    values = " ".join(item.get_text(" ", strip=True) for item in page.select(".requirement-values"))
    assert "72 timmar, från ditt svar på drifttid utan nätström" in values
    assert "förval, inte ditt svar: kontrollera" in values


def test_why_suggested_reads_as_the_officer_answered(officer: TestClient) -> None:
    draft_url = _import(officer)
    reasons = " ".join(
        item.get_text(" ", strip=True)
        for item in _page(officer, f"{draft_url}/requirements").select(".requirement-details dd")
    )
    assert "Eftersom du svarade Tjänst på ”Vad ska upphandlas?”" in reasons
    assert "True" not in reasons and "tjanst" not in reasons


def test_copy_keeps_every_requirement_decision(officer: TestClient, session: Session) -> None:
    draft_url = _import(officer)
    token = csrf_from(officer.get(f"{draft_url}/requirements").text)
    rows = _requirements(officer, draft_url)
    accepted, rejected, edited = rows[0], rows[1], rows[2]
    officer.post(
        f"{draft_url}/requirements/{accepted['id']}/status",
        data={"csrf_token": token, "status": "accepted"},
    )
    officer.post(
        f"{draft_url}/requirements/{rejected['id']}/status",
        data={"csrf_token": token, "status": "rejected"},
    )
    officer.post(
        f"{draft_url}/requirements/{edited['id']}/edit",
        data={
            "csrf_token": token,
            "title": edited["title"],
            "text": str(edited["text"]) + " Mätt varje månad.",
            "motive": edited["motive"],
            "verification": edited["verification"],
            "obligation": "bor",
            "weight": "12",
            "needs": ["B2", "B4"],
            "effect_goals": "E2",
        },
    )
    officer.post(
        f"{draft_url}/requirements/new",
        data={
            "csrf_token": token,
            "title": "Samtal med anhöriga",
            "text": "Leverantören ska ringa upp en anhörig inom 10 minuter efter ett larm.",
            "motive": "Anhöriga vill veta.",
            "verification": "Logg.",
            "obligation": "ska",
            "kind": "service_level",
            "type": "sarskilt_kontraktsvillkor",
            "level": "bas",
            "needs": "B1",
        },
    )
    before = {
        (item["template_id"] or item["title"]): item for item in _requirements(officer, draft_url)
    }
    copied = officer.post(f"{draft_url}/copy", data={"csrf_token": token}, follow_redirects=False)
    copy_url = copied.headers["location"]
    after = {
        (item["template_id"] or item["title"]): item for item in _requirements(officer, copy_url)
    }
    assert set(after) == set(before)
    for key, item in before.items():
        again = after[key]
        for field in ("status", "obligation", "weight", "text", "edited", "needs", "effect_goals"):
            assert again[field] == item[field], (key, field)
        assert again["needs_review"] is True
    own = after["Samtal med anhöriga"]
    assert own["origin"] == "officer" and own["needs"] == ["B1"]
    # Every copied requirement must be re-examined before export, like the needs.
    export = _page(officer, f"{copy_url}/export")
    blockers = " ".join(
        item.get_text(" ", strip=True) for item in export.select(".error-summary li")
    )
    assert "krav kommer från en tidigare upphandling och behöver ses över" in blockers
    copy_id = int(copy_url.rsplit("/", 1)[-1])
    one = session.exec(select(DraftRequirement).where(DraftRequirement.draft_id == copy_id)).first()
    assert one is not None
    officer.post(f"{copy_url}/requirements/{one.id}/confirm", data={"csrf_token": token})
    confirmed = next(item for item in _requirements(officer, copy_url) if item["id"] == one.id)
    assert confirmed["needs_review"] is False


def test_an_answers_file_brings_its_requirements_section(officer: TestClient) -> None:
    data = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    data["requirements"] = [
        {"template": "VT-003", "status": "accepted", "parameters": {"timmar": 36}, "needs": ["B1"]},
        {"template": "VT-009", "status": "rejected"},
        {
            "title": "Egen rapport",
            "text": "Leverantören ska rapportera antal larm per vecka.",
            "kind": "service_level",
            "type": "sarskilt_kontraktsvillkor",
            "level": "bas",
            "needs": ["B3"],
            "effect_goals": ["E1"],
        },
    ]
    AnswersFile.model_validate(data)
    draft_url = _import(officer, text=yaml.safe_dump(data, allow_unicode=True))
    rows = {
        item["template_id"] or item["title"]: item for item in _requirements(officer, draft_url)
    }
    assert rows["VT-003"]["status"] == "accepted" and "36 timmar" in str(rows["VT-003"]["text"])
    assert rows["VT-003"]["needs"] == ["B1"] and rows["VT-003"]["needs_review"] is True
    assert rows["VT-009"]["status"] == "rejected"
    assert rows["Egen rapport"]["effect_goals"] == ["E1"]
    # The library suggests what the section does not hold.
    assert any(item["status"] == "suggested" for item in rows.values())


def test_an_answers_file_with_an_unknown_template_is_refused(officer: TestClient) -> None:
    data = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    data["requirements"] = [{"template": "NOPE-001", "needs": ["B9"]}]
    token = csrf_from(officer.get("/").text)
    response = officer.post(
        "/drafts/import",
        data={"csrf_token": token},
        files={"answers_file": ("svar.yaml", yaml.safe_dump(data).encode(), "application/yaml")},
    )
    assert response.status_code == 400
    error = BeautifulSoup(response.text, "html.parser").find(id="answers_file-error").get_text()
    assert "NOPE-001" in error and "B9" in error


def test_the_gate_flags_an_accepted_requirement_that_serves_no_need(officer: TestClient) -> None:
    draft_url = _import(officer)
    first = _requirements(officer, draft_url)[0]
    token = csrf_from(officer.get(f"{draft_url}/requirements").text)
    # Saved without any need ticked: accepted, linked to nothing.
    officer.post(
        f"{draft_url}/requirements/{first['id']}/edit",
        data={
            "csrf_token": token,
            "title": first["title"],
            "text": first["text"],
            "motive": first["motive"],
            "verification": first["verification"],
            "obligation": first["obligation"],
        },
    )
    page = _page(officer, f"{draft_url}/requirements")
    panel = page.select_one(".warning-panel").get_text(" ", strip=True)
    assert "tillgodoser inget behov" in panel and str(first["title"]) in panel
    warnings = _page(officer, f"{draft_url}/export").get_text(" ", strip=True)
    assert f"Krav {first['number']} är godtaget men tillgodoser inget behov" in warnings


def test_the_gate_warns_of_a_scored_requirement_under_lowest_price(
    officer: TestClient,
) -> None:
    data = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    data["answers"]["award_model"] = "lowest_price"
    data["requirements"] = [{"template": "VT-009", "status": "accepted", "needs": ["B2"]}]
    draft_url = _import(officer, text=yaml.safe_dump(data, allow_unicode=True))
    rows = _requirements(officer, draft_url)
    assert not [row for row in rows if row["status"] == "suggested" and row["obligation"] == "bor"]
    export = _page(officer, f"{draft_url}/export").get_text(" ", strip=True)
    assert "poängsätts i utvärderingen" in export


def test_the_gate_warns_of_a_management_system_in_a_small_contract(
    officer: TestClient,
) -> None:
    data = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    data["answers"]["estimated_value"] = 1_200_000
    data["requirements"] = [{"template": "SEC-003", "status": "accepted", "needs": ["B5"]}]
    draft_url = _import(officer, text=yaml.safe_dump(data, allow_unicode=True))
    export = _page(officer, f"{draft_url}/export").get_text(" ", strip=True)
    assert "kan stänga ute små företag" in export


def test_the_innovation_path_leads_to_the_need_statement_first(officer: TestClient) -> None:
    draft_url = _import(officer, PROJECT_ROOT / "examples" / "fallprevention-innovation.yaml")
    tasks = _page(officer, draft_url)
    panel = tasks.find(id="need-statement-heading").parent.get_text(" ", strip=True)
    for part in ("Behov", "Effektmål med mått", "Frågor till marknaden", "Planerat förfarande"):
        assert part in panel
    krav = _page(officer, f"{draft_url}/requirements")
    waiting = krav.select_one(".innovation-path details").get_text(" ", strip=True)
    assert "väntar till efter dialogen" in waiting and "VT-" in waiting
    assert not [
        row
        for row in _requirements(officer, draft_url)
        if str(row["template_id"]).startswith("VT-")
    ]
