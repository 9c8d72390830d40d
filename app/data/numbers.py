"""Numbers as users write them ("1 500 000 kr", "1,500,000", "99,7") and as documents print them.

One parser for the form, the gate and the document: Babel's, in the user's locale first, so that
"1,500" is one and a half in Swedish and fifteen hundred in English. A number that cannot be
read in that locale is tried in the other one, where it is unambiguous ("1 500 000,50" typed
in the English interface, "1,500,000" in the Swedish one).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel.numbers import NumberFormatError, format_decimal, get_group_symbol, parse_decimal

from app.i18n import LOCALES, get_locale

# Currency and unit words people type around an amount.
_AROUND = re.compile(
    r"(?i)(?:\bkr\b\.?|\bkronor\b|\bsek\b|:-|\bexkl\.?\s*moms\b|\bexcl\.?\s*vat\b)"
)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-"})


def parse_number(raw: Any, locale: str | None = None) -> Decimal | None:
    """The number in `raw`, or None when it holds none; `locale` defaults to the user's."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int | float | Decimal):
        number = Decimal(str(raw))
        return number if number.is_finite() else None
    text = _AROUND.sub("", str(raw)).translate(_MINUS).strip()
    if not text:
        return None
    first = locale if locale in LOCALES else get_locale()
    for candidate in (first, *(other for other in LOCALES if other != first)):
        parsed = _parse_in(text, candidate)
        if parsed is not None:
            return parsed
    return None


def _parse_in(text: str, locale: str) -> Decimal | None:
    # Spaces only ever group digits: take them as the locale's grouping (a no-break space in
    # Swedish) or drop them where the locale groups otherwise.
    group = get_group_symbol(locale)
    text = _SPACES.sub(group if not group.strip() else "", text)
    try:
        number = parse_decimal(text, locale=locale, strict=True)
    except (NumberFormatError, ValueError):
        return None
    return number if number.is_finite() else None


def format_number(value: Any, locale: str | None = None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, int | float | Decimal):
        # Babel's formatting is slow and a page shows the same few numbers again and again.
        try:
            return _formatted(type(value).__name__, value, locale or get_locale())
        except TypeError:  # a value that cannot be a key (a signalling NaN)
            pass
    try:
        return format_decimal(value, locale=locale or get_locale())
    except (TypeError, ValueError, ArithmeticError):
        return str(value)


@lru_cache(maxsize=4096)
def _formatted(_kind: str, value: int | float | Decimal, locale: str) -> str:
    """Keyed by the type too: 2 and 2.0 are equal keys but need not print alike."""
    try:
        return str(format_decimal(value, locale=locale))
    except (TypeError, ValueError, ArithmeticError):
        return str(value)
