"""What the review pages show: threads with their targets and authors, the audit log with
its actions named, all in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from app.content import Content
from app.document import TenderDraft
from app.i18n import get_locale, gettext_
from app.models import AuditEvent, Comment, Draft, User
from app.review.comments import CommentError, Target, TargetKind, Thread, target_of
from app.review.notifications import name_of


def people_by_id(session: Session, ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {
        person.id or 0: person
        for person in session.exec(select(User).where(col(User.id).in_(ids))).all()
    }


def safe_target(content: Content, document: TenderDraft, comment: Comment) -> Target | None:
    """The comment's target, or None when it has since been removed from the draft."""
    try:
        return target_of(content, document, comment.target_type, comment.target_id)
    except CommentError:
        return None


def target_url(draft_id: int, target: Target | None) -> str:
    if target is None or target.kind is TargetKind.draft:
        return f"/drafts/{draft_id}"
    if target.kind is TargetKind.requirement:
        return f"/drafts/{draft_id}/requirements#{target.anchor}"
    if target.step_id:
        anchor = f"#{target.anchor}" if target.anchor else ""
        return f"/drafts/{draft_id}/steps/{target.step_id}{anchor}"
    return f"/drafts/{draft_id}"


@dataclass
class CommentView:
    id: int
    author: str
    body: str
    created_at: datetime
    mine: bool


@dataclass
class ThreadView:
    id: int
    target_label: str
    target_url: str
    target_kind: str
    resolved: bool
    resolved_by: str
    comments: list[CommentView]
    may_resolve: bool


def thread_views(
    session: Session,
    content: Content,
    document: TenderDraft,
    draft: Draft,
    threads: list[Thread],
    user: User,
    can_edit: bool,
) -> list[ThreadView]:
    ids: set[int] = set()
    for thread in threads:
        ids |= thread.people
        if thread.first.resolved_by_id:
            ids.add(thread.first.resolved_by_id)
    people = people_by_id(session, ids)
    views = []
    for thread in threads:
        target = safe_target(content, document, thread.first)
        comments = [
            CommentView(
                id=comment.id or 0,
                author=name_of(people.get(comment.author_id or 0)),
                body=comment.body,
                created_at=comment.created_at,
                mine=comment.author_id == user.id,
            )
            for comment in [thread.first, *thread.replies]
        ]
        views.append(
            ThreadView(
                id=thread.id,
                target_label=target.label if target else gettext_("(removed from the draft)"),
                target_url=target_url(draft.id or 0, target),
                target_kind=thread.first.target_type,
                resolved=thread.resolved,
                resolved_by=name_of(people.get(thread.first.resolved_by_id or 0))
                if thread.first.resolved_by_id
                else "",
                comments=comments,
                may_resolve=can_edit or thread.first.author_id == user.id,
            )
        )
    return views


def kind_names() -> dict[str, str]:
    return {
        "draft": gettext_("The whole draft"),
        "step": gettext_("Steps"),
        "question": gettext_("Answers"),
        "need": gettext_("Needs"),
        "goal": gettext_("Effect goals"),
        "requirement": gettext_("Requirements"),
    }


def action_name(action: str) -> str:
    names = {
        "draft.created": gettext_("Created the draft"),
        "draft.imported": gettext_("Imported the draft"),
        "draft.deleted": gettext_("Moved the draft to the bin"),
        "draft.restored": gettext_("Restored the draft"),
        "answer.saved": gettext_("Changed an answer"),
        "need.added": gettext_("Added a need"),
        "need.updated": gettext_("Changed a need"),
        "need.removed": gettext_("Removed a need"),
        "effect_goal.added": gettext_("Added an effect goal"),
        "effect_goal.updated": gettext_("Changed an effect goal"),
        "effect_goal.removed": gettext_("Removed an effect goal"),
        "row.confirmed": gettext_("Confirmed a re-examined row"),
        "requirement.accepted": gettext_("Accepted a requirement"),
        "requirement.rejected": gettext_("Rejected a requirement"),
        "requirement.suggested": gettext_("Put a requirement back as a suggestion"),
        "requirement.saved": gettext_("Edited a requirement"),
        "requirement.added": gettext_("Added a requirement"),
        "requirement.confirmed": gettext_("Confirmed a re-examined requirement"),
        "requirement.updated_to_template": gettext_("Updated a requirement to its template"),
        "requirements.suggested": gettext_("Suggestions updated from the answers"),
        "requirements.section_accepted": gettext_("Accepted a whole section"),
        "requirements.section_rejected": gettext_("Rejected a whole section"),
        "export.pdf": gettext_("Exported the tender document (PDF)"),
        "export.rfi": gettext_("Exported the need statement (PDF)"),
        "comment.added": gettext_("Commented"),
        "comment.replied": gettext_("Replied to a comment"),
        "comment.resolved": gettext_("Resolved a thread"),
        "comment.reopened": gettext_("Reopened a thread"),
        "status.changed": gettext_("Changed the status"),
        "review.verdict": gettext_("Gave a verdict"),
        "revision.created": gettext_("Made a revision"),
    }
    return names.get(action, action)


@dataclass
class LogEntry:
    at: datetime
    who: str
    action: str
    subject: str
    before: Any = None
    after: Any = None
    times: int = 1
    details: dict[str, Any] = field(default_factory=dict)
    # the earliest of the events shown as this one
    since: datetime | None = None
    # the action as recorded, e.g. "status.changed"
    code: str = ""


# Saves of the same thing by the same person this close together are one entry of the log.
MERGE_WITHIN = timedelta(minutes=10)

_SUBJECT_KEYS = ("question", "need", "goal", "requirement", "target", "section", "revision")


