"""One number parser (Babel's) for the form, the gate and the document: "1 500 000 kr" and
"1,500,000" are the same amount wherever they are typed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.content import Content
from app.data.numbers import parse_number
from app.document import TenderDraft
from app.export.values import Answers
from app.i18n import use_locale
from app.wizard.answers import parse_answer
from app.wizard.gates import _weight_total

pytestmark = pytest.mark.no_database


@pytest.mark.parametrize("locale", ["sv", "en"])
@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1 500 000 kr", Decimal("1500000")),
        ("1,500,000", Decimal("1500000")),
        ("1 500 000,50", Decimal("1500000.50")),
        ("1\u00a0500\u00a0000 SEK", Decimal("1500000")),
        ("2400000", Decimal("2400000")),
        ("99,7", Decimal("99.7")),
        ("−3,5", Decimal("-3.5")),
    ],
)
def test_amounts_read_the_same_in_both_languages(locale: str, typed: str, number: Decimal) -> None:
    assert parse_number(typed, locale) == number


def test_a_lone_comma_group_follows_the_users_locale() -> None:
    assert parse_number("1,500", "sv") == Decimal("1.5")
    assert parse_number("1,500", "en") == Decimal("1500")


@pytest.mark.parametrize("typed", ["about a million", "", "kr", "NaN", "1.500.000"])
def test_what_is_no_number_is_none(typed: str) -> None:
    assert parse_number(typed, "sv") is None


def test_form_gate_and_document_agree_on_an_amount(content: Content) -> None:
    question = content.wizard.questions["estimated_value"]
    with use_locale("en"):
        english = parse_answer(question, "1,500,000").value
    with use_locale("sv"):
        swedish = parse_answer(question, "1 500 000 kr").value
    assert english == swedish == 1_500_000

    document = TenderDraft(
        organisation="Exempelstad",
        title="Larm",
        answers={
            "estimated_value": swedish,
            "award_model": "best_price_quality",
            "quality_method": "weights",
            "price_weight_percent": "60,0",
        },
    )
    assert _weight_total(document) == 60.0
    with use_locale("sv"):
        printed = Answers(document, content, "sv").text("estimated_value")
    assert printed == "1\u00a0500\u00a0000\u00a0kr exkl. moms"
