"""Full-text search and filters over the requirement library, in Swedish and English."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.library.loader import Library
from app.library.schema import Template

WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class LibraryFilters:
    query: str = ""
    area: str = ""
    type: str = ""
    level: str = ""
    kind: str = ""


def _haystack(template: Template) -> str:
    parts = [template.id]
    for text in (template.title, template.text, template.motive, template.verification):
        parts.extend((text.sv, text.en))
    parts.extend(template.references)
    return " ".join(parts).casefold()


def search(library: Library, filters: LibraryFilters) -> list[Template]:
    """Templates matching every word of the query (in either language) and every filter."""
    words = [word.casefold() for word in WORD.findall(filters.query)]
    found = []
    for template in library.templates:
        if filters.area and library.area_of(template.id) != filters.area:
            continue
        if filters.type and template.type != filters.type:
            continue
        if filters.level and template.level != filters.level:
            continue
        if filters.kind and template.kind != filters.kind:
            continue
        if words:
            haystack = _haystack(template)
            if not all(word in haystack for word in words):
                continue
        found.append(template)
    return found
