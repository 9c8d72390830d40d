"""SQLModel tables: organisations, users and memberships, drafts and everything a draft holds."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, DateTime, LargeBinary, Text, UniqueConstraint
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

# The largest id a table holds (a 32-bit integer on PostgreSQL): a larger one names no row.
MAX_ID = 2**31 - 1


def is_id(value: int) -> bool:
    return 1 <= value <= MAX_ID


def utcnow() -> datetime:
    return datetime.now(UTC)


def _enum(enum: type[StrEnum]) -> Any:
    """Enums stored as plain strings (no database enum type to migrate when values are added)."""
    return SAEnum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=20,
        values_callable=lambda members: [member.value for member in members],
    )


def _timestamp(**kwargs: Any) -> Any:
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), **kwargs)


class Role(StrEnum):
    owner = "owner"
    editor = "editor"
    reviewer = "reviewer"
    viewer = "viewer"

    @property
    def can_edit(self) -> bool:
        return self in (Role.owner, Role.editor)

    @property
    def can_comment(self) -> bool:
        return self in (Role.owner, Role.editor, Role.reviewer)


class DraftStatus(StrEnum):
    """draft -> in_review -> changes_requested or approved -> exported (see app.review)."""

    draft = "draft"
    in_review = "in_review"
    changes_requested = "changes_requested"
    approved = "approved"
    exported = "exported"


class Verdict(StrEnum):
    approve = "approve"
    request_changes = "request_changes"


class Obligation(StrEnum):
    ska = "ska"
    bor = "bor"


class RequirementStatus(StrEnum):
    suggested = "suggested"
    accepted = "accepted"
    rejected = "rejected"


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    created_at: datetime = _timestamp()


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True, index=True)
    name: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=255)
    locale: str = Field(default="sv", max_length=5)
    is_active: bool = True
    created_at: datetime = _timestamp()


class Membership(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    role: Role = Field(default=Role.viewer, sa_type=_enum(Role))
    created_at: datetime = _timestamp()


class UserSession(SQLModel, table=True):
    """A login: the cookie holds a random token, the table only its SHA-256 hash."""

    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = _timestamp()
    expires_at: datetime = Field(sa_type=DateTime(timezone=True))
    # For the idle timeout: when the login was last used (noted at most once a minute).
    last_seen_at: datetime = _timestamp()


class ApiToken(SQLModel, table=True):
    """A personal API token; only its SHA-256 hash is stored."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    name: str = Field(default="", max_length=200)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = _timestamp()
    last_used_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    expires_at: datetime = Field(sa_type=DateTime(timezone=True))


class LoginFailure(SQLModel, table=True):
    """A failed login, kept a while to throttle guessing: per account (a hash of the address
    typed, whether or not such an account exists) and per client address."""

    __tablename__ = "login_failure"

    id: int | None = Field(default=None, primary_key=True)
    account_hash: str = Field(max_length=64, index=True)
    address: str = Field(max_length=64, index=True)
    failed_at: datetime = _timestamp(index=True)


class Draft(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=300)
    status: DraftStatus = Field(default=DraftStatus.draft, sa_type=_enum(DraftStatus))
    version: int = Field(default=1)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()
    # In the bin since then (restored by an owner, removed for good after 30 days).
    deleted_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    deleted_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    # The number of the last revision (0: never submitted).
    revision: int = 0


class Answer(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("draft_id", "question_id"),)

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id", index=True, ondelete="CASCADE")
    question_id: str = Field(max_length=100)
    value: Any = Field(default=None, sa_column=Column(JSON))
    updated_at: datetime = _timestamp()
    updated_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")


