"""What goes wrong, answered: the one shape of every error the API gives, and the pages and
JSON the application's exception handlers answer with."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.i18n import gettext_

security_log = logging.getLogger("kravlotsen.security")


class ErrorDetail(BaseModel):
    message: str = Field(description="What went wrong, in the user's language")
    errors: dict[str, str] = Field(
        default_factory=dict, description="field or question id -> what is wrong with it"
    )


class ErrorOut(BaseModel):
    """Every error of the API has this shape."""

    detail: ErrorDetail


def error_body(message: str, errors: dict[str, str] | None = None) -> dict[str, Any]:
    return {"detail": {"message": message, "errors": errors or {}}}


def _message_of(status_code: int, detail: Any) -> tuple[str, dict[str, str]]:
    if isinstance(detail, dict):
        return str(detail.get("message") or ""), dict(detail.get("errors") or {})
    return str(detail), {}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def login_required(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = f"/login?next={quote(target)}"
    if request.headers.get("HX-Request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    from app.pages import render

    if exc.status_code in (401, 403, 404):
        security_log.info(
            "refused %s %s: %s for user %s",
            request.method,
            request.url.path,
            exc.status_code,
            getattr(request.state, "login_user_id", None) or "-",
        )
    message, errors = _message_of(exc.status_code, exc.detail)
    if wants_json(request):
        return JSONResponse(
            error_body(message, errors), status_code=exc.status_code, headers=exc.headers
        )
    pages = {
        404: gettext_("The page could not be found, or you do not have access to it."),
        403: gettext_("You do not have permission to do that."),
        405: gettext_("That is not something this page can do."),
    }
    shown = pages.get(exc.status_code) or message
    if exc.status_code == 403 and message:
        shown = message
    if exc.status_code == 404 and isinstance(exc.detail, dict) and message:
        # A link that was valid once says why it no longer is.
        shown = message
    return render(
        request,
        "error.html",
        {"status_code": exc.status_code, "message": shown},
        status_code=exc.status_code,
    )


def validation_error(request: Request, exc: RequestValidationError) -> Response:
    from app.pages import render

    if request.url.path.startswith("/api/"):
        errors = {
            ".".join(str(part) for part in error.get("loc", ())[1:]) or "body": error.get("msg", "")
            for error in exc.errors()
        }
        return JSONResponse(
            error_body(gettext_("The request is not valid."), errors), status_code=422
        )
    return render(
        request,
        "error.html",
        {"status_code": 400, "message": gettext_("The form was not filled in as expected.")},
        status_code=400,
    )


# What each answer of the API means, for the OpenAPI description of every route.
API_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The request cannot be understood."},
    401: {"model": ErrorOut, "description": "No valid personal API token was sent."},
    403: {"model": ErrorOut, "description": "The token's user may read the draft, not change it."},
    404: {"model": ErrorOut, "description": "No such draft, or not one the user may see."},
    413: {"model": ErrorOut, "description": "The request body is larger than 10 MB."},
    422: {"model": ErrorOut, "description": "A field or an answer is not valid: see `errors`."},
    503: {"model": ErrorOut, "description": "Busy: try again after Retry-After seconds."},
}
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {
        "model": ErrorOut,
        "description": "The draft has changed since the version given: read it again.",
    }
}
