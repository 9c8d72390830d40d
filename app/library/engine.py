"""The suggestion engine: answers, needs and effect goals in, suggested requirements out
(deterministic).

Which templates are suggested follows structured answers only; a suggestion proposes the needs
and goals it serves from their kinds (the officer confirms). Need and goal texts only hint that
a template "may also fit" (see hints)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.data.conditions import Context, Reason, check, evaluate, required_values
from app.data.numbers import format_number, parse_number
from app.library.loader import Library
from app.library.schema import PLACEHOLDER, Parameter, Template, unit_after

# Answers the engine works out from other answers, readable by triggers like any answer.
INNOVATION_PATH = "innovation_path"
DERIVED_QUESTIONS = frozenset({INNOVATION_PATH})

# The cross-cutting set of templates for the innovation path.
INNOVATION_AREA = "innovation"

# Award models under which nothing is scored: no bör-krav, no award criterion (LOU 16 kap.).
UNSCORED_MODELS = ("lowest_price", "lowest_cost")


class NeedLike(Protocol):
    key: str
    who: str
    what: str
    why: str
    kinds: list[str]


class GoalLike(Protocol):
    key: str
    goal: str
    indicator: str
    kinds: list[str]
    needs: list[str]


@dataclass
class Suggestion:
    template: Template
    parameters: dict[str, Any]
    reasons: list[Reason]
    # The needs and effect goals it is proposed to serve (the officer confirms).
    need_keys: list[str]
    goal_keys: list[str] = field(default_factory=list)
    # Parameters whose answer was out of range and fell back to the default.
    adjusted: list[str] = field(default_factory=list)

    def text(self, locale: str) -> str:
        return fill_text(self.template, self.parameters, locale)


@dataclass(frozen=True)
class Hint:
    """A template whose words appear in a need or goal, though no answer suggests it."""

    template: Template
    words: tuple[str, ...]


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
    if parameter.choices is not None:
        return (
            str(raw) if not isinstance(raw, list | dict) and str(raw) in parameter.choices else None
        )
    if parameter.type == "text":
        text = str(raw).strip() if raw is not None and not isinstance(raw, list) else ""
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


# "at least 100 per cent" is all: the words before a full share that the value makes moot.
AT_LEAST = {"sv": "minst", "en": "at least"}


def fill_text(template: Template, parameters: Mapping[str, Any], locale: str) -> str:
    """The template's text with the values filled in, numbers in the locale's way, the unit
    after the value 1 in the singular ("1 timme", "2 timmar"), and a full share without
    "at least" ("100 procent", not "minst 100 procent")."""
    text = template.text.get(locale)
    for parameter in template.parameters:
        value = parameters.get(parameter.name, parameter.default)
        if parameter.is_percentage and value == 100 and not isinstance(value, bool):
            text = re.sub(
                rf"\b{AT_LEAST[locale]}\s+(?=\{{{parameter.name}\}})",
                "",
                text,
                flags=re.IGNORECASE,
            )
        if parameter.unit_one is None or not _is_one(value):
            continue
        found = unit_after(text, parameter, locale)
        if found is not None:
            text = text[: found.start(2)] + parameter.unit_one.get(locale) + text[found.end(2) :]

    def replace(match: Any) -> str:
        parameter = template.parameter(match.group(1))
        value = parameters.get(parameter.name, parameter.default)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return format_number(value, locale)
        return parameter.wording(value, locale)

    return PLACEHOLDER.sub(replace, text)


def _is_one(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == 1


def derived_answers(library: Library, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers with what the engine works out from them (the innovation path)."""
    return {**answers, INNOVATION_PATH: on_innovation_path(library, answers)}


def on_innovation_path(library: Library, answers: Mapping[str, Any]) -> bool:
    """Whether the draft follows the innovation path: a dialogue planned, an innovation
    partnership or development with companies chosen, or no known solution. The need
    statement comes first, and the area's ready-made requirements wait for the dialogue."""
    condition = library.innovation_path
    return condition is not None and evaluate(condition, Context(answers))


def award_allowed(template: Template, answers: Mapping[str, Any]) -> bool:
    """A scored template (bör-krav, award criterion) only where the award model scores:
    never under lowest price, and under lowest cost only a template made for it."""
    model = answers.get("award_model")
    if not template.is_award or model not in UNSCORED_MODELS:
        return True
    made_for = required_values(template.triggers, "award_model") or frozenset()
    return model == "lowest_cost" and "lowest_cost" in made_for


def held_back_by_path(library: Library, template: Template, answers: Mapping[str, Any]) -> bool:
    """On the innovation path the requirements on a product nobody has chosen wait for the
    dialogue: the chosen area's templates, and the mandatory technical specifications of the
    cross-cutting sets (except the innovation set's own and the rules on personal data)."""
    if not answers.get(INNOVATION_PATH):
        return False
    area = library.area_of(template.id)
    if area == answers.get("area"):
        return True
    return (
        template.type == "teknisk_specifikation"
        and template.obligation == "ska"
        and area != INNOVATION_AREA
        and template.kind != "privacy"
    )


