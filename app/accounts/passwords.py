"""Passwords: hashing with argon2, checking a login, changing a password, disabling an account."""

from __future__ import annotations

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlmodel import Session, col, delete, select

from app.models import ApiToken, User, UserSession

_password_hash = PasswordHash((Argon2Hasher(),))
# A hash to verify against when the email is unknown, so both cases take the same time.
_DUMMY_HASH = _password_hash.hash("kravlotsen-timing-equaliser")
MIN_PASSWORD = 12


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


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None or not user.is_active:
        verify_password(password, None)
        return None
    return user if verify_password(password, user.password_hash) else None


def end_all_sessions(session: Session, user: User) -> None:
    session.exec(delete(UserSession).where(col(UserSession.user_id) == user.id))


def set_password(session: Session, user: User, password: str) -> None:
    """A new password; every login of the user ends, so a stolen session is worthless."""
    user.password_hash = hash_password(password)
    session.add(user)
    end_all_sessions(session, user)
    session.flush()


def disable_user(session: Session, user: User) -> None:
    """The account can no longer be used: its logins end and its API tokens are revoked."""
    user.is_active = False
    session.add(user)
    end_all_sessions(session, user)
    session.exec(delete(ApiToken).where(col(ApiToken.user_id) == user.id))
    session.flush()
