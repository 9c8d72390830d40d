"""Rows -> TenderDraft: the plain document every export, page and the API read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from app.content import Content
from app.document import EffectGoalData, NeedData, RequirementData, TenderDraft
from app.drafts.requirements import requirement_numbers, section_numbers
from app.drafts.store import (
    answers_of,
    document_language,
    goals_of,
    needs_of,
    requirements_of,
    trace_rows,
)
from app.drafts.suggestions import goal_data, need_data
from app.library.engine import suggest
from app.library.loader import Library
from app.models import Draft, Obligation, Organisation, RequirementStatus


def _origin(library: Library, template_id: str | None) -> str:
    if template_id is None:
        return "officer"
    return "organisation" if library.is_own(template_id) else "library"


def build_document(
    session: Session,
    draft: Draft,
    organisation: Organisation,
    library: Library,
    *,
    answers: dict[str, Any] | None = None,
) -> TenderDraft:
    """The draft as one plain document; `library` is the one the draft's organisation uses,
    `answers` the draft's answers when the caller has read them."""
    if answers is None:
        answers = answers_of(session, draft)
    needs = needs_of(session, draft)
    goals = goals_of(session, draft)
    key_of_need = {need.id: need.key for need in needs}
    key_of_goal = {goal.id: goal.key for goal in goals}
    traces = trace_rows(session, draft)
    rows = requirements_of(session, draft)
    numbers = requirement_numbers(rows)
    requirements = []
    for row in rows:
        template = library.by_id.get(row.template_id or "")
        row_traces = traces.get(row.id or 0, [])
        confirmed = [trace for trace in row_traces if trace.confirmed]
        proposed = [trace for trace in row_traces if not trace.confirmed]
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
                needs=_keys(confirmed, key_of_need, "need_id"),
                effect_goals=_keys(confirmed, key_of_goal, "effect_goal_id"),
                proposed_needs=_keys(proposed, key_of_need, "need_id"),
                proposed_goals=_keys(proposed, key_of_goal, "effect_goal_id"),
                needs_review=row.needs_review,
                references=list(template.references) if template else [],
            )
        )
    return TenderDraft(
        id=draft.id,
        organisation=organisation.name,
        title=draft.title,
        status=draft.status.value if hasattr(draft.status, "value") else str(draft.status),
        version=draft.version,
        revision=draft.revision,
        language=document_language(answers),
        created_at=draft.created_at,
        updated_at=draft.updated_at,
        answers=answers,
        needs=[need_data(need) for need in needs],
        effect_goals=[goal_data(goal) for goal in goals],
        requirements=requirements,
    )


def _keys(traces: list[Any], key_of: dict[Any, str], attribute: str) -> list[str]:
    """The keys of the needs (or goals) the traces link to, in the draft's order."""
    linked = {getattr(trace, attribute) for trace in traces}
    return [key for row_id, key in key_of.items() if row_id in linked]


def document_from_parts(
    content: Content,
    *,
    title: str,
    organisation: str,
    language: str,
    answers: dict[str, object],
    needs: list[NeedData],
    goals: list[EffectGoalData],
) -> TenderDraft:
    """A draft built straight from answers, needs and goals, with suggestions, without a
    database: what `render` prints from an answers file."""
    suggestions = suggest(content.library, answers, needs, goals)
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
            proposed_needs=item.need_keys,
            proposed_goals=item.goal_keys,
            references=list(item.template.references),
        )
        for index, item in enumerate(suggestions)
    ]
    created = datetime.now(UTC)
    return TenderDraft(
        organisation=organisation,
        title=title,
        language=language,
        created_at=created,
        updated_at=created,
        answers=answers,
        needs=needs,
        effect_goals=goals,
        requirements=requirements,
    )
