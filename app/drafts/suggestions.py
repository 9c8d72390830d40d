"""The draft's suggested requirements kept in step with the library: sync with the answers and
needs, a template added by hand, a newer template version taken."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.document import EffectGoalData, NeedData
from app.drafts.requirements import (
    REQUIREMENT_TEXT_FIELDS,
    set_requirement_status,
    set_traces,
    template_texts,
)
from app.drafts.store import (
    answers_of,
    document_language,
    goals_of,
    needs_of,
    next_position,
    now,
    record_change,
    requirements_of,
    trace_rows,
)
from app.library.engine import (
    Suggestion,
    fill_parameters,
    proposed_goals,
    proposed_needs,
    suggest,
)
from app.library.loader import Library
from app.models import (
    Draft,
    DraftRequirement,
    EffectGoal,
    Need,
    Obligation,
    RequirementStatus,
    RequirementTrace,
    User,
)

# Every suggestion reads the document language (its texts are written in it), and the needs
# and effect goals (it proposes those of the kinds it serves).
ALWAYS_READ = frozenset({"document_language", "needs", "effect_goals"})


def reads_suggestions(library: Library, question_ids: set[str] | list[str]) -> bool:
    """Whether a change of these answers can change the suggestions."""
    return not (library.questions_read | ALWAYS_READ).isdisjoint(question_ids)


def need_data(need: Need) -> NeedData:
    return NeedData(
        id=need.id,
        key=need.key,
        who=need.who,
        what=need.what,
        why=need.why,
        kinds=list(need.kinds or []),
        needs_review=need.needs_review,
    )


def goal_data(goal: EffectGoal) -> EffectGoalData:
    return EffectGoalData(
        id=goal.id,
        key=goal.key,
        goal=goal.goal,
        indicator=goal.indicator,
        baseline=goal.baseline,
        target=goal.target,
        needs=list(goal.need_keys or []),
        kinds=list(goal.kinds or []),
        needs_review=goal.needs_review,
    )


def sync_suggestions(session: Session, draft: Draft, library: Library, user: User | None) -> int:
    """Bring the draft's suggestions up to date with its answers and needs.

    New suggestions are added; untouched suggestions that no longer apply are removed;
    accepted, rejected and edited requirements are left as the officer made them; a suggestion
    whose text, parameters and reasons are unchanged is not written. A suggestion proposes the
    needs and effect goals of the kinds it serves (links not yet confirmed). Any change is a
    change of the draft (its version is raised). Returns the number of suggestions added."""
    answers = answers_of(session, draft)
    needs = needs_of(session, draft)
    goals = goals_of(session, draft)
    language = document_language(answers)
    suggestions = suggest(
        library, answers, [need_data(need) for need in needs], [goal_data(goal) for goal in goals]
    )
    wanted = {item.template.id: item for item in suggestions}
    existing = requirements_of(session, draft)
    by_template = {row.template_id: row for row in existing if row.template_id}
    need_ids = {need.key: need.id for need in needs}
    goal_ids = {goal.key: goal.id for goal in goals}
    traces = trace_rows(session, draft)
    added = removed = updated = 0
    for row in existing:
        if (
            row.template_id
            and row.status == RequirementStatus.suggested
            and row.template_id not in wanted
        ):
            session.delete(row)
            removed += 1
    position = next_position(existing)
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
            updated += _refresh_suggested(row, suggestion, language)
        else:
            continue
        updated += _retrace(
            session,
            row,
            traces.get(row.id or 0, []),
            {need_ids[key] for key in suggestion.need_keys if need_ids.get(key) is not None},
            {goal_ids[key] for key in suggestion.goal_keys if goal_ids.get(key) is not None},
        )
    if added or removed or updated:
        record_change(
            session,
            draft,
            user,
            "requirements.suggested",
            added=added,
            removed=removed,
            updated=updated,
        )
        session.flush()
    return added


def _suggested_values(suggestion: Suggestion, language: str) -> dict[str, Any]:
    template = suggestion.template
    return {
        "template_version": template.version,
        "title": template.title.get(language),
        "text": suggestion.text(language),
        "motive": template.motive.get(language),
        "verification": template.verification.get(language),
        "parameters": dict(suggestion.parameters),
        "reasons": list(suggestion.reasons),
    }


def _requirement_from(
    draft: Draft, suggestion: Suggestion, language: str, position: int
) -> DraftRequirement:
    template = suggestion.template
    return DraftRequirement(
        draft_id=draft.id or 0,
        template_id=template.id,
        position=position,
        kind=template.kind,
        requirement_type=template.type,
        level=template.level,
        obligation=Obligation(template.obligation),
        **_suggested_values(suggestion, language),
    )


def _refresh_suggested(row: DraftRequirement, suggestion: Suggestion, language: str) -> bool:
    """Write the suggestion's values into the row; False when they were there already."""
    template = suggestion.template
    if (
        row.template_version == template.version
        and row.title == template.title.get(language)
        and row.parameters == suggestion.parameters
        and row.reasons == suggestion.reasons
    ):
        # The same template version, language and parameters: the same text (a suggestion is
        # never edited; an edit accepts it), so there is no need to fill it in again.
        return False
    values = _suggested_values(suggestion, language)
    if all(getattr(row, name) == value for name, value in values.items()):
        return False
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_at = now()
    return True


