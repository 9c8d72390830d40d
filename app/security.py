"""Passwords, login sessions, API tokens and CSRF tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlmodel import Session, col, delete, select

from app.models import ApiToken, User, UserSession

SESSION_COOKIE = "kravlotsen_session"
ANONYMOUS_CSRF_COOKIE = "kravlotsen_csrf"
CSRF_FORM_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
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


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_token_for(secret_key: str, session_token: str | None, anonymous_token: str | None) -> str:
    """The CSRF token a page must send back: bound to the login (or, before login, to the
    anonymous cookie), so it changes when the session is rotated at login."""
    if session_token:
        basis = "session:" + session_token
    elif anonymous_token:
        basis = "anonymous:" + anonymous_token
    else:
        return ""
    return hmac.new(secret_key.encode("utf-8"), basis.encode("utf-8"), "sha256").hexdigest()


def tokens_match(expected: str | None, given: str | None) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


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
    session.commit()
    return token, login


def find_session(session: Session, token: str | None) -> UserSession | None:
    if not token:
        return None
    login = session.exec(
        select(UserSession).where(UserSession.token_hash == hash_token(token))
    ).first()
    if login is None:
        return None
    expires = login.expires_at
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    if expires < datetime.now(UTC):
        return None
    return login


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.exec(delete(UserSession).where(col(UserSession.token_hash) == hash_token(token)))
        session.commit()


def create_api_token(session: Session, user: User, name: str = "") -> str:
    """Create a personal API token; the token itself is returned once and only its hash kept."""
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id or 0, name=name, token_hash=hash_token(token)))
    session.commit()
    return token


def user_for_api_token(session: Session, token: str) -> User | None:
    record = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).first()
    if record is None:
        return None
    user = session.get(User, record.user_id)
    if user is None or not user.is_active:
        return None
    record.last_used_at = datetime.now(UTC)
    session.add(record)
    session.commit()
    return user
