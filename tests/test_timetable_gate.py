"""The export gate reads the timetable: dates in the wrong order stop the export, a tender
period under the law's minimum for the procedure is a warning that says the minimum and where it
is written; undecided suggestions are counted."""

from __future__ import annotations

from typing import Any

import pytest

from app.content import Content
from app.document import RequirementData, TenderDraft
from app.i18n import use_locale
from app.quality.report import quality_report
from app.wizard.gates import GateFinding, check_gates

pytestmark = pytest.mark.no_database

ABOVE_THRESHOLDS = {
    "estimated_value": 6_500_000,
    "object_type": "tjanst",
    "authority_type": "other",
}


def findings(content: Content, answers: dict[str, Any], **changes: Any) -> list[GateFinding]:
    document = TenderDraft(organisation="Exempelstad", title="Larm", answers=answers, **changes)
    with use_locale("en"):
        return check_gates(document, content, quality_report(document))


def messages(found: list[GateFinding], severity: str) -> list[str]:
    return [finding.message for finding in found if finding.severity == severity]


def test_a_questions_deadline_after_the_tender_deadline_blocks_the_export(
    content: Content,
) -> None:
    found = findings(
        content,
        {**ABOVE_THRESHOLDS, "questions_deadline": "2027-03-20", "tender_deadline": "2027-03-15"},
    )

    assert (
        "The last day for questions (March 20, 2027) is after the tender deadline "
        "(March 15, 2027)." in messages(found, "blocker")
    )


def test_an_award_before_the_tender_deadline_blocks_the_export(content: Content) -> None:
    found = findings(
        content,
        {**ABOVE_THRESHOLDS, "tender_deadline": "2027-03-15", "award_date": "2027-03-01"},
    )

    assert any("planned award decision" in message for message in messages(found, "blocker"))


def test_a_tender_period_under_the_open_procedures_minimum_says_the_minimum_and_the_law(
    content: Content,
) -> None:
    found = findings(
        content,
        {**ABOVE_THRESHOLDS, "publication_date": "2027-03-01", "tender_deadline": "2027-03-21"},
    )

    warning = next(message for message in messages(found, "warning") if "20 days" in message)
    assert "at least 30 days" in warning
    assert "LOU 10 kap." in warning
    assert "do not confirm the paragraphs" in warning


def test_a_long_enough_tender_period_gives_no_warning(content: Content) -> None:
    found = findings(
        content,
        {
            **ABOVE_THRESHOLDS,
            "publication_date": "2027-02-01",
            "questions_deadline": "2027-03-05",
            "tender_deadline": "2027-03-15",
        },
    )

    assert not [message for message in messages(found, "warning") if "tender period" in message]
    assert not [message for message in messages(found, "warning") if "12 kap. 11" in message]


def test_below_the_thresholds_no_fixed_minimum_is_claimed(content: Content) -> None:
    found = findings(
        content,
        {
            "estimated_value": 1_000_000,
            "object_type": "tjanst",
            "authority_type": "other",
            "publication_date": "2027-03-01",
            "tender_deadline": "2027-03-11",
        },
    )

    assert not [message for message in messages(found, "warning") if "tender period" in message]


def test_questions_closing_inside_the_six_days_before_the_deadline_is_a_warning(
    content: Content,
) -> None:
    found = findings(
        content,
        {**ABOVE_THRESHOLDS, "questions_deadline": "2027-03-12", "tender_deadline": "2027-03-15"},
    )

    assert any("LOU 12 kap. 11 §" in message for message in messages(found, "warning"))


def test_undecided_suggestions_are_counted_and_said_to_stay_out(content: Content) -> None:
    def requirement(number: str, status: str) -> RequirementData:
        return RequirementData(
            number=number,
            status=status,  # type: ignore[arg-type]
            kind="function",
            type="teknisk_specifikation",
            level="bas",
            obligation="ska",
            title=f"Krav {number}",
            text="Larmet ska nå larmmottagningen inom 20 sekunder.",
            verification="Provlarm.",
        )

    found = findings(
        content,
        ABOVE_THRESHOLDS,
        requirements=[
            requirement("K2.1", "accepted"),
            requirement("K2.2", "suggested"),
            requirement("K2.3", "suggested"),
        ],
    )

    assert "2 suggested requirements are undecided and will not be in the document." in messages(
        found, "warning"
    )
