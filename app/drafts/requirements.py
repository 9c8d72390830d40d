"""A draft's requirements: their numbers in the document, the officer's edits and decisions,
their traces to needs and effect goals, and what an edit changed against the template."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Literal

from sqlmodel import Session, select

from app.drafts.store import logged, next_position, now, record_change, requirements_of
from app.library.engine import fill_text
from app.library.loader import Library
from app.models import Draft, DraftRequirement, RequirementStatus, RequirementTrace, User

REQUIREMENT_TEXT_FIELDS = ("title", "text", "motive", "verification")

# Sections of the requirements in the document, in the order a tender document presents them.
SECTION_OF_TYPE = {
    "kvalificeringskrav": 1,
    "teknisk_specifikation": 2,
    "tilldelningskriterium": 3,
    "sarskilt_kontraktsvillkor": 4,
}


def section_numbers(types: list[str | None]) -> list[str]:
    """Numbers like K2.3: section by requirement type, then the order within the section.

    None stands for a requirement left out (rejected), which gets no number. A number changes
    only when requirements before it in its own section are added, removed or rejected."""
    counters: dict[int, int] = {}
    numbers = []
    for requirement_type in types:
        if requirement_type is None:
            numbers.append("")
            continue
        section = section_of(requirement_type)
        counters[section] = counters.get(section, 0) + 1
        numbers.append(f"K{section}.{counters[section]}")
    return numbers


def requirement_numbers(rows: list[DraftRequirement]) -> dict[int, str]:
    types = [
        None
        if RequirementStatus(row.status) == RequirementStatus.rejected
        else row.requirement_type
        for row in rows
    ]
    return {row.id or 0: number for row, number in zip(rows, section_numbers(types), strict=True)}


def template_texts(library: Library, row: DraftRequirement, language: str) -> dict[str, str] | None:
    """What the requirement's template says, filled with the row's parameters."""
    template = library.by_id.get(row.template_id or "")
    if template is None:
        return None
    parameters = {p.name: p.default for p in template.parameters} | (row.parameters or {})
    return {
        "title": template.title.get(language),
        "text": fill_text(template, parameters, language),
        "motive": template.motive.get(language),
        "verification": template.verification.get(language),
    }


def traces_of(session: Session, row: DraftRequirement) -> list[RequirementTrace]:
    return list(
        session.exec(
            select(RequirementTrace).where(RequirementTrace.requirement_id == row.id)
        ).all()
    )


def set_traces(
    session: Session,
    row: DraftRequirement,
    need_ids: list[int],
    goal_ids: list[int],
    *,
    confirmed: bool = True,
) -> None:
    """Link a requirement to exactly these needs and effect goals: the officer's choice, or
    (`confirmed=False`) the proposal of an earlier procurement's suggestion."""
    for trace in traces_of(session, row):
        session.delete(trace)
    session.flush()
    for need_id in sorted(set(need_ids)):
        session.add(
            RequirementTrace(requirement_id=row.id or 0, need_id=need_id, confirmed=confirmed)
        )
    for goal_id in sorted(set(goal_ids)):
        session.add(
            RequirementTrace(
                requirement_id=row.id or 0, effect_goal_id=goal_id, confirmed=confirmed
            )
        )


def confirm_traces(session: Session, row: DraftRequirement) -> None:
    """The links shown with the requirement become the officer's."""
    for trace in traces_of(session, row):
        if not trace.confirmed:
            trace.confirmed = True
            session.add(trace)


def set_requirement_status(
    session: Session,
    draft: Draft,
    user: User | None,
    row: DraftRequirement,
    status: RequirementStatus,
) -> None:
    """The officer's decision on a requirement. Accepting takes the needs and goals it is
    shown to serve as confirmed; any decision is also its re-examination."""
    before = RequirementStatus(row.status).value
    row.status = status
    row.needs_review = False
    row.updated_at = now()
    session.add(row)
    if status == RequirementStatus.accepted:
        confirm_traces(session, row)
    record_change(
        session,
        draft,
        user,
        f"requirement.{status.value}",
        requirement=row.template_id or row.id,
        before=before,
        after=status.value,
    )


def confirm_requirement(
    session: Session, draft: Draft, user: User | None, row: DraftRequirement
) -> None:
    """The officer has re-examined a requirement that came from an earlier procurement."""
    row.needs_review = False
    row.updated_at = now()
    session.add(row)
    if RequirementStatus(row.status) != RequirementStatus.suggested:
        confirm_traces(session, row)
    record_change(
        session, draft, user, "requirement.confirmed", requirement=row.template_id or row.id
    )


def decide_section(
    session: Session,
    draft: Draft,
    user: User | None,
    rows: list[DraftRequirement],
    section: int,
    status: RequirementStatus,
) -> list[DraftRequirement]:
    """Accept or reject every suggestion in a section at once (K1-K4): one decision."""
    chosen = [
        row
        for row in rows
        if RequirementStatus(row.status) == RequirementStatus.suggested
        and section_of(row.requirement_type) == section
    ]
    for row in chosen:
        row.status = status
        row.needs_review = False
        row.updated_at = now()
        session.add(row)
        if status == RequirementStatus.accepted:
            confirm_traces(session, row)
    if chosen:
        record_change(
            session,
            draft,
            user,
            f"requirements.section_{status.value}",
            section=section,
            count=len(chosen),
        )
    return chosen


def section_of(requirement_type: str | None) -> int:
    return SECTION_OF_TYPE.get(requirement_type or "", 5)


def save_requirement(
    session: Session,
    draft: Draft,
    user: User | None,
    row: DraftRequirement,
    fields: dict[str, Any],
    need_ids: list[int],
    goal_ids: list[int],
    library: Library,
    language: str,
) -> DraftRequirement:
    """Store the officer's version of a requirement. Editing a suggestion accepts it; the
    template link stays, and `edited` records that the text is no longer the template's."""
    before = {name: getattr(row, name) for name in fields if row.id is not None}
    for name, value in fields.items():
        setattr(row, name, value)
    original = template_texts(library, row, language)
    row.edited = original is not None and any(
        (getattr(row, name) or "").strip() != original[name].strip()
        for name in REQUIREMENT_TEXT_FIELDS
    )
    if row.status == RequirementStatus.suggested:
        row.status = RequirementStatus.accepted
    row.needs_review = False
    row.updated_at = now()
    if row.id is None:
        row.position = next_position(requirements_of(session, draft))
    session.add(row)
    session.flush()
    set_traces(session, row, need_ids, goal_ids)
    changed = [name for name in before if before[name] != getattr(row, name)]
    record_change(
        session,
        draft,
        user,
        "requirement.saved",
        requirement=row.template_id or row.id,
        edited=row.edited,
        before={name: logged(before[name]) for name in changed},
        after={name: logged(getattr(row, name)) for name in changed},
    )
    return row


TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class DiffPart:
    kind: Literal["same", "added", "removed"]
    text: str


def word_diff(before: str, after: str) -> list[DiffPart]:
    """Word differences between two texts: what an edit changed against a template."""
    old = TOKEN.findall(before or "")
    new = TOKEN.findall(after or "")
    parts: list[DiffPart] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            parts.append(DiffPart("same", "".join(old[old_start:old_end])))
            continue
        if operation in ("delete", "replace"):
            parts.append(DiffPart("removed", "".join(old[old_start:old_end])))
        if operation in ("insert", "replace"):
            parts.append(DiffPart("added", "".join(new[new_start:new_end])))
    return parts
