"""The check-answers summary: every visible answer of every step, as the officer reads it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.content import Content
from app.document import TenderDraft
from app.i18n import get_locale, gettext_
from app.wizard.answers import display_value, is_blank, is_visible
from app.wizard.view import group_values


@dataclass
class SummaryRow:
    label: str
    value: str
    # where on the step's page the answer is asked
    anchor: str
    missing: bool = False


@dataclass
class SummarySection:
    step_id: str
    title: str
    rows: list[SummaryRow] = field(default_factory=list)

    kind = "questions"

    @property
    def id(self) -> str:
        return self.step_id


def answer_summary(content: Content, document: TenderDraft) -> list[SummarySection]:
    locale = get_locale()
    area_names = {area.id: area.name.get(locale) for area in content.library.areas}
    need_labels = {need.key: need.key for need in document.needs}
    groups = group_values(content, document)
    sections = []
    for step in content.wizard.steps:
        if step.kind != "questions":
            continue
        section = SummarySection(step.id, step.title.get(locale))
        for question in step.questions:
            if not is_visible(question, document.answers):
                continue
            anchor = f"q-{question.id}-wrapper"
            if question.is_group:
                items = groups.get(question.id, [])
                anchor = f"group-{question.id}"
                item_label = (question.item_label or question.label).get(locale)
                for index, item in enumerate(items, start=1):
                    section.rows.append(
                        SummaryRow(
                            f"{item_label} {item.get('key') or index}",
                            row_text(question.fields, item, locale, area_names, need_labels),
                            anchor,
                        )
                    )
                if not items:
                    section.rows.append(
                        SummaryRow(
                            question.label.get(locale),
                            "",
                            anchor,
                            missing=question.min_items > 0 or question.required,
                        )
                    )
                continue
            value = document.answers.get(question.id)
            section.rows.append(
                SummaryRow(
                    question.label.get(locale),
                    display_value(question, value, locale, area_names),
                    anchor,
                    missing=question.required and is_blank(value),
                )
            )
        sections.append(section)
    return sections


def row_parts(
    fields: list[Any],
    item: Mapping[str, Any],
    locale: str,
    area_names: Mapping[str, str],
    need_labels: Mapping[str, str],
) -> list[tuple[str, str]]:
    """A row of a group as (field label, value) for the fields filled in."""
    parts = []
    for question in fields:
        value = item.get(question.id)
        if question.options_from == "needs" and isinstance(value, list):
            text = ", ".join(need_labels.get(key, key) for key in value)
        else:
            text = display_value(question, value, locale, area_names)
        if text:
            parts.append((question.label.get(locale), text))
    return parts


def row_text(
    fields: list[Any],
    item: Mapping[str, Any],
    locale: str,
    area_names: Mapping[str, str],
    need_labels: Mapping[str, str],
) -> str:
    parts = row_parts(fields, item, locale, area_names, need_labels)
    return "; ".join(f"{label}: {text}" for label, text in parts) or gettext_("Not filled in")
