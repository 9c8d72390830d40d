"""The draft-level turnover check: a required yearly turnover above twice the contract's value.

Directive 2014/24/EU art. 58.3 caps the minimum yearly turnover a tenderer may be asked for at two
times the estimated contract value, unless the authority states special reasons in the
procurement documents (for a framework agreement: the value of the contracts expected to run at
the same time, or the framework's estimated value). LOU implements it in 14 kap. (the exact §
is unconfirmed, so the finding cites the chapter).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel.numbers import format_decimal

from app.i18n import get_locale, gettext_
from app.quality.findings import REFERENCES, Finding

# The directive's cap: at most this many times the estimated contract value.
TURNOVER_CAP = 2


def check_turnover(answers: Mapping[str, Any]) -> Finding | None:
    """A finding when `turnover_requirement_sek` exceeds twice `estimated_value` (SEK, the
    whole contract as the officer estimated it), else None; missing or unusable answers give
    no finding."""
    turnover = _number(answers.get("turnover_requirement_sek"))
    estimated = _number(answers.get("estimated_value"))
    if turnover is None or estimated is None or turnover <= 0 or estimated <= 0:
        return None
    limit = TURNOVER_CAP * estimated
    if turnover <= limit:
        return None
    locale = get_locale()
    amounts = {
        "turnover": format_decimal(round(turnover), locale=locale),
        "value": format_decimal(round(estimated), locale=locale),
        "limit": format_decimal(round(limit), locale=locale),
    }
    return Finding(
        rule="turnover",
        start=0,
        end=0,
        message=gettext_(
            "The required yearly turnover (%(turnover)s SEK) is more than twice the estimated "
            "contract value (%(value)s SEK).",
            **amounts,
        ),
        suggestion=gettext_(
            "Lower the requirement to at most %(limit)s SEK, or state in the tender document the "
            "special reasons for a higher one (directive 2014/24/EU art. 58.3).",
            **amounts,
        ),
        severity="warning",
        reference=REFERENCES["turnover"],
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        cleaned = value.replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            return float(cleaned)
        except ValueError:
            return None
    return None
