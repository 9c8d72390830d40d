"""Reviewing a draft: comments and threads, the status and the reviewers' verdicts, the
revisions and what changed between them, the audit log, and the inbox."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import CurrentUser, FormDep, SessionDep
from app.export.store import queue_status_exports
from app.i18n import get_locale, gettext_
from app.models import Comment, DraftStatus, Role, Verdict
from app.pages import DraftPage, ReadableDraftPage, render
from app.review.comments import (
    CommentError,
    TargetKind,
    add_comment,
    comment_in,
    may_resolve,
    participants,
    root_of,
    set_resolved,
    target_of,
    threads_of,
)
from app.review.notifications import inbox, mark_read, notify, team_of
from app.review.revisions import diff_revisions, reason_name, revisions_of
from app.review.views import audit_log, kind_names, target_url, thread_views
from app.review.workflow import (
    Action,
    IllegalTransition,
    NotAllowed,
    give_verdict,
    may_give_verdict,
    status_name,
    take_action,
    verdicts_of,
)

router = APIRouter(tags=["review"])

STATES = ("open", "resolved", "all")


def _back_to(value: str | None, fallback: str) -> str:
    """Only a path of this site: never an address elsewhere."""
    if value and value.startswith("/") and not value.startswith("//"):
        parts = urlsplit(value)
        if not parts.scheme and not parts.netloc:
            return value
    return fallback


def _to_comment(location: str, comment_id: int | None) -> Response:
    """Back where the user came from, at the comment unless the page names its own place."""
    if "#" not in location:
        location += f"#comment-{comment_id}"
    return RedirectResponse(location, status_code=303)


def _commenter(page: DraftPage) -> None:
    if not page.access.can_comment:
        raise HTTPException(
            status_code=403, detail=gettext_("Your role lets you read this draft, not comment.")
        )


@router.get("/drafts/{draft_id}/comments", include_in_schema=False)
def comments_page(
    request: Request,
    page: ReadableDraftPage,
    state: str = "open",
    kind: str = "",
) -> Response:
    state = state if state in STATES else "open"
    kind = kind if kind in {item.value for item in TargetKind} else ""
    threads = threads_of(page.session, page.draft, kind=kind or None, state=state)
    return render(
        request,
        "review/comments.html",
        page.context(
            thread_list=thread_views(
                page.session,
                page.content,
                page.document,
                page.draft,
                threads,
                page.user,
                page.access.can_edit,
            ),
            state=state,
            kind=kind,
            kinds=kind_names(),
        ),
    )


def _comment_form(
    request: Request,
    page: DraftPage,
    kind: str,
    target_id: str,
    *,
    body: str = "",
    error: str = "",
    back: str = "",
    status_code: int = 200,
) -> Response:
    try:
        target = target_of(page.content, page.document, kind, target_id)
    except CommentError as problem:
        raise HTTPException(status_code=404, detail=problem.message) from None
    threads = threads_of(
        page.session, page.draft, kind=target.kind.value, target_id=target.id, state="all"
    )
    return render(
        request,
        "review/comment_form.html",
        page.context(
            target=target,
            target_url=target_url(page.draft.id or 0, target),
            back=_back_to(back, target_url(page.draft.id or 0, target)),
            thread_list=thread_views(
                page.session,
                page.content,
                page.document,
                page.draft,
                threads,
                page.user,
                page.access.can_edit,
            ),
            body=body,
            error=error,
        ),
        status_code=status_code,
    )


@router.get("/drafts/{draft_id}/comments/new", include_in_schema=False)
def new_comment_page(
    request: Request,
    page: ReadableDraftPage,
    kind: str = "draft",
    target: str = "",
    back: str = "",
) -> Response:
    """The comment form for one part of the draft, with the threads already on it."""
    _commenter(page)
    return _comment_form(request, page, kind, target, back=back)


@router.post("/drafts/{draft_id}/comments", include_in_schema=False)
def post_comment(request: Request, form: FormDep, page: ReadableDraftPage) -> Response:
    _commenter(page)
    kind = str(form.get("kind") or "draft")
    target_id = str(form.get("target") or "")
    body = str(form.get("body") or "")
    back = str(form.get("back") or "")
    try:
        target = target_of(page.content, page.document, kind, target_id)
        comment = add_comment(page.session, page.draft, page.user, target, body)
    except CommentError as problem:
        if problem.field == "target":
            raise HTTPException(status_code=404, detail=problem.message) from None
        return _comment_form(
            request,
            page,
            kind,
            target_id,
            body=body,
            error=problem.message,
            back=back,
            status_code=422,
        )
    notify(page.session, team_of(page.session, page.draft), page.draft, "comment.added", page.user)
    fallback = f"/drafts/{page.draft.id}/comments/new?kind={kind}&target={quote(target_id)}"
    return _to_comment(_back_to(back, fallback), comment.id)


def _thread(page: DraftPage, comment_id: int) -> Comment:
    comment = comment_in(page.session, page.draft, comment_id)
    if comment is None:
        raise HTTPException(status_code=404, detail=gettext_("No such comment."))
    return comment


@router.post("/drafts/{draft_id}/comments/{comment_id}/replies", include_in_schema=False)
def reply(request: Request, comment_id: int, form: FormDep, page: ReadableDraftPage) -> Response:
    _commenter(page)
    root = root_of(page.session, _thread(page, comment_id))
    body = str(form.get("body") or "")
    back = _back_to(str(form.get("back") or ""), f"/drafts/{page.draft.id}/comments")
    try:
        comment = add_comment(page.session, page.draft, page.user, None, body, parent=root)
    except CommentError as problem:
        return _comment_form(
            request,
            page,
            root.target_type,
            root.target_id,
            error=problem.message,
            back=back,
            status_code=422,
        )
    people = participants(page.session, root)
    if page.draft.created_by_id:
        people.add(page.draft.created_by_id)
    notify(page.session, people, page.draft, "comment.replied", page.user)
    return _to_comment(back, comment.id)


def _resolve(comment_id: int, form: FormDep, page: DraftPage, resolved: bool) -> Response:
    _commenter(page)
    root = root_of(page.session, _thread(page, comment_id))
    if not may_resolve(root, page.user, page.access.can_edit):
        raise HTTPException(
            status_code=403,
            detail=gettext_("The officer or the comment's author resolves a thread."),
        )
    set_resolved(page.session, page.draft, page.user, root, resolved)
    people = participants(page.session, root)
    notify(
        page.session,
        people,
        page.draft,
        "comment.resolved" if resolved else "comment.reopened",
        page.user,
    )
    back = _back_to(str(form.get("back") or ""), f"/drafts/{page.draft.id}/comments")
    return _to_comment(back, root.id)


@router.post("/drafts/{draft_id}/comments/{comment_id}/resolve", include_in_schema=False)
def resolve(comment_id: int, form: FormDep, page: ReadableDraftPage) -> Response:
    return _resolve(comment_id, form, page, True)


@router.post("/drafts/{draft_id}/comments/{comment_id}/reopen", include_in_schema=False)
def reopen(comment_id: int, form: FormDep, page: ReadableDraftPage) -> Response:
    return _resolve(comment_id, form, page, False)


# Status, verdicts, revisions


def _review_page(
    request: Request, page: DraftPage, *, error: str = "", comment: str = "", status_code: int = 200
) -> Response:
    revisions = revisions_of(page.session, page.draft)
    return render(
        request,
        "review/review.html",
        page.context(
            status=status_name(page.draft.status),
            verdicts=verdicts_of(page.session, page.draft) if page.draft.revision else [],
            may_give_verdict=may_give_verdict(page.access)
            and page.draft.status == DraftStatus.in_review,
            revisions=[
                {
                    "number": revision.number,
                    "reason": reason_name(revision.reason),
                    "created_at": revision.created_at,
                    "by": (person.name or person.email) if person else "",
                }
                for revision, person in revisions
            ],
            error=error,
            comment=comment,
            is_owner=page.access.role == Role.owner and not page.access.outside,
        ),
        status_code=status_code,
    )


@router.get("/drafts/{draft_id}/review", include_in_schema=False)
def review_page(request: Request, page: ReadableDraftPage) -> Response:
    return _review_page(request, page)


@router.post("/drafts/{draft_id}/status", include_in_schema=False)
def change_status(request: Request, form: FormDep, page: ReadableDraftPage) -> Response:
    if not page.access.can_comment:  # a viewer takes no part in the review
        raise HTTPException(status_code=403, detail=gettext_("Your role lets you read this draft."))
    try:
        action = Action(str(form.get("action") or ""))
    except ValueError:
        raise HTTPException(status_code=400, detail=gettext_("Choose an action.")) from None
    comment = str(form.get("comment") or "")
    try:
        take_action(page.session, page.access, action, page.document, comment=comment)
    except NotAllowed as problem:
        raise HTTPException(status_code=403, detail=problem.message) from None
    except IllegalTransition as problem:
        return _review_page(request, page, error=problem.message, status_code=409)
    queue_status_exports(
        page.session, page.draft, page.user, page.document, page.content, language=get_locale()
    )
    return RedirectResponse(f"/drafts/{page.draft.id}/review?done={action.value}", status_code=303)


@router.post("/drafts/{draft_id}/verdict", include_in_schema=False)
def post_verdict(request: Request, form: FormDep, page: ReadableDraftPage) -> Response:
    if not may_give_verdict(page.access):
        raise HTTPException(
            status_code=403, detail=gettext_("Only a reviewer of the draft gives a verdict.")
        )
    raw = str(form.get("verdict") or "")
    comment = str(form.get("comment") or "")
    try:
        verdict = Verdict(raw.replace("-", "_"))
    except ValueError:
        return _review_page(
            request,
            page,
            error=gettext_("Choose approve or request changes."),
            comment=comment,
            status_code=422,
        )
    if verdict is Verdict.request_changes and not comment.strip():
        return _review_page(
            request,
            page,
            error=gettext_("Say what should change: the officer needs to know."),
            comment=comment,
            status_code=422,
        )
    try:
        give_verdict(page.session, page.access, verdict, comment)
    except NotAllowed as problem:
        raise HTTPException(status_code=403, detail=problem.message) from None
    except IllegalTransition as problem:
        return _review_page(request, page, error=problem.message, status_code=409)
    return RedirectResponse(f"/drafts/{page.draft.id}/review?done=verdict", status_code=303)


@router.get("/drafts/{draft_id}/revisions/{a}/diff/{b}", include_in_schema=False)
def diff_page(request: Request, a: int, b: int, page: ReadableDraftPage) -> Response:
    diff = diff_revisions(page.content, page.session, page.draft, a, b)
    if diff is None:
        raise HTTPException(status_code=404, detail=gettext_("No such revision."))
    return render(request, "review/diff.html", page.context(diff=diff))


@router.get("/drafts/{draft_id}/revisions/compare", include_in_schema=False)
def compare(page: ReadableDraftPage, a: int = 0, b: int = 0) -> Response:
    """The compare form (no JavaScript needed) leads to the diff of the two chosen."""
    first, second = sorted((a, b))
    if first < 1:
        return RedirectResponse(f"/drafts/{page.draft.id}/review#revisions", status_code=303)
    return RedirectResponse(
        f"/drafts/{page.draft.id}/revisions/{first}/diff/{second}", status_code=303
    )


@router.get("/drafts/{draft_id}/log", include_in_schema=False)
def log_page(request: Request, page: ReadableDraftPage) -> Response:
    """Who did what and when, with before and after: for the organisation's owners."""
    if page.access.role != Role.owner or page.access.outside:
        raise HTTPException(
            status_code=403, detail=gettext_("Only an owner of the organisation sees the log.")
        )
    return render(
        request,
        "review/log.html",
        page.context(entries=audit_log(page.session, page.content, page.draft)),
    )


# The inbox


@router.get("/inbox", include_in_schema=False)
def inbox_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return render(request, "review/inbox.html", {"items": inbox(session, user)})


@router.post("/inbox/read", include_in_schema=False)
def read_all(session: SessionDep, user: CurrentUser) -> Response:
    mark_read(session, user)
    return RedirectResponse("/inbox", status_code=303)


@router.post("/inbox/{notification_id}/open", include_in_schema=False)
def open_notification(notification_id: int, session: SessionDep, user: CurrentUser) -> Response:
    """Marks it read and goes to the draft it is about (when the user may still see it)."""
    item = next((item for item in inbox(session, user) if item.id == notification_id), None)
    if item is None:
        raise HTTPException(status_code=404)
    mark_read(session, user, notification_id)
    return RedirectResponse(f"/drafts/{item.draft_id}" if item.draft_id else "/inbox", 303)
