"""ASGI middleware: locale, CSRF protection and security headers."""

from __future__ import annotations

import asyncio
import collections
import json
import logging
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from markupsafe import escape
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.accounts import SESSION_COOKIE
from app.csrf import (
    ANONYMOUS_CSRF_COOKIE,
    CSRF_FORM_FIELD,
    CSRF_HEADER,
    csrf_token_for,
    new_csrf_token,
    tokens_match,
)
from app.errors import error_body
from app.i18n import DEFAULT_LOCALE, LOCALES, gettext_, set_locale

LOCALE_COOKIE = "kravlotsen_lang"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
MAX_BODY_BYTES = 10 * 1024 * 1024

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


_COOKIES = "kravlotsen.cookies"


def cookies_of(scope: Scope) -> dict[str, str]:
    """The request's cookies, parsed once however many middlewares ask."""
    found: dict[str, str] | None = scope.get(_COOKIES)
    if found is None:
        found = scope[_COOKIES] = _parse_cookies(scope)
    return found


def _parse_cookies(scope: Scope) -> dict[str, str]:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            parsed: SimpleCookie = SimpleCookie()
            try:
                parsed.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is treated as no cookies
                return {}
            return {key: morsel.value for key, morsel in parsed.items()}
    return {}


def header_of(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return str(value.decode("latin-1"))
    return None


class LocaleMiddleware:
    """Chooses the interface language: the language cookie, else Swedish."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        locale = cookies_of(scope).get(LOCALE_COOKIE, DEFAULT_LOCALE)
        if locale not in LOCALES:
            locale = DEFAULT_LOCALE
        scope.setdefault("state", {})["locale"] = locale
        set_locale(locale)
        await self.app(scope, receive, send)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
                if not scope.get("path", "").startswith("/static/"):
                    # Drafts may be confidential: no page or answer of the API is kept in a cache.
                    headers.setdefault("Cache-Control", "no-store")
                if self.hsts:
                    headers.setdefault("Strict-Transport-Security", "max-age=31536000")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class AdmissionMiddleware:
    """At most `limit` requests in flight in this process, each holding at most one thread and
    one database connection (there are as many as the limit). One more waits, holding
    neither, for at most `wait_seconds` until one ends (first come, first let in), and is
    answered 503 with Retry-After if none does in that time, or at once when `wait_seconds`
    is 0: a burst costs a short wait instead of a refusal, and a longer overload is still
    refused instead of waiting without end. Static files and the health check are always let
    through: they need neither."""

    def __init__(self, app: ASGIApp, *, limit: int, wait_seconds: float = 0) -> None:
        self.app = app
        self.limit = limit
        self.wait_seconds = wait_seconds
        self.in_flight = 0
        self._waiting: collections.deque[asyncio.Future[None]] = collections.deque()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith("/static/") or path == "/healthz":
            await self.app(scope, receive, send)
            return
        if self.in_flight < self.limit:
            self.in_flight += 1
        elif not await self._wait_for_turn():
            await _busy(scope, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._leave()

    async def _wait_for_turn(self) -> bool:
        """True once a request that ended handed its place to this one (in_flight unchanged)."""
        if self.wait_seconds <= 0:
            return False
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(turn)
        try:
            await asyncio.wait_for(asyncio.shield(turn), self.wait_seconds)
            return True
        except TimeoutError:
            if turn.done():  # handed a place just as the wait ended: take it
                return True
            turn.cancel()
            return False
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self._leave()  # a place handed to a request that went away: pass it on
            else:
                turn.cancel()
            raise
        finally:
            if turn in self._waiting:
                self._waiting.remove(turn)

    def _leave(self) -> None:
        """A request ended: its place goes to the first one still waiting, else is freed."""
        while self._waiting:
            turn = self._waiting.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        self.in_flight -= 1


class BodyLimitMiddleware:
    """Refuses (413) a request body over the limit, whatever its headers say about who sends
    it: before anything reads it, by its declared length, and while it streams in."""

    def __init__(self, app: ASGIApp, *, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = header_of(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _too_large(scope, send)
            return
        received = 0
        refused = False

        async def counted() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    refused = True
                    raise BodyTooLarge()
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            if refused:
                await _too_large(scope, send)


class BodyTooLarge(HTTPException):
    """The body streamed in past the limit: a 413 wherever it is noticed."""

    def __init__(self) -> None:
        super().__init__(status_code=413, detail=gettext_("The request is too large."))


class CSRFMiddleware:
    """Refuses (403) every state-changing request made with cookies that lacks the CSRF token.

    The token travels in the X-CSRF-Token header (htmx sends it through hx-headers on <body>)
    or in the csrf_token form field (plain forms). Requests authenticated with a Bearer token
    carry no cookie credentials and are left to the token check.
    """

    def __init__(self, app: ASGIApp, *, secret_key: str, secure_cookies: bool) -> None:
        self.app = app
        self.secret_key = secret_key
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = cookies_of(scope)
        anonymous = cookies.get(ANONYMOUS_CSRF_COOKIE)
        set_anonymous = None
        if not anonymous:
            anonymous = set_anonymous = new_csrf_token()
        session_token = cookies.get(SESSION_COOKIE)
        state = scope.setdefault("state", {})
        state["csrf_token"] = csrf_token_for(self.secret_key, session_token, anonymous)
        state["anonymous_csrf"] = anonymous

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and set_anonymous:
                headers = MutableHeaders(scope=message)
                secure = "; Secure" if self.secure_cookies else ""
                headers.append(
                    "set-cookie",
                    f"{ANONYMOUS_CSRF_COOKIE}={set_anonymous}; Path=/; HttpOnly; "
                    f"SameSite=Lax{secure}",
                )
            await send(message)

        if scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send_with_cookie)
            return
        authorization = header_of(scope, b"authorization") or ""
        if scope.get("path", "").startswith("/api/") and not session_token:
            # No login cookie: nothing a forged request could ride on. Without a token the API
            # answers 401; with one, the token alone authenticates.
            state["bearer_only"] = True
            await self.app(scope, receive, send_with_cookie)
            return
        if authorization.lower().startswith("bearer ") and authorization[7:].strip():
            # Token requests authenticate by the token alone; cookies are ignored downstream.
            state["bearer_only"] = True
            await self.app(scope, receive, send_with_cookie)
            return

        body = b""
        more = True
        while more:  # the size is bounded by BodyLimitMiddleware, which runs first
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)

        given = header_of(scope, CSRF_HEADER.lower().encode()) or _token_from_body(scope, body)
        expected = state["csrf_token"] if not set_anonymous or session_token else ""
        if not tokens_match(expected, given):
            await _refuse(scope, send)
            return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send_with_cookie)


def _token_from_body(scope: Scope, body: bytes) -> str | None:
    content_type = (header_of(scope, b"content-type") or "").lower()
    if content_type.startswith("application/x-www-form-urlencoded"):
        values = parse_qs(body.decode("utf-8", errors="replace")).get(CSRF_FORM_FIELD)
        return values[0] if values else None
    if content_type.startswith("multipart/form-data"):
        marker = f'name="{CSRF_FORM_FIELD}"'.encode()
        index = body.find(marker)
        if index < 0:
            return None
        start = body.find(b"\r\n\r\n", index)
        end = body.find(b"\r\n", start + 4)
        if start < 0 or end < 0:
            return None
        return body[start + 4 : end].decode("utf-8", errors="replace")
    return None


async def _busy(scope: Scope, send: Send) -> None:
    message = gettext_("Kravlotsen is busy right now. Try again in a moment.")
    headers = [(b"retry-after", b"1")]
    if scope.get("path", "").startswith("/api/"):
        await _json_error(send, 503, message, headers)
    else:
        await _plain_error(send, 503, message, headers)


async def _too_large(scope: Scope, send: Send) -> None:
    message = gettext_("The request is too large.")
    if scope.get("path", "").startswith("/api/"):
        await _json_error(send, 413, message)
    else:
        await _plain_error(send, 413, message)


async def _refuse(scope: Scope, send: Send) -> None:
    logging.getLogger("kravlotsen.security").warning(
        "refused %s %s: no valid CSRF token", scope.get("method"), scope.get("path")
    )
    message = gettext_(
        "The form had expired or did not come from Kravlotsen. Reload the page and try again."
    )
    accept = header_of(scope, b"accept") or ""
    path = scope.get("path", "")
    if path.startswith("/api/") or "application/json" in accept:
        await _json_error(send, 403, message)
    else:
        await _plain_error(send, 403, message)


async def _json_error(
    send: Send, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    payload = json.dumps(error_body(message)).encode("utf-8")
    await _send(send, status, payload, b"application/json", headers)


async def _plain_error(
    send: Send, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>"
        f"{status}</title></head><body><main><h1>{status}</h1><p>{escape(message)}</p>"
        "<p><a href='/'>Kravlotsen</a></p></main></body></html>"
    )
    await _send(send, status, page.encode("utf-8"), b"text/html; charset=utf-8", headers)


async def _send(
    send: Send,
    status: int,
    payload: bytes,
    content_type: bytes,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(payload)).encode()),
                (b"cache-control", b"no-store"),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


def request_locale(request: Request) -> str:
    return str(getattr(request.state, "locale", DEFAULT_LOCALE))


def request_csrf_token(request: Request) -> str:
    return str(getattr(request.state, "csrf_token", ""))
