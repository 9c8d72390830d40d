"""Jinja2 environment with gettext, shared by pages and the PDF document."""

from __future__ import annotations

from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime as babel_format_datetime
from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Undefined,
    nodes,
    pass_eval_context,
    select_autoescape,
)
from jinja2.nodes import EvalContext
from markupsafe import Markup

from app.data.numbers import format_number
from app.drafts.conflicts import fingerprint
from app.i18n import get_locale, gettext_, ngettext_, translations
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


@lru_cache(maxsize=8192)
def _translated(locale: str, string: str, autoescape: bool) -> str:
    """A message without variables, translated and formatted once per process and language
    (a page translates about a hundred; each used to cost a catalogue lookup, a Markup and a
    format)."""
    text: str = translations(locale).gettext(string)
    if autoescape:
        text = Markup(text)
    return text % {}


@pass_eval_context
def _template_gettext(eval_context: EvalContext, string: str, /, **variables: Any) -> str:
    """`_()` and `gettext()` in templates, as jinja2.ext's newstyle gettext: always a format
    string, marked safe (its variables escaped) where the template escapes."""
    if not variables:
        return _translated(get_locale(), string, bool(eval_context.autoescape))
    text: str = gettext_(string)
    if eval_context.autoescape:
        text = Markup(text)
    return text % variables


@pass_eval_context
def _template_ngettext(
    eval_context: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    """`ngettext()` in templates, as jinja2.ext's newstyle ngettext (`num` is a variable)."""
    variables.setdefault("num", num)
    text: str = ngettext_(singular, plural, num)
    if eval_context.autoescape:
        text = Markup(text)
    return text % variables


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
    # The same translations as the i18n extension's newstyle callables, in one call instead of
    # three (its `_` looks up `gettext`, which calls ours, each through Context.call): a step
    # page translates about a hundred strings.
    environment.globals["_"] = environment.globals["gettext"] = _template_gettext
    environment.globals["ngettext"] = _template_ngettext
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


LAYOUT = "base.html"


def shows_layout(environment: Environment, name: str) -> bool:
    """Whether the template is a whole page in the base layout (it extends base.html, at
    some remove), rather than a fragment: only a whole page shows the header and what it
    needs (the unread count is a query). Asked again on every render while developing."""
    if environment.auto_reload:
        return _shows_layout(environment, name)
    return _kept_shows_layout(environment, name)


def _shows_layout(environment: Environment, name: str) -> bool:
    seen: set[str] = set()
    while name not in seen:
        if name == LAYOUT:
            return True
        seen.add(name)
        source = environment.loader.get_source(environment, name)[0]  # type: ignore[union-attr]
        parent = next(
            (
                node.template.value
                for node in environment.parse(source).find_all(nodes.Extends)
                if isinstance(node.template, nodes.Const)
            ),
            None,
        )
        if not isinstance(parent, str):
            return False
        name = parent
    return False


_kept_shows_layout = lru_cache(maxsize=512)(_shows_layout)
