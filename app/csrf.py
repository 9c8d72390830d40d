"""CSRF tokens: bound to the login (or, before login, to an anonymous cookie)."""

from __future__ import annotations

import hmac
import secrets

ANONYMOUS_CSRF_COOKIE = "kravlotsen_csrf"
CSRF_FORM_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


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
