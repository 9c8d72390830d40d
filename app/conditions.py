"""Structured conditions (equals, in, gt, lt, all, any, not, ...) evaluated without eval.

The wizard uses them to show questions under conditions; the requirement library uses the same
conditions as triggers on answers and needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuestionValue(_Strict):
    question: str
    value: Any


class QuestionValues(_Strict):
    question: str
    values: list[Any] = Field(min_length=1)


class QuestionNumber(_Strict):
    question: str
    value: float


class QuestionText(_Strict):
    question: str
    text: str = Field(min_length=1)


class Equals(_Strict):
    equals: QuestionValue


class In(_Strict):
    in_: QuestionValues = Field(alias="in")


class GreaterThan(_Strict):
    gt: QuestionNumber


class LessThan(_Strict):
    lt: QuestionNumber


class Answered(_Strict):
    answered: str


class Contains(_Strict):
    contains: QuestionText


class NeedMentions(_Strict):
    need_mentions: list[str] = Field(min_length=1)


class All(_Strict):
    all: list[Condition] = Field(min_length=1)


class Any_(_Strict):
    any: list[Condition] = Field(min_length=1)


class Not(_Strict):
    not_: Condition = Field(alias="not")


_KINDS: dict[str, type[_Strict]] = {
    "equals": Equals,
    "in": In,
    "gt": GreaterThan,
    "lt": LessThan,
    "answered": Answered,
    "contains": Contains,
    "need_mentions": NeedMentions,
    "all": All,
    "any": Any_,
    "not": Not,
}


def _condition_tag(value: Any) -> str | None:
    if isinstance(value, Mapping):
        if len(value) == 1:
            key = next(iter(value))
            if key in _KINDS:
                return f"condition:{key}"
        return None
    for key, model in _KINDS.items():
        if isinstance(value, model):
            return f"condition:{key}"
    return None


Condition = Annotated[
    Annotated[Equals, Tag("condition:equals")]
    | Annotated[In, Tag("condition:in")]
    | Annotated[GreaterThan, Tag("condition:gt")]
    | Annotated[LessThan, Tag("condition:lt")]
    | Annotated[Answered, Tag("condition:answered")]
    | Annotated[Contains, Tag("condition:contains")]
    | Annotated[NeedMentions, Tag("condition:need_mentions")]
    | Annotated[All, Tag("condition:all")]
    | Annotated[Any_, Tag("condition:any")]
    | Annotated[Not, Tag("condition:not")],
    Discriminator(
        _condition_tag,
        custom_error_type="condition",
        custom_error_message=(
            "a condition is a mapping with exactly one key: "
            "equals, in, gt, lt, answered, contains, need_mentions, all, any or not"
        ),
    ),
]

for _model in (All, Any_, Not):
    _model.model_rebuild()


class ConditionField(BaseModel):
    """Helper to validate a bare condition (used by tests and the CLI)."""

    condition: Condition


@dataclass
class Context:
    """What a condition is evaluated against: the draft's answers and its needs' texts."""

    answers: Mapping[str, Any]
    need_texts: Sequence[str] = ()
    _lowered_needs: list[str] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self._lowered_needs = [text.casefold() for text in self.need_texts]

    def needs_mentioning(self, words: Iterable[str]) -> list[str]:
        found = []
        for word in words:
            needle = word.casefold()
            if any(needle in text for text in self._lowered_needs):
                found.append(word)
        return found


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(" ", "").replace(",", "."))
        except ValueError:
            return None
    return None


def _matches(answer: Any, expected: Any) -> bool:
    if isinstance(answer, list):
        return expected in answer
    return bool(answer == expected)


def evaluate(condition: Condition, context: Context) -> bool:
    """True when the condition holds for the answers and needs in the context."""
    answers = context.answers
    match condition:
        case Equals(equals=spec):
            return _matches(answers.get(spec.question), spec.value)
        case In(in_=spec):
            return any(_matches(answers.get(spec.question), value) for value in spec.values)
        case GreaterThan(gt=spec):
            number = _number(answers.get(spec.question))
            return number is not None and number > spec.value
        case LessThan(lt=spec):
            number = _number(answers.get(spec.question))
            return number is not None and number < spec.value
        case Answered(answered=question):
            return not _is_blank(answers.get(question))
        case Contains(contains=spec):
            answer = answers.get(spec.question)
            if isinstance(answer, list):
                return any(spec.text.casefold() in str(item).casefold() for item in answer)
            return isinstance(answer, str) and spec.text.casefold() in answer.casefold()
        case NeedMentions(need_mentions=words):
            return bool(context.needs_mentioning(words))
        case All(all=items):
            return all(evaluate(item, context) for item in items)
        case Any_(any=items):
            return any(evaluate(item, context) for item in items)
        case Not(not_=inner):
            return not evaluate(inner, context)
    raise TypeError(f"unknown condition {condition!r}")


Reason = dict[str, Any]


def explain(condition: Condition, context: Context) -> list[Reason]:
    """The positive facts that made a condition true, for "suggested because you answered ...".

    Returns an empty list when the condition does not hold.
    """
    if not evaluate(condition, context):
        return []
    answers = context.answers
    match condition:
        case Equals(equals=spec) | In(in_=spec) | GreaterThan(gt=spec) | LessThan(lt=spec):
            return [{"question": spec.question, "value": answers.get(spec.question)}]
        case Contains(contains=spec):
            return [{"question": spec.question, "value": answers.get(spec.question)}]
        case Answered(answered=question):
            return [{"question": question, "value": answers.get(question)}]
        case NeedMentions(need_mentions=words):
            return [{"need_word": word} for word in context.needs_mentioning(words)[:1]]
        case All(all=items):
            reasons: list[Reason] = []
            for item in items:
                reasons.extend(explain(item, context))
            return reasons
        case Any_(any=items):
            for item in items:
                found = explain(item, context)
                if found:
                    return found
            return []
        case Not():
            return []
    return []


def questions_referenced(condition: Condition) -> set[str]:
    """Every question id a condition reads, for checking data files against the wizard."""
    match condition:
        case Equals(equals=spec) | In(in_=spec) | GreaterThan(gt=spec) | LessThan(lt=spec):
            return {spec.question}
        case Contains(contains=spec):
            return {spec.question}
        case Answered(answered=question):
            return {question}
        case NeedMentions():
            return set()
        case All(all=items) | Any_(any=items):
            found: set[str] = set()
            for item in items:
                found |= questions_referenced(item)
            return found
        case Not(not_=inner):
            return questions_referenced(inner)
    return set()
