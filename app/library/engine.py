"""The suggestion engine: answers and needs in, suggested requirements out (deterministic)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.data.conditions import Context, Reason, check
from app.data.numbers import format_number, parse_number
from app.library.loader import Library
from app.library.schema import PLACEHOLDER, Parameter, Template


class NeedLike(Protocol):
    key: str
    who: str
    what: str
    why: str


@dataclass
class Suggestion:
    template: Template
    parameters: dict[str, Any]
    reasons: list[Reason]
    need_keys: list[str]
    # Parameters whose answer was out of range and fell back to the default.
    adjusted: list[str] = field(default_factory=list)

    def text(self, locale: str) -> str:
        return fill_text(self.template, self.parameters, locale)


def need_text(need: NeedLike) -> str:
    return f"{need.who}\n{need.what}\n{need.why}"


def fill_parameters(
    template: Template, answers: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Parameter values from the answers where a question supplies them, else the defaults.

    Values outside a parameter's range are not used: the default stands and the name is
    returned in the second list, so the officer can be told."""
    values: dict[str, Any] = {}
    adjusted: list[str] = []
    for parameter in template.parameters:
        value = parameter.default
        if parameter.question and parameter.question in answers:
            candidate = coerce_parameter(parameter, answers[parameter.question])
            if candidate is not None:
                value = candidate
            elif answers[parameter.question] not in (None, ""):
                adjusted.append(parameter.name)
        values[parameter.name] = value
    return values, adjusted


def coerce_parameter(parameter: Parameter, raw: Any) -> Any | None:
    """The value if it fits the parameter's type and range, else None."""
    if parameter.type == "text":
        text = str(raw).strip() if raw is not None else ""
        return text or None
    number = parse_number(raw) if raw is not None else None
    if number is None or not number.is_finite():
        return None
    if parameter.type == "integer":
        if number != number.to_integral_value():
            return None
        value: int | float = int(number)
    else:
        value = float(number)
    if parameter.min is not None and value < parameter.min:
        return None
    if parameter.max is not None and value > parameter.max:
        return None
    return value


def fill_text(template: Template, parameters: Mapping[str, Any], locale: str) -> str:
    def replace(match: Any) -> str:
        value = parameters.get(match.group(1), template.parameter(match.group(1)).default)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return format_number(value, locale)
        return str(value)

    return PLACEHOLDER.sub(replace, template.text.get(locale))


class NeedIndex:
    """Which needs mention a word, worked out once per word for a set of needs."""

    def __init__(self, needs: Sequence[NeedLike]) -> None:
        self.needs = list(needs)
        self._texts = [need_text(need).casefold() for need in self.needs]
        self._hits: dict[str, tuple[int, ...]] = {}

    def mentioning(self, word: str) -> tuple[int, ...]:
        hits = self._hits.get(word)
        if hits is None:
            needle = word.casefold()
            hits = tuple(i for i, text in enumerate(self._texts) if needle in text)
            self._hits[word] = hits
        return hits


def traced_needs(
    template: Template, needs: Sequence[NeedLike], index: NeedIndex | None = None
) -> list[str]:
    """Keys of the needs whose text mentions one of the template's need keywords."""
    index = index or NeedIndex(needs)
    found: set[int] = set()
    for word in template.need_keywords:
        found.update(index.mentioning(word))
    return [index.needs[i].key for i in sorted(found)]


def suggest(
    library: Library, answers: Mapping[str, Any], needs: Sequence[NeedLike]
) -> list[Suggestion]:
    """Every template whose triggers hold, in a stable order: the chosen area's templates
    first, then the cross-cutting sets, each by id."""
    index = NeedIndex(needs)
    context = Context(answers, [need_text(need) for need in needs])
    chosen_area = answers.get("area")
    suggestions = []
    for template in library.candidates(chosen_area):
        reasons = check(template.triggers, context)
        if reasons is None:
            continue
        parameters, adjusted = fill_parameters(template, answers)
        suggestions.append(
            Suggestion(
                template=template,
                parameters=parameters,
                reasons=reasons,
                need_keys=traced_needs(template, needs, index),
                adjusted=adjusted,
            )
        )
    suggestions.sort(
        key=lambda item: (library.area_of(item.template.id) != chosen_area, item.template.id)
    )
    return suggestions
