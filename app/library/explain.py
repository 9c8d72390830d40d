"""Why a requirement was suggested and where its values come from, in words an officer reads:
"Because you answered Tjänst to “What is being procured?”", "99,7 procent, from your answer
to “...”", "20 sekunder, a default no answer set: check it"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from app.data.numbers import format_number
from app.i18n import gettext_
from app.library.engine import INNOVATION_PATH, coerce_parameter
from app.library.schema import Parameter, Template
from app.wizard.answers import display_value
from app.wizard.schema import NUMBER_TYPES, Question

Source = Literal["answer", "default", "changed", "out_of_range"]


@dataclass(frozen=True)
class ParameterNote:
    """A value of a requirement and where it comes from."""

    label: str
    value: str
    source: Source
    question: str = ""
    answer: str = ""

    @property
    def name(self) -> str:
        """The value's name inside a sentence ("från ditt svar på tillgänglighet")."""
        label = self.label
        if len(label) > 1 and label[0].isupper() and label[1].islower():
            return label[0].lower() + label[1:]
        return label


def answer_text(
    question: Question | None,
    value: Any,
    locale: str,
    language: str,
    area_names: Mapping[str, str],
) -> str:
    """An answer as the officer reads it: option labels, Ja/Nej, numbers in the draft's
    language with their unit."""
    if question is None:
        if isinstance(value, bool):
            return gettext_("Yes") if value else gettext_("No")
        return str(value)
    if question.type in NUMBER_TYPES and not isinstance(value, bool):
        number = format_number(value, language)
        if question.type == "money":
            return gettext_("%(amount)s SEK", amount=number)
        return f"{number} {question.unit.get(locale)}" if question.unit else number
    return display_value(question, value, locale, area_names)


def reason_text(
    reason: Mapping[str, Any],
    questions: Mapping[str, Question],
    locale: str,
    language: str,
    area_names: Mapping[str, str],
) -> str:
    """One fact that made the suggestion hold, as a sentence."""
    if reason.get("added_by_hand"):
        return gettext_("Added from the library by hand.")
    if reason.get("copied"):
        return gettext_("Taken from an earlier procurement.")
    if reason.get("need_word"):
        return gettext_("A need mentions “%(word)s”.", word=reason["need_word"])
    question_id = str(reason.get("question", ""))
    if question_id == INNOVATION_PATH:
        return gettext_(
            "Because the draft follows the innovation path: the need statement comes first."
        )
    question = questions.get(question_id)
    if question is None:
        return ""
    value = reason.get("value")
    if question.show_if is None and value in (None, "", []):
        return ""
    return gettext_(
        "Because you answered %(answer)s to “%(question)s”.",
        answer=answer_text(question, value, locale, language, area_names),
        question=question.label.get(locale),
    )


def parameter_notes(
    template: Template,
    parameters: Mapping[str, Any],
    answers: Mapping[str, Any],
    questions: Mapping[str, Question],
    locale: str,
    language: str,
) -> list[ParameterNote]:
    """Each value of the requirement: from an answer, a default no answer set, or a value
    that no longer matches the answer (or that the answer could not give)."""
    notes = []
    for parameter in template.parameters:
        value = parameters.get(parameter.name, parameter.default)
        question = questions.get(parameter.question or "")
        answered = question is not None and answers.get(question.id) not in (None, "", [])
        source: Source = "default"
        answer = ""
        if question is not None and answered:
            raw = answers[question.id]
            answer = answer_text(question, raw, locale, language, {})
            fitting = coerce_parameter(parameter, raw)
            if fitting is None:
                source = "out_of_range"
            elif fitting == value:
                source = "answer"
            else:
                source = "changed"
        notes.append(
            ParameterNote(
                label=parameter.label.get(locale) if parameter.label else parameter.name,
                value=_value_text(parameter, value, language),
                source=source,
                question=question.label.get(locale) if question is not None else "",
                answer=answer,
            )
        )
    return notes


def _value_text(parameter: Parameter, value: Any, language: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return parameter.wording(value, language)
    number = format_number(value, language)
    if parameter.unit is None:
        return number
    unit = parameter.unit_one if value == 1 and parameter.unit_one else parameter.unit
    return f"{number} {unit.get(language)}"
