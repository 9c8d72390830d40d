"""What the checker reports: a finding per smell, worded in the current locale."""

from __future__ import annotations

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
    """Message and suggestion for a sentence-level finding, in the current locale."""
    details = details or {}
    if rule == "brand" and details.get("evidence") == "unknown-word":
        return (
            gettext_(
                "“%(word)s” is no Swedish or English word and reads as a product name, "
                "without “or equivalent”.",
                word=word,
            ),
            gettext_(
                "Describe the function or performance needed instead. If the object cannot be "
                "described clearly otherwise, add “or equivalent” after “%(word)s”.",
                word=word,
            ),
        )
    if rule == "compound" and details.get("parts"):
        return (
            gettext_(
                "This sentence holds %(count)s requirements: %(parts)s.",
                count=details.get("count", "2"),
                parts=details["parts"],
            ),
            gettext_(
                "Split it into one requirement per sentence, so that each can be answered and "
                "verified on its own."
            ),
        )
    if rule == "solution" and details.get("area"):
        area = solution_area(details["area"])
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
                function=getattr(area.function, locale) if area else "…",
                measure=getattr(area.measure, locale) if area else "…",
            ),
        )
    if rule == "brand":
        return (
            gettext_(
                "“%(word)s” names a brand, manufacturer or product without “or equivalent”.",
                word=word,
            ),
            gettext_(
                "Describe the function or performance needed instead. If the object cannot be "
                "described clearly otherwise, add “or equivalent” after “%(word)s”.",
                word=word,
            ),
        )
    if rule == "standard-equivalent":
        return (
            gettext_("“%(word)s” cites a standard or label without “or equivalent”.", word=word),
            gettext_(
                "Add “or equivalent” after “%(word)s” so that suppliers may show the same level "
                "in another way.",
                word=word,
            ),
        )
    if rule == "vague":
        return (
            gettext_("“%(word)s” is subjective and cannot be verified.", word=word),
            gettext_(
                "Replace “%(word)s” with a value and a unit, and say how it is measured.",
                word=word,
            ),
        )
    if rule == "loophole":
        return (
            gettext_("“%(word)s” leaves open when the requirement applies.", word=word),
            gettext_(
                "Remove “%(word)s”, or state exactly when the requirement applies and who decides.",
                word=word,
            ),
        )
    if rule == "open-ended":
        return (
            gettext_("“%(word)s” leaves the scope of the requirement open.", word=word),
            gettext_(
                "List everything that is required, or refer to an annex with the complete list."
            ),
        )
    if rule == "superlative":
        return (
            gettext_(
                "“%(word)s” asks for the best or the most without a verifiable level.", word=word
            ),
            gettext_(
                "Set a minimum or maximum value with a unit, or make it an award criterion "
                "with a stated scoring."
            ),
        )
    if rule == "compound":
        return (
            gettext_("This sentence holds more than one requirement (“%(word)s”).", word=word),
            gettext_(
                "Split it into one requirement per sentence, so that each can be answered and "
                "verified on its own."
            ),
        )
    if rule == "solution":
        return (
            gettext_("“%(word)s” prescribes a solution instead of the function needed.", word=word),
            gettext_("Describe what the solution must achieve, and let the suppliers offer how."),
        )
    if rule == "unmeasurable":
        return (
            gettext_("“%(word)s” is named without a value and a unit.", word=word),
            gettext_(
                "Give a value with a unit and how it is measured, for example a response time "
                "under 2 seconds for 95 per cent of requests."
            ),
        )
    raise ValueError(f"unknown rule: {rule}")
