"""Answers as a reader of the printed document sees them: option labels, area names, numbers in
the document's locale, dates written out."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from babel.dates import format_date

from app.data.numbers import format_number, parse_number
from app.document import RequirementData, TenderDraft
from app.i18n import _
from app.library.schema import PLACEHOLDER

if TYPE_CHECKING:
    from app.content import Content
    from app.wizard.schema import Question

_NUMBER_TYPES = ("integer", "number", "money")


class Answers:
    """The draft's answers by question id, as text (`text`), number (`number`) or date (`day`,
    `date_text`); `content` (wizard, library) names options and areas. Without content
    answers are shown as stored, so a draft whose questions have left the wizard prints."""

    def __init__(self, draft: TenderDraft, content: Content | None, locale: str) -> None:
        self.draft = draft
        self.content = content
        self.locale = locale
        self._questions = content.wizard.questions if content is not None else {}

    def raw(self, question_id: str) -> Any:
        return self.draft.answers.get(question_id)

    def given(self, *question_ids: str) -> bool:
        """Whether any of these questions has an answer."""
        return any(self.text(question_id) for question_id in question_ids)

    def __call__(self, question_id: str) -> str:
        return self.text(question_id)

    def text(self, question_id: str) -> str:
        return self._text(self.raw(question_id), question_id, self._questions.get(question_id))

    def number(self, question_id: str) -> Decimal | None:
        value = self.raw(question_id)
        return None if value in (None, "") else parse_number(value, self.locale)

    def whole_number(self, question_id: str) -> int | None:
        number = self.number(question_id)
        if number is None or number != number.to_integral_value():
            return None
        return int(number)

    def day(self, question_id: str) -> date | None:
        return parse_date(self.raw(question_id))

    def date_text(self, question_id: str) -> str:
        moment = self.day(question_id)
        return self.long_date(moment) if moment is not None else self.text(question_id)

    def long_date(self, moment: date) -> str:
        return format_date(moment, "long", locale=self.locale)

    def amount(self, value: Any, unit: str = "") -> str:
        """A sum of money: "1 500 000 kr" in Swedish, "1,500,000 SEK" in English."""
        return f"{format_number(value, self.locale)}\u00a0{unit or _('SEK')}"

    def unit(self, question_id: str) -> str:
        question = self._questions.get(question_id)
        return question.unit.get(self.locale) if question is not None and question.unit else ""

    def _text(self, value: Any, question_id: str, question: Question | None) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, list | tuple | set):
            parts = [self._text(item, question_id, question) for item in value]
            return ", ".join(part for part in parts if part)
        if isinstance(value, dict):
            # Structured answers (such as a CPV code with its label) are shown value by value.
            return " ".join(str(item) for item in value.values() if item not in (None, ""))
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        content = self.content
        is_area = question_id == "area" or (
            question is not None and question.options_from == "areas"
        )
        if is_area and content is not None:
            area = content.library.area(str(value))
            if area is not None:
                return area.name.get(self.locale)
        if question is not None:
            for option in question.options:
                if option.value == str(value):
                    return option.label.get(self.locale)
            if question.type in _NUMBER_TYPES:
                number = format_number(value, self.locale)
                unit = question.unit.get(self.locale) if question.unit is not None else ""
                return f"{number}\u00a0{unit}" if unit else number
            if question.type == "date":
                moment = parse_date(value)
                if moment is not None:
                    return self.long_date(moment)
        return str(value)


def parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()) if value else None
    except ValueError:
        return None


def filled_text(requirement: RequirementData) -> str:
    """The requirement text with any parameter placeholder that is still open filled in."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in requirement.parameters:
            return match.group(0)
        value = requirement.parameters[name]
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return format_number(value)
        return str(value)

    return PLACEHOLDER.sub(fill, requirement.text)


def anchor(prefix: str, key: str) -> str:
    """An element id from a user-chosen key, so links inside the document keep working."""
    return f"{prefix}-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-") or "x")