def audit_log(
    session: Session, content: Content, draft: Draft, *, limit: int = 500
) -> list[LogEntry]:
    """The draft's audit events, newest first. Autosaves of one answer by one person a few
    minutes apart are shown as one change, from the first value to the last."""
    rows = session.exec(
        select(AuditEvent)
        .where(AuditEvent.draft_id == draft.id)
        .order_by(col(AuditEvent.created_at).desc(), col(AuditEvent.id).desc())
        .limit(limit)
    ).all()
    people = people_by_id(session, {row.user_id for row in rows if row.user_id})
    entries: list[LogEntry] = []
    for row in rows:
        detail = dict(row.detail or {})
        subject = _subject(content, detail)
        who = name_of(people.get(row.user_id or 0)) if row.user_id else gettext_("Kravlotsen")
        last = entries[-1] if entries else None
        if (
            last is not None
            and last.who == who
            and last.action == action_name(row.action)
            and last.subject == subject
            and row.action in ("answer.saved", "need.updated", "effect_goal.updated")
            and (last.since or last.at) - row.created_at <= MERGE_WITHIN
        ):
            # Older than the entry kept: its "before" is the earlier value.
            last.before = detail.get("before", last.before)
            last.times += 1
            last.since = row.created_at
            continue
        before, after = detail.get("before"), detail.get("after")
        if row.action == "status.changed":
            before, after = _status(before), _status(after)
        elif row.action == "review.verdict":
            after = _verdict(detail.get("verdict"))
        elif row.action.startswith("requirement.") and isinstance(after, str):
            before, after = _requirement_status(before), _requirement_status(after)
        entries.append(
            LogEntry(
                at=row.created_at,
                who=who,
                action=action_name(row.action),
                subject=subject,
                before=before,
                after=after,
                code=row.action,
                details={
                    key: value
                    for key, value in detail.items()
                    if key not in ("before", "after", "verdict", *_SUBJECT_KEYS)
                },
            )
        )
    return entries


def _status(value: Any) -> Any:
    from app.review.workflow import status_name

    try:
        return status_name(str(value)) if value else value
    except ValueError:
        return value


def _verdict(value: Any) -> Any:
    return {
        "approve": gettext_("Approves"),
        "request_changes": gettext_("Requests changes"),
    }.get(str(value), value)


def _requirement_status(value: Any) -> Any:
    return {
        "suggested": gettext_("Suggested"),
        "accepted": gettext_("Accepted"),
        "rejected": gettext_("Rejected"),
    }.get(str(value), value)


def _subject(content: Content, detail: dict[str, Any]) -> str:
    if "question" in detail:
        question = content.wizard.questions.get(str(detail["question"]))
        return question.label.get(get_locale()) if question else str(detail["question"])
    if "need" in detail:
        return gettext_("Need %(key)s", key=detail["need"])
    if "goal" in detail:
        return gettext_("Effect goal %(key)s", key=detail["goal"])
    if "requirement" in detail:
        return gettext_("Requirement %(number)s", number=detail["requirement"])
    if "revision" in detail:
        return gettext_("Revision %(number)s", number=detail["revision"])
    if "section" in detail:
        return gettext_("Section K%(number)s", number=detail["section"])
    return ""


@dataclass
class ReadOnlyRow:
    """One answer, need or goal as a reader sees it, and what a comment on it is pinned to."""

    label: str
    value: str
    kind: str
    target: str
    anchor: str
    # a row of a group: its fields, each (label, value)
    parts: list[tuple[str, str]] = field(default_factory=list)


def read_only_rows(content: Content, document: TenderDraft, step: Any) -> list[ReadOnlyRow]:
    """The step's answers as text, for those who may read the draft but not change it."""
    from app.wizard.answers import display_value, is_visible
    from app.wizard.summary import row_parts
    from app.wizard.view import group_values

    locale = get_locale()
    area_names = {area.id: area.name.get(locale) for area in content.library.areas}
    need_labels = {need.key: need.key for need in document.needs}
    groups = group_values(content, document)
    rows: list[ReadOnlyRow] = []
    for question in step.questions:
        if not is_visible(question, document.answers):
            continue
        if question.is_group:
            item_label = (question.item_label or question.label).get(locale)
            items = groups.get(question.id, [])
            kind = {"needs": "need", "effect_goals": "goal"}.get(question.store or "", "question")
            for index, item in enumerate(items, start=1):
                row_id = str(item.get("id") or "")
                parts = row_parts(question.fields, item, locale, area_names, need_labels)
                rows.append(
                    ReadOnlyRow(
                        f"{item_label} {item.get('key') or index}",
                        "; ".join(text for _, text in parts),
                        kind,
                        row_id if kind != "question" else question.id,
                        f"row-{question.id}-{row_id}"
                        if kind != "question"
                        else f"group-{question.id}",
                        parts,
                    )
                )
            if not items:
                rows.append(
                    ReadOnlyRow(
                        question.label.get(locale),
                        "",
                        "question",
                        question.id,
                        f"group-{question.id}",
                    )
                )
            continue
        rows.append(
            ReadOnlyRow(
                question.label.get(locale),
                display_value(question, document.answers.get(question.id), locale, area_names),
                "question",
                question.id,
                f"q-{question.id}-wrapper",
            )
        )
    return rows


# What the review log appended to a tender PDF tells: the review, not every autosave.
REVIEW_ACTIONS = ("status.", "review.", "revision.", "comment.")


def review_log(session: Session, content: Content, draft: Draft) -> list[LogEntry]:
    """The review of the draft, oldest first: revisions, statuses, verdicts and comments."""
    entries = audit_log(session, content, draft)
    return [entry for entry in reversed(entries) if entry.code.startswith(REVIEW_ACTIONS)]
