"""The completeness gate: what stops an export (blockers) and what to look at (warnings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.content import Content
from app.document import TenderDraft
from app.i18n import gettext_
from app.wizard.answers import is_blank, is_visible

Severity = Literal["blocker", "warning"]


@dataclass(frozen=True)
class GateFinding:
    severity: Severity
    message: str
    step: str | None = None
    anchor: str | None = None


def check_gates(document: TenderDraft, content: Content) -> list[GateFinding]:
    """Findings in the current locale, blockers first."""
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
    if not document.needs:
        findings.append(
            GateFinding("blocker", gettext_("The draft has no needs yet."), "needs", "needs")
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
                    "needs",
                    f"need-{need.key}",
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
