"""Accounts: passwords, login sessions, API tokens and memberships, and from them who may see
and edit what. Every question of access is answered here, in one place.

Functions add and flush; the caller's unit of work commits."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, delete, select

from app.library.organisation import templates_revision
from app.models import ApiToken, Draft, Membership, Organisation, Role, User, UserSession

SESSION_COOKIE = "kravlotsen_session"
API_TOKEN_PREFIX = "klt_"

_password_hash = PasswordHash((Argon2Hasher(),))
# A hash to verify against when the email is unknown, so both cases take the same time.
_DUMMY_HASH = _password_hash.hash("kravlotsen-timing-equaliser")


def hash_password(password: str) -> str:
    return _password_hash.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if not password_hash:
        _password_hash.verify(password, _DUMMY_HASH)
        return False
    try:
        return _password_hash.verify(password, password_hash)
    except Exception:  # a malformed stored hash must not crash login
        return False


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None or not user.is_active:
        verify_password(password, None)
        return None
    return user if verify_password(password, user.password_hash) else None


def start_session(session: Session, user: User, max_age_seconds: int) -> tuple[str, UserSession]:
    """Create a new login; returns the cookie value and the stored session (hash only)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    login = UserSession(
        token_hash=hash_token(token),
        user_id=user.id or 0,
        created_at=now,
        expires_at=now + timedelta(seconds=max_age_seconds),
    )
    session.add(login)
    # Sessions that have run out are removed as new ones start.
    session.exec(delete(UserSession).where(col(UserSession.expires_at) < now))
    session.flush()
    return token, login


@dataclass(frozen=True)
class Credential:
    """What a request proves who it is by: the login cookie or a personal API token."""

    kind: Literal["session", "api"]
    token: str

    @property
    def table(self) -> type[UserSession] | type[ApiToken]:
        return UserSession if self.kind == "session" else ApiToken


def _holder(record: UserSession | ApiToken, user: User) -> User | None:
    """The user a credential belongs to, if it is still good: active, and a login not run out.
    Using an API token is noted on it."""
    if not user.is_active:
        return None
    if isinstance(record, UserSession):
        expires = record.expires_at
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        if expires < datetime.now(UTC):
            return None
    else:
        record.last_used_at = datetime.now(UTC)
    return user


def user_of(session: Session, credential: Credential) -> User | None:
    """The user a credential proves, in one query."""
    table: Any = credential.table
    row = session.exec(
        select(table, User)
        .join(User, User.id == table.user_id)
        .where(table.token_hash == hash_token(credential.token))
    ).first()
    return _holder(row[0], row[1]) if row is not None else None


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.exec(delete(UserSession).where(col(UserSession.token_hash) == hash_token(token)))


def create_api_token(session: Session, user: User, name: str = "") -> str:
    """Create a personal API token; the token itself is returned once and only its hash kept."""
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id or 0, name=name, token_hash=hash_token(token)))
    session.flush()
    return token


def memberships_of(session: Session, user: User) -> list[tuple[Membership, Organisation]]:
    rows = session.exec(
        select(Membership, Organisation)
        .join(Organisation, Organisation.id == Membership.organisation_id)  # type: ignore[arg-type]
        .where(Membership.user_id == user.id)
        .order_by(Organisation.name)
    ).all()
    return [(membership, organisation) for membership, organisation in rows]


def membership_in(
    session: Session, user: User, organisation_id: int
) -> tuple[Membership, Organisation] | None:
    """The user's membership of one organisation, or None when they are not a member."""
    row = session.exec(
        select(Membership, Organisation)
        .join(Organisation, Organisation.id == Membership.organisation_id)  # type: ignore[arg-type]
        .where(Membership.user_id == user.id, Membership.organisation_id == organisation_id)
    ).first()
    return (row[0], row[1]) if row is not None else None


def editable_organisations(session: Session, user: User) -> list[Organisation]:
    """Organisations where the user may create and change drafts."""
    return [
        organisation
        for membership, organisation in memberships_of(session, user)
        if membership.role.can_edit
    ]


def choose_editable_organisation(
    session: Session, user: User, organisation_id: int | None
) -> Organisation | None:
    """The organisation asked for, if the user may create drafts there; with none asked for,
    the user's only such organisation."""
    editable = editable_organisations(session, user)
    if organisation_id is None:
        return editable[0] if len(editable) == 1 else None
    return next((item for item in editable if item.id == organisation_id), None)


def visible_drafts(session: Session, user: User, *, editable: bool = False) -> list[Draft]:
    """The drafts the user may read (or, with `editable`, change), newest change first."""
    organisation_ids = [
        organisation.id
        for membership, organisation in memberships_of(session, user)
        if membership.role.can_edit or not editable
    ]
    return list(
        session.exec(
            select(Draft)
            .where(col(Draft.organisation_id).in_(organisation_ids))
            .order_by(col(Draft.updated_at).desc())
        ).all()
    )


@dataclass
class DraftAccess:
    """A draft as one user may use it: their role decides what they may do with it."""

    draft: Draft
    role: Role
    organisation: Organisation
    user: User
    # (count, newest change) of the organisation's own templates: see library_for
    templates_revision: tuple[int, Any] = (0, None)

    @property
    def can_edit(self) -> bool:
        return self.role.can_edit

    @property
    def can_comment(self) -> bool:
        return self.role.can_comment


def _access_query(draft_id: int) -> Any:
    """The draft with the organisation it belongs to and the role of a member: what decides
    who may see and change a draft. The caller adds which user."""
    templates_count, templates_changed = templates_revision(Draft.organisation_id)
    # More columns than sqlmodel's select is typed for: SQLAlchemy's own.
    return (
        sql_select(Draft, col(Membership.role), Organisation, templates_count, templates_changed)
        .join(Membership, Membership.organisation_id == Draft.organisation_id)  # type: ignore[arg-type]
        .join(Organisation, Organisation.id == Draft.organisation_id)  # type: ignore[arg-type]
        .where(Draft.id == draft_id)  # type: ignore[arg-type]
    )


def _access(row: Any, user: User) -> DraftAccess:
    draft, role, organisation, count, newest = row
    return DraftAccess(
        draft=draft,
        role=Role(role),
        organisation=organisation,
        user=user,
        templates_revision=(count, newest),
    )


def draft_access(session: Session, user: User, draft_id: int) -> DraftAccess | None:
    """The user's access to a draft, or None when they may not see it at all."""
    row = session.execute(_access_query(draft_id).where(Membership.user_id == user.id)).first()
    return _access(row, user) if row is not None else None


def draft_access_by(session: Session, credential: Credential, draft_id: int) -> DraftAccess | None:
    """The credential's user and their access to a draft, in one query; None when either is
    missing (then user_of tells whether anyone is logged in at all)."""
    table: Any = credential.table
    row = session.execute(
        _access_query(draft_id)
        .add_columns(table, User)
        .join(User, User.id == Membership.user_id)
        .join(table, table.user_id == User.id)
        .where(table.token_hash == hash_token(credential.token))
    ).first()
    if row is None:
        return None
    *access_columns, record, user = row
    holder = _holder(record, user)
    return _access(access_columns, holder) if holder is not None else None
