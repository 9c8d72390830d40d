"""Figures and listings of the requirement library, for the `library` commands."""

from __future__ import annotations

from typing import Any

from app.data.local_text import LOCALES
from app.library.engine import fill_text
from app.library.loader import Library
from app.library.schema import Template


def library_statistics(library: Library) -> dict[str, Any]:
    templates = library.templates
    areas: dict[str, int] = {area.id: 0 for area in library.areas}
    for template in templates:
        areas[library.area_of(template.id)] = areas.get(library.area_of(template.id), 0) + 1
    return {
        "templates": len(templates),
        "areas": areas,
        "languages": {
            locale: sum(1 for template in templates if template.text.get(locale).strip())
            for locale in LOCALES
        },
        "with_motive": sum(
            1 for template in templates if template.motive.sv and template.motive.en
        ),
        "with_verification": sum(
            1 for template in templates if template.verification.sv and template.verification.en
        ),
        "with_triggers": sum(1 for template in templates if template.triggers is not None),
        "with_parameters": sum(1 for template in templates if template.parameters),
    }


def template_record(library: Library, template: Template) -> dict[str, Any]:
    defaults = {parameter.name: parameter.default for parameter in template.parameters}
    return {
        "id": template.id,
        "version": template.version,
        "area": library.area_of(template.id),
        "kind": template.kind,
        "type": template.type,
        "level": template.level,
        "obligation": template.obligation,
        "title": {locale: template.title.get(locale) for locale in LOCALES},
        "text": {locale: fill_text(template, defaults, locale) for locale in LOCALES},
        "text_raw": {locale: template.text.get(locale) for locale in LOCALES},
        "motive": {locale: template.motive.get(locale) for locale in LOCALES},
        "verification": {locale: template.verification.get(locale) for locale in LOCALES},
    }
