"""The tender document (förfrågningsunderlag) and the need statement for market dialogue of a
draft, each as one self-contained HTML document for WeasyPrint."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from babel.dates import format_date
from jinja2 import Environment
from markupsafe import Markup

from app.document import TenderDraft
from app.export.values import Answers, anchor, filled_text
from app.export.view import tender_view
from app.i18n import _, use_locale
from app.templating import LOCAL_ZONE

if TYPE_CHECKING:
    from app.content import Content

TEMPLATE = "pdf/tender.html"
RFI_TEMPLATE = "pdf/rfi.html"
STYLESHEET = "pdf/tender.css"

_COUNTER_PLACEHOLDER = re.compile(r"%\((page|pages)\)s")


def render_tender_html(
    draft: TenderDraft,
    content: Content | None,
    environment: Environment,
    *,
    review_log: Sequence[Any] | None = None,
) -> str:
    """The tender document in the draft's own language: only accepted requirements, each
    chapter only when its answers feed it. `content` (wizard, library, thresholds) names the
    answers; without it answers are shown as stored. With `review_log` (entries of
    app.review.views.review_log, worded in the draft's language), the review log follows the
    annexes."""
    with use_locale(draft.language) as locale:
        view = tender_view(draft, content, locale)
        return environment.get_template(TEMPLATE).render(
            **_common(draft, environment, locale, view.answers),
            view=view,
            review_log=review_log,
        )


def render_rfi_html(draft: TenderDraft, content: Content | None, environment: Environment) -> str:
    """The need statement for a market dialogue (request for information): needs, effect goals,
    what is known and not, the questions to the market, the plans; no requirements."""
    with use_locale(draft.language) as locale:
        view = tender_view(draft, content, locale)
        context = _common(draft, environment, locale, view.answers)
        # The statement is made to be sent to firms before the procurement: never "DRAFT".
        context["is_draft"] = False
        return environment.get_template(RFI_TEMPLATE).render(**context, view=view)


def _common(
    draft: TenderDraft, environment: Environment, locale: str, answers: Answers
) -> dict[str, object]:
    return {
        "draft": draft,
        "language": locale,
        "is_draft": not draft.is_approved,
        "stylesheet": _stylesheet(environment),
        "page_counter_content": _page_counter_content(),
        "answer": answers,
        "document_date": _document_date(draft, locale),
        "requirement_text": filled_text,
        "need_keys": {need.key for need in draft.needs},
        "goal_keys": {goal.key for goal in draft.effect_goals},
        "anchor": anchor,
    }


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


def _document_date(draft: TenderDraft, locale: str) -> str:
    moment = draft.updated_at or draft.created_at or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_date(moment.astimezone(LOCAL_ZONE).date(), "long", locale=locale)
