"""The completeness gate: what stops an export (blockers) and what to look at (warnings)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from babel.dates import format_date

from app.content import Content
from app.data.numbers import parse_number
from app.document import EffectGoalData, RequirementData, TenderDraft
from app.i18n import get_locale, gettext_, ngettext_
from app.quality.report import QualityReport
from app.terms import requirement_term
from app.wizard.answers import is_blank, is_visible
from app.wizard.thresholds import Thresholds, eu_procedure

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
    accepted = document.document_requirements()
    if not included:
        findings.append(
            GateFinding("blocker", gettext_("The draft has no requirements yet."), "requirements")
        )
    elif not accepted:
        findings.append(
            GateFinding(
                "warning",
                gettext_(
                    "No requirement has been accepted yet: the document will have no requirements."
                ),
                "requirements",
            )
        )
    findings.extend(timetable_findings(answers, content.thresholds, step_of.get("tender_deadline")))
    served = {key for requirement in accepted for key in requirement.needs}
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
    for goal in unserved_goals(document, accepted):
        findings.append(
            GateFinding(
                "warning",
                gettext_("Effect goal %(key)s has no requirement that serves it.", key=goal.key),
                "requirements",
                f"goal-{goal.key}",
            )
        )
    for requirement in accepted:
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
    undecided = document.undecided_requirements()
    if undecided:
        findings.append(
            GateFinding(
                "warning",
                ngettext_(
                    "%(num)s suggested requirement is undecided and will not be in the document.",
                    "%(num)s suggested requirements are undecided and will not be in the document.",
                    len(undecided),
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
    price = parse_number(answers.get("price_weight_percent"))
    total = float(price) if price is not None else 0.0
    for requirement in document.document_requirements():
        if requirement.obligation == "bor" and requirement.weight is not None:
            total += requirement.weight
    return total


def unserved_goals(
    document: TenderDraft, requirements: list[RequirementData] | None = None
) -> list[EffectGoalData]:
    """Effect goals that none of `requirements` (by default the draft's included ones) serves,
    directly or through their needs."""
    included = document.included_requirements() if requirements is None else requirements
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
        others = sorted({rule for f in item.findings for rule in f.rules if rule != "brand"})
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


# The shortest tender period of an open procedure above the EU thresholds when tenders are
# submitted electronically: 35 days from the day the notice is sent, shortened by five
# (LOU 10 kap.; DOMAIN.md does not confirm the paragraphs, so the message names the chapter).
OPEN_PROCEDURE_MINIMUM_DAYS = 30
# Additional information is given at the latest six days before the tender deadline
# (LOU 12 kap. 11 §), above the thresholds.
ANSWERS_BEFORE_DEADLINE_DAYS = 6
BELOW_THRESHOLD_PROCEDURES = ("simplified", "selective", "direct_award")


def timetable_findings(
    answers: Mapping[str, Any], thresholds: Thresholds, step: str | None
) -> list[GateFinding]:
    """Dates in the wrong order block the export; a tender period shorter than the law's
    minimum for the procedure is a warning that states the minimum and where it is."""
    found: list[GateFinding] = []
    dates = {
        key: _date(answers.get(key))
        for key in (
            "publication_date",
            "questions_deadline",
            "tender_deadline",
            "award_date",
            "contract_start",
        )
    }
    published, questions, deadline = (
        dates["publication_date"],
        dates["questions_deadline"],
        dates["tender_deadline"],
    )
    award, start = dates["award_date"], dates["contract_start"]

    def blocker(message: str, anchor: str) -> None:
        found.append(GateFinding("blocker", message, step, anchor))

    if questions and deadline and questions > deadline:
        blocker(
            gettext_(
                "The last day for questions (%(questions)s) is after the tender deadline "
                "(%(deadline)s).",
                questions=_long(questions),
                deadline=_long(deadline),
            ),
            "questions_deadline",
        )
    if published and deadline and deadline <= published:
        blocker(
            gettext_(
                "The tender deadline (%(deadline)s) is not after the publication (%(published)s).",
                deadline=_long(deadline),
                published=_long(published),
            ),
            "tender_deadline",
        )
    if award and deadline and award < deadline:
        blocker(
            gettext_(
                "The planned award decision (%(award)s) is before the tender deadline "
                "(%(deadline)s).",
                award=_long(award),
                deadline=_long(deadline),
            ),
            "award_date",
        )
    if start and award and start < award:
        blocker(
            gettext_(
                "The contract start (%(start)s) is before the planned award decision (%(award)s).",
                start=_long(start),
                award=_long(award),
            ),
            "contract_start",
        )
    above = eu_procedure(answers, thresholds)
    procedure = answers.get("procedure")
    if above and procedure in BELOW_THRESHOLD_PROCEDURES:
        found.append(
            GateFinding(
                "warning",
                gettext_(
                    "The chosen procedure is for contracts below the EU thresholds, but the "
                    "estimated value is above them (LOU 19 kap. and 19 a kap.)."
                ),
                step,
                "procedure",
            )
        )
    if (
        above
        and procedure in (None, "", "open")
        and published
        and deadline
        and deadline > published
    ):
        days = (deadline - published).days
        if days < OPEN_PROCEDURE_MINIMUM_DAYS:
            found.append(
                GateFinding(
                    "warning",
                    gettext_(
                        "The tender period is %(days)s days. In an open procedure above the EU "
                        "thresholds it must be at least %(minimum)s days from the day the "
                        "notice is sent when tenders are submitted electronically (35 days, "
                        "five fewer for electronic tenders: LOU 10 kap.; Kravlotsen's sources "
                        "do not confirm the paragraphs). Functional requirements need more "
                        "time than the minimum.",
                        days=days,
                        minimum=OPEN_PROCEDURE_MINIMUM_DAYS,
                    ),
                    step,
                    "tender_deadline",
                )
            )
    if above and questions and deadline and questions <= deadline:
        if (deadline - questions).days < ANSWERS_BEFORE_DEADLINE_DAYS:
            found.append(
                GateFinding(
                    "warning",
                    gettext_(
                        "The last day for questions is fewer than %(days)s days before the "
                        "tender deadline: answers must be given at the latest %(days)s days "
                        "before it (LOU 12 kap. 11 §).",
                        days=ANSWERS_BEFORE_DEADLINE_DAYS,
                    ),
                    step,
                    "questions_deadline",
                )
            )
    return found


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _long(moment: date) -> str:
    return format_date(moment, "long", locale=get_locale())
