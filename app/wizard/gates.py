"""The completeness gate: what stops an export (blockers) and what to look at (warnings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.content import Content
from app.document import EffectGoalData, TenderDraft
from app.i18n import gettext_
from app.quality.report import QualityReport
from app.terms import requirement_term
from app.wizard.answers import is_blank, is_visible

Severity = Literal["blocker", "warning"]


@dataclass(frozen=True)
class GateFinding:
    severity: Severity
    message: str
    step: str | None = None
    anchor: str | None = None


def check_gates(
    document: TenderDraft, content: Content, report: QualityReport
) -> list[GateFinding]:
    """Findings in the current locale, blockers first; `report` is the draft's quality."""
    findings: list[GateFinding] = []
    wizard = content.wizard
    answers = document.answers
    for step in wizard.steps:
        for question in step.questions:
            if question.is_group or not question.required or not is_visible(question, answers):
                continue
            if is_blank(answers.get(question.id)):
                findings.append(
                    GateFinding(
                        "blocker",
                        gettext_(
                            "“%(label)s” is not answered.",
                            label=question.label.get_for_locale(),
                        ),
                        step.id,
                        question.id,
                    )
                )
    step_of = wizard.step_of
    if not document.needs:
        findings.append(
            GateFinding(
                "blocker", gettext_("The draft has no needs yet."), step_of.get("needs"), "needs"
            )
        )
    for question in wizard.questions.values():
        if not question.is_group or question.store == "needs":
            continue
        if not is_visible(question, answers):
            continue
        count = _group_count(document, question.id, question.store)
        if count < question.min_items:
            findings.append(
                GateFinding(
                    "blocker",
                    gettext_(
                        "Add at least %(count)s under “%(label)s”.",
                        count=question.min_items,
                        label=question.label.get_for_locale(),
                    ),
                    step_of.get(question.id),
                    f"group-{question.id}",
                )
            )
    for need in document.needs:
        if need.needs_review:
            findings.append(
                GateFinding(
                    "blocker",
                    gettext_(
                        "Need %(key)s came from an earlier procurement and must be re-examined.",
                        key=need.key,
                    ),
                    step_of.get("needs"),
                    f"row-needs-{need.id}",
                )
            )
    for goal in document.effect_goals:
        if goal.needs_review:
            findings.append(
                GateFinding(
                    "blocker",
                    gettext_(
                        "Effect goal %(key)s came from an earlier procurement and must be "
                        "re-examined.",
                        key=goal.key,
                    ),
                    step_of.get("effect_goals"),
                    f"row-effect_goals-{goal.id}",
                )
            )
    included = document.included_requirements()
    if not included:
        findings.append(
            GateFinding("blocker", gettext_("The draft has no requirements yet."), "requirements")
        )
    served = {key for requirement in included for key in requirement.needs}
    for need in document.needs:
        if need.key not in served:
            findings.append(
                GateFinding(
                    "warning",
                    gettext_("Need %(key)s has no requirement that serves it.", key=need.key),
                    "requirements",
                    f"need-{need.key}",
                )
            )
    for goal in unserved_goals(document):
        findings.append(
            GateFinding(
                "warning",
                gettext_("Effect goal %(key)s has no requirement that serves it.", key=goal.key),
                "requirements",
                f"goal-{goal.key}",
            )
        )
    for requirement in included:
        if requirement.obligation == "ska" and not requirement.verification.strip():
            findings.append(
                GateFinding(
                    "warning",
                    gettext_(
                        "Requirement %(number)s has no verification.", number=requirement.number
                    ),
                    "requirements",
                )
            )
    findings.extend(_quality_findings(report))
    from app.wizard.requirement_gates import requirement_findings  # it builds on GateFinding

    findings.extend(requirement_findings(document, content))
    weights = _weight_total(document)
    if weights is not None and abs(weights - 100) > 0.01:
        findings.append(
            GateFinding(
                "warning",
                gettext_(
                    "The price weight and the weights of the award criteria add up to "
                    "%(total)s, not 100.",
                    total=f"{weights:g}",
                ),
                step_of.get("quality_method"),
            )
        )
    suggested = [item for item in included if item.status == "suggested"]
    if suggested:
        findings.append(
            GateFinding(
                "warning",
                gettext_(
                    "%(count)s suggested requirements are not yet accepted or rejected.",
                    count=len(suggested),
                ),
                "requirements",
            )
        )
    findings.sort(key=lambda finding: finding.severity != "blocker")
    return findings


def _group_count(document: TenderDraft, group_id: str, store: str | None) -> int:
    if store == "effect_goals":
        return len(document.effect_goals)
    stored = document.answers.get(group_id)
    return len(stored) if isinstance(stored, list) else 0


def _weight_total(document: TenderDraft) -> float | None:
    """Price weight plus the weights of the bör-krav, when the award model uses weights."""
    answers = document.answers
    if answers.get("award_model") != "best_price_quality" or answers.get("quality_method") != (
        "weights"
    ):
        return None
    price = answers.get("price_weight_percent")
    total = float(price) if isinstance(price, int | float) else 0.0
    for requirement in document.included_requirements():
        if requirement.obligation == "bor" and requirement.weight is not None:
            total += requirement.weight
    return total


def unserved_goals(document: TenderDraft) -> list[EffectGoalData]:
    """Effect goals that no included requirement serves, directly or through their needs."""
    included = document.included_requirements()
    served_goals = {key for requirement in included for key in requirement.effect_goals}
    served_needs = {key for requirement in included for key in requirement.needs}
    return [
        goal
        for goal in document.effect_goals
        if goal.key not in served_goals and not served_needs.intersection(goal.needs)
    ]


def _quality_findings(report: QualityReport) -> list[GateFinding]:
    """The checker's findings as gate findings: a brand without justification blocks
    (LOU 9 kap. 6 §); everything else is worth a look."""
    found = []
    for item in report.requirements:
        number = item.requirement.number or item.requirement.title
        if item.unjustified_brand:
            found.append(
                GateFinding(
                    "blocker",
                    gettext_(
                        "Requirement %(number)s names a brand or product. Rewrite it as a "
                        "function, or record why the object cannot otherwise be described "
                        "(LOU 9 kap. 6 §).",
                        number=number,
                    ),
                    "requirements",
                    f"requirement-{item.requirement.id}",
                )
            )
        others = sorted({f.rule for f in item.findings if f.rule != "brand"})
        if others:
            found.append(
                GateFinding(
                    "warning",
                    gettext_(
                        "Requirement %(number)s: %(rules)s.",
                        number=number,
                        rules=", ".join(requirement_term(rule).lower() for rule in others),
                    ),
                    "requirements",
                    f"requirement-{item.requirement.id}",
                )
            )
    if report.turnover is not None:
        found.append(GateFinding("warning", report.turnover.message, "innovation"))
    return found
