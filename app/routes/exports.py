"""Check answers and export: the summary with change links, the gate, and the downloads."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.content import Content
from app.deps import FormDep, defer_write
from app.document import TenderDraft
from app.drafts.answers_file import answers_file_of, dump_answers_yaml
from app.drafts.store import record_event
from app.export.jobs import ProcessQueue
from app.export.pdf import PdfTooSlow, render_within_limits, too_slow
from app.export.store import (
    DONE,
    FORMATS,
    QUEUED,
    RUNNING,
    file_of,
    file_stem,
    history,
    queue_export,
    render_format,
)
from app.i18n import get_locale, gettext_, use_locale
from app.models import Role, is_id
from app.pages import DraftPage, ReadableDraftPage, render
from app.review.views import review_log as review_log_of
from app.wizard.summary import answer_summary

router = APIRouter(prefix="/drafts", tags=["exports"])


def _ascii_stem(stem: str) -> str:
    return stem.translate(str.maketrans("åäöÅÄÖ", "aaoAAO"))


def _export_page(request: Request, page: DraftPage, status_code: int) -> Response:
    return render(
        request,
        "drafts/export.html",
        page.context(
            blockers=page.blockers,
            warnings=page.warnings,
            summary=answer_summary(page.content, page.document),
            report=page.report,
            readiness=page.readiness,
        ),
        status_code=status_code,
    )


def _note(request: Request, page: DraftPage, action: str, **detail: object) -> None:
    """An export noted in the audit log, written after the download's reading unit of work."""
    draft = page.draft
    user = page.user

    def write(session: Session) -> None:
        record_event(session, draft, user, action, **detail)

    defer_write(request, write)


@router.get("/{draft_id}/export", include_in_schema=False)
def export_page(request: Request, page: ReadableDraftPage) -> Response:
    return _export_page(request, page, 200)


def _made(request: Request, page: DraftPage, output_format: str, review_log: Any = None) -> bytes:
    return made_now(request, page.document, page.content, output_format, review_log=review_log)


def made_now(
    request: Request,
    document: TenderDraft,
    content: Content,
    output_format: str,
    *,
    review_log: Any = None,
) -> bytes:
    """A download made now and not kept, the PDFs within their limits (a 503 past them)."""
    state = request.app.state
    queue = state.export_queue
    if review_log is None and isinstance(queue, ProcessQueue):
        # On SQLite the export processes make it: the pages of this process do not wait.
        try:
            return queue.render(output_format, document, state.settings.public_url, get_locale())
        except PdfTooSlow as error:
            raise too_slow(error) from error
    renderer = state.pdf_renderer
    return render_format(
        output_format,
        document,
        content,
        state.templates,
        pdf=lambda html, attachment: render_within_limits(renderer, html, attachment),
        public_url=state.settings.public_url,
        review_log=review_log,
    )


def _direct(request: Request, page: DraftPage, output_format: str) -> Response:
    """A download made now and not kept (links from other tools; the export page keeps)."""
    kind = FORMATS[output_format]
    if kind.gated and page.blockers:
        return _export_page(request, page, 409)
    payload = _made(request, page, output_format)
    if output_format != "json":
        _note(request, page, f"export.{output_format}", version=page.document.version)
    return _download(payload, kind.media_type, file_stem(page.document) + kind.suffix)


@router.get("/{draft_id}/export.pdf", include_in_schema=False)
def export_pdf(request: Request, page: ReadableDraftPage, review_log: bool = False) -> Response:
    """The tender document. Rendered in this worker thread, a few at a time (PDF_WORKERS).
    An owner may have the review log appended."""
    if not review_log:
        return _direct(request, page, "pdf")
    if page.blockers:
        return _export_page(request, page, 409)
    if page.access.role != Role.owner or page.access.outside:
        raise HTTPException(
            status_code=403,
            detail=gettext_("Only an owner of the organisation sees the log."),
        )
    document = page.document
    with use_locale(document.language):
        log = review_log_of(page.session, page.content, page.draft)
    pdf = _made(request, page, "pdf", review_log=log)
    _note(request, page, "export.pdf", version=document.version)
    return _download(pdf, "application/pdf", file_stem(document) + ".pdf")


