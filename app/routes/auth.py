"""Login, logout and the language switch."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.accounts import SESSION_COOKIE, authenticate, end_session, start_session, throttle
from app.config import Settings
from app.deps import OptionalUser, SessionDep
from app.drafts.store import record_event
from app.i18n import LOCALES, gettext_
from app.middleware import LOCALE_COOKIE
from app.models import User
from app.pages import render

router = APIRouter(tags=["auth"])

# Longer is no password anyone types; hashing it would only cost time.
MAX_PASSWORD = 1000


def safe_next(target: str | None) -> str:
    """Only local paths are followed after login or a language switch (no open redirects)."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login", include_in_schema=False)
def login_page(request: Request, user: OptionalUser, next: str = "/") -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "auth/login.html", {"next": safe_next(next), "errors": {}, "email": ""})


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    errors: dict[str, str] = {}
    if not email.strip():
        errors["email"] = gettext_("Enter your email address.")
    if not password:
        errors["password"] = gettext_("Enter your password.")
    elif len(password) > MAX_PASSWORD:
        errors["password"] = gettext_("The email address or the password is wrong.")
    address = request.client.host if request.client else ""
    user = None
    if not errors:
        wait = throttle.wait_seconds(session, email, address)
        if wait:
            # The same answer whether or not the account exists.
            errors["email"] = gettext_(
                "Too many failed logins. Wait %(minutes)s minutes and try again.",
                minutes=max(1, round(wait / 60)),
            )
            return _login_form(request, next, errors, email, 429, {"Retry-After": str(wait)})
        user = authenticate(session, email, password)
        if user is None:
            throttle.note_failure(session, email, address)
            errors["email"] = gettext_("The email address or the password is wrong.")
        else:
            throttle.clear_failures(session, email)
    if user is None:
        return _login_form(request, next, errors, email, 400)
    settings = request.app.state.settings
    record_event(session, None, user, "user.login")
    response = begin_login(request, session, user, RedirectResponse(safe_next(next), 303))
    if user.locale in LOCALES and LOCALE_COOKIE not in request.cookies:
        set_locale_cookie(response, user.locale, bool(settings.secure_cookies))
    return response


def begin_login(request: Request, session: Session, user: User, response: Response) -> Response:
    """Log the user in on `response`. A new session token at every login: a token planted
    before it is worthless after it."""
    end_session(session, request.cookies.get(SESSION_COOKIE))
    settings = request.app.state.settings
    token, _login = start_session(session, user, settings.session_max_age_seconds)
    set_login_cookie(response, token, settings)
    return response


def set_login_cookie(response: Response, token: str, settings: Settings) -> None:
    """The login cookie: HttpOnly, SameSite=Lax, Secure in production."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_max_age_seconds,
        httponly=True,
        samesite="lax",
        secure=bool(settings.secure_cookies),
        path="/",
    )


def _login_form(
    request: Request,
    next: str,
    errors: dict[str, str],
    email: str,
    status_code: int,
    headers: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "auth/login.html",
        {"next": safe_next(next), "errors": errors, "email": email},
        status_code=status_code,
        headers=headers,
    )


def set_locale_cookie(response: Response, locale: str, secure: bool) -> None:
    response.set_cookie(
        LOCALE_COOKIE,
        locale,
        max_age=365 * 24 * 3600,
        samesite="lax",
        httponly=True,
        secure=secure,
    )


@router.post("/logout", include_in_schema=False)
def logout(request: Request, session: SessionDep) -> Response:
    end_session(session, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language", include_in_schema=False)
def switch_language(
    request: Request,
    locale: Annotated[str, Form()] = "sv",
    next: Annotated[str, Form()] = "/",
) -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    if locale in LOCALES:
        set_locale_cookie(response, locale, bool(request.app.state.settings.secure_cookies))
    return response
