"""Login, logout and the language switch."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.accounts import SESSION_COOKIE, authenticate, end_session, start_session
from app.deps import OptionalUser, SessionDep
from app.drafts.store import record_event
from app.i18n import LOCALES, gettext_
from app.middleware import LOCALE_COOKIE
from app.pages import render

router = APIRouter(tags=["auth"])


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
    user = None
    if not errors:
        user = authenticate(session, email, password)
        if user is None:
            errors["email"] = gettext_("The email address or the password is wrong.")
    if user is None:
        return render(
            request,
            "auth/login.html",
            {"next": safe_next(next), "errors": errors, "email": email},
            status_code=400,
        )
    settings = request.app.state.settings
    # A new session token at every login: a token planted before login is worthless after it.
    end_session(session, request.cookies.get(SESSION_COOKIE))
    token, _login = start_session(session, user, settings.session_max_age_seconds)
    record_event(session, None, user, "user.login")
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_max_age_seconds,
        httponly=True,
        samesite="lax",
        secure=bool(settings.secure_cookies),
        path="/",
    )
    if user.locale in LOCALES and LOCALE_COOKIE not in request.cookies:
        response.set_cookie(LOCALE_COOKIE, user.locale, max_age=365 * 24 * 3600, samesite="lax")
    return response


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
        response.set_cookie(
            LOCALE_COOKIE,
            locale,
            max_age=365 * 24 * 3600,
            samesite="lax",
            httponly=True,
            secure=bool(request.app.state.settings.secure_cookies),
        )
    return response
