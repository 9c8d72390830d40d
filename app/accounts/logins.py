"""Logins and personal API tokens: made, checked (expiry, idle time), listed, ended."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlmodel import Session, col, delete, select, update

from app.models import ApiToken, User, UserSession, is_id

SESSION_COOKIE = "kravlotsen_session"
API_TOKEN_PREFIX = "klt_"
# A login not used for this long has ended, unless the settings say otherwise.
IDLE_SECONDS = 2 * 3600
# How often a login's last use is written down: often enough for the idle timeout.
SEEN_EVERY = timedelta(minutes=1)
TOKEN_DAYS = 90


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def start_session(session: Session, user: User, max_age_seconds: int) -> tuple[str, UserSession]:
    """Create a new login; returns the cookie value and the stored session (hash only)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    login = UserSession(
        token_hash=hash_token(token),
        user_id=user.id or 0,
        created_at=now,
        expires_at=now + timedelta(seconds=max_age_seconds),
        last_seen_at=now,
    )
    session.add(login)
    # Sessions that have run out are removed as new ones start.
    session.exec(delete(UserSession).where(col(UserSession.expires_at) < now))
    session.flush()
    return token, login


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.exec(delete(UserSession).where(col(UserSession.token_hash) == hash_token(token)))


@dataclass(frozen=True)
class Credential:
    """What a request proves who it is by: the login cookie or a personal API token."""

    kind: Literal["session", "api"]
    token: str
    # how long a login may be left unused before it ends
    idle_seconds: int = IDLE_SECONDS

    @property
    def table(self) -> type[UserSession] | type[ApiToken]:
        return UserSession if self.kind == "session" else ApiToken


def holder(
    record: UserSession | ApiToken, user: User, idle_seconds: int = IDLE_SECONDS
) -> User | None:
    """The user a credential belongs to, if it is still good: an active account, a login that
    has neither run out nor been left idle too long, a token not expired."""
    if not user.is_active:
        return None
    now = datetime.now(UTC)
    if _aware(record.expires_at) < now:
        return None
    if isinstance(record, UserSession):
        if _aware(record.last_seen_at) + timedelta(seconds=idle_seconds) < now:
            return None
    return user


def last_use(record: UserSession | ApiToken) -> datetime | None:
    used = record.last_seen_at if isinstance(record, UserSession) else record.last_used_at
    return _aware(used) if used is not None else None


def needs_noting(record: UserSession | ApiToken) -> bool:
    """Whether the credential's use should be written down (at most once a minute)."""
    used = last_use(record)
    return used is None or used + SEEN_EVERY < datetime.now(UTC)


def note_use(session: Session, credential: Credential) -> None:
    """Write down that the credential was used now: for the idle timeout, and to show when a
    token was last used. A write of its own, made after the request's (see app.deps)."""
    table: Any = credential.table
    column = "last_seen_at" if credential.kind == "session" else "last_used_at"
    session.exec(
        update(table)
        .where(table.token_hash == hash_token(credential.token))
        .values({column: datetime.now(UTC)})
    )


def login_of(session: Session, credential: Credential) -> tuple[User, bool] | None:
    """The user a credential proves, and whether its use should be noted; in one query."""
    table: Any = credential.table
    row = session.exec(
        select(table, User)
        .join(User, User.id == table.user_id)
        .where(table.token_hash == hash_token(credential.token))
    ).first()
    if row is None:
        return None
    user = holder(row[0], row[1], credential.idle_seconds)
    return (user, needs_noting(row[0])) if user is not None else None


def user_of(session: Session, credential: Credential) -> User | None:
    """The user a credential proves, in one query."""
    found = login_of(session, credential)
    return found[0] if found is not None else None


def create_api_token(session: Session, user: User, name: str = "", days: int = TOKEN_DAYS) -> str:
    """Create a personal API token; the token itself is returned once and only its hash kept."""
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user_id=user.id or 0,
            name=name,
            token_hash=hash_token(token),
            expires_at=datetime.now(UTC) + timedelta(days=days),
        )
    )
    session.flush()
    return token


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.exec(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(col(ApiToken.id))
        ).all()
    )


def revoke_token(session: Session, user: User, token_id: int) -> bool:
    """End one of the user's own tokens; False when the user has no such token."""
    token = session.get(ApiToken, token_id) if is_id(token_id) else None
    if token is None or token.user_id != user.id:
        return False
    session.delete(token)
    session.flush()
    return True
