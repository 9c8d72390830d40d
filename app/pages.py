"""Rendering pages: full page or, for htmx requests, just the named block of the same template."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from jinja2_fragments import render_block

from app.i18n import set_locale
from app.middleware import request_csrf_token, request_locale


def is_partial_request(request: Request) -> bool:
    """Partial only for htmx requests that are not history restores (back/forward/reload)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    block: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a page. With `block`, an htmx request gets only that block of the template."""
    environment: Environment = request.app.state.templates
    locale = request_locale(request)
    set_locale(locale)
    full_context = {
        "request": request,
        "user": getattr(request.state, "user", None),
        "csrf_token": request_csrf_token(request),
        "locale": locale,
        "other_locale": "en" if locale == "sv" else "sv",
        "current_path": request.url.path,
        "current_url": str(request.url.path)
        + (f"?{request.url.query}" if request.url.query else ""),
        **(context or {}),
    }
    if block and is_partial_request(request):
        body = render_block(environment, template, block, full_context)
    else:
        body = environment.get_template(template).render(full_context)
    response = HTMLResponse(body, status_code=status_code, headers=headers)
    response.headers["Vary"] = "HX-Request, Cookie"
    response.headers.setdefault("Cache-Control", "no-store")
    return response
