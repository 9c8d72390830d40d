"""Jinja2 environment with gettext, shared by pages and the PDF document."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Undefined, select_autoescape
from markupsafe import Markup

from app.i18n import get_locale, gettext_, ngettext_
from app.terms import requirement_term

LOCAL_ZONE = ZoneInfo("Europe/Stockholm")


def _format_datetime(value: datetime | None, style: str = "medium") -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return format_datetime(value.astimezone(LOCAL_ZONE), style, locale=get_locale())


def _format_time(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(LOCAL_ZONE).strftime("%H:%M:%S")


def format_number(value: Any, locale: str | None = None) -> str:
    if value is None or value == "":
        return ""
    try:
        return format_decimal(value, locale=locale or get_locale())
    except (TypeError, ValueError, ArithmeticError):
        return str(value)


def _nl2br(value: str) -> Markup:
    escaped = Markup.escape(value or "")
    return Markup("<br>").join(escaped.split("\n"))


def _marked_segments(text: str, findings: list[Any]) -> list[Any]:
    from app.draft_quality import marked_segments

    return marked_segments(text, findings)


def make_environment(templates_dir: Path, *, strict: bool = False) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined if strict else Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext_, ngettext_, newstyle=True
    )
    environment.globals["get_locale"] = get_locale
    environment.globals["requirement_term"] = requirement_term
    environment.globals["marked_segments"] = _marked_segments
    environment.filters["datetime"] = _format_datetime
    environment.filters["time"] = _format_time
    environment.filters["number"] = format_number
    environment.filters["nl2br"] = _nl2br
    return environment
