"""The requirements section of an answers file: the officer's decisions on requirements
(status, edits, weights, own requirements, links) written from a draft and read into one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from app.document import RequirementData
from app.drafts.requirements import REQUIREMENT_TEXT_FIELDS, set_traces
from app.drafts.store import next_position
from app.i18n import gettext_
from app.library.engine import fill_text
from app.library.loader import Library
from app.library.schema import KINDS, LEVELS, TYPES
from app.models import Draft, DraftRequirement, Obligation, RequirementStatus

if TYPE_CHECKING:
    from app.drafts.answers_file import RequirementEntry

# What a requirement copied from an earlier procurement was suggested for.
COPIED_REASON = {"copied": True}


def entry_values(requirement: RequirementData) -> dict[str, Any]:
    """A requirement of a draft as the values of its answers-file entry. Texts are written
    when the officer edited them, for an own requirement, and for an organisation's template
    (which another organisation's library does not hold)."""
    suggested = requirement.status == "suggested"
    values: dict[str, Any] = {
        "template": requirement.template_id,
        "status": requirement.status,
        "obligation": requirement.obligation,
        "weight": requirement.weight,
        "parameters": dict(requirement.parameters),
        "brand_justification": requirement.brand_justification,
        # A suggestion's links are proposals; a decided requirement's the officer's.
        "needs": list(requirement.needs) + (list(requirement.proposed_needs) if suggested else []),
        "effect_goals": list(requirement.effect_goals)
        + (list(requirement.proposed_goals) if suggested else []),
    }
    if requirement.origin != "library" or requirement.edited:
        values |= {name: getattr(requirement, name) for name in REQUIREMENT_TEXT_FIELDS}
    if requirement.origin != "library":
        values |= {"kind": requirement.kind, "type": requirement.type, "level": requirement.level}
    return values


def entry_errors(
    entries: Sequence[RequirementEntry],
    library: Library,
    need_keys: Sequence[str],
    goal_keys: Sequence[str],
) -> list[str]:
    """What stops the section from being read, entry by entry."""
    errors = []
    for index, entry in enumerate(entries, start=1):
        where = gettext_("Requirement %(index)s", index=index)
        known = entry.template is not None and entry.template in library.by_id
        if not known and not (entry.title and entry.text):
            errors.append(
                gettext_(
                    "%(where)s: the library has no template “%(template)s”; give its title "
                    "and text to bring it in as your own requirement.",
                    where=where,
                    template=entry.template or "",
                )
            )
        if not known:
            for name, allowed in (("kind", KINDS), ("type", TYPES), ("level", LEVELS)):
                value = getattr(entry, name)
                if value is not None and value not in allowed:
                    errors.append(
                        gettext_(
                            "%(where)s: “%(value)s” is not a %(name)s of the library.",
                            where=where,
                            value=value,
                            name=name,
                        )
                    )
        unknown = [key for key in entry.needs if key not in need_keys]
        unknown += [key for key in entry.effect_goals if key not in goal_keys]
        if unknown:
            errors.append(
                gettext_(
                    "%(where)s refers to unknown needs or effect goals: %(keys)s",
                    where=where,
                    keys=", ".join(unknown),
                )
            )
    return errors


def add_entries(
    session: Session,
    draft: Draft,
    entries: Sequence[RequirementEntry],
    library: Library,
    language: str,
    need_ids: Mapping[str, int],
    goal_ids: Mapping[str, int],
    *,
    reexamine: bool,
) -> list[DraftRequirement]:
    """The section's requirements as rows of the draft, each with its links; with
    `reexamine`, marked to be re-examined like the needs and effect goals."""
    rows: list[DraftRequirement] = []
    position = next_position([])
    for entry in entries:
        row = _row_of(draft, entry, library, language, position)
        if row is None:
            continue
        row.needs_review = reexamine
        position += 1
        session.add(row)
        session.flush()
        set_traces(
            session,
            row,
            [need_ids[key] for key in entry.needs if key in need_ids],
            [goal_ids[key] for key in entry.effect_goals if key in goal_ids],
            confirmed=entry.status != "suggested",
        )
        rows.append(row)
    return rows


def _row_of(
    draft: Draft, entry: RequirementEntry, library: Library, language: str, position: int
) -> DraftRequirement | None:
    template = library.by_id.get(entry.template or "")
    row = DraftRequirement(
        draft_id=draft.id or 0,
        position=position,
        status=RequirementStatus(entry.status),
        weight=entry.weight,
        brand_justification=entry.brand_justification,
        reasons=[COPIED_REASON],
    )
    if template is None:
        if not (entry.title and entry.text):
            return None
        row.kind = entry.kind if entry.kind in KINDS else "function"
        row.requirement_type = entry.type if entry.type in TYPES else "teknisk_specifikation"
        row.level = entry.level if entry.level in LEVELS else "bas"
        row.obligation = Obligation(entry.obligation or "ska")
        for name in REQUIREMENT_TEXT_FIELDS:
            setattr(row, name, getattr(entry, name) or "")
        return row
    known = {parameter.name for parameter in template.parameters}
    parameters = {parameter.name: parameter.default for parameter in template.parameters} | {
        name: value for name, value in entry.parameters.items() if name in known
    }
    original = {
        "title": template.title.get(language),
        "text": fill_text(template, parameters, language),
        "motive": template.motive.get(language),
        "verification": template.verification.get(language),
    }
    row.template_id = template.id
    row.template_version = template.version
    row.kind, row.requirement_type, row.level = template.kind, template.type, template.level
    row.obligation = Obligation(entry.obligation or template.obligation)
    row.parameters = parameters
    for name in REQUIREMENT_TEXT_FIELDS:
        given = getattr(entry, name)
        setattr(row, name, given if given else original[name])
    row.edited = any(
        (getattr(row, name) or "").strip() != original[name].strip()
        for name in REQUIREMENT_TEXT_FIELDS
    )
    if row.edited and row.status == RequirementStatus.suggested:
        row.status = RequirementStatus.accepted  # an edit accepts, as on the Krav page
    return row
