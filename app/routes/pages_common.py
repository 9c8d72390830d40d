"""Helpers shared by the draft pages: the task list and area names from what a page has read."""

from __future__ import annotations

from app.content import Content
from app.document import TenderDraft
from app.i18n import get_locale
from app.wizard.gates import check_gates
from app.wizard.view import TaskEntry, task_list


def draft_tasks(content: Content, document: TenderDraft) -> list[TaskEntry]:
    return task_list(content, document, check_gates(document, content))


def area_ids(content: Content) -> list[str]:
    return [area.id for area in content.library.procurement_areas]


def area_names(content: Content) -> dict[str, str]:
    locale = get_locale()
    return {area.id: area.name.get(locale) for area in content.library.areas}
