"""Translations: Babel message catalogues (app/translations/<locale>/LC_MESSAGES/messages.po).

Message ids are English; Swedish is the default locale. Catalogues are read from the .po files
at start-up and compiled in memory, so no compiled .mo files need to be kept in step.
"""

from __future__ import annotations

import gettext
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = ("sv", "en")
DEFAULT_LOCALE = "sv"
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"

_current_locale: ContextVar[str] = ContextVar("kravlotsen_locale", default=DEFAULT_LOCALE)


@cache
def translations(locale: str) -> gettext.NullTranslations:
    po_path = TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return gettext.NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def set_locale(locale: str) -> None:
    _current_locale.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def get_locale() -> str:
    return _current_locale.get()


def gettext_(message: str, **variables: object) -> str:
    """Translate into the current locale; `%(name)s` variables are filled in."""
    text = translations(get_locale()).gettext(message)
    return text % variables if variables else text


def ngettext_(singular: str, plural: str, n: int, **variables: object) -> str:
    text = translations(get_locale()).ngettext(singular, plural, n)
    return text % {"num": n, **variables}


_ = gettext_


class use_locale:  # noqa: N801 - used as a context manager, reads like a statement
    """Switch the current locale inside a `with` block (e.g. a document in the draft's language)."""

    def __init__(self, locale: str) -> None:
        self.locale = locale if locale in LOCALES else DEFAULT_LOCALE
        self._token: object | None = None

    def __enter__(self) -> str:
        self._token = _current_locale.set(self.locale)
        return self.locale

    def __exit__(self, *exc_info: object) -> None:
        _current_locale.reset(self._token)  # type: ignore[arg-type]
