"""The decisions on requirements an answers file records, applied to a draft built from it
without a database (what `render` prints): suggestions matched by template id, own
requirements, and suggestions the file does not mention left undecided."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.document import RequirementData, TenderDraft
from app.drafts.requirements import section_numbers
from app.i18n import gettext_
from app.library.engine import fill_text
from app.library.loader import Library
from app.library.schema import KINDS, LEVELS, TYPES, Template

if TYPE_CHECKING:
    from app.drafts.answers_file import RequirementEntry


class DecisionError(ValueError):
    """Entries that cannot be applied; the messages say which and why."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("; ".join(messages))


def accept_all(document: TenderDraft) -> TenderDraft:
    """Every suggestion taken as accepted: an answers file without decisions still yields a
    complete document."""
    requirements = [
        item.model_copy(update={"status": "accepted"}) if item.status == "suggested" else item
        for item in document.requirements
    ]
    return document.model_copy(update={"requirements": requirements})


def apply_decisions(
    document: TenderDraft, entries: list[RequirementEntry], library: Library
) -> TenderDraft:
    """The requirements as the file decides them, in the file's order; the suggestions it does
    not mention follow, undecided (they stay out of the document)."""
    language = document.language
    suggested = {item.template_id: item for item in document.requirements if item.template_id}
    need_keys = {need.key for need in document.needs}
    goal_keys = {goal.key for goal in document.effect_goals}
    errors: list[str] = []
    decided: list[RequirementData] = []
    mentioned: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        unknown = [key for key in entry.needs if key not in need_keys] + [
            key for key in entry.effect_goals if key not in goal_keys
        ]
        if unknown:
            errors.append(
                gettext_(
                    "Requirement %(position)s refers to unknown needs or effect goals: %(keys)s",
                    position=position,
                    keys=", ".join(unknown),
                )
            )
        if entry.template is None:
            own = _own_requirement(entry, position, errors)
            if own is not None:
                decided.append(own)
            continue
        mentioned.add(entry.template)
        base = suggested.get(entry.template)
        template = library.by_id.get(entry.template)
        if base is None and template is None:
            errors.append(
                gettext_(
                    "Requirement %(position)s: no template “%(id)s” in the library.",
                    position=position,
                    id=entry.template,
                )
            )
            continue
        if base is None and template is not None:
            base = _from_template(template, language)
        if base is not None:
            decided.append(_decided(base, entry, template, language))
    if errors:
        raise DecisionError(errors)
    undecided = [
        item.model_copy(update={"status": "suggested"})
        for item in document.requirements
        if item.template_id not in mentioned
    ]
    requirements = decided + undecided
    numbers = section_numbers(
        [None if item.status == "rejected" else item.type for item in requirements]
    )
    requirements = [
        item.model_copy(update={"number": number})
        for item, number in zip(requirements, numbers, strict=True)
    ]
    return document.model_copy(update={"requirements": requirements})


def _from_template(template: Template, language: str) -> RequirementData:
    """A template the answers did not suggest, added by the officer's decision."""
    parameters = {parameter.name: parameter.default for parameter in template.parameters}
    return RequirementData(
        number="",
        template_id=template.id,
        template_version=template.version,
        kind=template.kind,
        type=template.type,
        level=template.level,
        obligation=template.obligation,
        title=template.title.get(language),
        text=fill_text(template, parameters, language),
        motive=template.motive.get(language),
        verification=template.verification.get(language),
        parameters=parameters,
        references=list(template.references),
    )


def _decided(
    base: RequirementData,
    entry: RequirementEntry,
    template: Template | None,
    language: str,
) -> RequirementData:
    parameters = {**base.parameters, **entry.parameters}
    text = entry.text
    if text is None and entry.parameters and template is not None:
        text = fill_text(template, parameters, language)
    edits = {
        "title": entry.title,
        "text": text,
        "motive": entry.motive,
        "verification": entry.verification,
    }
    changed = {
        field: value
        for field, value in edits.items()
        if value is not None and value != getattr(base, field)
    }
    update: dict[str, object] = {
        **changed,
        "status": entry.status,
        "obligation": entry.obligation or base.obligation,
        "weight": entry.weight if entry.weight is not None else base.weight,
        "parameters": parameters,
        "brand_justification": entry.brand_justification or base.brand_justification,
        # Text filled in again from new parameters is the template's, not an edit.
        "edited": base.edited or bool(changed.keys() - ({"text"} if entry.text is None else set())),
    }
    if entry.needs:
        update["needs"] = list(entry.needs)
    if entry.effect_goals:
        update["effect_goals"] = list(entry.effect_goals)
    return base.model_copy(update=update)


def _own_requirement(
    entry: RequirementEntry, position: int, errors: list[str]
) -> RequirementData | None:
    """A requirement of the officer's own; it needs a title and a text, and known kinds."""
    problems = []
    if not (entry.title or "").strip() or not (entry.text or "").strip():
        problems.append(gettext_("an own requirement needs a title and a text"))
    for value, allowed in ((entry.kind, KINDS), (entry.type, TYPES), (entry.level, LEVELS)):
        if value is not None and value not in allowed:
            problems.append(
                gettext_(
                    "“%(value)s” is not one of %(allowed)s",
                    value=value,
                    allowed=", ".join(allowed),
                )
            )
    if problems:
        errors.append(
            gettext_(
                "Requirement %(position)s: %(problems)s.",
                position=position,
                problems="; ".join(problems),
            )
        )
        return None
    return RequirementData(
        number="",
        origin="officer",
        status=entry.status,
        kind=entry.kind or "function",
        type=entry.type or "teknisk_specifikation",
        level=entry.level or "bas",
        obligation=entry.obligation or "ska",
        weight=entry.weight,
        title=(entry.title or "").strip(),
        text=(entry.text or "").strip(),
        motive=entry.motive or "",
        verification=entry.verification or "",
        parameters=dict(entry.parameters),
        brand_justification=entry.brand_justification,
        needs=list(entry.needs),
        effect_goals=list(entry.effect_goals),
    )
