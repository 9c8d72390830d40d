"""Drafts in the database: answers, needs, suggested requirements, and the plain document."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from app.answers_file import AnswersFile
from app.content import Content
from app.document import EffectGoalData, NeedData, RequirementData, TenderDraft
from app.library.engine import Suggestion, fill_parameters, fill_text, suggest, traced_needs
from app.library.loader import Library
from app.library.organisation import library_for
from app.models import (
    Answer,
    AuditEvent,
    Draft,
    DraftRequirement,
    EffectGoal,
    Need,
    Obligation,
    Organisation,
    RequirementStatus,
    RequirementTrace,
    User,
)


def now() -> datetime:
    return datetime.now(UTC)


def audit(
    session: Session, draft: Draft | None, user: User | None, action: str, **detail: Any
) -> None:
    session.add(
        AuditEvent(
            organisation_id=draft.organisation_id if draft else None,
            draft_id=draft.id if draft else None,
            user_id=user.id if user else None,
            action=action,
            detail=detail,
        )
    )


def touch(draft: Draft) -> None:
    """Every change bumps the version (optimistic locking) and the time of the last change."""
    draft.version += 1
    draft.updated_at = now()


def create_draft(
    session: Session,
    organisation: Organisation,
    user: User | None,
    title: str,
    language: str = "sv",
) -> Draft:
    draft = Draft(
        organisation_id=organisation.id or 0,
        title=title.strip(),
        created_by_id=user.id if user else None,
    )
    session.add(draft)
    session.flush()
    session.add(Answer(draft_id=draft.id or 0, question_id="title", value=draft.title))
    if language != "sv":
        session.add(Answer(draft_id=draft.id or 0, question_id="document_language", value=language))
    audit(session, draft, user, "draft.created", title=draft.title)
    session.commit()
    session.refresh(draft)
    return draft


def answer_rows(session: Session, draft: Draft) -> list[Answer]:
    return list(session.exec(select(Answer).where(Answer.draft_id == draft.id)).all())


def answers_of(session: Session, draft: Draft) -> dict[str, Any]:
    return {row.question_id: row.value for row in answer_rows(session, draft)}


def save_answer(
    session: Session, draft: Draft, user: User | None, question_id: str, value: Any
) -> Answer:
    """Store one answer (a blank value removes it). The title answer also renames the draft."""
    row = session.exec(
        select(Answer).where(Answer.draft_id == draft.id, Answer.question_id == question_id)
    ).first()
    if row is None:
        row = Answer(draft_id=draft.id or 0, question_id=question_id)
    row.value = value
    row.updated_at = now()
    row.updated_by_id = user.id if user else None
    session.add(row)
    if question_id == "title" and isinstance(value, str) and value.strip():
        draft.title = value.strip()
    touch(draft)
    session.add(draft)
    audit(session, draft, user, "answer.saved", question=question_id)
    session.commit()
    session.refresh(row)
    return row


def needs_of(session: Session, draft: Draft) -> list[Need]:
    return list(
        session.exec(
            select(Need).where(Need.draft_id == draft.id).order_by(col(Need.position), col(Need.id))
        ).all()
    )


def goals_of(session: Session, draft: Draft) -> list[EffectGoal]:
    return list(
        session.exec(
            select(EffectGoal)
            .where(EffectGoal.draft_id == draft.id)
            .order_by(col(EffectGoal.position), col(EffectGoal.id))
        ).all()
    )


def next_key(prefix: str, existing: list[str]) -> str:
    numbers = [int(key[len(prefix) :]) for key in existing if key[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


def add_need(
    session: Session, draft: Draft, user: User | None, who: str = "", what: str = "", why: str = ""
) -> Need:
    needs = needs_of(session, draft)
    need = Need(
        draft_id=draft.id or 0,
        position=len(needs),
        key=next_key("B", [item.key for item in needs]),
        who=who,
        what=what,
        why=why,
    )
    session.add(need)
    touch(draft)
    session.add(draft)
    session.flush()
    audit(session, draft, user, "need.added", need=need.key)
    session.commit()
    session.refresh(need)
    return need


def update_need(
    session: Session, draft: Draft, user: User | None, need: Need, **fields: str
) -> Need:
    for name, value in fields.items():
        setattr(need, name, value)
    need.updated_at = now()
    session.add(need)
    touch(draft)
    session.add(draft)
    audit(session, draft, user, "need.updated", need=need.key, fields=sorted(fields))
    session.commit()
    session.refresh(need)
    return need


def remove_need(session: Session, draft: Draft, user: User | None, need: Need) -> None:
    audit(session, draft, user, "need.removed", need=need.key)
    session.delete(need)
    touch(draft)
    session.add(draft)
    session.commit()


def requirements_of(session: Session, draft: Draft) -> list[DraftRequirement]:
    return list(
        session.exec(
            select(DraftRequirement)
            .where(DraftRequirement.draft_id == draft.id)
            .order_by(col(DraftRequirement.position), col(DraftRequirement.id))
        ).all()
    )


def trace_rows(session: Session, draft: Draft) -> dict[int, list[RequirementTrace]]:
    """Requirement id -> its trace rows, for the whole draft in one query."""
    rows = session.exec(
        select(RequirementTrace)
        .join(DraftRequirement, DraftRequirement.id == RequirementTrace.requirement_id)  # type: ignore[arg-type]
        .where(DraftRequirement.draft_id == draft.id)
    ).all()
    result: dict[int, list[RequirementTrace]] = {}
    for row in rows:
        result.setdefault(row.requirement_id, []).append(row)
    return result


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
        section = SECTION_OF_TYPE.get(requirement_type, 5)
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


def _origin(library: Library, template_id: str | None) -> str:
    if template_id is None:
        return "officer"
    return "organisation" if library.is_own(template_id) else "library"


def document_language(answers: Mapping[str, Any]) -> str:
    language = answers.get("document_language")
    return language if language in ("sv", "en") else "sv"


def sync_suggestions(session: Session, draft: Draft, content: Content, user: User | None) -> int:
    """Bring the draft's suggestions up to date with its answers and needs.

    New suggestions are added; untouched suggestions that no longer apply are removed;
    accepted, rejected and edited requirements are left as the officer made them.
    Returns the number of suggestions added."""
    answers = answers_of(session, draft)
    needs = needs_of(session, draft)
    language = document_language(answers)
    need_data = [_need_data(need) for need in needs]
    suggestions = suggest(library_for(session, draft.organisation_id, content), answers, need_data)
    wanted = {item.template.id: item for item in suggestions}
    existing = requirements_of(session, draft)
    by_template = {row.template_id: row for row in existing if row.template_id}
    need_ids = {need.key: need.id for need in needs}
    traces = trace_rows(session, draft)
    added = 0
    for row in existing:
        if (
            row.template_id
            and row.status == RequirementStatus.suggested
            and row.template_id not in wanted
        ):
            session.delete(row)
    position = max((row.position for row in existing), default=-1) + 1
    for suggestion in suggestions:
        found = by_template.get(suggestion.template.id)
        if found is None:
            row = _requirement_from(draft, suggestion, language, position)
            position += 1
            added += 1
            session.add(row)
            session.flush()
        elif found.status == RequirementStatus.suggested:
            row = found
            _refresh_suggested(row, suggestion, language)
            session.add(row)
        else:
            continue
        _retrace(
            session,
            row,
            traces.get(row.id or 0, []),
            [need_ids[key] for key in suggestion.need_keys if key in need_ids],
        )
    if added:
        audit(session, draft, user, "requirements.suggested", added=added)
    session.commit()
    return added


def _requirement_from(
    draft: Draft, suggestion: Suggestion, language: str, position: int
) -> DraftRequirement:
    template = suggestion.template
    row = DraftRequirement(
        draft_id=draft.id or 0,
        template_id=template.id,
        template_version=template.version,
        position=position,
        kind=template.kind,
        requirement_type=template.type,
        level=template.level,
        obligation=Obligation(template.obligation),
    )
    _refresh_suggested(row, suggestion, language)
    return row


def _refresh_suggested(row: DraftRequirement, suggestion: Suggestion, language: str) -> None:
    template = suggestion.template
    row.template_version = template.version
    row.title = template.title.get(language)
    row.text = suggestion.text(language)
    row.motive = template.motive.get(language)
    row.verification = template.verification.get(language)
    row.parameters = dict(suggestion.parameters)
    row.reasons = list(suggestion.reasons)
    row.updated_at = now()


def _retrace(
    session: Session,
    row: DraftRequirement,
    current: list[RequirementTrace],
    need_ids: list[int | None],
) -> None:
    wanted = {need_id for need_id in need_ids if need_id is not None}
    have = {trace.need_id for trace in current}
    for trace in current:
        if trace.need_id not in wanted and trace.need_id is not None:
            session.delete(trace)
    for need_id in sorted(wanted - have):
        session.add(RequirementTrace(requirement_id=row.id or 0, need_id=need_id))


def set_requirement_status(
    session: Session,
    draft: Draft,
    user: User | None,
    row: DraftRequirement,
    status: RequirementStatus,
) -> None:
    row.status = status
    row.updated_at = now()
    session.add(row)
    touch(draft)
    session.add(draft)
    audit(
        session, draft, user, f"requirement.{status.value}", requirement=row.template_id or row.id
    )
    session.commit()


def _need_data(need: Need) -> NeedData:
    return NeedData(
        id=need.id,
        key=need.key,
        who=need.who,
        what=need.what,
        why=need.why,
        needs_review=need.needs_review,
    )


def build_document(
    session: Session, draft: Draft, organisation: Organisation, content: Content
) -> TenderDraft:
    """The draft as one plain document, for the exports and the JSON API."""
    answers = answers_of(session, draft)
    needs = needs_of(session, draft)
    goals = goals_of(session, draft)
    key_of_need = {need.id: need.key for need in needs}
    key_of_goal = {goal.id: goal.key for goal in goals}
    traces = trace_rows(session, draft)
    library = library_for(session, draft.organisation_id, content)
    rows = requirements_of(session, draft)
    numbers = requirement_numbers(rows)
    requirements = []
    for row in rows:
        template = library.by_id.get(row.template_id or "")
        row_traces = traces.get(row.id or 0, [])
        requirements.append(
            RequirementData(
                id=row.id,
                number=numbers.get(row.id or 0, ""),
                template_id=row.template_id,
                template_version=row.template_version,
                origin=_origin(library, row.template_id),
                update_available=bool(
                    template
                    and row.template_version is not None
                    and template.version > row.template_version
                ),
                edited=row.edited,
                brand_justification=row.brand_justification or "",
                status=RequirementStatus(row.status).value,
                kind=row.kind,
                type=row.requirement_type,
                level=row.level,
                obligation=Obligation(row.obligation).value,
                weight=row.weight,
                title=row.title,
                text=row.text,
                motive=row.motive,
                verification=row.verification,
                parameters=row.parameters or {},
                reasons=row.reasons or [],
                needs=[
                    key_of_need[trace.need_id]
                    for trace in row_traces
                    if trace.need_id in key_of_need
                ],
                effect_goals=[
                    key_of_goal[trace.effect_goal_id]
                    for trace in row_traces
                    if trace.effect_goal_id in key_of_goal
                ],
                references=list(template.references) if template else [],
            )
        )
    return TenderDraft(
        id=draft.id,
        organisation=organisation.name,
        title=draft.title,
        status=draft.status.value if hasattr(draft.status, "value") else str(draft.status),
        version=draft.version,
        language=document_language(answers),
        created_at=draft.created_at,
        updated_at=draft.updated_at,
        answers=answers,
        needs=[_need_data(need) for need in needs],
        effect_goals=[
            EffectGoalData(
                id=goal.id,
                key=goal.key,
                goal=goal.goal,
                indicator=goal.indicator,
                baseline=goal.baseline,
                target=goal.target,
                needs=list(goal.need_keys or []),
                needs_review=goal.needs_review,
            )
            for goal in goals
        ],
        requirements=requirements,
    )


def _file_language(answers_file: AnswersFile) -> str:
    chosen = answers_file.answers.get("document_language")
    return chosen if chosen in ("sv", "en") else answers_file.language


def _file_needs_and_goals(
    answers_file: AnswersFile,
) -> tuple[list[NeedData], list[EffectGoalData]]:
    """Needs and effect goals of an answers file, keyed B1.., E1.. where the file gives none."""
    needs = [
        NeedData(key=entry.key or f"B{index}", who=entry.who, what=entry.what, why=entry.why)
        for index, entry in enumerate(answers_file.needs, start=1)
    ]
    goals = [
        EffectGoalData(
            key=entry.key or f"E{index}",
            goal=entry.goal,
            indicator=entry.indicator,
            baseline=entry.baseline,
            target=entry.target,
            needs=list(entry.needs),
        )
        for index, entry in enumerate(answers_file.effect_goals, start=1)
    ]
    return needs, goals


def document_from_answers_file(answers_file: AnswersFile, content: Content) -> TenderDraft:
    """A draft built straight from an answers file, with suggestions, without a database."""
    answers = dict(answers_file.answers)
    answers.setdefault("title", answers_file.title)
    language = _file_language(answers_file)
    needs, goals = _file_needs_and_goals(answers_file)
    suggestions = suggest(content.library, answers, needs)
    numbers = section_numbers([item.template.type for item in suggestions])
    requirements = [
        RequirementData(
            number=numbers[index],
            template_id=item.template.id,
            template_version=item.template.version,
            status="suggested",
            kind=item.template.kind,
            type=item.template.type,
            level=item.template.level,
            obligation=item.template.obligation,
            title=item.template.title.get(language),
            text=item.text(language),
            motive=item.template.motive.get(language),
            verification=item.template.verification.get(language),
            parameters=item.parameters,
            reasons=item.reasons,
            needs=item.need_keys,
            references=list(item.template.references),
        )
        for index, item in enumerate(suggestions)
    ]
    now_ = now()
    return TenderDraft(
        organisation=answers_file.organisation or "",
        title=answers_file.title,
        language=language,
        created_at=now_,
        updated_at=now_,
        answers=answers,
        needs=needs,
        effect_goals=goals,
        requirements=requirements,
    )


def import_answers_file(
    session: Session,
    organisation: Organisation,
    user: User | None,
    answers_file: AnswersFile,
    content: Content,
    *,
    reexamine: bool = False,
) -> Draft:
    """Create a draft in the database from an answers file and suggest its requirements.

    With `reexamine`, the needs and effect goals come in marked "to re-examine": reuse of an
    earlier procurement must be a decision, not a copy."""
    language = _file_language(answers_file)
    draft = create_draft(session, organisation, user, answers_file.title, language)
    draft_id = draft.id or 0
    for question_id, value in answers_file.answers.items():
        if question_id in ("title", "document_language"):
            continue  # stored by create_draft
        question = content.wizard.questions.get(question_id)
        if question is not None and question.store == "list" and isinstance(value, list):
            value = [
                {"_id": secrets.token_hex(4), **item} for item in value if isinstance(item, dict)
            ]
        session.add(Answer(draft_id=draft_id, question_id=question_id, value=value))
    needs, goals = _file_needs_and_goals(answers_file)
    for position, need in enumerate(needs):
        session.add(
            Need(
                draft_id=draft_id,
                position=position,
                key=need.key,
                who=need.who,
                what=need.what,
                why=need.why,
                needs_review=reexamine,
            )
        )
    for position, goal in enumerate(goals):
        session.add(
            EffectGoal(
                draft_id=draft_id,
                position=position,
                key=goal.key,
                goal=goal.goal,
                indicator=goal.indicator,
                baseline=goal.baseline,
                target=goal.target,
                need_keys=goal.needs,
                needs_review=reexamine,
            )
        )
    audit(session, draft, user, "draft.imported", reexamine=reexamine)
    session.commit()
    sync_suggestions(session, draft, content, user)
    return draft


def set_traces(
    session: Session, row: DraftRequirement, need_ids: list[int], goal_ids: list[int]
) -> None:
    """Link a requirement to exactly these needs and effect goals (the officer's choice)."""
    for trace in session.exec(
        select(RequirementTrace).where(RequirementTrace.requirement_id == row.id)
    ).all():
        session.delete(trace)
    session.flush()
    for need_id in sorted(set(need_ids)):
        session.add(RequirementTrace(requirement_id=row.id or 0, need_id=need_id))
    for goal_id in sorted(set(goal_ids)):
        session.add(RequirementTrace(requirement_id=row.id or 0, effect_goal_id=goal_id))


REQUIREMENT_TEXT_FIELDS = ("title", "text", "motive", "verification")


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


def save_requirement(
    session: Session,
    draft: Draft,
    user: User | None,
    row: DraftRequirement,
    fields: dict[str, Any],
    need_ids: list[int],
    goal_ids: list[int],
    library: Library,
) -> DraftRequirement:
    """Store the officer's version of a requirement. Editing a suggestion accepts it; the
    template link stays, and `edited` records that the text is no longer the template's."""
    for name, value in fields.items():
        setattr(row, name, value)
    language = document_language(answers_of(session, draft))
    original = template_texts(library, row, language)
    row.edited = original is not None and any(
        (getattr(row, name) or "").strip() != original[name].strip()
        for name in REQUIREMENT_TEXT_FIELDS
    )
    if row.status == RequirementStatus.suggested:
        row.status = RequirementStatus.accepted
    row.updated_at = now()
    if row.id is None:
        existing = requirements_of(session, draft)
        row.position = max((item.position for item in existing), default=-1) + 1
    session.add(row)
    session.flush()
    set_traces(session, row, need_ids, goal_ids)
    touch(draft)
    session.add(draft)
    audit(
        session,
        draft,
        user,
        "requirement.saved",
        requirement=row.template_id or row.id,
        edited=row.edited,
    )
    session.commit()
    session.refresh(row)
    return row


def add_from_template(
    session: Session, draft: Draft, user: User | None, library: Library, template_id: str
) -> DraftRequirement:
    """Add a library template to a draft by hand (accepted), or return the one already there."""
    for row in requirements_of(session, draft):
        if row.template_id == template_id:
            if row.status != RequirementStatus.accepted:
                set_requirement_status(session, draft, user, row, RequirementStatus.accepted)
            return row
    template = library.by_id[template_id]
    answers = answers_of(session, draft)
    needs = needs_of(session, draft)
    parameters, _adjusted = fill_parameters(template, answers)
    suggestion = Suggestion(
        template=template,
        parameters=parameters,
        reasons=[{"added_by_hand": True}],
        need_keys=traced_needs(template, [_need_data(need) for need in needs]),
    )
    existing = requirements_of(session, draft)
    row = _requirement_from(
        draft,
        suggestion,
        document_language(answers),
        max((item.position for item in existing), default=-1) + 1,
    )
    row.status = RequirementStatus.accepted
    session.add(row)
    session.flush()
    keys = set(suggestion.need_keys)
    set_traces(session, row, [need.id or 0 for need in needs if need.key in keys], [])
    touch(draft)
    session.add(draft)
    audit(session, draft, user, "requirement.added", requirement=template_id)
    session.commit()
    session.refresh(row)
    return row


def apply_template_update(
    session: Session, draft: Draft, user: User | None, row: DraftRequirement, library: Library
) -> DraftRequirement:
    """Take the newest version of the requirement's template (the officer's edits are replaced)."""
    template = library.by_id.get(row.template_id or "")
    if template is None:
        return row
    language = document_language(answers_of(session, draft))
    row.template_version = template.version
    known = {parameter.name for parameter in template.parameters}
    row.parameters = {
        name: value for name, value in (row.parameters or {}).items() if name in known
    }
    texts = template_texts(library, row, language) or {}
    for name in REQUIREMENT_TEXT_FIELDS:
        setattr(row, name, texts.get(name, getattr(row, name)))
    row.kind, row.requirement_type, row.level = template.kind, template.type, template.level
    row.edited = False
    row.updated_at = now()
    session.add(row)
    touch(draft)
    session.add(draft)
    audit(session, draft, user, "requirement.updated_to_template", version=template.version)
    session.commit()
    session.refresh(row)
    return row
