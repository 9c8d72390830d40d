"""The requirement library and the suggestion engine: content, triggers, parameters, traces,
editing, the browser and organisation templates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.config import PROJECT_ROOT
from app.content import Content
from app.data.files import load_model
from app.drafts.answers_file import AnswersFile, document_from_answers_file
from app.library.engine import coerce_parameter, fill_parameters, fill_text, suggest
from app.models import Need, Organisation, Role, User
from tests.cli import run_cli
from tests.conftest import csrf_from, login
from tests.factories import make_draft, make_organisation, make_user

EXAMPLES = sorted((PROJECT_ROOT / "examples").glob("*.yaml"))
# The examples on the innovation path hold the area's ready-made requirements back.
INNOVATION = {PROJECT_ROOT / "examples" / "fallprevention-innovation.yaml"}
READY = [path for path in EXAMPLES if path not in INNOVATION]


def test_library_has_200_templates_in_ten_areas_with_twelve_each(content: Content) -> None:
    stats = json.loads(run_cli("library", "stats", "--format", "json").stdout)
    assert stats["templates"] >= 200
    procurement_areas = [area.id for area in content.library.procurement_areas]
    assert len(procurement_areas) >= 10
    for area in procurement_areas:
        assert stats["areas"][area] >= 12, area
    for cross_cutting in ("accessibility", "security_privacy", "exit", "labour", "environment"):
        assert stats["areas"][cross_cutting] >= 1, cross_cutting
    assert stats["languages"] == {"sv": stats["templates"], "en": stats["templates"]}
    assert stats["with_motive"] == stats["with_verification"] == stats["templates"]


def test_library_list_fills_defaults_and_keeps_placeholders() -> None:
    lines = run_cli("library", "list", "--format", "jsonl").stdout.decode().splitlines()
    records = [json.loads(line) for line in lines]
    with_parameters = [r for r in records if "{" in r["text_raw"]["sv"]]
    assert with_parameters
    for record in records:
        assert "{" not in record["text"]["sv"] and "{" not in record["text"]["en"]
        assert set(record) >= {
            "id",
            "version",
            "area",
            "kind",
            "type",
            "level",
            "obligation",
            "title",
            "text",
            "text_raw",
            "motive",
            "verification",
        }


def test_library_check_names_file_line_and_field(tmp_path: Path) -> None:
    assert run_cli("library", "check").returncode == 0
    import shutil

    library = tmp_path / "lib"
    shutil.copytree(PROJECT_ROOT / "requirement_library", library)
    text = (
        (library / "food.yaml")
        .read_text("utf-8")
        .replace("obligation: ska", "obligation: maybe", 1)
    )
    (library / "food.yaml").write_text(text, "utf-8")
    result = run_cli("library", "check", env={"LIBRARY_DIR": str(library)})
    assert result.returncode != 0
    stderr = result.stderr.decode()
    assert "food.yaml:" in stderr and "obligation" in stderr


def test_every_area_has_an_example_that_fires_its_templates(content: Content) -> None:
    fired_by_area: dict[str, int] = {}
    for example in READY:
        answers_file = load_model(AnswersFile, example)
        document = document_from_answers_file(answers_file, content)
        area = answers_file.answers["area"]
        fired_by_area[area] = sum(
            1 for r in document.requirements if content.library.area_of(r.template_id or "") == area
        )
    for area in content.library.procurement_areas:
        assert fired_by_area.get(area.id, 0) >= 6, area.id


@pytest.mark.parametrize("example", READY, ids=lambda path: path.stem)
def test_examples_get_suggestions_from_their_area_traced_to_needs(
    content: Content, example: Path
) -> None:
    answers_file = load_model(AnswersFile, example)
    document = document_from_answers_file(answers_file, content)
    area = answers_file.answers["area"]
    own_area = [
        r for r in document.requirements if content.library.area_of(r.template_id or "") == area
    ]
    assert len(own_area) >= 6
    # Each suggestion proposes the needs of the kinds it serves, for the officer to confirm.
    traced = [requirement for requirement in own_area if requirement.proposed_needs]
    assert len(traced) >= 0.6 * len(own_area)
    assert all(requirement.number.startswith("K") for requirement in document.requirements)


def test_parameters_are_filled_from_answers_and_range_checked(content: Content) -> None:
    template = next(
        t
        for t in content.library.templates
        if any(p.question and p.type == "integer" and p.max is not None for p in t.parameters)
    )
    parameter = next(p for p in template.parameters if p.question and p.max is not None)
    assert parameter.question is not None
    inside = int(parameter.max or 0)
    values, adjusted = fill_parameters(template, {parameter.question: inside})
    assert values[parameter.name] == inside and adjusted == []
    values, adjusted = fill_parameters(template, {parameter.question: inside + 1000})
    assert values[parameter.name] == parameter.default and adjusted == [parameter.name]
    assert coerce_parameter(parameter, "inte ett tal") is None


def test_suggestions_are_deterministic(content: Content) -> None:
    answers_file = load_model(AnswersFile, EXAMPLES[0])
    document = document_from_answers_file(answers_file, content)
    first = [
        item.template.id for item in suggest(content.library, document.answers, document.needs)
    ]
    again = [
        item.template.id for item in suggest(content.library, document.answers, document.needs)
    ]
    assert first == again


@pytest.fixture()
def draft_url(client: TestClient, session: Session, content: Content) -> str:
    organisation = make_organisation(session, "Demo kommun")
    user = make_user(session, "ulla@demo.se", organisation)
    draft = make_draft(session, organisation, user, content=content, filled=True)
    login(client, "ulla@demo.se")
    return f"/drafts/{draft.id}"


def _requirements(client: TestClient, draft_url: str) -> list[dict[str, object]]:
    draft_id = draft_url.rsplit("/", 1)[-1]
    return client.get(f"/api/v1/drafts/{draft_id}/requirements").json()  # type: ignore[no-any-return]


def test_edit_keeps_the_template_link_and_shows_the_difference(
    client: TestClient, draft_url: str
) -> None:
    first = _requirements(client, draft_url)[0]
    edit_url = f"{draft_url}/requirements/{first['id']}/edit"
    token = csrf_from(client.get(edit_url).text)
    response = client.post(
        edit_url,
        data={
            "csrf_token": token,
            "title": first["title"],
            "text": str(first["text"]) + " Mätt varje månad.",
            "motive": first["motive"],
            "verification": first["verification"],
            "obligation": "bor",
            "weight": "15",
            "needs": "B1",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    edited = next(r for r in _requirements(client, draft_url) if r["id"] == first["id"])
    assert edited["template_id"] == first["template_id"]
    assert edited["edited"] is True and edited["status"] == "accepted"
    assert edited["obligation"] == "bor" and edited["weight"] == 15
    assert edited["needs"] == ["B1"]
    page = BeautifulSoup(client.get(edit_url).text, "html.parser")
    assert "Mätt varje månad." in page.select_one(".diff ins").get_text()


def test_unlinking_a_need_flags_it_as_orphan(client: TestClient, draft_url: str) -> None:
    token = csrf_from(client.get(f"{draft_url}/requirements").text)
    for requirement in _requirements(client, draft_url):
        if requirement["needs"]:
            client.post(
                f"{draft_url}/requirements/{requirement['id']}/edit",
                data={
                    "csrf_token": token,
                    "title": requirement["title"],
                    "text": requirement["text"],
                    "motive": requirement["motive"],
                    "verification": requirement["verification"],
                    "obligation": requirement["obligation"],
                },
            )
    page = BeautifulSoup(client.get(f"{draft_url}/requirements").text, "html.parser")
    assert "B1" in page.select_one(".warning-panel").get_text()
    export = client.get(f"{draft_url}/export").text
    assert "Behov B1 har inget krav som tillgodoser det" in export


def test_officer_writes_an_own_requirement(client: TestClient, draft_url: str) -> None:
    new_url = f"{draft_url}/requirements/new"
    token = csrf_from(client.get(new_url).text)
    missing = client.post(new_url, data={"csrf_token": token, "title": "", "text": ""})
    assert missing.status_code == 400
    page = BeautifulSoup(missing.text, "html.parser")
    assert page.find(id="title-error") and page.select_one(".error-summary a")["href"] == "#title"
    created = client.post(
        new_url,
        data={
            "csrf_token": token,
            "title": "Svarstid i telefon",
            "text": "Samtal ska besvaras inom 60 sekunder.",
            "motive": "Sökande ringer med frågor.",
            "verification": "Månadsrapport.",
            "obligation": "ska",
            "kind": "service_level",
            "type": "sarskilt_kontraktsvillkor",
            "level": "bas",
            "needs": "B1",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    own = [r for r in _requirements(client, draft_url) if r["template_id"] is None]
    assert own and own[0]["origin"] == "officer" and own[0]["number"].startswith("K4.")


def test_template_update_is_offered_when_the_library_version_grows(
    client: TestClient, draft_url: str, session: Session, content: Content
) -> None:
    from app.models import DraftRequirement

    first = _requirements(client, draft_url)[0]
    row = session.get(DraftRequirement, first["id"])
    assert row is not None
    row.template_version = 0  # as if the draft took an older version of the template
    row.edited = True
    row.text = "En äldre lydelse."
    session.add(row)
    session.commit()
    page = BeautifulSoup(client.get(f"{draft_url}/requirements").text, "html.parser")
    card = page.find(id=f"requirement-{first['id']}")
    assert card.select_one(".warning-panel ins") is not None
    token = csrf_from(str(page))
    client.post(f"{draft_url}/requirements/{first['id']}/update", data={"csrf_token": token})
    updated = next(r for r in _requirements(client, draft_url) if r["id"] == first["id"])
    assert updated["update_available"] is False and updated["text"] == first["text"]


def test_library_browser_searches_both_languages_and_filters(
    client: TestClient, draft_url: str
) -> None:
    swedish = BeautifulSoup(client.get("/library?q=mobiltelefon").text, "html.parser")
    english = BeautifulSoup(client.get("/library?q=mobile phone").text, "html.parser")
    assert swedish.select(".template-list a") and english.select(".template-list a")
    filtered = BeautifulSoup(client.get("/library?area=food&level=spjutspets").text, "html.parser")
    ids = [a.get_text().split()[0] for a in filtered.select(".template-list a")]
    assert ids and all(identifier.startswith("MAT-") for identifier in ids)
    template_id = ids[0]
    page = client.get(f"/library/{template_id}")
    assert page.status_code == 200 and template_id in page.text
    token = csrf_from(page.text)
    draft_id = draft_url.rsplit("/", 1)[-1]
    added = client.post(
        f"/library/{template_id}/add",
        data={"csrf_token": token, "draft_choice": draft_id},
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert any(
        r["template_id"] == template_id and r["status"] == "accepted"
        for r in _requirements(client, draft_url)
    )


OWN_TEMPLATE = {
    "id": "EGEN-001",
    "area": "it",
    "kind": "service_level",
    "type": "sarskilt_kontraktsvillkor",
    "level": "bas",
    "obligation": "ska",
    "title_sv": "Svar på felanmälan",
    "title_en": "Answer to fault reports",
    "text_sv": "Leverantören ska svara på en felanmälan inom 4 timmar.",
    "text_en": "The supplier shall answer a fault report within 4 hours.",
    "motive_sv": "Verksamheten står still vid fel.",
    "motive_en": "Work stops when faults occur.",
    "verification_sv": "Månadsrapport.",
    "verification_en": "Monthly report.",
    "need_keywords": "ansök, apply",
}


def test_organisation_templates_are_suggested_and_invisible_to_others(
    client: TestClient, draft_url: str, session: Session
) -> None:
    organisation = session.exec(
        select(Organisation).where(Organisation.name == "Demo kommun")
    ).one()
    url = f"/organisations/{organisation.id}/templates"
    token = csrf_from(client.get(url).text)
    created = client.post(url, data={"csrf_token": token, **OWN_TEMPLATE}, follow_redirects=False)
    assert created.status_code == 303
    client.post(f"{draft_url}/requirements/refresh", data={"csrf_token": token})
    own = [r for r in _requirements(client, draft_url) if r["template_id"] == "EGEN-001"]
    # An own template made with need words (no kinds) proposes the needs that use them.
    assert own and own[0]["origin"] == "organisation" and own[0]["proposed_needs"] == ["B1"]
    # Another organisation sees neither the template nor the page.
    other = make_organisation(session, "Annan kommun")
    make_user(session, "annan@annan.se", other)
    client.cookies.clear()
    login(client, "annan@annan.se")
    assert client.get("/library/EGEN-001").status_code == 404
    assert "EGEN-001" not in client.get("/library?q=felanmälan").text
    assert client.get(url).status_code == 404


def test_an_organisation_template_follows_the_kinds_of_need_not_their_words(
    client: TestClient, draft_url: str, session: Session
) -> None:
    """Made with the kinds of need it serves: suggested in the area's drafts and linked to the
    needs of those kinds, whatever their words; rewording a need changes nothing."""
    organisation = session.exec(
        select(Organisation).where(Organisation.name == "Demo kommun")
    ).one()
    draft_id = int(draft_url.rsplit("/", 1)[-1])
    need = session.exec(select(Need).where(Need.draft_id == draft_id)).first()
    assert need is not None and need.kinds
    url = f"/organisations/{organisation.id}/templates"
    page = client.get(url)
    assert "Behovstyper som mallen tjänar" in page.text
    form = {**OWN_TEMPLATE, "need_keywords": "", "serves": need.kinds[:1]}
    token = csrf_from(page.text)
    created = client.post(url, data={"csrf_token": token, **form}, follow_redirects=False)
    assert created.status_code == 303, created.text[:300]

    def own() -> list[dict[str, object]]:
        client.post(f"{draft_url}/requirements/refresh", data={"csrf_token": token})
        return [r for r in _requirements(client, draft_url) if r["template_id"] == "EGEN-001"]

    assert [row["proposed_needs"] for row in own()] == [[need.key]]
    need.what = "Helt andra ord om samma behov."
    session.add(need)
    session.commit()
    assert [row["proposed_needs"] for row in own()] == [[need.key]]


def test_only_owners_change_organisation_templates(client: TestClient, session: Session) -> None:
    organisation = make_organisation(session, "Demo kommun")
    make_user(session, "redaktor@demo.se", organisation, Role.editor)
    login(client, "redaktor@demo.se")
    url = f"/organisations/{organisation.id}/templates"
    token = csrf_from(client.get(url).text)
    assert client.post(url, data={"csrf_token": token, **OWN_TEMPLATE}).status_code == 403


def test_organisation_templates_import_with_errors_named(
    client: TestClient, session: Session
) -> None:
    organisation = make_organisation(session, "Demo kommun")
    make_user(session, "ulla@demo.se", organisation)
    login(client, "ulla@demo.se")
    url = f"/organisations/{organisation.id}/templates"
    token = csrf_from(client.get(url).text)
    bad = "area: it\nprefix: EGEN\ntemplates:\n  - id: EGEN-001\n    kind: nonsense\n"
    response = client.post(
        f"{url}/import",
        data={"csrf_token": token},
        files={"templates_file": ("egna.yaml", bad.encode(), "application/yaml")},
    )
    assert response.status_code == 400
    assert (
        "egna.yaml:"
        in BeautifulSoup(response.text, "html.parser").find(id="templates_file-error").get_text()
    )
    user = session.exec(select(User)).first()
    assert user is not None


def test_every_template_text_passes_the_checker(content: Content) -> None:
    from app.library.stats import template_record
    from app.quality import check_text

    findings = {}
    for template in content.library.templates:
        record = template_record(content.library, template)
        for locale in ("sv", "en"):
            found = check_text(record["text"][locale], locale)
            if found:
                findings[f"{template.id}/{locale}"] = [f.rule for f in found]
    assert findings == {}


def _broken_copy(tmp_path: Path, folder: str, name: str, old: str, new: str) -> Path:
    import shutil

    target = tmp_path / folder
    shutil.copytree(PROJECT_ROOT / folder, target)
    text = (target / name).read_text("utf-8")
    assert old in text
    (target / name).write_text(text.replace(old, new, 1), "utf-8")
    return target


def test_library_check_fails_on_an_area_question_that_feeds_nothing(tmp_path: Path) -> None:
    steps = _broken_copy(
        tmp_path,
        "wizard_steps",
        "05-area.yaml",
        "    feeds: document\n",
        "",
    )
    result = run_cli("library", "check", env={"WIZARD_STEPS_DIR": str(steps)})
    assert result.returncode != 0
    stderr = result.stderr.decode()
    assert "05-area.yaml:" in stderr and "feeds" in stderr and "no template reads" in stderr


def test_library_check_refuses_need_words_as_a_trigger(tmp_path: Path) -> None:
    library = _broken_copy(
        tmp_path,
        "requirement_library",
        "welfare_tech.yaml",
        "      equals: {question: area, value: welfare_tech}\n",
        "      need_mentions: [larm]\n",
    )
    result = run_cli("library", "check", env={"LIBRARY_DIR": str(library)})
    assert result.returncode != 0
    assert "need_mentions cannot trigger" in result.stderr.decode()


def test_library_stats_print_themes_covered_per_area() -> None:
    text = run_cli("library", "stats").stdout.decode()
    assert "themes covered per area:" in text and "welfare_tech: 12/12" in text
    figures = json.loads(run_cli("library", "stats", "--format", "json").stdout)
    assert all(area["covered"] == area["themes"] > 0 for area in figures["themes"].values())


def test_library_coverage_reports_suggestions_share_and_themes_per_example() -> None:
    lines = run_cli("library", "coverage", "--format", "json", *map(str, EXAMPLES)).stdout
    records = [json.loads(line) for line in lines.decode().splitlines()]
    assert len(records) == len(EXAMPLES)
    for record in records:
        assert record["suggestions"] > 0 and record["themes_covered"]
        if Path(record["file"]) in INNOVATION:
            assert record["held_back"] > 0 and record["cross_cutting_share"] == 1
        else:
            assert record["held_back"] == 0 and record["cross_cutting_share"] < 0.7


def test_every_template_states_one_requirement(content: Content) -> None:
    """A supplier answers each requirement yes or no: one demand (one ska/shall or bör/should);
    further sentences say how it is measured or verified."""
    import re

    modal = {"sv": re.compile(r"\b(ska|bör)\b"), "en": re.compile(r"\b(shall|should)\b")}
    several = {
        f"{template.id}/{locale}": len(modal[locale].findall(template.text.get(locale)))
        for template in content.library.templates
        for locale in ("sv", "en")
        if len(modal[locale].findall(template.text.get(locale))) != 1
    }
    assert several == {}


def test_a_full_share_reads_without_at_least(content: Content) -> None:
    template = content.library.by_id["FORD-002"]
    assert fill_text(template, {"andel": 100, "antal": 12}, "sv").startswith("100 procent av de 12")
    assert fill_text(template, {"andel": 60, "antal": 12}, "en").startswith("At least 60 per cent")
