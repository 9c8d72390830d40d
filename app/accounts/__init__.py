"""Accounts: passwords, logins, API tokens and memberships, and from them who may see and
change what. Every question of access is answered here, in one place.

Functions add and flush; the caller's unit of work commits."""

from app.accounts.access import (
    DraftAccess,
    binned_drafts,
    choose_editable_organisation,
    draft_access,
    draft_access_by,
    editable_organisations,
    membership_in,
    memberships_of,
    visible_drafts,
)
from app.accounts.logins import (
    API_TOKEN_PREFIX,
    SESSION_COOKIE,
    Credential,
    create_api_token,
    end_session,
    hash_token,
    login_of,
    note_use,
    revoke_token,
    start_session,
    tokens_of,
    user_of,
)
from app.accounts.passwords import (
    MIN_PASSWORD,
    authenticate,
    disable_user,
    hash_password,
    set_password,
    verify_password,
)

__all__ = [
    "API_TOKEN_PREFIX",
    "MIN_PASSWORD",
    "SESSION_COOKIE",
    "Credential",
    "DraftAccess",
    "authenticate",
    "binned_drafts",
    "choose_editable_organisation",
    "create_api_token",
    "disable_user",
    "draft_access",
    "draft_access_by",
    "editable_organisations",
    "end_session",
    "hash_password",
    "hash_token",
    "login_of",
    "note_use",
    "membership_in",
    "memberships_of",
    "revoke_token",
    "set_password",
    "start_session",
    "tokens_of",
    "user_of",
    "verify_password",
    "visible_drafts",
]
