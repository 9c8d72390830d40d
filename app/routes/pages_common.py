"""Helpers shared by the draft pages: the procurement areas as forms and pages show them."""

from __future__ import annotations

from app.content import Content
from app.i18n import get_locale


def area_ids(content: Content) -> list[str]:
    return [area.id for area in content.library.procurement_areas]


def area_names(content: Content) -> dict[str, str]:
    locale = get_locale()
    return {area.id: area.name.get(locale) for area in content.library.areas}
