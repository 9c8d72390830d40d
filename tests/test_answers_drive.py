"""The answers drive the draft: every figure reaches the requirements, suggestions follow
structured answers and not the words of the needs, links are proposed from kinds, the award
model and the innovation path decide what is suggested, and texts read well."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import PROJECT_ROOT
from app.content import Content, area_questions
from app.data.files import load_model
from app.data.numbers import format_number
from app.document import NeedData
from app.drafts.answers_file import AnswersFile, checked_answers
from app.i18n import use_locale
from app.library.engine import (
    coerce_parameter,
    fill_text,
    held_back,
    on_innovation_path,
    suggest,
)
from app.library.explain import reason_text
from app.wizard.answers import is_visible
from app.wizard.stats import wizard_statistics

ANSWERS = sorted((PROJECT_ROOT / "tests" / "answers").glob("*.yaml"))
EXAMPLES = sorted((PROJECT_ROOT / "examples").glob("*.yaml"))


def _load(path: Path, content: Content) -> AnswersFile:
    return checked_answers(load_model(AnswersFile, path), content)


def _suggestions(answers_file: AnswersFile, content: Content) -> list:  # type: ignore[type-arg]
    needs, goals = answers_file.needs_and_goals()
    return suggest(content.library, answers_file.answers, needs, goals)


def test_there_is_a_test_answers_file_for_every_area(content: Content) -> None:
    areas = {path.stem for path in ANSWERS}
    assert areas == {area.id for area in content.library.procurement_areas}


@pytest.mark.parametrize("path", ANSWERS, ids=lambda path: path.stem)
def test_every_figure_answered_reaches_a_requirement_text(path: Path, content: Content) -> None:
    answers_file = _load(path, content)
    answers = answers_file.answers
    suggestions = _suggestions(answers_file, content)
    questions = content.wizard.questions
    reached: dict[str, list[str]] = {}
    for suggestion in suggestions:
        text = suggestion.text("sv")
        for parameter in suggestion.template.parameters:
            question_id = parameter.question
            if question_id is None or answers.get(question_id) in (None, "", []):
                continue
            expected = coerce_parameter(parameter, answers[question_id])
            assert expected is not None, (suggestion.template.id, parameter.name)
            # The answer, not the default, is in the requirement as the officer wrote it.
            assert suggestion.parameters[parameter.name] == expected
            if question_id.startswith(f"{answers['area']}_"):
                # The file's answers to the area questions differ from every default.
                assert expected != parameter.default, (path.name, question_id, parameter.name)
            shown = (
                format_number(expected, "sv")
                if isinstance(expected, int | float)
                else parameter.wording(expected, "sv")
            )
            assert shown in text, (suggestion.template.id, shown, text)
            reached.setdefault(question_id, []).append(suggestion.template.id)
    fed = {
        parameter.question
        for template in content.library.templates
        for parameter in template.parameters
        if parameter.question
    }
    area = answers["area"]
    asked = [
        question
        for question in area_questions(content.wizard)
        if question.id in fed
        and question.id in answers
        and is_visible(question, answers)
        and str(area) in (question.show_if.model_dump_json() if question.show_if else "")
    ]
    assert asked, "the file answers no area question that feeds a parameter"
    missing = [question.id for question in asked if question.id not in reached]
    assert missing == [], f"answered but in no suggested text: {missing}"
    assert questions  # the wizard is loaded


def test_rewording_a_need_changes_no_suggestion(content: Content) -> None:
    answers_file = _load(PROJECT_ROOT / "examples" / "bygglov-e-tjanst.yaml", content)
    needs, goals = answers_file.needs_and_goals()
    before = suggest(content.library, answers_file.answers, needs, goals)
    reworded = [
        need.model_copy(update={"what": "Se status för ansökan", "why": "larm automat"})
        for need in needs
    ]
    after = suggest(content.library, answers_file.answers, reworded, goals)
    assert [(item.template.id, item.need_keys, item.goal_keys) for item in before] == [
        (item.template.id, item.need_keys, item.goal_keys) for item in after
    ]


def test_a_need_is_proposed_for_the_requirements_of_its_kind(content: Content) -> None:
    answers_file = _load(PROJECT_ROOT / "examples" / "trygghetslarm.yaml", content)
    needs = [NeedData(key="B1", who="Brukare", what="Larm", why="", kinds=["data_protection"])]
    suggestions = suggest(content.library, answers_file.answers, needs)
    proposed = {item.template.id for item in suggestions if item.need_keys == ["B1"]}
    assert proposed and all(
        "data_protection" in content.library.by_id[template_id].serves for template_id in proposed
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_every_example_links_its_effect_goals(path: Path, content: Content) -> None:
    answers_file = _load(path, content)
    suggestions = _suggestions(answers_file, content)
    linked = {key for item in suggestions for key in item.goal_keys}
    assert linked, "no suggestion reaches or reports an effect goal"


def test_a_lowest_price_draft_gets_no_award_template(content: Content) -> None:
    answers_file = _load(PROJECT_ROOT / "examples" / "bygglov-e-tjanst.yaml", content)
    scored = _suggestions(answers_file, content)
    assert any(item.template.is_award for item in scored)
    cheapest = answers_file.model_copy(
        update={"answers": {**answers_file.answers, "award_model": "lowest_price"}}
    )
    assert not [
        item.template.id for item in _suggestions(cheapest, content) if item.template.is_award
    ]


def test_the_innovation_example_gets_the_need_statement_path(content: Content) -> None:
    answers_file = _load(PROJECT_ROOT / "examples" / "fallprevention-innovation.yaml", content)
    library = content.library
    assert on_innovation_path(library, answers_file.answers)
    suggestions = _suggestions(answers_file, content)
    ids = {item.template.id for item in suggestions}
    assert {"INNO-001", "INNO-002", "INNO-004", "INNO-005", "INNO-007"} <= ids
    area = answers_file.answers["area"]
    assert not [template_id for template_id in ids if library.area_of(template_id) == area]
    product = [
        item.template.id
        for item in suggestions
        if item.template.type == "teknisk_specifikation"
        and item.template.obligation == "ska"
        and library.area_of(item.template.id) != "innovation"
        and item.template.kind != "privacy"
    ]
    assert product == []
    needs, _goals = answers_file.needs_and_goals()
    assert held_back(library, answers_file.answers, needs), "nothing waits for the dialogue"


@pytest.mark.parametrize(
    ("value", "sv", "en"),
    [(1, "inom 1 timme", "within 1 hour"), (2, "inom 2 timmar", "within 2 hours")],
)
def test_a_unit_after_a_number_agrees_with_it(
    content: Content, value: int, sv: str, en: str
) -> None:
    template = content.library.by_id["VT-020"]
    template = template.model_copy(
        update={"parameters": [template.parameters[0].model_copy(update={"min": 1})]}
    )
    assert sv in fill_text(template, {"timmar": value}, "sv")
    assert en in fill_text(template, {"timmar": value}, "en")


def test_reasons_read_as_the_officer_answered(content: Content) -> None:
    questions = content.wizard.questions
    with use_locale("sv"):
        service = reason_text(
            {"question": "object_type", "value": "tjanst"}, questions, "sv", "sv", {}
        )
        yes = reason_text({"question": "personal_data", "value": True}, questions, "sv", "sv", {})
        money = reason_text(
            {"question": "estimated_value", "value": 2400000}, questions, "sv", "sv", {}
        )
    assert service == "Eftersom du svarade Tjänst på ”Vad ska upphandlas?”."
    assert "svarade Ja på" in yes and "True" not in yes
    assert "2\xa0400\xa0000 kr" in money


def test_wizard_stats_count_feeding_and_background_area_questions(content: Content) -> None:
    stats = wizard_statistics(content.wizard, content.library)
    assert stats["area_questions"] == len(area_questions(content.wizard))
    assert stats["feeding"] + stats["background"] == stats["area_questions"]  # type: ignore[operator]


def test_every_theme_is_covered_by_a_template_in_its_area_or_the_sets(content: Content) -> None:
    library = content.library
    for area in library.procurement_areas:
        assert len(area.themes) >= 8, area.id
        for theme in area.themes:
            assert theme.templates
            for template_id in theme.templates:
                owner = library.area_of(template_id)
                assert owner == area.id or library.area(owner).cross_cutting, template_id


def test_need_words_only_hint_that_a_template_may_also_fit(content: Content) -> None:
    from app.library.engine import hints

    answers_file = _load(PROJECT_ROOT / "examples" / "bygglov-e-tjanst.yaml", content)
    needs, goals = answers_file.needs_and_goals()
    worded = [
        needs[0].model_copy(update={"what": "Ärendet omfattas av säkerhetsskydd och sekretess"}),
        *needs[1:],
    ]
    suggested = {
        item.template.id for item in suggest(content.library, answers_file.answers, worded)
    }
    assert "SEC-012" not in suggested
    found = hints(content.library, answers_file.answers, worded, goals, suggested, limit=50)
    assert "SEC-012" in [hint.template.id for hint in found]
    assert all(hint.template.id not in suggested for hint in found)
