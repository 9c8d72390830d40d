"""Every user-visible string in code and templates has a Swedish translation."""

from __future__ import annotations

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from app.config import PROJECT_ROOT

METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
KEYWORDS = {**DEFAULT_KEYWORDS, "gettext_": None, "ngettext_": (1, 2)}


def _source_messages() -> set[str]:
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT), METHODS, OPTIONS, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_message_has_a_swedish_translation() -> None:
    with (PROJECT_ROOT / "app/translations/sv/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        (message.id[0] if isinstance(message.id, tuple) else message.id)
        for message in catalog
        if message.id
        and (all(message.string) if isinstance(message.string, tuple) else message.string)
    }
    source = _source_messages()
    assert "The draft has no needs yet." in source  # gettext_ calls in Python are extracted
    missing = sorted(source - translated)
    assert not missing, f"untranslated (run `make translations`): {missing}"