@router.get("/{draft_id}/export-rfi.pdf", include_in_schema=False)
def export_rfi(request: Request, page: ReadableDraftPage) -> Response:
    """The need statement for market dialogue: made before the procurement, so the export gate
    does not stop it. It carries no draft inside, as it goes to firms."""
    return _direct(request, page, "rfi")


@router.get("/{draft_id}/export.docx", include_in_schema=False)
def export_docx(request: Request, page: ReadableDraftPage) -> Response:
    """The tender document for Word: the PDF's chapters with Word's heading styles."""
    return _direct(request, page, "docx")


@router.get("/{draft_id}/export.xlsx", include_in_schema=False)
def export_xlsx(request: Request, page: ReadableDraftPage) -> Response:
    """The answer matrix for suppliers, one row per requirement of the tender document."""
    return _direct(request, page, "xlsx")


@router.get("/{draft_id}/export.ocds.json", include_in_schema=False)
def export_ocds(request: Request, page: ReadableDraftPage) -> Response:
    """The tender as an OCDS 1.1 release package with the requirements extension."""
    return _direct(request, page, "ocds")


@router.get("/{draft_id}/export.json", include_in_schema=False)
def export_json(request: Request, page: ReadableDraftPage) -> Response:
    return _direct(request, page, "json")


@router.post("/{draft_id}/exports", include_in_schema=False)
def make_export(request: Request, form: FormDep, page: ReadableDraftPage) -> Response:
    """Export and keep: a job makes the file and keeps it with its checksum (a draft unchanged
    since the same export is given the kept file, or the job already on its way), and the
    history page shows its progress. The tender PDF of an approved draft, exported by its
    team, makes the draft exported with a revision of its own."""
    output_format = str(form.get("format") or "")
    kind = FORMATS.get(output_format)
    if kind is None:
        raise HTTPException(status_code=422, detail=gettext_("Choose a format to export."))
    if kind.gated and page.blockers:
        return _export_page(request, page, 409)
    row, _new = queue_export(
        page.session,
        page.draft,
        page.user,
        page.document,
        output_format,
        language=get_locale(),
        team=page.access.can_edit,
    )
    return RedirectResponse(f"/drafts/{page.draft.id}/exports#file-{row.id}", status_code=303)


@router.get("/{draft_id}/exports", include_in_schema=False)
def export_history(request: Request, page: ReadableDraftPage) -> Response:
    """Every file exported and kept, with its checksum, to download again exactly. While one
    is on its way htmx fetches the list again; a refresh link does without JavaScript."""
    files = history(page.session, page.draft)
    pending = any(row.job_status in (QUEUED, RUNNING) for row, _who in files)
    return render(
        request,
        "drafts/exports.html",
        page.context(files=files, pending=pending),
        block="export_list",
    )


@router.get("/{draft_id}/exports/{file_id}", include_in_schema=False)
def stored_file(file_id: int, page: ReadableDraftPage) -> Response:
    row = file_of(page.session, page.draft, file_id) if is_id(file_id) else None
    if row is None:
        raise HTTPException(status_code=404)
    if row.job_status != DONE or row.content is None:
        raise HTTPException(status_code=409, detail=gettext_("The file is not ready yet."))
    response = _download(row.content, row.media_type, row.filename)
    response.headers["X-Checksum-SHA256"] = row.sha256
    return response


def _download(payload: bytes, media_type: str, filename: str) -> Response:
    disposition = (
        f"attachment; filename=\"{_ascii_stem(filename)}\"; filename*=UTF-8''{quote(filename)}"
    )
    return Response(
        payload,
        media_type=media_type,
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )


@router.get("/{draft_id}/answers.yaml", include_in_schema=False)
def export_answers(page: ReadableDraftPage) -> Response:
    """The draft's answers as an answers file, to start a later procurement from."""
    document = page.document
    text = dump_answers_yaml(answers_file_of(document, page.content))
    return _download(text.encode("utf-8"), "application/yaml", file_stem(document) + ".yaml")
