"""Throttled logins: after a few failures for an account or from an address, wait a while."""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, delete, func, select

from app.models import LoginFailure

logger = logging.getLogger("kravlotsen.security")

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)


def account_hash(email: str) -> str:
    """The address typed, hashed: whether or not an account has it, it is counted the same."""
    return hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()


def wait_seconds(session: Session, email: str, address: str) -> int:
    """Seconds until the next login attempt may be tried; 0 when it may be tried now."""
    now = datetime.now(UTC)
    since = now - WINDOW
    waits = []
    for condition in (
        LoginFailure.account_hash == account_hash(email),
        LoginFailure.address == address,
    ):
        count, oldest = session.exec(
            select(func.count(col(LoginFailure.id)), func.min(LoginFailure.failed_at)).where(
                condition, col(LoginFailure.failed_at) >= since
            )
        ).one()
        if count >= MAX_FAILURES and oldest is not None:
            oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
            waits.append(int((oldest + WINDOW - now).total_seconds()) + 1)
    return max(waits, default=0)


def note_failure(session: Session, email: str, address: str) -> None:
    session.add(LoginFailure(account_hash=account_hash(email), address=address[:64]))
    # Failures older than the window count for nothing: they go as new ones come.
    session.exec(
        delete(LoginFailure).where(col(LoginFailure.failed_at) < datetime.now(UTC) - WINDOW)
    )
    session.flush()
    logger.warning("login failed for account %s from %s", account_hash(email)[:12], address)


def clear_failures(session: Session, email: str) -> None:
    """A good login: the account's earlier failures are forgiven (the address's are not)."""
    session.exec(delete(LoginFailure).where(col(LoginFailure.account_hash) == account_hash(email)))
