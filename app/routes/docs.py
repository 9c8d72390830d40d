"""API documentation (Swagger UI) served from vendored files: no CDN."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(tags=["docs"])


@router.get("/docs", include_in_schema=False)
def api_docs(request: Request) -> HTMLResponse:
    page = request.app.state.templates.get_template("api_docs.html").render()
    return HTMLResponse(page)
