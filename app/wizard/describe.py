"""Conditions in words, so an officer can read when a template is suggested."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.data.conditions import (
    All,
    Answered,
    Any_,
    Condition,
    Contains,
    Equals,
    GreaterThan,
    In,
    LessThan,
    NeedMentions,
    Not,
)
from app.i18n import gettext_
from app.wizard.schema import Question


def describe_condition(
    condition: Condition,
    questions: Mapping[str, Question],
    value_names: Mapping[str, str],
    locale: str,
) -> str:
    def label(question_id: str) -> str:
        question = questions.get(question_id)
        return question.label.get(locale) if question else question_id

    def value(question_id: str, raw: Any) -> str:
        if raw is True:
            return gettext_("Yes")
        if raw is False:
            return gettext_("No")
        question = questions.get(question_id)
        if question is not None:
            for option in question.options:
                if option.value == raw:
                    return option.label.get(locale)
        return value_names.get(str(raw), str(raw))

    def walk(item: Condition) -> str:
        match item:
            case Equals(equals=spec):
                return gettext_(
                    "“%(question)s” is “%(value)s”",
                    question=label(spec.question),
                    value=value(spec.question, spec.value),
                )
            case In(in_=spec):
                values = ", ".join(value(spec.question, v) for v in spec.values)
                return gettext_(
                    "“%(question)s” is one of: %(values)s",
                    question=label(spec.question),
                    values=values,
                )
            case GreaterThan(gt=spec):
                return gettext_(
                    "“%(question)s” is more than %(value)s",
                    question=label(spec.question),
                    value=f"{spec.value:g}",
                )
            case LessThan(lt=spec):
                return gettext_(
                    "“%(question)s” is less than %(value)s",
                    question=label(spec.question),
                    value=f"{spec.value:g}",
                )
            case Answered(answered=question_id):
                return gettext_("“%(question)s” is answered", question=label(question_id))
            case Contains(contains=spec):
                return gettext_(
                    "“%(question)s” contains “%(text)s”",
                    question=label(spec.question),
                    text=spec.text,
                )
            case NeedMentions(need_mentions=words):
                return gettext_(
                    "a need mentions %(words)s", words=", ".join(f"“{word}”" for word in words)
                )
            case All(all=items):
                return "(" + gettext_(" and ").join(walk(part) for part in items) + ")"
            case Any_(any=items):
                return "(" + gettext_(" or ").join(walk(part) for part in items) + ")"
            case Not(not_=inner):
                return gettext_("not %(condition)s", condition=walk(inner))
        return ""

    text = walk(condition)
    return text[1:-1] if text.startswith("(") and text.endswith(")") else text
