"""A wizard step's form as posted: each answer and each row field parsed, compared with what the
form was shown with (its base) and with what is stored now, and sorted into what to save,
what is wrong, and what someone else changed meanwhile."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from app.content import Content
from app.document import TenderDraft
from app.drafts.conflicts import FieldConflict, base_name, fingerprint, outcome, resolve_name
from app.drafts.groups import GroupRow, rows_in_document
from app.i18n import get_locale
from app.models import Answer
from app.routes.pages_common import area_ids
from app.wizard.answers import parse_answer
from app.wizard.schema import Question, Step


def form_value(form: FormData, question: Question, name: str | None = None) -> Any:
    name = name or question.id
    if question.type == "checkboxes":
        return [str(item) for item in form.getlist(name)]
    value = form.get(name)
    return value if isinstance(value, str) else None


def present(form: FormData, question: Question, name: str) -> bool:
    return (f"{name}__present" if question.type == "checkboxes" else name) in form


def field_name(group: Question, row_id: str, field: Question) -> str:
    return f"{group.id}-{row_id}-{field.id}"


def _base(form: FormData, name: str) -> str | None:
    value = form.get(base_name(name))
    return value if isinstance(value, str) and value else None


def _takes_theirs(form: FormData, name: str) -> bool:
    return form.get(resolve_name(name)) == "theirs"


@dataclass
class StepChanges:
    """What a posted step asks for."""

    answers: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    conflicts: dict[str, FieldConflict] = field(default_factory=dict)


def read_row(
    form: FormData,
    group: Question,
    row: GroupRow,
    content: Content,
    need_keys: list[str],
    changes: StepChanges,
) -> dict[str, Any]:
    """The fields of one row the user changed, valid and not changed by someone else too."""
    changed: dict[str, Any] = {}
    for item in group.fields:
        name = field_name(group, row.id, item)
        if not present(form, item, name) or _takes_theirs(form, name):
            continue
        submitted = form_value(form, item, name)
        parsed = parse_answer(item, submitted, area_ids(content), need_keys)
        if parsed.error:
            changes.errors[name] = parsed.error
            changes.raw[name] = submitted
            continue
        value = parsed.value
        if group.store in ("needs", "effect_goals") and value is None and item.type != "checkboxes":
            value = ""
        current = row.values.get(item.id)
        result = outcome(_base(form, name), value, current)
        if result == "save":
            changed[item.id] = value
        elif result == "conflict":
            changes.conflicts[name] = FieldConflict(
                name, item.label.get(get_locale()), submitted, current
            )
            changes.raw[name] = submitted
    return changed


def read_step(
    form: FormData,
    step: Step,
    document: TenderDraft,
    stored: dict[str, Answer],
    content: Content,
) -> StepChanges:
    """Everything a posted step asks to save, with its errors and conflicts."""
    changes = StepChanges()
    need_keys = [need.key for need in document.needs]
    for question in step.questions:
        if question.is_group:
            for row in rows_in_document(question, document):
                values = read_row(form, question, row, content, need_keys, changes)
                if values:
                    changes.rows.setdefault(question.id, {})[row.id] = values
            continue
        if not present(form, question, question.id) or _takes_theirs(form, question.id):
            continue
        submitted = form_value(form, question)
        parsed = parse_answer(question, submitted, area_ids(content), need_keys)
        if parsed.error:
            changes.errors[question.id] = parsed.error
            changes.raw[question.id] = submitted
            continue
        current = document.answers.get(question.id)
        result = outcome(_base(form, question.id), parsed.value, current)
        if result == "save":
            changes.answers[question.id] = parsed.value
        elif result == "conflict":
            answer = stored.get(question.id)
            changes.conflicts[question.id] = FieldConflict(
                question.id,
                question.label.get(get_locale()),
                submitted,
                current,
                answer.updated_by_id if answer else None,
                answer.updated_at if answer else None,
            )
            changes.raw[question.id] = submitted
    return changes


def bases_of(step: Step, document: TenderDraft) -> dict[str, str]:
    """The base of every field of a step as it is shown now."""
    bases = {}
    for question in step.questions:
        if question.is_group:
            for row in rows_in_document(question, document):
                for item in question.fields:
                    bases[field_name(question, row.id, item)] = fingerprint(row.values.get(item.id))
        else:
            bases[question.id] = fingerprint(document.answers.get(question.id))
    return bases
