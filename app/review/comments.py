"""Comments pinned to the draft, a step, a question, a need, an effect goal or a requirement.
A thread is its first comment and the replies to it; a thread is resolved and reopened."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import bindparam, func
from sqlmodel import Session, col, select

from app.content import Content
from app.data import limits
from app.document import TenderDraft
from app.drafts.store import now, record_event
from app.i18n import get_locale, gettext_
from app.models import Comment, Draft, User


class TargetKind(StrEnum):
    draft = "draft"
    step = "step"
    question = "question"
    need = "need"
    goal = "goal"
    requirement = "requirement"


class CommentError(ValueError):
    """A comment that cannot be made: the message says why, in the user's language."""

    def __init__(self, message: str, field_name: str = "body") -> None:
        super().__init__(message)
        self.message = message
        self.field = field_name


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    id: str
    # what the target is called on the page, e.g. "Behov B2" or a question's label
    label: str
    # the step the target is on, where there is one (for links and counts)
    step_id: str | None = None
    anchor: str = ""


@dataclass
class Thread:
    first: Comment
    replies: list[Comment] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.first.id or 0

    @property
    def resolved(self) -> bool:
        return self.first.resolved

    @property
    def last_at(self) -> datetime:
        return max([self.first.created_at, *(reply.created_at for reply in self.replies)])

    @property
    def people(self) -> set[int]:
        return {
            author
            for author in [self.first.author_id, *(reply.author_id for reply in self.replies)]
            if author is not None
        }


def target_of(
    content: Content, document: TenderDraft, kind: str, target_id: str | int | None
) -> Target:
    """The target a comment is pinned to, checked against the draft; CommentError when the
    draft has no such thing."""
    locale = get_locale()
    wizard = content.wizard
    raw = "" if target_id is None else str(target_id).strip()
    try:
        target_kind = TargetKind(kind)
    except ValueError:
        raise CommentError(gettext_("Choose what the comment is about."), "target") from None
    missing = CommentError(gettext_("The draft has no such part to comment on."), "target")
    if target_kind is TargetKind.draft:
        return Target(target_kind, "", gettext_("The whole draft"))
    if target_kind is TargetKind.step:
        step = wizard.step(raw)
        if step is None:
            raise missing
        return Target(target_kind, step.id, step.title.get(locale), step.id)
    if target_kind is TargetKind.question:
        question = wizard.questions.get(raw)
        if question is None or raw not in wizard.step_of:
            raise missing
        anchor = f"group-{raw}" if question.is_group else f"q-{raw}-wrapper"
        return Target(target_kind, raw, question.label.get(locale), wizard.step_of[raw], anchor)
    if target_kind is TargetKind.need:
        need = next((item for item in document.needs if str(item.id) == raw), None)
        if need is None:
            raise missing
        return _row_target(
            content, target_kind, raw, "needs", gettext_("Need %(key)s", key=need.key)
        )
    if target_kind is TargetKind.goal:
        goal = next((item for item in document.effect_goals if str(item.id) == raw), None)
        if goal is None:
            raise missing
        return _row_target(
            content, target_kind, raw, "effect_goals", gettext_("Effect goal %(key)s", key=goal.key)
        )
    requirement = next((item for item in document.requirements if str(item.id) == raw), None)
    if requirement is None:
        raise missing
    step = next((item for item in wizard.steps if item.kind == "requirements"), None)
    label = gettext_("Requirement %(number)s", number=requirement.number)
    return Target(
        target_kind,
        raw,
        f"{label}: {requirement.title}",
        step.id if step else None,
        f"requirement-{raw}",
    )


def _row_target(content: Content, kind: TargetKind, raw: str, store: str, label: str) -> Target:
    """A row of the needs or the effect goals group, on the group's step."""
    group = content.wizard.group(store)
    if group is None:
        return Target(kind, raw, label)
    return Target(kind, raw, label, content.wizard.step_of.get(group.id), f"row-{group.id}-{raw}")


def clean_body(body: str) -> str:
    text = body.replace("\r\n", "\n").strip()
    if not text:
        raise CommentError(gettext_("Write the comment."))
    if len(text) > limits.TEXT:
        raise CommentError(
            gettext_("The comment is too long: at most %(count)s characters.", count=limits.TEXT)
        )
    return text


def add_comment(
    session: Session,
    draft: Draft,
    user: User,
    target: Target | None,
    body: str,
    parent: Comment | None = None,
) -> Comment:
    """A new thread on the target, or a reply to a thread (its target is the thread's)."""
    text = clean_body(body)
    if parent is None and target is None:
        raise CommentError(gettext_("Choose what the comment is about."), "target")
    if parent is not None:
        if parent.parent_id is not None:
            parent = session.get(Comment, parent.parent_id) or parent
        comment = Comment(
            draft_id=draft.id or 0,
            author_id=user.id,
            parent_id=parent.id,
            target_type=parent.target_type,
            target_id=parent.target_id,
            body=text,
        )
    else:
        assert target is not None
        comment = Comment(
            draft_id=draft.id or 0,
            author_id=user.id,
            target_type=target.kind.value,
            target_id=target.id,
            body=text,
        )
    session.add(comment)
    session.flush()
    record_event(
        session,
        draft,
        user,
        "comment.replied" if parent is not None else "comment.added",
        comment=comment.id,
        target=f"{comment.target_type}:{comment.target_id}",
        after=_excerpt(text),
    )
    return comment


