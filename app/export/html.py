"""The requirements specification of a tender draft as one self-contained HTML document."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from babel.dates import format_date
from jinja2 import Environment
from markupsafe import Markup

from app.data.numbers import format_number
from app.document import RequirementData, TenderDraft
from app.i18n import _, use_locale
from app.library.schema import PLACEHOLDER
from app.templating import LOCAL_ZONE

if TYPE_CHECKING:
    from app.content import Content
    from app.wizard.schema import Question

TEMPLATE = "pdf/tender.html"
STYLESHEET = "pdf/tender.css"

_NUMBER_TYPES = ("integer", "number", "money")
_COUNTER_PLACEHOLDER = re.compile(r"%\((page|pages)\)s")
_THOUSANDS_COMMAS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")


def render_tender_html(
    draft: TenderDraft, content: Content | None, environment: Environment
) -> str:
    """Render the draft in its own language; `content` (wizard, library) names the answers.

    Without content, answers are shown as stored (option values, area ids) so a document can
    still be made from a draft whose questions are no longer in the wizard.
    """
    with use_locale(draft.language) as locale:
        template = environment.get_template(TEMPLATE)
        return template.render(
            draft=draft,
            language=locale,
            is_draft=not draft.is_approved,
            stylesheet=_stylesheet(environment),
            page_counter_content=_page_counter_content(),
            answer=_answer_lookup(draft, content, locale),
            estimated_value=_to_decimal(draft.answers.get("estimated_value")),
            estimated_value_unit=_unit_of("estimated_value", content, locale),
            contract_months=_to_whole_number(draft.answers.get("contract_length_months")),
            document_date=_document_date(draft, locale),
            requirements=draft.included_requirements(),
            requirement_text=_filled_text,
            need_keys={need.key for need in draft.needs},
            anchor=_anchor,
        )


def _stylesheet(environment: Environment) -> Markup:
    # Read as a plain file, not rendered: CSS braces and `{#` would confuse Jinja.
    if environment.loader is None:
        raise RuntimeError("the template environment has no loader")
    source, _filename, _uptodate = environment.loader.get_source(environment, STYLESHEET)
    return Markup(source)


def _page_counter_content() -> Markup:
    """CSS `content` for "Page X of Y", built from the translation so word order can change."""
    text = _("Page %(page)s of %(pages)s")
    parts: list[str] = []
    position = 0
    for match in _COUNTER_PLACEHOLDER.finditer(text):
        if match.start() > position:
            parts.append(_css_string(text[position : match.start()]))
        parts.append(f"counter({match.group(1)})")
        position = match.end()
    if position < len(text):
        parts.append(_css_string(text[position:]))
    return Markup(" ".join(parts))


def _css_string(text: str) -> str:
    # The text ends up inside <style>: escape anything that could close the string or the element.
    escaped = "".join(
        character if character.isalnum() or character == " " else f"\\{ord(character):06x}"
        for character in text
    )
    return f'"{escaped}"'


def _answer_lookup(
    draft: TenderDraft, content: Content | None, locale: str
) -> Callable[[str], str]:
    questions = content.wizard.questions if content is not None else {}

    def answer(question_id: str) -> str:
        return _answer_text(
            draft.answers.get(question_id),
            question_id,
            questions.get(question_id),
            content,
            locale,
        )

    return answer


def _answer_text(
    value: Any,
    question_id: str,
    question: Question | None,
    content: Content | None,
    locale: str,
) -> str:
    """An answer as a reader should see it: option labels and area names, not stored values."""
    if value is None or value == "":
        return ""
    if isinstance(value, list | tuple | set):
        parts = [_answer_text(item, question_id, question, content, locale) for item in value]
        return ", ".join(part for part in parts if part)
    if isinstance(value, dict):
        # Structured answers (such as a CPV code with its label) are shown value by value.
        return " ".join(str(item) for item in value.values() if item not in (None, ""))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    is_area = question_id == "area" or (question is not None and question.options_from == "areas")
    if is_area and content is not None:
        area = content.library.area(str(value))
        if area is not None:
            return area.name.get(locale)
    if question is not None:
        for option in question.options:
            if option.value == str(value):
                return option.label.get(locale)
        if question.type in _NUMBER_TYPES:
            number = format_number(value)
            unit = question.unit.get(locale) if question.unit is not None else ""
            return f"{number}\u00a0{unit}" if unit else number
    return str(value)


def _unit_of(question_id: str, content: Content | None, locale: str) -> str:
    question = content.wizard.questions.get(question_id) if content is not None else None
    if question is None or question.unit is None:
        return ""
    return question.unit.get(locale)


def _to_decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    # Typed by hand, a number may carry spaces, a decimal comma ("1 500 000,50") or, in
    # English, thousands commas ("1,500,000").
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", str(value))
    if _THOUSANDS_COMMAS.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _to_whole_number(value: Any) -> int | None:
    number = _to_decimal(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def _document_date(draft: TenderDraft, locale: str) -> str:
    moment = draft.updated_at or draft.created_at or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_date(moment.astimezone(LOCAL_ZONE).date(), "long", locale=locale)


def _filled_text(requirement: RequirementData) -> str:
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


def _anchor(prefix: str, key: str) -> str:
    """An element id from a user-chosen key, so links inside the document keep working."""
    return f"{prefix}-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-") or "x")
