"""Figures and listings of the requirement library, for the `library` commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.data.local_text import LOCALES
from app.library.engine import fill_text, held_back, suggest
from app.library.loader import Library
from app.library.schema import Template

if TYPE_CHECKING:
    from app.content import Content
    from app.drafts.answers_file import AnswersFile


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
        "with_serves": sum(1 for template in templates if template.serves),
        # Every theme names at least one template (the loader checks), so a theme with a
        # template in the library is covered.
        "themes": {
            area.id: {
                "themes": len(area.themes),
                "covered": sum(
                    1
                    for theme in area.themes
                    if any(identifier in library.by_id for identifier in theme.templates)
                ),
            }
            for area in library.procurement_areas
        },
    }


def suggestion_coverage(content: Content, answers_file: AnswersFile) -> dict[str, Any]:
    """What the library suggests for an answers file: how many, how many from the
    cross-cutting sets, which of the area's themes they cover, and what waits for the
    dialogue on the innovation path."""
    library = content.library
    needs, goals = answers_file.needs_and_goals()
    answers = dict(answers_file.answers)
    suggestions = suggest(library, answers, needs, goals)
    area_id = str(answers.get("area", ""))
    area = library.area(area_id)
    chosen = {item.template.id for item in suggestions}
    cross = [item for item in suggestions if library.area_of(item.template.id) != area_id]
    themes = area.themes if area is not None else []
    covered = [theme.id for theme in themes if chosen.intersection(theme.templates)]
    return {
        "area": area_id,
        "suggestions": len(suggestions),
        "cross_cutting": len(cross),
        "cross_cutting_share": len(cross) / len(suggestions) if suggestions else 0.0,
        "themes": len(themes),
        "themes_covered": covered,
        "themes_missing": [theme.id for theme in themes if theme.id not in covered],
        "held_back": len(held_back(library, answers, needs)),
        "goals_linked": sum(1 for item in suggestions if item.goal_keys),
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


def coverage_text(name: str, figures: dict[str, Any]) -> str:
    """One answers file's coverage as `library coverage` prints it."""
    text = (
        f"{name}: {figures['suggestions']} suggestions, "
        f"{figures['cross_cutting_share']:.0%} from cross-cutting sets, themes "
        f"{len(figures['themes_covered'])}/{figures['themes']} ({figures['area']})"
    )
    if figures["held_back"]:
        text += f", {figures['held_back']} held back"
    if figures["themes_missing"]:
        text += f"\n  not covered: {', '.join(figures['themes_missing'])}"
    return text
