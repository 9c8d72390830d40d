"""Exports over the API: start one (or be given the stored one), follow it, fetch the file."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, BackgroundTasks, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from app.deps import ApiReadableDraft, ApiUser, ContentDep, SessionDep, require_draft
from app.errors import API_ERRORS, ErrorOut, error_body
from app.export.formats import EXPORT_FORMATS
from app.export.store import DONE, queue_export
from app.i18n import get_locale, gettext_
from app.models import ExportFile, is_id
from app.routes.api import _document
from app.routes.export_jobs import schedule

router = APIRouter(prefix="/api/v1", tags=["exports"], responses=API_ERRORS)

ExportFormatName = Literal["pdf", "rfi", "docx", "xlsx", "ocds", "json"]


class ExportIn(BaseModel):
    format: ExportFormatName


class ExportStarted(BaseModel):
    id: int
    status: str
    status_url: str


class ExportOut(BaseModel):
    id: int
    draft_id: int
    format: str
    revision: int
    version: int
    status: str
    error: str
    sha256: str
    size: int
    file_url: str | None


def export_out(row: ExportFile) -> ExportOut:
    return ExportOut(
        id=row.id or 0,
        draft_id=row.draft_id,
        format=row.format,
        revision=row.revision,
        version=row.version,
        status=row.status,
        error=row.error,
        sha256=row.sha256,
        size=row.size,
        file_url=f"/api/v1/exports/{row.id}/file" if row.status == DONE else None,
    )


def start_export(
    request: Request,
    background: BackgroundTasks,
    access: ApiReadableDraft,
    session: SessionDep,
    content: ContentDep,
    export_format: str,
) -> ExportFile | list[str]:
    """The export queued (or found stored), its rendering handed to the worker pool after the
    response; or the export gate's blockers for a format it holds back."""
    from app.quality.report import quality_report
    from app.wizard.gates import check_gates

    document = _document(session, access, content)
    if EXPORT_FORMATS[export_format].gated:
        blockers = [
            finding.message
            for finding in check_gates(document, content, quality_report(document))
            if finding.severity == "blocker"
        ]
        if blockers:
            return blockers
    row, new = queue_export(
        session, access.draft, access.user, document, export_format, get_locale()
    )
    if new:
        schedule(request, background, row.id or 0, document)
    return row


@router.post(
    "/drafts/{draft_id}/exports",
    status_code=202,
    response_model=ExportStarted,
    responses={409: {"model": ErrorOut, "description": "The export gate holds it back."}},
)
def post_export(
    body: ExportIn,
    request: Request,
    background: BackgroundTasks,
    access: ApiReadableDraft,
    session: SessionDep,
    content: ContentDep,
) -> JSONResponse:
    """Start an export, or be given the stored file of the same draft content and format
    (then it is done at once). Follow `status_url`."""
    found = start_export(request, background, access, session, content, body.format)
    if isinstance(found, list):
        raise HTTPException(
            status_code=409,
            detail=error_body(
                gettext_("The tender document cannot be exported yet: see errors."),
                {f"blockers.{number}": message for number, message in enumerate(found)},
            )["detail"],
        )
    started = ExportStarted(
        id=found.id or 0, status=found.status, status_url=f"/api/v1/exports/{found.id}"
    )
    return JSONResponse(started.model_dump(), status_code=202, background=background)


def _export_for(session: SessionDep, user: ApiUser, export_id: int) -> ExportFile:
    row = session.get(ExportFile, export_id) if is_id(export_id) else None
    if row is None:
        raise HTTPException(status_code=404, detail=gettext_("No such export."))
    require_draft(session, user, row.draft_id, edit=False)  # 404 outside the draft's readers
    return row


@router.get("/exports/{export_id}", response_model=ExportOut)
def get_export(export_id: int, session: SessionDep, user: ApiUser) -> ExportOut:
    return export_out(_export_for(session, user, export_id))


@router.get("/exports/{export_id}/file", response_class=Response)
def get_export_file(export_id: int, session: SessionDep, user: ApiUser) -> Response:
    """The stored file, byte for byte; 409 until it is done."""
    row = _export_for(session, user, export_id)
    if row.status != DONE or row.content is None:
        raise HTTPException(status_code=409, detail=gettext_("The export is not ready."))
    return Response(
        row.content,
        media_type=EXPORT_FORMATS[row.format].media_type,
        headers={"Cache-Control": "no-store", "X-Checksum-SHA256": row.sha256},
    )
