"""The inbox: what happened to a draft that a person should know of (a comment, a reply, a
review asked for, a verdict, a status change), and, when SMTP is set up, the same by email.

Who is told:
- a new thread: the draft's creator and everyone the draft is shared with;
- a reply, a resolved or reopened thread: the people in the thread and the draft's creator;
- a review asked for: the reviewers the draft is shared with, or, when it is shared with no
  reviewer, the organisation's reviewers;
- a verdict that approves: the organisation's owners (who approve the draft);
- changes requested, the draft approved: the draft's creator and everyone it is shared with.
Nobody is told of what they did themselves."""

from __future__ import annotations

import logging
import smtplib
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from sqlalchemy import bindparam, func
from sqlmodel import Session, col, select, update

from app.drafts.store import now
from app.i18n import gettext_, use_locale
from app.models import Draft, DraftShare, Membership, Notification, Role, User

logger = logging.getLogger(__name__)

OUTBOX = "kravlotsen_outbox"


def describe(kind: str, actor: str, title: str, detail: dict[str, Any]) -> str:
    """What a notification says, in the current locale."""
    values = {"actor": actor, "title": title, **{k: v for k, v in detail.items() if k != "actor"}}
    texts = {
        "comment.added": gettext_("%(actor)s commented on “%(title)s”."),
        "comment.replied": gettext_("%(actor)s replied to a thread on “%(title)s”."),
        "comment.resolved": gettext_("%(actor)s resolved a thread on “%(title)s”."),
        "comment.reopened": gettext_("%(actor)s reopened a thread on “%(title)s”."),
        "review.requested": gettext_(
            "%(actor)s asks you to review “%(title)s” (revision %(revision)s)."
        ),
        "review.approved": gettext_("%(actor)s approves “%(title)s” as a reviewer."),
        "changes.requested": gettext_("%(actor)s requests changes to “%(title)s”."),
        "draft.approved": gettext_("%(actor)s approved “%(title)s”."),
    }
    text = texts.get(kind, gettext_("Something happened to “%(title)s”."))
    try:
        return text % values
    except (KeyError, TypeError, ValueError):
        return gettext_("Something happened to “%(title)s”.") % {"title": title}


def name_of(user: User | None) -> str:
    if user is None:
        return gettext_("(removed user)")
    return user.name or user.email


def notify(
    session: Session,
    user_ids: Iterable[int],
    draft: Draft,
    kind: str,
    actor: User | None,
    **detail: Any,
) -> list[Notification]:
    """A notification for each person (never the actor), and an email for each when mail
    is set up: sent after the unit of work commits (see app.deps.get_session)."""
    made = []
    recipients = sorted({user_id for user_id in user_ids if actor is None or user_id != actor.id})
    for user_id in recipients:
        row = Notification(
            user_id=user_id,
            draft_id=draft.id,
            kind=kind,
            actor_id=actor.id if actor else None,
            detail=detail,
        )
        session.add(row)
        made.append(row)
    if recipients:
        session.info.setdefault(OUTBOX, []).append(
            (recipients, draft.id, draft.title, kind, name_of(actor), detail)
        )
    return made


def shared_with(session: Session, draft: Draft, role: Role | None = None) -> list[int]:
    query = select(DraftShare.user_id).where(DraftShare.draft_id == draft.id)
    if role is not None:
        query = query.where(DraftShare.role == role)
    return list(session.exec(query).all())


def team_of(session: Session, draft: Draft) -> list[int]:
    """The draft's creator and everyone it is shared with."""
    people = shared_with(session, draft)
    if draft.created_by_id is not None:
        people.append(draft.created_by_id)
    return people


def reviewers_of(session: Session, draft: Draft) -> list[int]:
    shared = shared_with(session, draft, Role.reviewer)
    if shared:
        return shared
    return list(
        session.exec(
            select(Membership.user_id).where(
                Membership.organisation_id == draft.organisation_id,
                Membership.role == Role.reviewer,
            )
        ).all()
    )


# Built once: the header of every page counts the unread (the user's id is its parameter).
_UNREAD = (
    select(func.count())
    .select_from(Notification)
    .where(Notification.user_id == bindparam("user_id"), col(Notification.read_at).is_(None))
)


