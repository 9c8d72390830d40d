"""The review workflow over /api/v1: comments, verdicts, statuses, revisions and their diff.
The same rules as the pages: a comment is reached through a draft the user may read."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, Field

from app.accounts import DraftAccess, draft_access
from app.content import Content
from app.deps import ApiReadableDraft, ApiUser, ContentDep, SessionDep
from app.document import Moment, TenderDraft
from app.drafts.build import build_document
from app.errors import API_ERRORS, ErrorOut, error_body
from app.i18n import get_locale, gettext_
from app.library.organisation import library_for
from app.models import Comment, DraftStatus, Verdict, is_id
from app.review.comments import (
    CommentError,
    add_comment,
    comment_in,
    may_resolve,
    participants,
    root_of,
    set_resolved,
    target_of,
)
from app.review.notifications import name_of, notify, team_of
from app.review.revisions import diff_revisions, revisions_of
from app.review.views import people_by_id
from app.review.workflow import Action, IllegalTransition, NotAllowed, give_verdict, take_action

router = APIRouter(prefix="/api/v1", tags=["review"], responses=API_ERRORS)

STATUS_ERRORS: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorOut, "description": "The action does not apply to the draft's status."}
}


class TargetIn(BaseModel):
    kind: Literal["draft", "step", "question", "need", "goal", "requirement"]
    id: str | int | None = Field(
        default=None, description="step or question id, or the id of the need, goal, requirement"
    )


class CommentIn(BaseModel):
    target: TargetIn = Field(default_factory=lambda: TargetIn(kind="draft"))
    body: str = Field(min_length=1, max_length=4000)
    parent_id: int | None = Field(default=None, description="the thread replied to")


class Author(BaseModel):
    id: int | None
    name: str


class CommentOut(BaseModel):
    id: int
    draft_id: int
    parent_id: int | None
    target: TargetIn
    body: str
    author: Author
    created_at: Moment
    resolved: bool = Field(description="for a thread's first comment: whether it is resolved")
    resolved_at: Moment | None = None


class VerdictIn(BaseModel):
    verdict: Literal["approve", "request-changes"]
    comment: str = Field(default="", max_length=4000)


class StatusIn(BaseModel):
    action: Literal["submit", "approve", "request-changes"]
    comment: str = Field(default="", max_length=4000)


class StatusOut(BaseModel):
    status: str
    revision: int


class RevisionOut(BaseModel):
    number: int
    created_at: Moment
    created_by: str | None
    reason: Literal["submitted", "approved", "exported"]


def _document(session: SessionDep, access: DraftAccess, content: Content) -> TenderDraft:
    library = library_for(session, access.draft.organisation_id, content, access.templates_revision)
    return build_document(session, access.draft, access.organisation, library)


def _out(comment: Comment, names: dict[int, Any]) -> CommentOut:
    return CommentOut(
        id=comment.id or 0,
        draft_id=comment.draft_id,
        parent_id=comment.parent_id,
        target=TargetIn(kind=comment.target_type, id=comment.target_id or None),
        body=comment.body,
        author=Author(id=comment.author_id, name=name_of(names.get(comment.author_id or 0))),
        created_at=comment.created_at,
        resolved=comment.resolved,
        resolved_at=comment.resolved_at,
    )


def _refuse_comment(access: DraftAccess) -> None:
    if not access.can_comment:
        raise HTTPException(
            status_code=403, detail=gettext_("Your role lets you read this draft, not comment.")
        )


@router.get("/drafts/{draft_id}/comments", response_model=list[CommentOut])
def list_comments(access: ApiReadableDraft, session: SessionDep) -> list[CommentOut]:
    """Every comment of the draft, oldest first; replies name their thread in parent_id."""
    from sqlmodel import col, select

    rows = session.exec(
        select(Comment)
        .where(Comment.draft_id == access.draft.id)
        .order_by(col(Comment.created_at), col(Comment.id))
    ).all()
    names = people_by_id(session, {row.author_id for row in rows if row.author_id})
    return [_out(row, names) for row in rows]


@router.post(
    "/drafts/{draft_id}/comments",
    response_model=CommentOut,
    status_code=status.HTTP_201_CREATED,
)
def post_comment(
    body: CommentIn, access: ApiReadableDraft, session: SessionDep, content: ContentDep
) -> CommentOut:
    _refuse_comment(access)
    draft, user = access.draft, access.user
    parent = None
    if body.parent_id is not None:
        parent = comment_in(session, draft, body.parent_id) if is_id(body.parent_id) else None
        if parent is None:
            raise HTTPException(
                status_code=422,
                detail=error_body(
                    gettext_("The request is not valid."),
                    {"parent_id": gettext_("No such comment in this draft.")},
                )["detail"],
            )
    try:
        target = (
            None
            if parent is not None
            else target_of(
                content, _document(session, access, content), body.target.kind, body.target.id
            )
        )
        comment = add_comment(session, draft, user, target, body.body, parent=parent)
    except CommentError as problem:
        field_name = "target" if problem.field == "target" else "body"
        raise HTTPException(
            status_code=422,
            detail=error_body(gettext_("The request is not valid."), {field_name: problem.message})[
                "detail"
            ],
        ) from None
    if parent is not None:
        people = participants(session, root_of(session, parent))
        if draft.created_by_id:
            people.add(draft.created_by_id)
        notify(session, people, draft, "comment.replied", user)
    else:
        notify(session, team_of(session, draft), draft, "comment.added", user)
    return _out(comment, {user.id or 0: user})


def _comment_for(session: SessionDep, user: Any, comment_id: int) -> tuple[Comment, DraftAccess]:
    """The comment and the user's access to its draft; 404 for a comment of a draft the user
    may not see, as for one that does not exist."""
    comment = session.get(Comment, comment_id) if is_id(comment_id) else None
    access = draft_access(session, user, comment.draft_id) if comment is not None else None
    if comment is None or access is None:
        raise HTTPException(status_code=404, detail=gettext_("No such comment."))
    return comment, access


def _resolve(session: SessionDep, user: Any, comment_id: int, resolved: bool) -> CommentOut:
    comment, access = _comment_for(session, user, comment_id)
    _refuse_comment(access)
    root = root_of(session, comment)
    if not may_resolve(root, user, access.can_edit):
        raise HTTPException(
            status_code=403,
            detail=gettext_("The officer or the comment's author resolves a thread."),
        )
    set_resolved(session, access.draft, user, root, resolved)
    notify(
        session,
        participants(session, root),
        access.draft,
        "comment.resolved" if resolved else "comment.reopened",
        user,
    )
    return _out(root, people_by_id(session, {root.author_id} if root.author_id else set()))


@router.post("/comments/{comment_id}/resolve", response_model=CommentOut)
def resolve_comment(comment_id: int, session: SessionDep, user: ApiUser) -> CommentOut:
    """Resolve the thread the comment belongs to."""
    return _resolve(session, user, comment_id, True)


@router.post("/comments/{comment_id}/reopen", response_model=CommentOut)
def reopen_comment(comment_id: int, session: SessionDep, user: ApiUser) -> CommentOut:
    return _resolve(session, user, comment_id, False)


@router.post("/drafts/{draft_id}/verdict", response_model=StatusOut, responses=STATUS_ERRORS)
def post_verdict(body: VerdictIn, access: ApiReadableDraft, session: SessionDep) -> StatusOut:
    """A reviewer's verdict on the revision in review."""
    verdict = Verdict.approve if body.verdict == "approve" else Verdict.request_changes
    try:
        give_verdict(session, access, verdict, body.comment)
    except NotAllowed as problem:
        raise HTTPException(status_code=403, detail=problem.message) from None
    except IllegalTransition as problem:
        raise HTTPException(status_code=409, detail=problem.message) from None
    return StatusOut(status=DraftStatus(access.draft.status).value, revision=access.draft.revision)


