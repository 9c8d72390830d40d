"""Parse and validate answers against the wizard's questions; decide visibility and progress."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from app.data import limits
from app.data.conditions import Context, evaluate
from app.data.numbers import format_number, parse_number
from app.i18n import get_locale, gettext_
from app.wizard.schema import CHOICE_TYPES, NUMBER_TYPES, Question, Step

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CPV = re.compile(r"^\d{8}-\d$")

# The most values a list answer (checkboxes, CPV codes) may hold.
MAX_ITEMS = 100

StepState = Literal["not_started", "in_progress", "completed", "cannot_start"]


@dataclass
class Parsed:
    value: Any
    error: str | None = None


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def is_visible(
    question: Question, answers: Mapping[str, Any], need_texts: Sequence[str] = ()
) -> bool:
    if question.show_if is None:
        return True
    return evaluate(question.show_if, Context(answers, need_texts))


def _label(question: Question) -> str:
    return question.label.get(get_locale())


def choice_values(
    question: Question, area_ids: Sequence[str], need_keys: Sequence[str] = ()
) -> list[str]:
    if question.options_from == "areas":
        return list(area_ids)
    if question.options_from == "needs":
        return list(need_keys)
    return [option.value for option in question.options]


def parse_answer(
    question: Question, raw: Any, area_ids: Sequence[str] = (), need_keys: Sequence[str] = ()
) -> Parsed:
    """Turn what the user sent (form text or JSON) into the stored value, or an error message
    in the user's language. Blank answers are valid here; `required` is checked by progress."""
    label = _label(question)
    if isinstance(raw, list) and len(raw) > MAX_ITEMS:
        return Parsed(
            raw[:MAX_ITEMS],
            gettext_(
                "“%(label)s” can have at most %(limit)s values.", label=label, limit=MAX_ITEMS
            ),
        )
    if question.type == "checkboxes":
        items = raw if isinstance(raw, list) else ([] if is_blank(raw) else [raw])
        items = list(dict.fromkeys(str(item) for item in items if not is_blank(item)))
        allowed = choice_values(question, area_ids, need_keys)
        if any(item not in allowed for item in items):
            return Parsed(items, gettext_("Choose among the options for “%(label)s”.", label=label))
        return Parsed(items)
    if is_blank(raw):
        return Parsed(None)
    if question.type in ("text", "textarea", "email"):
        text = str(raw).strip()
        limit = question.max_length or (limits.TEXT if question.type == "textarea" else limits.LINE)
        if len(text) > limit:
            return Parsed(
                text,
                gettext_(
                    "“%(label)s” can be at most %(limit)s characters.", label=label, limit=limit
                ),
            )
        if question.type == "email" and not EMAIL.match(text):
            return Parsed(
                text,
                gettext_("Enter an email address in the right format, like namn@kommun.se."),
            )
        return Parsed(text)
    if question.type in NUMBER_TYPES:
        number = parse_number(raw)
        if number is None or not number.is_finite():
            return Parsed(raw, gettext_("“%(label)s” must be a number.", label=label))
        if question.type == "integer" and number != number.to_integral_value():
            return Parsed(raw, gettext_("“%(label)s” must be a whole number.", label=label))
        if question.min is not None and number < Decimal(str(question.min)):
            return Parsed(
                raw,
                gettext_(
                    "“%(label)s” must be %(min)s or more.", label=label, min=_plain(question.min)
                ),
            )
        if question.max is not None and number > Decimal(str(question.max)):
            return Parsed(
                raw,
                gettext_(
                    "“%(label)s” must be %(max)s or less.", label=label, max=_plain(question.max)
                ),
            )
        value: int | float = int(number) if number == number.to_integral_value() else float(number)
        return Parsed(value)
    if question.type in CHOICE_TYPES:
        text = str(raw)
        if text not in choice_values(question, area_ids, need_keys):
            return Parsed(text, gettext_("Choose an option for “%(label)s”.", label=label))
        return Parsed(text)
    if question.type == "yes_no":
        if isinstance(raw, bool):
            return Parsed(raw)
        text = str(raw).strip().lower()
        if text in ("yes", "ja", "true", "1"):
            return Parsed(True)
        if text in ("no", "nej", "false", "0"):
            return Parsed(False)
        return Parsed(raw, gettext_("Choose yes or no for “%(label)s”.", label=label))
    if question.type == "date":
        try:
            return Parsed(date.fromisoformat(str(raw).strip()).isoformat())
        except ValueError:
            return Parsed(
                raw, gettext_("Enter “%(label)s” as a date, like 2027-03-31.", label=label)
            )
    if question.type == "cpv":
        if not isinstance(raw, list) and len(str(raw)) > limits.LINE:
            return Parsed(
                str(raw),
                gettext_(
                    "“%(label)s” can be at most %(limit)s characters.",
                    label=label,
                    limit=limits.LINE,
                ),
            )
        items = raw if isinstance(raw, list) else re.split(r"[,;\s]+", str(raw))
        codes = [str(item).strip() for item in items if str(item).strip()]
        wrong = [code for code in codes if not CPV.match(code)]
        if wrong:
            return Parsed(
                ", ".join(codes),
                gettext_(
                    "CPV codes are written as eight digits, a hyphen and a check digit, like "
                    "72212000-4. Check: %(codes)s",
                    codes=", ".join(wrong),
                ),
            )
        return Parsed(codes)
    return Parsed(raw)


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def missing_message(question: Question) -> str:
    if question.type in CHOICE_TYPES or question.type == "yes_no":
        return gettext_("Choose an answer for “%(label)s”.", label=_label(question))
    return gettext_("Answer “%(label)s”.", label=_label(question))


def display_value(
    question: Question, value: Any, locale: str, area_names: Mapping[str, str]
) -> str:
    """An answer as the user reads it: option labels, yes/no, lists joined."""
    if value is None or value == "" or value == []:
        return ""
    if question.type == "yes_no":
        return gettext_("Yes") if value else gettext_("No")
    if question.options_from == "areas":
        if isinstance(value, list):
            return ", ".join(area_names.get(item, item) for item in value)
        return area_names.get(str(value), str(value))
    if question.type in CHOICE_TYPES:
        labels = {option.value: option.label.get(locale) for option in question.options}
        if isinstance(value, list):
            return ", ".join(labels.get(item) or str(item) for item in value)
        return labels.get(str(value), str(value))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if question.type in NUMBER_TYPES:
        return format_number(value, locale)
    return str(value)


def step_state(
    step: Step,
    answers: Mapping[str, Any],
    group_rows: Mapping[str, Sequence[Mapping[str, Any]]],
    completed_steps: set[str],
) -> StepState:
    """Progress of a step for the task list."""
    if any(required not in completed_steps for required in step.requires):
        return "cannot_start"
    touched = False
    complete = True
    for question in step.questions:
        if not is_visible(question, answers):
            continue
        if question.is_group:
            rows = group_rows.get(question.id, [])
            if rows:
                touched = True
            filled = [row for row in rows if not _row_missing(question, row)]
            if len(filled) < max(question.min_items, 1 if question.required else 0):
                complete = False
            if any(_row_missing(question, row) for row in rows):
                complete = False
            continue
        value = answers.get(question.id)
        if not is_blank(value):
            touched = True
        elif question.required:
            complete = False
    if not touched:
        return "not_started"
    return "completed" if complete else "in_progress"


def _row_missing(group: Question, row: Mapping[str, Any]) -> bool:
    return any(field.required and is_blank(row.get(field.id)) for field in group.fields)