class Need(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id", index=True, ondelete="CASCADE")
    position: int = 0
    key: str = Field(default="", max_length=20)
    who: str = Field(default="", sa_type=Text)
    what: str = Field(default="", sa_type=Text)
    why: str = Field(default="", sa_type=Text)
    # What the need is about (the options of the needs step's `kinds`): suggestions propose
    # the needs whose kinds they serve.
    kinds: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    needs_review: bool = False
    updated_at: datetime = _timestamp()


class EffectGoal(SQLModel, table=True):
    __tablename__ = "effect_goal"

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id", index=True, ondelete="CASCADE")
    position: int = 0
    key: str = Field(default="", max_length=20)
    goal: str = Field(default="", sa_type=Text)
    indicator: str = Field(default="", sa_type=Text)
    baseline: str = Field(default="", max_length=200)
    target: str = Field(default="", max_length=200)
    need_keys: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    # What the goal measures; empty: the kinds of the needs it follows from.
    kinds: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    needs_review: bool = False
    updated_at: datetime = _timestamp()


class DraftRequirement(SQLModel, table=True):
    __tablename__ = "draft_requirement"

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id", index=True, ondelete="CASCADE")
    template_id: str | None = Field(default=None, max_length=40, index=True)
    template_version: int | None = None
    position: int = 0
    status: RequirementStatus = Field(
        default=RequirementStatus.suggested, sa_type=_enum(RequirementStatus)
    )
    kind: str = Field(default="function", max_length=30)
    requirement_type: str = Field(default="teknisk_specifikation", max_length=40)
    level: str = Field(default="bas", max_length=20)
    obligation: Obligation = Field(default=Obligation.ska, sa_type=_enum(Obligation))
    weight: float | None = None
    title: str = Field(default="", max_length=300)
    text: str = Field(default="", sa_type=Text)
    motive: str = Field(default="", sa_type=Text)
    verification: str = Field(default="", sa_type=Text)
    parameters: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    # True once the officer has changed the text, title, motive or verification by hand: the
    # template link stays, but suggestions no longer overwrite the text.
    edited: bool = False
    # Why a brand or trademark is named (allowed only when the object cannot otherwise be
    # described clearly, LOU 9 kap. 6 §); an export is blocked without it.
    brand_justification: str = Field(default="", sa_type=Text)
    # Why the engine suggested it: [{"question": id, "value": v}] or [{"need_word": w}].
    reasons: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    # Came from an earlier procurement (a copy or an imported answers file): the officer must
    # re-examine it before export, as the draft's needs and effect goals.
    needs_review: bool = False
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


class OrganisationTemplate(SQLModel, table=True):
    """A requirement template of an organisation's own, beside the curated library.

    `data` holds the template in the library's schema (validated on the way in)."""

    __tablename__ = "organisation_template"
    __table_args__ = (UniqueConstraint("organisation_id", "template_id"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    template_id: str = Field(max_length=40)
    area: str = Field(max_length=40)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


class RequirementTrace(SQLModel, table=True):
    """Which need (or effect goal) a draft requirement serves."""

    __tablename__ = "requirement_trace"
    __table_args__ = (UniqueConstraint("requirement_id", "need_id"),)

    id: int | None = Field(default=None, primary_key=True)
    requirement_id: int = Field(foreign_key="draft_requirement.id", index=True, ondelete="CASCADE")
    need_id: int | None = Field(default=None, foreign_key="need.id", index=True, ondelete="CASCADE")
    effect_goal_id: int | None = Field(
        default=None, foreign_key="effect_goal.id", index=True, ondelete="CASCADE"
    )
    # False while the link is the library's proposal (from the kinds of the need or goal);
    # true once the officer has confirmed or chosen it.
    confirmed: bool = False


class Comment(SQLModel, table=True):
    """A comment pinned to the draft, a step, a question, a need, a goal or a requirement;
    a reply has the thread's first comment as its parent, and only a thread is resolved."""

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id", index=True, ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    parent_id: int | None = Field(
        default=None, foreign_key="comment.id", index=True, ondelete="CASCADE"
    )
    target_type: str = Field(default="draft", max_length=20)
    target_id: str = Field(default="", max_length=100)
    body: str = Field(sa_type=Text)
    resolved: bool = False
    resolved_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    resolved_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    created_at: datetime = _timestamp()


class DraftShare(SQLModel, table=True):
    """A role on one draft: a member of its organisation with another role than their own, or
    a user of another organisation invited to review this draft only."""

    __tablename__ = "draft_share"
    __table_args__ = (UniqueConstraint("draft_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    role: Role = Field(default=Role.reviewer, sa_type=_enum(Role))
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = _timestamp()


class Invitation(SQLModel, table=True):
    """An invitation link: to an organisation with a role, or to review one draft. The link's
    token is shown once; only its hash is kept."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    email: str = Field(max_length=320)
    role: Role = Field(default=Role.editor, sa_type=_enum(Role))
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="CASCADE"
    )
    draft_id: int | None = Field(
        default=None, foreign_key="draft.id", index=True, ondelete="CASCADE"
    )
    invited_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = _timestamp()
    expires_at: datetime = Field(sa_type=DateTime(timezone=True))
    accepted_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class PasswordReset(SQLModel, table=True):
    """A one-time link to set a new password, issued by an owner."""

    __tablename__ = "password_reset"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    issued_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = _timestamp()
    expires_at: datetime = Field(sa_type=DateTime(timezone=True))
    used_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class Revision(SQLModel, table=True):
    """The whole draft as it was when it was submitted, approved or exported: never changed."""

    __table_args__ = (UniqueConstraint("draft_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id", index=True, ondelete="CASCADE")
    number: int
    reason: str = Field(max_length=20)
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = _timestamp()


class ReviewVerdict(SQLModel, table=True):
    """A reviewer's verdict on a revision: approve, or request changes."""

    __tablename__ = "review_verdict"

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id", index=True, ondelete="CASCADE")
    revision: int
    reviewer_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    verdict: Verdict = Field(sa_type=_enum(Verdict))
    comment: str = Field(default="", sa_type=Text)
    created_at: datetime = _timestamp()


class Notification(SQLModel, table=True):
    """Something a user should see: a comment, a reply, a change of a draft's status."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    draft_id: int | None = Field(
        default=None, foreign_key="draft.id", index=True, ondelete="CASCADE"
    )
    kind: str = Field(max_length=40)
    # who caused it and what about, for the message in the reader's language
    actor_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime = _timestamp()
    read_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="CASCADE"
    )
    draft_id: int | None = Field(
        default=None, foreign_key="draft.id", index=True, ondelete="CASCADE"
    )
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    action: str = Field(max_length=60)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime = _timestamp()


class ExportFile(SQLModel, table=True):
    """A file that left Kravlotsen: the bytes exactly as they were sent, with their checksum,
    so the team can tell which version a supplier or a portal got, and download it again."""

    __tablename__ = "export_file"

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id", index=True, ondelete="CASCADE")
    revision: int = 0
    version: int = 1
    # the draft's status then: a PDF made before approval says UTKAST, one after does not
    status: str = Field(default="draft", max_length=20)
    format: str = Field(max_length=10)
    filename: str = Field(max_length=300)
    media_type: str = Field(max_length=120)
    sha256: str = Field(default="", max_length=64, index=True)
    size: int = 0
    # the bytes, once the job has made them
    content: bytes | None = Field(default=None, sa_type=LargeBinary)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    # the export's job: queued -> running -> done | failed (with why, in `language`)
    job_status: str = Field(default="done", max_length=10, index=True)
    error: str = Field(default="", sa_type=Text)
    language: str = Field(default="sv", max_length=5)
    started_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    finished_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    created_at: datetime = _timestamp()
