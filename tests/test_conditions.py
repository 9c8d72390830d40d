"""Structured conditions: each kind, and the reasons they give."""

from __future__ import annotations

import pytest

from app.data.conditions import ConditionField, Context, evaluate, explain


def condition(data: object):  # type: ignore[no-untyped-def]
    return ConditionField.model_validate({"condition": data}).condition


ANSWERS = {"area": "it", "estimated_value": 900000, "lots": ["a", "b"], "note": "Mobil e-tjänst"}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"equals": {"question": "area", "value": "it"}}, True),
        ({"equals": {"question": "area", "value": "food"}}, False),
        ({"in": {"question": "area", "values": ["food", "it"]}}, True),
        ({"gt": {"question": "estimated_value", "value": 700000}}, True),
        ({"lt": {"question": "estimated_value", "value": 700000}}, False),
        ({"answered": "note"}, True),
        ({"answered": "missing"}, False),
        ({"contains": {"question": "note", "text": "e-tjänst"}}, True),
        ({"equals": {"question": "lots", "value": "b"}}, True),
        ({"need_mentions": ["mobil"]}, True),
        ({"need_mentions": ["fordon"]}, False),
        ({"not": {"equals": {"question": "area", "value": "it"}}}, False),
        (
            {"all": [{"answered": "note"}, {"gt": {"question": "estimated_value", "value": 1}}]},
            True,
        ),
        ({"any": [{"answered": "missing"}, {"answered": "note"}]}, True),
    ],
)
def test_each_condition_kind(data: object, expected: bool) -> None:
    context = Context(ANSWERS, ["Invånare vill ansöka från mobilen"])
    assert evaluate(condition(data), context) is expected


def test_reasons_name_the_answers_that_made_it_true() -> None:
    context = Context(ANSWERS, ["Invånare vill ansöka från mobilen"])
    reasons = explain(
        condition(
            {"all": [{"equals": {"question": "area", "value": "it"}}, {"need_mentions": ["mobil"]}]}
        ),
        context,
    )
    assert reasons == [{"question": "area", "value": "it"}, {"need_word": "mobil"}]


def test_a_condition_must_have_exactly_one_known_key() -> None:
    with pytest.raises(ValueError, match="exactly one key"):
        condition({"eq": {"question": "area", "value": "it"}})
    with pytest.raises(ValueError, match="exactly one key"):
        condition({"answered": "a", "not": {"answered": "b"}})