def unread_count(session: Session, user_id: int) -> int:
    return int(session.exec(_UNREAD, params={"user_id": user_id}).one())


@dataclass
class InboxItem:
    id: int
    text: str
    draft_id: int | None
    created_at: Any
    unread: bool


def inbox(session: Session, user: User, *, limit: int = 100) -> list[InboxItem]:
    """The user's notifications, newest first, worded in the current locale. Only drafts the
    user may still see are linked."""
    from app.accounts import visible_drafts

    rows = session.exec(
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .limit(limit)
    ).all()
    visible = {draft.id: draft for draft in visible_drafts(session, user)}
    actors = {
        person.id: person
        for person in session.exec(
            select(User).where(col(User.id).in_({row.actor_id for row in rows if row.actor_id}))
        ).all()
    }
    items = []
    for row in rows:
        draft = visible.get(row.draft_id)
        title = draft.title if draft else gettext_("a draft you no longer have access to")
        items.append(
            InboxItem(
                id=row.id or 0,
                text=describe(row.kind, name_of(actors.get(row.actor_id or 0)), title, row.detail),
                draft_id=draft.id if draft else None,
                created_at=row.created_at,
                unread=row.read_at is None,
            )
        )
    return items


def mark_read(session: Session, user: User, notification_id: int | None = None) -> None:
    """Mark one of the user's notifications read, or all of them."""
    statement = update(Notification).where(
        col(Notification.user_id) == user.id, col(Notification.read_at).is_(None)
    )
    if notification_id is not None:
        statement = statement.where(col(Notification.id) == notification_id)
    session.execute(statement.values(read_at=now()))


class Mailer:
    """Sends the notifications of a committed unit of work by SMTP, in a thread of its own so
    that no request waits for a mail server. Off (sends nothing) without a host."""

    def __init__(
        self,
        host: str = "",
        port: int = 587,
        *,
        sender: str = "",
        username: str = "",
        password: str = "",
        starttls: bool = True,
        public_url: str = "",
        timeout: float = 10,
    ) -> None:
        self.host = host
        self.port = port
        self.sender = sender or "kravlotsen@localhost"
        self.username = username
        self.password = password
        self.starttls = starttls
        self.public_url = public_url.rstrip("/")
        self.timeout = timeout

    @property
    def enabled(self) -> bool:
        return bool(self.host)

    def send_later(
        self, session: Session, outbox: list[tuple[Any, ...]]
    ) -> threading.Thread | None:
        if not self.enabled or not outbox:
            return None
        messages = self.messages(session, outbox)
        thread = threading.Thread(target=self.send, args=(messages,), daemon=True)
        thread.start()
        return thread

    def messages(self, session: Session, outbox: list[tuple[Any, ...]]) -> list[EmailMessage]:
        ids = {user_id for recipients, *_ in outbox for user_id in recipients}
        people = {
            person.id: person
            for person in session.exec(select(User).where(col(User.id).in_(ids))).all()
        }
        messages = []
        for recipients, draft_id, title, kind, actor, detail in outbox:
            for user_id in recipients:
                person = people.get(user_id)
                if person is None or not person.is_active:
                    continue
                with use_locale(person.locale):
                    text = describe(kind, actor, title, detail)
                    message = EmailMessage()
                    message["Subject"] = gettext_("Kravlotsen: %(title)s", title=title)
                    message["From"] = self.sender
                    message["To"] = person.email
                    link = f"{self.public_url}/drafts/{draft_id}" if self.public_url else ""
                    body = [text, ""]
                    if link:
                        body += [gettext_("Open the draft: %(link)s", link=link), ""]
                    body.append(
                        gettext_("You get this because you take part in the draft in Kravlotsen.")
                    )
                    message.set_content("\n".join(body))
                messages.append(message)
        return messages

    def send(self, messages: list[EmailMessage]) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as client:
                if self.starttls:
                    client.starttls()
                if self.username:
                    client.login(self.username, self.password)
                for message in messages:
                    client.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            # The notifications are in the inbox whatever happens to the mail.
            logger.warning("notification mail not sent: %s", error)
