"""Read and validate requirement_library/: the area list and one file of templates per area."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from app.data.conditions import Condition, NeedMentions, questions_referenced, required_values, walk
from app.data.files import DataFileError, line_of, read_yaml, validate_data
from app.library.schema import Area, AreasFile, LibraryFile, Template

AREAS_FILE = "areas.yaml"


@dataclass
class Library:
    areas: list[Area]
    templates: list[Template]
    by_id: dict[str, Template] = field(default_factory=dict)
    # Where each template was read from, for error messages: id -> (file, line)
    origin: dict[str, tuple[Path, int | None]] = field(default_factory=dict)
    area_by_template: dict[str, str] = field(default_factory=dict)
    # Templates of an organisation's own (see app.library.organisation), not curated ones.
    own_ids: frozenset[str] = frozenset()
    # Which templates of its own an organisation's library holds (None: the curated library),
    # so that what is computed from a library can be kept while it is the same.
    revision: Any = None
    # When a draft follows the innovation path (areas.yaml): the need statement first.
    innovation_path: Condition | None = None

    def __post_init__(self) -> None:
        if not self.by_id:
            self.by_id = {template.id: template for template in self.templates}

    @cached_property
    def questions_read(self) -> frozenset[str]:
        """The questions whose answers decide which templates hold, or fill their parameters."""
        read: set[str] = set()
        for template in self.templates:
            read |= questions_referenced(template.triggers)
            read |= {parameter.question for parameter in template.parameters if parameter.question}
        return frozenset(read)

    def is_own(self, template_id: str) -> bool:
        return template_id in self.own_ids

    @cached_property
    def _by_required_area(self) -> tuple[dict[Any, list[Template]], list[Template]]:
        by_area: dict[Any, list[Template]] = {}
        anywhere: list[Template] = []
        for template in self.templates:
            areas = required_values(template.triggers, "area")
            if areas is None:
                anywhere.append(template)
            else:
                for area in areas:
                    by_area.setdefault(area, []).append(template)
        return by_area, anywhere

    def candidates(self, area: Any) -> list[Template]:
        """Templates whose triggers can hold when the draft's area is `area`, in library order."""
        by_area, anywhere = self._by_required_area
        if not isinstance(area, str):
            return anywhere
        cached = self._candidates_cache.get(area)
        if cached is None:
            chosen = {id(template) for template in by_area.get(area, [])} | {
                id(template) for template in anywhere
            }
            cached = [template for template in self.templates if id(template) in chosen]
            self._candidates_cache[area] = cached
        return cached

    @cached_property
    def _candidates_cache(self) -> dict[str, list[Template]]:
        return {}

    def area(self, area_id: str) -> Area | None:
        for area in self.areas:
            if area.id == area_id:
                return area
        return None

    @property
    def procurement_areas(self) -> list[Area]:
        """The areas an officer chooses between (cross-cutting sets are not among them)."""
        return [area for area in self.areas if not area.cross_cutting]

    def templates_in(self, area_id: str) -> list[Template]:
        return [template for template in self.templates if self.area_of(template.id) == area_id]

    def area_of(self, template_id: str) -> str:
        return self.area_by_template.get(template_id, "")


def load_library(directory: Path) -> Library:
    """Load every library file; a bad file raises DataFileError with file, line and field."""
    areas_path = directory / AREAS_FILE
    if not areas_path.exists():
        raise DataFileError(areas_path, None, "", "is missing: the library needs its area list")
    data, node_of_areas = read_yaml(areas_path)
    areas_file = validate_data(AreasFile, data, node_of_areas, areas_path)
    area_ids = [area.id for area in areas_file.areas]
    duplicates = {area_id for area_id in area_ids if area_ids.count(area_id) > 1}
    if duplicates:
        raise DataFileError(areas_path, None, "areas", f"area ids used twice: {sorted(duplicates)}")

    templates: list[Template] = []
    origin: dict[str, tuple[Path, int | None]] = {}
    area_by_id: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name == AREAS_FILE:
            continue
        data, node = read_yaml(path)
        library_file = validate_data(LibraryFile, data, node, path)
        if library_file.area not in area_ids:
            raise DataFileError(
                path,
                line_of(node, ("area",)),
                "area",
                f"unknown area '{library_file.area}' (not in {AREAS_FILE})",
            )
        for index, template in enumerate(library_file.templates):
            if template.id in origin:
                other, other_line = origin[template.id]
                raise DataFileError(
                    path,
                    line_of(node, ("templates", index, "id")),
                    f"templates.{index}.id",
                    f"template id '{template.id}' is already used in {other.name}:{other_line}",
                )
            origin[template.id] = (path, line_of(node, ("templates", index)))
            _check_triggers(template, path, origin[template.id][1])
            area_by_id[template.id] = library_file.area
            templates.append(template)
    _check_themes(areas_file, areas_path, node_of_areas, area_by_id)
    return Library(
        areas=list(areas_file.areas),
        templates=templates,
        origin=origin,
        area_by_template=area_by_id,
        innovation_path=areas_file.innovation_path,
    )


def _check_triggers(template: Template, path: Path, line: int | None) -> None:
    """Need and goal texts may hint, never add a requirement: a curated template's triggers
    read structured answers only."""
    if any(isinstance(item, NeedMentions) for item in walk(template.triggers)):
        raise DataFileError(
            path,
            line,
            f"{template.id}.triggers",
            "need_mentions cannot trigger a requirement: ask a question and read its answer, "
            "and put the words in need_keywords (they hint that the template may also fit)",
        )
    if not template.serves:
        raise DataFileError(
            path, line, f"{template.id}.serves", "name the kinds of need the template serves"
        )


def _check_themes(areas_file: AreasFile, path: Path, node: Any, area_by_id: dict[str, str]) -> None:
    """Every theme of an area names templates that exist."""
    for index, area in enumerate(areas_file.areas):
        for theme_index, theme in enumerate(area.themes):
            unknown = [identifier for identifier in theme.templates if identifier not in area_by_id]
            if unknown:
                raise DataFileError(
                    path,
                    line_of(node, ("areas", index, "themes", theme_index, "templates")),
                    f"areas.{index}.themes.{theme_index}.templates",
                    f"theme '{theme.id}' of '{area.id}' names unknown templates: {unknown}",
                )
