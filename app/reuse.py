"""Start from an earlier procurement: answers files in and out, and copies of drafts."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError

from app.answers_file import AnswersFile, EffectGoalEntry, NeedEntry
from app.content import Content
from app.datafiles import DataFileError, parse_yaml_text, validate_data
from app.document import TenderDraft
from app.i18n import gettext_
from app.wizard.answers import parse_answer

ROW_ID = "_id"


class AnswersFileError(ValueError):
    """An answers file that cannot be imported; the messages say where and why."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("; ".join(messages))


def read_answers_file(text: str, name: str, content: Content) -> AnswersFile:
    """Parse and check an answers file against the wizard; values are normalised as the
    wizard stores them (numbers as numbers, CPV codes as a list, yes/no as booleans)."""
    try:
        data, node = parse_yaml_text(text, name)
        answers_file = validate_data(AnswersFile, data, node, name)
    except DataFileError as error:
        raise AnswersFileError([str(error)]) from error
    return checked_answers(answers_file, content)


def checked_answers(answers_file: AnswersFile, content: Content) -> AnswersFile:
    area_ids = [area.id for area in content.library.procurement_areas]
    need_keys = [entry.key or f"B{index}" for index, entry in enumerate(answers_file.needs, 1)]
    errors: list[str] = []
    normalised: dict[str, Any] = {}
    for question_id, value in answers_file.answers.items():
        question = content.wizard.questions.get(question_id)
        if question is None:
            errors.append(gettext_("Unknown question “%(id)s”.", id=question_id))
            continue
        if question.is_group:
            if question.store != "list" or not isinstance(value, list):
                errors.append(gettext_("“%(id)s” must be a list of rows.", id=question_id))
                continue
            rows = []
            for index, item in enumerate(value, start=1):
                if not isinstance(item, dict):
                    errors.append(
                        gettext_(
                            "“%(id)s” row %(row)s is not a mapping.", id=question_id, row=index
                        )
                    )
                    continue
                row: dict[str, Any] = {}
                for field in question.fields:
                    parsed = parse_answer(field, item.get(field.id), area_ids, need_keys)
                    if parsed.error:
                        errors.append(f"{question_id}[{index}].{field.id}: {parsed.error}")
                    elif parsed.value is not None:
                        row[field.id] = parsed.value
                rows.append(row)
            normalised[question_id] = rows
            continue
        parsed = parse_answer(question, value, area_ids, need_keys)
        if parsed.error:
            errors.append(f"{question_id}: {parsed.error}")
        elif parsed.value is not None:
            normalised[question_id] = parsed.value
    for goal in answers_file.effect_goals:
        unknown = [key for key in goal.needs if key not in need_keys]
        if unknown:
            errors.append(
                gettext_(
                    "Effect goal “%(goal)s” refers to unknown needs: %(keys)s",
                    goal=goal.goal,
                    keys=", ".join(unknown),
                )
            )
    if errors:
        raise AnswersFileError(errors)
    return answers_file.model_copy(update={"answers": normalised})


def answers_file_of(document: TenderDraft, content: Content) -> AnswersFile:
    """A draft's answers in the answers-file format (the format of examples/ and `render`)."""
    answers: dict[str, Any] = {}
    for question_id, value in document.answers.items():
        question = content.wizard.questions.get(question_id)
        if question is None or question_id == "title":
            continue
        if question.store == "list" and isinstance(value, list):
            value = [
                {key: item_value for key, item_value in item.items() if key != ROW_ID}
                for item in value
                if isinstance(item, dict)
            ]
        answers[question_id] = value
    try:
        return AnswersFile(
            title=document.title,
            organisation=document.organisation,
            language=document.language,
            answers=answers,
            needs=[
                NeedEntry(key=need.key, who=need.who or "-", what=need.what or "-", why=need.why)
                for need in document.needs
            ],
            effect_goals=[
                EffectGoalEntry(
                    key=goal.key,
                    goal=goal.goal or "-",
                    indicator=goal.indicator,
                    baseline=goal.baseline,
                    target=goal.target,
                    needs=goal.needs,
                )
                for goal in document.effect_goals
            ],
        )
    except ValidationError as error:  # keys made by hand outside the allowed pattern
        raise AnswersFileError([str(error)]) from error


def dump_answers_yaml(answers_file: AnswersFile) -> str:
    data = answers_file.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
