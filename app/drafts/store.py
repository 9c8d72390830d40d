"""Rows of a draft: reading them, and writing them with a record of who changed what."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from app.models import (
    Answer,
    AuditEvent,
    Draft,
    DraftRequirement,
    DraftStatus,
    EffectGoal,
    Need,
    Organisation,
    RequirementTrace,
    User,
    is_id,
)

# Drafts whose version this unit of work has already raised (kept in Session.info).
_CHANGED = "kravlotsen_changed_drafts"


def now() -> datetime:
    return datetime.now(UTC)


def record_event(
    session: Session, draft: Draft | None, user: User | None, action: str, **detail: Any
) -> None:
    """Add an audit event (an export, a login) without changing the draft."""
    session.add(
        AuditEvent(
            organisation_id=draft.organisation_id if draft else None,
            draft_id=draft.id if draft else None,
            user_id=user.id if user else None,
            action=action,
            detail=detail,
        )
    )


def logged(value: Any, size: int = 500) -> Any:
    """A value as the audit log keeps it: long texts cut, so the log stays small."""
    if isinstance(value, str) and len(value) > size:
        return value[: size - 1] + "…"
    if isinstance(value, list) and len(str(value)) > size:
        return str(value)[: size - 1] + "…"
    return value


def record_change(
    session: Session, draft: Draft, user: User | None, action: str, **detail: Any
) -> None:
    """A change of the draft: audited, and the version raised once per unit of work, however
    many rows it changes (the version is what optimistic locking compares)."""
    changed: set[int] = session.info.setdefault(_CHANGED, set())
    if draft.id not in changed:
        draft.version += 1
        if draft.id is not None:
            changed.add(draft.id)
    draft.updated_at = now()
    if DraftStatus(draft.status) in (DraftStatus.approved, DraftStatus.exported):
        # What was approved is no longer what the draft says.
        before = DraftStatus(draft.status).value
        draft.status = DraftStatus.draft
        record_event(
            session, draft, user, "status.changed", before=before, after="draft", cause=action
        )
    session.add(draft)
    record_event(session, draft, user, action, **detail)


def forget_changes(session: Session) -> None:
    """Called when a unit of work ends: the next one raises the version again."""
    session.info.pop(_CHANGED, None)


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
    # A new draft starts at version 1, whatever this unit of work adds to it.
    session.info.setdefault(_CHANGED, set()).add(draft.id)
    session.add(Answer(draft_id=draft.id or 0, question_id="title", value=draft.title))
    if language != "sv":
        session.add(Answer(draft_id=draft.id or 0, question_id="document_language", value=language))
    record_event(session, draft, user, "draft.created", title=draft.title)
    session.flush()
    return draft


def move_to_bin(session: Session, draft: Draft, user: User | None) -> None:
    """The draft leaves every list and page; an owner can restore it for 30 days."""
    draft.deleted_at = now()
    draft.deleted_by_id = user.id if user else None
    record_change(session, draft, user, "draft.deleted")


def restore_from_bin(session: Session, draft: Draft, user: User | None) -> None:
    draft.deleted_at = None
    draft.deleted_by_id = None
    record_change(session, draft, user, "draft.restored")


def answer_rows(
    session: Session, draft: Draft, question_ids: Collection[str] | None = None
) -> list[Answer]:
    """The draft's answers; with `question_ids`, only those."""
    query = select(Answer).where(Answer.draft_id == draft.id)
    if question_ids is not None:
        query = query.where(col(Answer.question_id).in_(sorted(question_ids)))
    return list(session.exec(query).all())


def answers_of(session: Session, draft: Draft) -> dict[str, Any]:
    return {row.question_id: row.value for row in answer_rows(session, draft)}


def answer_value(session: Session, draft: Draft, question_id: str) -> Any:
    """One answer of the draft, read alone."""
    return session.exec(
        select(Answer.value).where(Answer.draft_id == draft.id, Answer.question_id == question_id)
    ).first()


def document_language(answers: Mapping[str, Any]) -> str:
    language = answers.get("document_language")
    return language if language in ("sv", "en") else "sv"


def draft_language(session: Session, draft: Draft) -> str:
    """The language the draft's documents are written in, read alone."""
    return document_language(
        {"document_language": answer_value(session, draft, "document_language")}
    )


def save_answer(
    session: Session,
    draft: Draft,
    user: User | None,
    question_id: str,
    value: Any,
    rows: Mapping[str, Answer] | None = None,
) -> Answer:
    """Store one answer. The title answer also renames the draft. `rows`, the draft's answer
    rows by question when the caller has them, saves a query."""
    if rows is not None:
        row = rows.get(question_id)
    else:
        row = session.exec(
            select(Answer).where(Answer.draft_id == draft.id, Answer.question_id == question_id)
        ).first()
    before = row.value if row is not None else None
    if row is None:
        row = Answer(draft_id=draft.id or 0, question_id=question_id)
    row.value = value
    row.updated_at = now()
    row.updated_by_id = user.id if user else None
    session.add(row)
    if question_id == "title" and isinstance(value, str) and value.strip():
        draft.title = value.strip()
    record_change(
        session,
        draft,
        user,
        "answer.saved",
        question=question_id,
        before=logged(before),
        after=logged(value),
    )
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


def requirements_of(session: Session, draft: Draft) -> list[DraftRequirement]:
    return list(
        session.exec(
            select(DraftRequirement)
            .where(DraftRequirement.draft_id == draft.id)
            .order_by(col(DraftRequirement.position), col(DraftRequirement.id))
        ).all()
    )


def requirement_of(session: Session, draft: Draft, requirement_id: int) -> DraftRequirement | None:
    row = session.get(DraftRequirement, requirement_id) if is_id(requirement_id) else None
    return row if row is not None and row.draft_id == draft.id else None


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


def next_key(prefix: str, existing: list[str]) -> str:
    numbers = [int(key[len(prefix) :]) for key in existing if key[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


def next_position(rows: list[Any]) -> int:
    return max((row.position for row in rows), default=-1) + 1
