"""Gate findings about the requirements and the path the draft follows: requirements to
re-examine, scored requirements under an award model that scores nothing, requirements that
serve no confirmed need, certificates that shut out small firms, and the need statement of
the innovation path."""

from __future__ import annotations

import re

from app.content import Content
from app.data.numbers import parse_number
from app.document import TenderDraft
from app.i18n import gettext_
from app.library.engine import on_innovation_path
from app.wizard.answers import is_blank
from app.wizard.gates import GateFinding

# A management-system certificate asked of the bidder (ISO 9001, 14001, 27001, 45001 or the
# systems they certify).
MANAGEMENT_SYSTEM = re.compile(
    r"ISO(?:/IEC)?\s*(?:9001|14001|27001|45001)|ledningssystem|management system",
    re.IGNORECASE,
)


def requirement_findings(document: TenderDraft, content: Content) -> list[GateFinding]:
    """Every finding of this module, in the current locale."""
    return [
        *_to_reexamine(document),
        *_serving_no_need(document),
        *_scored_without_scoring(document),
        *_certificates_in_small_contracts(document, content),
        *_need_statement(document, content),
    ]


def _to_reexamine(document: TenderDraft) -> list[GateFinding]:
    count = sum(1 for item in document.requirements if item.needs_review)
    if not count:
        return []
    return [
        GateFinding(
            "blocker",
            gettext_(
                "%(count)s requirements came from an earlier procurement and must be re-examined.",
                count=count,
            ),
            "requirements",
        )
    ]


def _serving_no_need(document: TenderDraft) -> list[GateFinding]:
    return [
        GateFinding(
            "warning",
            gettext_(
                "Requirement %(number)s is accepted but serves no need: link it to a need or "
                "reject it.",
                number=item.number or item.title,
            ),
            "requirements",
            f"requirement-{item.id}",
        )
        for item in document.included_requirements()
        if item.status == "accepted" and not item.needs
    ]


def _scored_without_scoring(document: TenderDraft) -> list[GateFinding]:
    """Bör-krav and award criteria are scored; lowest price scores nothing, lowest cost
    compares costs only (LOU 16 kap.)."""
    model = document.answers.get("award_model")
    if model not in ("lowest_price", "lowest_cost"):
        return []
    scored = [
        item
        for item in document.included_requirements()
        if item.obligation == "bor"
        or (model == "lowest_price" and item.type == "tilldelningskriterium")
    ]
    return [
        GateFinding(
            "warning",
            gettext_(
                "Requirement %(number)s is scored in the evaluation, but the award model "
                "(lowest price or lowest cost) scores no quality: make it mandatory, reject "
                "it, or choose the best price-quality ratio.",
                number=item.number or item.title,
            ),
            "requirements",
            f"requirement-{item.id}",
        )
        for item in scored
    ]


def _eu_threshold(document: TenderDraft, content: Content) -> int:
    period = content.thresholds.current()
    answers = document.answers
    if answers.get("object_type") == "byggentreprenad":
        return period.works_sek
    if answers.get("authority_type") == "central_government":
        return period.central_goods_services_sek
    return period.other_goods_services_sek


def _certificates_in_small_contracts(document: TenderDraft, content: Content) -> list[GateFinding]:
    """A certified management system costs a small firm more than a contract below the EU
    threshold is worth to it; a described way of working proves the same (LOU 4 kap. 1 §)."""
    value = parse_number(document.answers.get("estimated_value"))
    if value is None or value >= _eu_threshold(document, content):
        return []
    return [
        GateFinding(
            "warning",
            gettext_(
                "Selection criterion %(number)s asks for a management system or its "
                "certificate in a contract below the EU threshold. That can shut out small "
                "firms: accept a description of the way of working instead (LOU 4 kap. 1 §, "
                "proportionality).",
                number=item.number or item.title,
            ),
            "requirements",
            f"requirement-{item.id}",
        )
        for item in document.included_requirements()
        if item.type == "kvalificeringskrav" and MANAGEMENT_SYSTEM.search(item.text)
    ]


def _need_statement(document: TenderDraft, content: Content) -> list[GateFinding]:
    """On the innovation path: the parts of the need statement still missing."""
    if not on_innovation_path(content.library, document.answers):
        return []
    answers = document.answers
    step_of = content.wizard.step_of
    found = []
    for goal in document.effect_goals:
        if not goal.indicator.strip() or not goal.target.strip():
            found.append(
                GateFinding(
                    "warning",
                    gettext_(
                        "The need statement needs an indicator and a target for effect goal "
                        "%(key)s.",
                        key=goal.key,
                    ),
                    step_of.get("effect_goals"),
                    f"row-effect_goals-{goal.id}",
                )
            )
    if answers.get("market_dialogue") in ("planned", "done") and is_blank(
        answers.get("rfi_questions")
    ):
        found.append(
            GateFinding(
                "warning",
                gettext_("The need statement has no questions to the market yet."),
                step_of.get("rfi_questions"),
                "group-rfi_questions",
            )
        )
    if (
        is_blank(answers.get("planned_procedure"))
        or answers.get("planned_procedure") == "undecided"
    ):
        found.append(
            GateFinding(
                "warning",
                gettext_("The need statement does not say which procedure you plan."),
                step_of.get("planned_procedure"),
                "planned_procedure",
            )
        )
    return found