def _retrace(
    session: Session,
    row: DraftRequirement,
    current: list[RequirementTrace],
    need_ids: set[Any],
    goal_ids: set[Any],
) -> bool:
    """Propose exactly these needs and goals for a suggestion; links the officer confirmed
    stay. False when it was linked so already."""
    have_needs = {trace.need_id for trace in current if trace.need_id is not None}
    have_goals = {trace.effect_goal_id for trace in current if trace.effect_goal_id is not None}
    stale = [
        trace
        for trace in current
        if not trace.confirmed
        and (
            (trace.need_id is not None and trace.need_id not in need_ids)
            or (trace.effect_goal_id is not None and trace.effect_goal_id not in goal_ids)
        )
    ]
    for trace in stale:
        session.delete(trace)
    for need_id in sorted(need_ids - have_needs):
        session.add(RequirementTrace(requirement_id=row.id or 0, need_id=need_id))
    for goal_id in sorted(goal_ids - have_goals):
        session.add(RequirementTrace(requirement_id=row.id or 0, effect_goal_id=goal_id))
    return bool(stale or need_ids - have_needs or goal_ids - have_goals)


def add_from_template(
    session: Session, draft: Draft, user: User | None, library: Library, template_id: str
) -> DraftRequirement:
    """Add a library template to a draft by hand (accepted), or return the one already there."""
    existing = requirements_of(session, draft)
    for row in existing:
        if row.template_id == template_id:
            if row.status != RequirementStatus.accepted:
                set_requirement_status(session, draft, user, row, RequirementStatus.accepted)
            return row
    template = library.by_id[template_id]
    answers = answers_of(session, draft)
    needs = needs_of(session, draft)
    goals = goals_of(session, draft)
    parameters, _adjusted = fill_parameters(template, answers)
    need_rows = [need_data(need) for need in needs]
    suggestion = Suggestion(
        template=template,
        parameters=parameters,
        reasons=[{"added_by_hand": True}],
        need_keys=proposed_needs(template, need_rows),
        goal_keys=proposed_goals(template, [goal_data(goal) for goal in goals], need_rows),
    )
    row = _requirement_from(draft, suggestion, document_language(answers), next_position(existing))
    row.status = RequirementStatus.accepted
    session.add(row)
    session.flush()
    # Added by hand from its page, where its links are shown: taken as the officer's.
    need_keys, goal_keys = set(suggestion.need_keys), set(suggestion.goal_keys)
    set_traces(
        session,
        row,
        [need.id or 0 for need in needs if need.key in need_keys],
        [goal.id or 0 for goal in goals if goal.key in goal_keys],
    )
    record_change(session, draft, user, "requirement.added", requirement=template_id)
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
    record_change(session, draft, user, "requirement.updated_to_template", version=template.version)
    return row
