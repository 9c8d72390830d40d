"""The user's own page: change the password, and see, make and revoke personal API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.accounts import (
    MIN_PASSWORD,
    create_api_token,
    revoke_token,
    set_password,
    tokens_of,
    verify_password,
)
from app.data import limits
from app.deps import CurrentUser, SessionDep
from app.drafts.store import record_event
from app.i18n import LOCALES, gettext_
from app.models import User
from app.pages import render
from app.routes.auth import MAX_PASSWORD, begin_login, set_locale_cookie

router = APIRouter(prefix="/account", tags=["account"])


def _page(
    request: Request,
    session: Session,
    user: User,
    *,
    errors: dict[str, str] | None = None,
    new_token: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "account.html",
        {
            "account": user,
            "tokens": tokens_of(session, user),
            "errors": errors or {},
            "new_token": new_token,
            "notice": notice,
        },
        status_code=status_code,
    )


@router.get("", include_in_schema=False)
def account_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _page(request, session, user)


@router.post("/password", include_in_schema=False)
def change_password(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    current_password: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
    repeat_password: Annotated[str, Form()] = "",
) -> Response:
    """A new password ends every login of the account; this one goes on in a new session."""
    errors: dict[str, str] = {}
    if len(current_password) > MAX_PASSWORD or not verify_password(
        current_password, user.password_hash
    ):
        errors["current_password"] = gettext_("That is not your current password.")
    if len(new_password) < MIN_PASSWORD:
        errors["new_password"] = gettext_(
            "The new password must be at least %(count)s characters.", count=MIN_PASSWORD
        )
    elif len(new_password) > MAX_PASSWORD:
        errors["new_password"] = gettext_(
            "The new password can be at most %(count)s characters.", count=MAX_PASSWORD
        )
    elif new_password != repeat_password:
        errors["repeat_password"] = gettext_("The two new passwords are not the same.")
    if errors:
        return _page(request, session, user, errors=errors, status_code=400)
    set_password(session, user, new_password)
    record_event(session, None, user, "user.password_changed")
    response = _page(
        request,
        session,
        user,
        notice=gettext_("Your password is changed. Your other logins have ended."),
    )
    return begin_login(request, session, user, response)


@router.post("/profile", include_in_schema=False)
def change_profile(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    name: Annotated[str, Form()] = "",
    locale: Annotated[str, Form()] = "sv",
) -> Response:
    """The user's name as others see it, and the language of the interface and of new drafts."""
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = gettext_("Enter your name.")
    elif len(name) > limits.SHORT:
        errors["name"] = gettext_("The name is too long.")
    if locale not in LOCALES:
        errors["locale"] = gettext_("Choose Swedish or English.")
    if errors:
        return _page(request, session, user, errors=errors, status_code=400)
    before = {"name": user.name, "locale": user.locale}
    user.name = name
    user.locale = locale
    session.add(user)
    record_event(session, None, user, "user.profile_changed", before=before)
    response = RedirectResponse("/account?saved=1", status_code=303)
    set_locale_cookie(response, locale, bool(request.app.state.settings.secure_cookies))
    return response


@router.post("/tokens", include_in_schema=False)
def make_token(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    name: Annotated[str, Form()] = "",
) -> Response:
    name = name.strip()
    if not name or len(name) > limits.SHORT:
        return _page(
            request,
            session,
            user,
            errors={"name": gettext_("Give the token a name you will recognise it by.")},
            status_code=400,
        )
    token = create_api_token(session, user, name)
    record_event(session, None, user, "token.created", name=name)
    return _page(request, session, user, new_token=token)


@router.post("/tokens/{token_id}/revoke", include_in_schema=False)
def remove_token(token_id: int, session: SessionDep, user: CurrentUser) -> Response:
    if not revoke_token(session, user, token_id):
        raise HTTPException(status_code=404)
    record_event(session, None, user, "token.revoked", token=token_id)
    return RedirectResponse("/account", status_code=303)
