"""The complete wizard: steps and statistics, groups, task states, guidance, reuse of drafts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import PROJECT_ROOT
from app.content import Content
from app.drafts.answers_file import AnswersFile
from app.wizard.stats import wizard_statistics
from tests.cli import run_cli
from tests.conftest import csrf_from, login
from tests.factories import make_draft, make_organisation, make_user

EXAMPLES = sorted((PROJECT_ROOT / "examples").glob("*.yaml"))


@pytest.fixture()
def officer(client: TestClient, session: Session) -> TestClient:
    make_user(session, "ulla@demo.se", make_organisation(session, "Demo kommun"))
    return login(client, "ulla@demo.se")


def _import(client: TestClient, path: Path) -> str:
    token = csrf_from(client.get("/").text)
    response = client.post(
        "/drafts/import",
        data={"csrf_token": token},
        files={"answers_file": (path.name, path.read_bytes(), "application/yaml")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:2000]
    return str(response.headers["location"])


def _hx(client: TestClient, url: str) -> dict[str, str]:
    return {"X-CSRF-Token": csrf_from(client.get(url).text), "HX-Request": "true"}


def test_the_questionnaire_is_complete(content: Content) -> None:
    stats = wizard_statistics(content.wizard)
    assert stats["steps"] == 11
    assert stats["questions"] >= 80  # type: ignore[operator]
    assert stats["conditional"] >= 15  # type: ignore[operator]
    kinds = [step.kind for step in content.wizard.steps]
    assert kinds.count("requirements") == 1 and kinds[-1] == "review"
    for question in content.wizard.questions.values():
        for item in (question, *question.fields):
            assert item.why.sv and item.why.en, item.id


def test_wizard_stats_and_answers_schema_on_the_command_line() -> None:
    # The one run of `python -m app` as its own process: the entry point itself works.
    stats = subprocess.run(
        [sys.executable, "-m", "app", "wizard", "stats", "--format", "json"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(stats.stdout)
    assert set(figures) == {
        "steps",
        "questions",
        "conditional",
        "with_help",
        "languages",
        "area_questions",
        "feeding",
        "background",
    }
    assert figures["languages"]["sv"] == figures["languages"]["en"] == figures["questions"]
    # Every area question feeds a template or is background the document prints.
    assert figures["feeding"] + figures["background"] == figures["area_questions"]
    assert {"title", "answers", "needs", "effect_goals", "requirements"} <= set(
        json.loads(run_cli("answers-schema").stdout)["properties"]
    )
    schema = run_cli("answers-schema")
    assert {"title", "answers", "needs", "effect_goals"} <= set(
        json.loads(schema.stdout)["properties"]
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_each_example_imports_and_reaches_check_answers_with_nothing_missing(
    officer: TestClient, example: Path
) -> None:
    draft_url = _import(officer, example)
    page = BeautifulSoup(officer.get(f"{draft_url}/export").text, "html.parser")
    assert page.find("h1").get_text(strip=True) == "Granska svaren och exportera"
    missing = [
        row.find("dt").get_text(strip=True)
        for row in page.select(".summary-row")
        if row.select_one(".tag-blocked")
    ]
    assert missing == []
    change_links = page.select(".summary-action a")
    assert change_links and all("/steps/" in link["href"] for link in change_links)
    blockers = page.select(".error-summary li")
    texts = [item.get_text(" ", strip=True) for item in blockers]
    # Only the re-examination of imported needs and goals stands between it and the export.
    assert texts and all("ses över" in text for text in texts), texts


def test_examples_cover_six_areas() -> None:
    areas = {yaml.safe_load(path.read_text("utf-8"))["answers"]["area"] for path in EXAMPLES}
    assert len(EXAMPLES) >= 6 and len(areas) >= 6


def test_imported_needs_must_be_confirmed_before_export(officer: TestClient) -> None:
    draft_url = _import(officer, PROJECT_ROOT / "examples" / "trygghetslarm.yaml")
    assert officer.get(f"{draft_url}/export.pdf").status_code == 409
    needs_page = BeautifulSoup(officer.get(f"{draft_url}/steps/needs").text, "html.parser")
    assert needs_page.select(".need-row .tag-blocked")
    token = csrf_from(str(needs_page))
    for button in needs_page.select("button[value^='confirm_row:']"):
        officer.post(
            f"{draft_url}/steps/needs", data={"csrf_token": token, "action": button["value"]}
        )
    goals_page = BeautifulSoup(officer.get(f"{draft_url}/steps/effect_goals").text, "html.parser")
    for button in goals_page.select("button[value^='confirm_row:']"):
        group, row = button["value"].split(":")[1:]
        officer.post(f"{draft_url}/groups/{group}/rows/{row}/confirm", data={"csrf_token": token})
    export = BeautifulSoup(officer.get(f"{draft_url}/export").text, "html.parser")
    assert not [
        item for item in export.select(".error-summary li") if "ses över" in item.get_text()
    ]


def test_copy_marks_needs_for_re_examination(
    officer: TestClient, session: Session, content: Content
) -> None:
    draft_url = _import(officer, PROJECT_ROOT / "examples" / "skolmaltider.yaml")
    token = csrf_from(officer.get(draft_url).text)
    copied = officer.post(f"{draft_url}/copy", data={"csrf_token": token}, follow_redirects=False)
    assert copied.status_code == 303 and copied.headers["location"] != draft_url
    page = BeautifulSoup(officer.get(copied.headers["location"]).text, "html.parser")
    assert page.find("h1").get_text(strip=True).startswith("Kopia av")
    needs = BeautifulSoup(
        officer.get(copied.headers["location"] + "/steps/needs").text, "html.parser"
    )
    assert needs.select(".need-row .tag-blocked")


def test_answers_file_round_trip(officer: TestClient) -> None:
    example = PROJECT_ROOT / "examples" / "bygglov-e-tjanst.yaml"
    draft_url = _import(officer, example)
    exported = officer.get(f"{draft_url}/answers.yaml")
    assert exported.status_code == 200
    data = AnswersFile.model_validate(yaml.safe_load(exported.text))
    original = AnswersFile.model_validate(yaml.safe_load(example.read_text("utf-8")))
    assert [need.what for need in data.needs] == [need.what for need in original.needs]
    assert data.answers["area"] == original.answers["area"]
    assert "_id" not in exported.text


def test_a_bad_answers_file_is_refused_next_to_the_field(
    officer: TestClient, tmp_path: Path
) -> None:
    bad = tmp_path / "fel.yaml"
    bad.write_text(
        "format: kravlotsen-answers/1\ntitle: Fel\nanswers:\n  estimated_value: mycket\n"
        "  no_such_question: 1\n",
        encoding="utf-8",
    )
    token = csrf_from(officer.get("/").text)
    response = officer.post(
        "/drafts/import",
        data={"csrf_token": token},
        files={"answers_file": (bad.name, bad.read_bytes(), "application/yaml")},
    )
    assert response.status_code == 400
    page = BeautifulSoup(response.text, "html.parser")
    error = page.find(id="answers_file-error").get_text(" ", strip=True)
    assert "no_such_question" in error and "måste vara ett tal" in error
    assert page.select_one(".error-summary a")["href"] == "#answers_file"
    assert "Fel" not in [a.get_text() for a in page.select("table a")]


def test_effect_goal_rows_link_to_needs(
    officer: TestClient, session: Session, content: Content
) -> None:
    from sqlmodel import select

    from app.models import Organisation, User

    user = session.exec(select(User)).one()
    organisation = session.exec(select(Organisation)).one()
    draft = make_draft(session, organisation, user, content=content, filled=True)
    url = f"/drafts/{draft.id}"
    headers = _hx(officer, f"{url}/steps/effect_goals")
    added = BeautifulSoup(
        officer.post(f"{url}/groups/effect_goals/rows", headers=headers).text, "html.parser"
    )
    row_id = added.find("fieldset")["id"].removeprefix("row-effect_goals-")
    assert added.find("input", attrs={"value": "B1", "type": "checkbox"}) is not None
    saved = officer.post(
        f"{url}/groups/effect_goals/rows/{row_id}",
        data={
            f"effect_goals-{row_id}-goal": "Fler ansökningar kommer in kompletta",
            f"effect_goals-{row_id}-needs__present": "1",
            f"effect_goals-{row_id}-needs": "B1",
        },
        headers=headers,
    )
    assert "Sparat" in saved.text
    wrong = officer.post(
        f"{url}/groups/effect_goals/rows/{row_id}",
        data={f"effect_goals-{row_id}-needs__present": "1", f"effect_goals-{row_id}-needs": "B9"},
        headers=headers,
    )
    assert "error-message" in wrong.text
    document = officer.get(f"/api/v1/drafts/{draft.id}").json()
    assert document["effect_goals"][0]["needs"] == ["B1"]


def test_list_rows_are_added_and_removed_without_losing_others(
    officer: TestClient, session: Session, content: Content
) -> None:
    from sqlmodel import select

    from app.models import Organisation, User

    group = next(q for q in content.wizard.questions.values() if q.store == "list")
    user = session.exec(select(User)).one()
    organisation = session.exec(select(Organisation)).one()
    draft = make_draft(session, organisation, user, content=content, filled=True)
    url = f"/drafts/{draft.id}"
    step_id = content.wizard.step_of[group.id]
    headers = _hx(officer, f"{url}/steps/{step_id}")
    ids = []
    for text in ("Vilka lösningar finns i dag?", "Vad kostar drift per år?"):
        row = BeautifulSoup(
            officer.post(f"{url}/groups/{group.id}/rows", headers=headers).text, "html.parser"
        )
        row_id = row.find("fieldset")["id"].removeprefix(f"row-{group.id}-")
        first_field = group.fields[0].id
        officer.post(
            f"{url}/groups/{group.id}/rows/{row_id}",
            data={f"{group.id}-{row_id}-{first_field}": text},
            headers=headers,
        )
        ids.append(row_id)
    officer.post(f"{url}/groups/{group.id}/rows/{ids[0]}/delete", headers=headers)
    stored = officer.get(f"/api/v1/drafts/{draft.id}").json()["answers"][group.id]
    assert [item[group.fields[0].id] for item in stored] == ["Vad kostar drift per år?"]


def test_procedure_guidance_follows_the_estimated_value(
    officer: TestClient, session: Session, content: Content
) -> None:
    from sqlmodel import select

    from app.models import Organisation, User

    user = session.exec(select(User)).one()
    organisation = session.exec(select(Organisation)).one()
    draft = make_draft(session, organisation, user, content=content)
    url = f"/drafts/{draft.id}"
    headers = _hx(officer, f"{url}/steps/basics")
    low = officer.post(
        f"{url}/answers/estimated_value", data={"estimated_value": "500 000"}, headers=headers
    )
    panel = BeautifulSoup(low.text, "html.parser").find(id="guidance-estimated_value")
    assert panel is not None and "19 a kap." in panel.get_text()
    high = officer.post(
        f"{url}/answers/estimated_value", data={"estimated_value": "9 000 000"}, headers=headers
    )
    panel = BeautifulSoup(high.text, "html.parser").find(id="guidance-estimated_value")
    assert "tröskelvärde" in panel.get_text() and "inte juridisk rådgivning" in panel.get_text()


def test_task_list_states_move_with_the_answers(
    officer: TestClient, session: Session, content: Content
) -> None:
    from sqlmodel import select

    from app.models import Organisation, User

    user = session.exec(select(User)).one()
    organisation = session.exec(select(Organisation)).one()
    draft = make_draft(session, organisation, user, "Ny upphandling", content=content)
    url = f"/drafts/{draft.id}"

    def states() -> dict[str, str]:
        page = BeautifulSoup(officer.get(url).text, "html.parser")
        return {
            item.select_one("[id^=task-]")["id"]
            .removeprefix("task-")
            .removesuffix("-state"): item.select_one(".tag").get_text(strip=True)
            for item in page.select("li.task")
        }

    before = states()
    assert before["basics"] == "Pågår"  # the title is answered at creation
    assert before["needs"] == "Kan inte påbörjas än"
    headers = _hx(officer, f"{url}/steps/basics")
    basics = content.wizard.step("basics")
    assert basics is not None
    area_ids = [area.id for area in content.library.procurement_areas]
    for question in basics.questions:
        if question.required and question.id != "title" and question.show_if is None:
            value = (
                area_ids[0]
                if question.options_from == "areas"
                else question.options[0].value
                if question.options
                else "1000000"
            )
            officer.post(f"{url}/answers/{question.id}", data={question.id: value}, headers=headers)
    after = states()
    assert after["basics"] == "Klar"
    assert after["needs"] == "Inte påbörjad"