def set_resolved(
    session: Session, draft: Draft, user: User, thread: Comment, resolved: bool
) -> Comment:
    """Resolve or reopen a thread (given by any of its comments)."""
    if thread.parent_id is not None:
        thread = session.get(Comment, thread.parent_id) or thread
    before = thread.resolved
    thread.resolved = resolved
    thread.resolved_by_id = user.id if resolved else None
    thread.resolved_at = now() if resolved else None
    session.add(thread)
    if before != resolved:
        record_event(
            session,
            draft,
            user,
            "comment.resolved" if resolved else "comment.reopened",
            comment=thread.id,
            target=f"{thread.target_type}:{thread.target_id}",
        )
    return thread


def root_of(session: Session, comment: Comment) -> Comment:
    """The thread's first comment."""
    if comment.parent_id is None:
        return comment
    return session.get(Comment, comment.parent_id) or comment


def participants(session: Session, root: Comment) -> set[int]:
    """Everyone who wrote in the thread."""
    authors = session.exec(
        select(Comment.author_id).where((Comment.id == root.id) | (Comment.parent_id == root.id))
    ).all()
    return {author for author in authors if author is not None}


def may_resolve(thread: Comment, user: User, can_edit: bool) -> bool:
    """The officer (whoever may change the draft) resolves; so may the thread's author."""
    return can_edit or (thread.author_id is not None and thread.author_id == user.id)


def comment_in(session: Session, draft: Draft, comment_id: int) -> Comment | None:
    """A comment of this draft, or None: a comment is reached only through its draft."""
    return session.exec(
        select(Comment).where(Comment.id == comment_id, Comment.draft_id == draft.id)
    ).first()


def threads_of(
    session: Session,
    draft: Draft,
    *,
    kind: str | None = None,
    target_id: str | None = None,
    state: str = "open",
) -> list[Thread]:
    """The draft's threads, newest activity first; `state` is open, resolved or all."""
    query = select(Comment).where(Comment.draft_id == draft.id)
    if kind:
        query = query.where(Comment.target_type == kind)
    if target_id is not None:
        query = query.where(Comment.target_id == target_id)
    rows = session.exec(query.order_by(col(Comment.created_at), col(Comment.id))).all()
    threads: dict[int, Thread] = {}
    for row in rows:
        if row.parent_id is None:
            threads[row.id or 0] = Thread(row)
    for row in rows:
        if row.parent_id is not None and row.parent_id in threads:
            threads[row.parent_id].replies.append(row)
    chosen = [
        thread
        for thread in threads.values()
        if state == "all" or (state == "resolved") == thread.resolved
    ]
    return sorted(chosen, key=lambda thread: thread.last_at, reverse=True)


@dataclass
class OpenThreads:
    """How many threads are open on each target of a draft, and in all."""

    by_target: Counter[tuple[str, str]]

    @property
    def total(self) -> int:
        return sum(self.by_target.values())

    def on(self, kind: str, target_id: Any = "") -> int:
        return self.by_target.get((kind, "" if target_id is None else str(target_id)), 0)

    def on_step(self, content: Content, document: TenderDraft, step_id: str) -> int:
        """Open threads on the step itself and on anything shown on it."""
        wizard = content.wizard
        step = wizard.step(step_id)
        if step is None:
            return 0
        count = self.on("step", step_id)
        stores = {question.store for question in step.questions if question.is_group}
        count += sum(self.on("question", question.id) for question in step.questions)
        if "needs" in stores:
            count += sum(self.on("need", need.id) for need in document.needs)
        if "effect_goals" in stores:
            count += sum(self.on("goal", goal.id) for goal in document.effect_goals)
        if step.kind == "requirements":
            count += sum(self.on("requirement", item.id) for item in document.requirements)
        return count


# Built once: every page of a draft counts its open threads (the draft is its parameter).
_OPEN_THREADS = (
    select(Comment.target_type, Comment.target_id, func.count())
    .where(
        Comment.draft_id == bindparam("draft_id"),
        col(Comment.parent_id).is_(None),
        col(Comment.resolved).is_(False),
    )
    .group_by(col(Comment.target_type), col(Comment.target_id))
)


def open_threads(session: Session, draft: Draft) -> OpenThreads:
    rows = session.exec(_OPEN_THREADS, params={"draft_id": draft.id}).all()
    return OpenThreads(Counter({(kind, target): count for kind, target, count in rows}))


def _excerpt(text: str, size: int = 300) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"