def goal_kinds(goal: GoalLike, needs: Sequence[NeedLike]) -> set[str]:
    """A goal's kinds: its own, or else those of the needs it follows from."""
    if goal.kinds:
        return set(goal.kinds)
    keys = set(goal.needs)
    return {kind for need in needs if need.key in keys for kind in need.kinds}


def proposed_needs(template: Template, needs: Sequence[NeedLike]) -> list[str]:
    """The needs whose kinds the template serves. A template without `serves` (an
    organisation's own, made before kinds) is proposed for needs that mention its words."""
    if template.serves:
        served = set(template.serves)
        return [need.key for need in needs if served.intersection(need.kinds)]
    words = [word.casefold() for word in template.need_keywords]
    return [need.key for need in needs if any(word in need_text(need).casefold() for word in words)]


def proposed_goals(
    template: Template, goals: Sequence[GoalLike], needs: Sequence[NeedLike]
) -> list[str]:
    """The effect goals of a kind the template serves, when it sets a measured level or makes
    the supplier report: those are the requirements that reach or report a goal's indicator."""
    if not template.links_goals or not template.serves:
        return []
    if template.reports and template.serves == ["follow_up"]:
        # A report on the effect goals' own indicators serves every goal.
        return [goal.key for goal in goals]
    served = set(template.serves)
    return [goal.key for goal in goals if served.intersection(goal_kinds(goal, needs))]


def _holding(
    library: Library,
    answers: Mapping[str, Any],
    needs: Sequence[NeedLike],
) -> list[tuple[Template, list[Reason]]]:
    """Every template whose triggers hold, with the facts that made them hold."""
    context = Context(answers, [need_text(need) for need in needs])
    found = []
    for template in library.candidates(answers.get("area")):
        reasons = check(template.triggers, context)
        if reasons is not None:
            found.append((template, reasons))
    return found


def suggest(
    library: Library,
    answers: Mapping[str, Any],
    needs: Sequence[NeedLike],
    goals: Sequence[GoalLike] = (),
) -> list[Suggestion]:
    """Every template whose triggers hold and that fits the award model and the path, in a
    stable order: the chosen area's templates first, then the cross-cutting sets, each by id."""
    answers = derived_answers(library, answers)
    chosen_area = answers.get("area")
    suggestions = []
    for template, reasons in _holding(library, answers, needs):
        if not award_allowed(template, answers) or held_back_by_path(library, template, answers):
            continue
        parameters, adjusted = fill_parameters(template, answers)
        suggestions.append(
            Suggestion(
                template=template,
                parameters=parameters,
                reasons=reasons,
                need_keys=proposed_needs(template, needs),
                goal_keys=proposed_goals(template, goals, needs),
                adjusted=adjusted,
            )
        )
    suggestions.sort(
        key=lambda item: (library.area_of(item.template.id) != chosen_area, item.template.id)
    )
    return suggestions


def held_back(
    library: Library, answers: Mapping[str, Any], needs: Sequence[NeedLike] = ()
) -> list[Template]:
    """The area templates the answers would suggest, held back until after the dialogue."""
    answers = derived_answers(library, answers)
    if not answers.get(INNOVATION_PATH):
        return []
    return [
        template
        for template, _reasons in _holding(library, answers, needs)
        if held_back_by_path(library, template, answers) and award_allowed(template, answers)
    ]


def _mentions(text: str, word: str) -> bool:
    """Whether a text has a word starting with this stem; stems shorter than four letters
    ("el", "led") match inside too many words to hint at anything."""
    stem = word.casefold()
    if len(stem) < 4 or stem not in text:
        return False
    return re.search(r"(?<!\w)" + re.escape(stem), text) is not None


def hints(
    library: Library,
    answers: Mapping[str, Any],
    needs: Sequence[NeedLike],
    goals: Sequence[GoalLike],
    taken: set[str],
    limit: int = 8,
) -> list[Hint]:
    """Templates that may also fit: their words appear in a need or goal, no answer suggests
    them and the draft does not have them. A hint never becomes a suggestion by itself."""
    answers = derived_answers(library, answers)
    texts = [need_text(need).casefold() for need in needs]
    texts += [f"{goal.goal}\n{goal.indicator}".casefold() for goal in goals]
    joined = "\x00".join(texts)
    if not joined:
        return []
    found = []
    for template in library.candidates(answers.get("area")):
        if template.id in taken or library.is_own(template.id):
            continue
        if not award_allowed(template, answers) or held_back_by_path(library, template, answers):
            continue
        words = tuple(word for word in template.need_keywords if _mentions(joined, word))
        if words:
            found.append(Hint(template, words))
    found.sort(key=lambda hint: (-len(hint.words), hint.template.id))
    return found[:limit]
