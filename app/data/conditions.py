"""Structured conditions (equals, in, gt, lt, all, any, not, ...) evaluated without eval.

The wizard uses them to show questions under conditions; the requirement library uses the same
conditions as triggers on answers and needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
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
    _joined: str = field(default="", init=False)
    _seen: dict[str, bool] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self._lowered_needs = [text.casefold() for text in self.need_texts]
        # Needs joined by a separator no stem contains, so one search covers them all.
        self._joined = "\x00".join(self._lowered_needs)

    def needs_mentioning(self, words: Iterable[str]) -> list[str]:
        """The words (stems) found in at least one need, in the order given."""
        found = []
        for word in words:
            hit = self._seen.get(word)
            if hit is None:
                hit = self._seen[word] = word.casefold() in self._joined
            if hit:
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

    Returns an empty list when the condition does not hold (or holds without a positive fact,
    as a lone `not` does)."""
    return check(condition, context) or []


def check(condition: Condition, context: Context) -> list[Reason] | None:
    """One pass: None when the condition does not hold, else the facts that made it hold."""
    answers = context.answers
    match condition:
        case All(all=items):
            reasons: list[Reason] = []
            for item in items:
                found = check(item, context)
                if found is None:
                    return None
                reasons.extend(found)
            return reasons
        case Any_(any=items):
            for item in items:
                found = check(item, context)
                if found is not None:
                    return found
            return None
        case Not(not_=inner):
            return None if evaluate(inner, context) else []
        case NeedMentions(need_mentions=words):
            mentioned = context.needs_mentioning(words)
            return [{"need_word": mentioned[0]}] if mentioned else None
    if not evaluate(condition, context):
        return None
    match condition:
        case Equals(equals=spec) | In(in_=spec) | GreaterThan(gt=spec) | LessThan(lt=spec):
            return [{"question": spec.question, "value": answers.get(spec.question)}]
        case Contains(contains=spec):
            return [{"question": spec.question, "value": answers.get(spec.question)}]
        case Answered(answered=question):
            return [{"question": question, "value": answers.get(question)}]
    return []


def required_values(condition: Condition, question: str) -> frozenset[Any] | None:
    """The answers to `question` without which the condition cannot hold, or None when any
    answer might do. Lets the engine skip templates of other areas without evaluating them."""
    match condition:
        case Equals(equals=spec) if spec.question == question:
            return frozenset([spec.value])
        case In(in_=spec) if spec.question == question:
            return frozenset(spec.values)
        case All(all=items):
            narrowed: frozenset[Any] | None = None
            for item in items:
                found = required_values(item, question)
                if found is not None:
                    narrowed = found if narrowed is None else narrowed & found
            return narrowed
        case Any_(any=items):
            union: set[Any] = set()
            for item in items:
                found = required_values(item, question)
                if found is None:
                    return None
                union |= found
            return frozenset(union)
    return None


def walk(condition: Condition) -> Iterator[Condition]:
    """The condition and every condition inside it."""
    yield condition
    match condition:
        case All(all=items) | Any_(any=items):
            for item in items:
                yield from walk(item)
        case Not(not_=inner):
            yield from walk(inner)


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
