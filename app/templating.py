"""Jinja2 environment with gettext, shared by pages and the PDF document."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime as babel_format_datetime
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Undefined, select_autoescape
from markupsafe import Markup

from app.data.numbers import format_number
from app.drafts.conflicts import fingerprint
from app.i18n import get_locale, gettext_, ngettext_
from app.terms import requirement_term
from app.urls import step_url

LOCAL_ZONE = ZoneInfo("Europe/Stockholm")


def format_datetime(value: datetime | None, style: str = "medium") -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return babel_format_datetime(value.astimezone(LOCAL_ZONE), style, locale=get_locale())


def _format_time(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(LOCAL_ZONE).strftime("%H:%M:%S")


def _nl2br(value: str) -> Markup:
    escaped = Markup.escape(value or "")
    return Markup("<br>").join(escaped.split("\n"))


def _marked_segments(text: str, findings: list[Any]) -> list[Any]:
    from app.quality.report import marked_segments

    return marked_segments(text, findings)


@cache
def make_environment(
    templates_dir: Path, *, strict: bool = False, auto_reload: bool = False
) -> Environment:
    """The Jinja2 environment for a templates folder, made once per process: its compiled
    templates are shared by every app built in it (tests build many)."""
    environment = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined if strict else Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates are checked for changes on every use only while developing.
        auto_reload=auto_reload,
    )
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext_, ngettext_, newstyle=True
    )
    environment.globals["get_locale"] = get_locale
    environment.globals["requirement_term"] = requirement_term
    environment.globals["marked_segments"] = _marked_segments
    environment.globals["step_url"] = step_url
    environment.globals["fingerprint"] = fingerprint
    environment.filters["datetime"] = format_datetime
    environment.filters["time"] = _format_time
    environment.filters["number"] = format_number
    environment.filters["nl2br"] = _nl2br
    return environment