@router.post("/drafts/{draft_id}/status", response_model=StatusOut, responses=STATUS_ERRORS)
def post_status(
    body: StatusIn, access: ApiReadableDraft, session: SessionDep, content: ContentDep
) -> StatusOut:
    """Submit for review, approve, or request changes: 403 for a role that may not, 409 for
    a draft whose status the action does not apply to."""
    from app.export.store import queue_status_exports

    document = _document(session, access, content)
    try:
        take_action(session, access, Action(body.action), document, comment=body.comment)
    except NotAllowed as problem:
        raise HTTPException(status_code=403, detail=problem.message) from None
    except IllegalTransition as problem:
        raise HTTPException(status_code=409, detail=problem.message) from None
    queue_status_exports(
        session, access.draft, access.user, document, content, language=get_locale()
    )
    return StatusOut(status=DraftStatus(access.draft.status).value, revision=access.draft.revision)


@router.get("/drafts/{draft_id}/revisions", response_model=list[RevisionOut])
def list_revisions(access: ApiReadableDraft, session: SessionDep) -> list[RevisionOut]:
    return [
        RevisionOut(
            number=revision.number,
            created_at=revision.created_at,
            created_by=(person.name or person.email) if person else None,
            reason=revision.reason,
        )
        for revision, person in revisions_of(session, access.draft)
    ]


@router.get("/drafts/{draft_id}/revisions/{a}/diff/{b}")
def get_diff(
    a: int, b: int, access: ApiReadableDraft, session: SessionDep, content: ContentDep
) -> dict[str, Any]:
    """What changed from revision a to revision b, section by section (needs, effect goals,
    answers, requirements); each changed text also as runs of equal, deleted and inserted
    words."""
    diff = diff_revisions(content, session, access.draft, a, b) if is_id(a) and is_id(b) else None
    if diff is None:
        raise HTTPException(status_code=404, detail=gettext_("No such revision."))
    return {
        "from": diff.before,
        "to": diff.after,
        "counts": diff.counts(),
        "sections": [
            {
                "title": section.title,
                "items": [
                    {
                        "kind": item.kind,
                        "label": item.label,
                        "text": item.text,
                        "fields": [
                            {**asdict(change), "words": change.words} for change in item.fields
                        ],
                    }
                    for item in section.items
                ],
            }
            for section in diff.sections
        ],
    }
