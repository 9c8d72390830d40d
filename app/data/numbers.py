"""Numbers as users write them ("2 400 000 kr", "99,7") and as documents print them."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import format_decimal

from app.i18n import get_locale


def parse_number(raw: Any) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float | Decimal):
        return Decimal(str(raw))
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "").replace("kr", "")
    text = text.replace("SEK", "").replace(":-", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def format_number(value: Any, locale: str | None = None) -> str:
    if value is None or value == "":
        return ""
    try:
        return format_decimal(value, locale=locale or get_locale())
    except (TypeError, ValueError, ArithmeticError):
        return str(value)
