"""A draft's quality: checker findings per requirement, need and goal, the brand gate and the
innovation readiness panel (how open the tender is to new suppliers and new solutions).

The same texts are checked again and again as pages are shown, so findings are kept by text,
language and interface locale (their messages are worded in it)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from app.document import RequirementData, TenderDraft
from app.i18n import get_locale, gettext_
from app.quality.checker import check_text
from app.quality.findings import Finding
from app.quality.turnover import check_turnover


@lru_cache(maxsize=4096)
def _checked(text: str, language: str, locale: str) -> tuple[Finding, ...]:
    return tuple(check_text(text, language))


def checked_text(text: str, language: str) -> list[Finding]:
    """check_text, remembered: the findings of a text in a language, in the current locale."""
    return list(_checked(text, language, get_locale()))


@dataclass
class RequirementQuality:
    requirement: RequirementData
    findings: list[Finding]

    @property
    def unjustified_brand(self) -> bool:
        return any(f.rule == "brand" for f in self.findings) and not (
            self.requirement.brand_justification.strip()
        )


@dataclass
class QualityReport:
    requirements: list[RequirementQuality] = field(default_factory=list)
    needs: dict[str, list[Finding]] = field(default_factory=dict)
    goals: dict[str, list[Finding]] = field(default_factory=dict)
    turnover: Finding | None = None

    @property
    def per_rule(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for item in self.requirements:
            counts.update(rule for finding in item.findings for rule in finding.rules)
        for findings in (*self.needs.values(), *self.goals.values()):
            counts.update(rule for finding in findings for rule in finding.rules)
        if self.turnover:
            counts["turnover"] += 1
        return counts

    @property
    def with_findings(self) -> list[RequirementQuality]:
        return [item for item in self.requirements if item.findings]


def quality_report(document: TenderDraft) -> QualityReport:
    language = document.language
    return QualityReport(
        requirements=[
            RequirementQuality(requirement, checked_text(requirement.text, language))
            for requirement in document.included_requirements()
        ],
        needs={
            need.key: findings
            for need in document.needs
            if (findings := checked_text(f"{need.what} {need.why}".strip(), language))
        },
        goals={
            goal.key: findings
            for goal in document.effect_goals
            if (findings := checked_text(goal.goal, language))
        },
        turnover=check_turnover(document.answers),
    )


Status = Literal["good", "improve"]


@dataclass(frozen=True)
class ReadinessItem:
    label: str
    status: Status
    detail: str


def innovation_readiness(document: TenderDraft, report: QualityReport) -> list[ReadinessItem]:
    """Signs that the tender leaves room for new suppliers and new ways to meet the need."""
    answers = document.answers
    included = document.included_requirements()
    functional = [r for r in included if r.kind in ("function", "performance")]
    prescribing = [
        item
        for item in report.requirements
        if any(f.rule in ("solution", "brand") for f in item.findings)
    ]
    share = round(100 * len(functional) / len(included)) if included else 0
    items = [
        ReadinessItem(
            gettext_("Function and performance requirements"),
            "good" if included and share >= 40 and not prescribing else "improve",
            gettext_(
                "%(share)s %% of the requirements state a function or a performance; "
                "%(count)s prescribe a solution or a brand.",
                share=share,
                count=len(prescribing),
            )
            + (
                " " + gettext_("Rewrite those as what the solution must achieve.")
                if prescribing
                else ""
            ),
        ),
        ReadinessItem(
            gettext_("Alternative offers"),
            "good" if answers.get("alternative_offers_allowed") is True else "improve",
            gettext_(
                "Allowing alternative offers with minimum requirements lets suppliers "
                "propose other ways to meet the need (LOU 9 kap. 16 §)."
            ),
        ),
        ReadinessItem(
            gettext_("Market dialogue"),
            "good" if answers.get("market_dialogue") in ("done", "planned") else "improve",
            gettext_(
                "A dialogue with the market before the tender shows what solutions exist "
                "and which requirements exclude suppliers without reason."
            ),
        ),
        ReadinessItem(
            gettext_("Lots"),
            "good" if answers.get("lots") is True else "improve",
            gettext_(
                "Dividing the contract into lots makes it possible for small firms to "
                "bid (LOU 4 kap. 13 §)."
            ),
        ),
        ReadinessItem(
            gettext_("Proportionate qualification"),
            "improve" if report.turnover else "good",
            report.turnover.message
            if report.turnover
            else gettext_(
                "No turnover requirement above twice the estimated contract value was found."
            ),
        ),
    ]
    return items


@dataclass(frozen=True)
class Segment:
    text: str
    finding: Finding | None = None


def marked_segments(text: str, findings: list[Finding]) -> list[Segment]:
    """The text cut at the findings' spans, so a page can mark each span (overlaps merged
    into the first finding that covers them)."""
    segments: list[Segment] = []
    position = 0
    for finding in sorted(findings, key=lambda item: (item.start, -item.end)):
        start, end = max(finding.start, position), min(finding.end, len(text))
        if end <= start:
            continue
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], finding))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments
