"""What the checker reports: a finding per smell, worded in the current locale."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from app.i18n import get_locale, gettext_

if TYPE_CHECKING:
    from app.quality.schema import SolutionArea

Severity = Literal["warning", "blocker"]

# Fixed ids: other tools (exports, the review page, scripts reading `lint --format json`) use them.
RULES: tuple[str, ...] = (
    "brand",
    "standard-equivalent",
    "vague",
    "loophole",
    "open-ended",
    "superlative",
    "compound",
    "solution",
    "unmeasurable",
    "turnover",
)

# The paragraph a finding rests on. The exact § for standards within LOU 9 kap. 3-5 § and the
# turnover paragraph in 14 kap. are unconfirmed (see DOMAIN.md), hence the chapter-level cites.
REFERENCES: dict[str, str] = {
    "brand": "LOU 9 kap. 6 §",
    "standard-equivalent": "LOU 9 kap. 4 §",
    "turnover": "LOU 14 kap.",
}


@dataclass(frozen=True)
class Finding:
    rule: str
    start: int
    end: int
    message: str
    suggestion: str
    severity: Literal["warning", "blocker"]
    reference: str | None
    # Rules merged into this finding, shown as one box: a vague word that is also a level left
    # unmeasured ("rimliga", "snabb") is one finding of rule "vague" with "unmeasurable" here.
    also: tuple[str, ...] = ()

    @property
    def rules(self) -> tuple[str, ...]:
        """Every rule the finding stands for: its own, then the merged ones."""
        return (self.rule, *self.also)


def solution_area(area_id: str) -> SolutionArea | None:
    from app.quality.lexicon import load_solution_areas

    return next((area for area in load_solution_areas().areas if area.id == area_id), None)


def make_finding(
    rule: str, start: int, end: int, word: str, details: dict[str, str] | None = None
) -> Finding:
    message, suggestion = describe(rule, word, details or {})
    return Finding(
        rule=rule,
        start=start,
        end=end,
        message=message,
        suggestion=suggestion,
        severity="blocker" if rule == "brand" else "warning",
        reference=REFERENCES.get(rule),
    )


def describe(rule: str, word: str, details: dict[str, str] | None = None) -> tuple[str, str]:
    """Message and suggestion for a sentence-level finding, in the current locale. The message
    names the words that triggered the finding; the suggestion proposes a rewrite pattern."""
    details = details or {}
    if rule not in _DESCRIPTIONS:
        raise ValueError(f"unknown rule: {rule}")
    return _DESCRIPTIONS[rule](word, details)


def _brand(word: str, details: dict[str, str]) -> tuple[str, str]:
    if details.get("evidence") == "unknown-word":
        message = gettext_(
            "“%(word)s” is no Swedish or English word and reads as a product name, "
            "without “or equivalent”.",
            word=word,
        )
    else:
        message = gettext_(
            "“%(word)s” names a brand, manufacturer or product without “or equivalent”.",
            word=word,
        )
    return message, gettext_(
        "Describe the function instead: “… shall achieve …, measured as …”. Only if the object "
        "cannot be described clearly otherwise, write “%(word)s or equivalent” and say what "
        "makes a product equivalent.",
        word=word,
    )


def _standard_equivalent(word: str, details: dict[str, str]) -> tuple[str, str]:
    return (
        gettext_("“%(word)s” cites a standard or label without “or equivalent”.", word=word),
        gettext_(
            "Write “… shall meet %(word)s or equivalent”, and accept other proof of the same "
            "level, for example a test report from an accredited body.",
            word=word,
        ),
    )


def _vague(word: str, details: dict[str, str]) -> tuple[str, str]:
    return (
        gettext_("“%(word)s” is subjective and cannot be verified.", word=word),
        gettext_(
            "Give a measurable value instead of “%(word)s”: “… shall … within / at least / at "
            "most [value] [unit], measured as …”.",
            word=word,
        ),
    )


def _loophole(word: str, details: dict[str, str]) -> tuple[str, str]:
    return (
        gettext_("“%(word)s” leaves open when the requirement applies.", word=word),
        gettext_(
            "Remove “%(word)s”, or state the condition: “… shall … when [condition], as decided "
            "by [the contracting authority]”.",
            word=word,
        ),
    )


def _open_ended(word: str, details: dict[str, str]) -> tuple[str, str]:
    return (
        gettext_("“%(word)s” leaves the scope of the requirement open.", word=word),
        gettext_(
            "List everything that is required: “… shall handle [A], [B] and [C]”, or “… shall "
            "handle everything listed in annex [X]”."
        ),
    )


def _superlative(word: str, details: dict[str, str]) -> tuple[str, str]:
    if details.get("kind") == "absolute":
        return (
            gettext_(
                "“%(word)s” promises an absolute (always, never, without any fault) that "
                "cannot be verified.",
                word=word,
            ),
            gettext_(
                "Set the level that is good enough: “… shall be available at least [value] "
                "per cent of [period]” or “… at most [number] faults per [period], measured as "
                "…”."
            ),
        )
    return (
        gettext_("“%(word)s” asks for the best or the most without a verifiable level.", word=word),
        gettext_(
            "Set a level: “… shall be at least / at most [value] [unit], measured as …”, or make "
            "it an award criterion: “[property] is scored from 0 to [points] according to …”."
        ),
    )


def _compound(word: str, details: dict[str, str]) -> tuple[str, str]:
    if details.get("parts"):
        message = gettext_(
            "This sentence holds %(count)s requirements: %(parts)s.",
            count=details.get("count", "2"),
            parts=details["parts"],
        )
    else:
        message = gettext_("This sentence holds more than one requirement (“%(word)s”).", word=word)
    if details.get("requirements"):
        requirements = " ".join(
            gettext_("“%(requirement)s”", requirement=requirement)
            for requirement in details["requirements"].split("\n")
        )
        return message, gettext_(
            "Split it into one requirement per thing the supplier answers yes or no to: "
            "%(requirements)s.",
            requirements=requirements,
        )
    return message, gettext_(
        "Split it into one requirement per thing the supplier answers yes or no to: “[who] "
        "shall [the first thing] …”. “[who] shall [the next thing] …”."
    )


def _solution(word: str, details: dict[str, str]) -> tuple[str, str]:
    area = solution_area(details["area"]) if details.get("area") else None
    if area is None:
        return (
            gettext_("“%(word)s” prescribes a solution instead of the function needed.", word=word),
            gettext_(
                "State the function instead: “… shall let [users] [do what], measured as …”, "
                "and let the suppliers offer how."
            ),
        )
    locale = "en" if get_locale() == "en" else "sv"
    return (
        gettext_(
            "“%(word)s” prescribes a component or material, and the sentence names no "
            "function it must achieve.",
            word=word,
        ),
        gettext_(
            "State the function instead: “… shall achieve %(function)s, measured as "
            "%(measure)s”, and let suppliers offer how.",
            function=getattr(area.function, locale),
            measure=getattr(area.measure, locale),
        ),
    )


def _unmeasurable(word: str, details: dict[str, str]) -> tuple[str, str]:
    return (
        gettext_("“%(word)s” is named without a value and a unit.", word=word),
        gettext_(
            "Give “%(word)s” a value: “%(word)s shall be at most / at least [value] [unit], "
            "measured as …”, for example a response time under 2 seconds for 95 per cent of "
            "requests.",
            word=word,
        ),
    )


_DESCRIPTIONS: dict[str, Callable[[str, dict[str, str]], tuple[str, str]]] = {
    "brand": _brand,
    "standard-equivalent": _standard_equivalent,
    "vague": _vague,
    "loophole": _loophole,
    "open-ended": _open_ended,
    "superlative": _superlative,
    "compound": _compound,
    "solution": _solution,
    "unmeasurable": _unmeasurable,
}
