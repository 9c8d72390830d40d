"""Check answers and export: the summary with change links, the gate, and the downloads."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.deps import FormDep, defer_write
from app.document import TenderDraft
from app.drafts.answers_file import answers_file_of, dump_answers_yaml
from app.drafts.store import record_event
from app.export.draft_json import render_draft_json
from app.export.html import render_rfi_html, render_tender_html
from app.export.pdf import render_within_limits
from app.i18n import gettext_, use_locale
from app.models import Role
from app.pages import DraftPage, ReadableDraftPage, render
from app.review.views import review_log as review_log_of
from app.wizard.summary import answer_summary

router = APIRouter(prefix="/drafts", tags=["exports"])


def file_stem(document: TenderDraft) -> str:
    stem = re.sub(r"[^A-Za-z0-9åäöÅÄÖ_-]+", "-", document.title).strip("-")[:60]
    return (stem or "kravlotsen") + f"-v{document.version}"


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


@router.get("/{draft_id}/export.pdf", include_in_schema=False)
def export_pdf(request: Request, page: ReadableDraftPage, review_log: bool = False) -> Response:
    """The tender document. Rendered in this worker thread, a few at a time (PDF_WORKERS).
    An owner may have the review log appended."""
    if page.blockers:
        return _export_page(request, page, 409)
    document = page.document
    log = None
    if review_log:
        if page.access.role != Role.owner or page.access.outside:
            raise HTTPException(
                status_code=403,
                detail=gettext_("Only an owner of the organisation sees the log."),
            )
        with use_locale(document.language):
            log = review_log_of(page.session, page.content, page.draft)
    html = render_tender_html(document, page.content, request.app.state.templates, review_log=log)
    # The PDF carries the same JSON as the JSON download, as an associated file.
    pdf = render_within_limits(request.app.state.pdf_renderer, html, render_draft_json(document))
    _note(request, page, "export.pdf", version=document.version)
    return _download(pdf, "application/pdf", file_stem(document) + ".pdf")


@router.get("/{draft_id}/export-rfi.pdf", include_in_schema=False)
def export_rfi(request: Request, page: ReadableDraftPage) -> Response:
    """The need statement for market dialogue: made before the procurement, so the export gate
    does not stop it. It carries no draft inside, as it goes to firms."""
    document = page.document
    html = render_rfi_html(document, page.content, request.app.state.templates)
    pdf = render_within_limits(request.app.state.pdf_renderer, html)
    _note(request, page, "export.rfi", version=document.version)
    return _download(pdf, "application/pdf", file_stem(document) + "-rfi.pdf")


@router.get("/{draft_id}/export.json", include_in_schema=False)
def export_json(page: ReadableDraftPage) -> Response:
    document = page.document
    return _download(render_draft_json(document), "application/json", file_stem(document) + ".json")


def _export_format(request: Request, page: DraftPage, name: str) -> Response:
    """A tender document format made in this request: the gate holds it back like the PDF."""
    from app.export.formats import EXPORT_FORMATS

    export_format = EXPORT_FORMATS[name]
    if export_format.gated and page.blockers:
        return _export_page(request, page, 409)
    document = page.document
    payload = export_format.render(document, page.content, request.app.state.templates, _no_pdf)
    _note(request, page, f"export.{name}", version=document.version)
    return _download(payload, export_format.media_type, file_stem(document) + export_format.suffix)


def _no_pdf(_html: str, _draft_json: bytes | None) -> bytes:
    raise RuntimeError("the PDF formats are rendered by their own routes")


@router.get("/{draft_id}/export.docx", include_in_schema=False)
def export_docx(request: Request, page: ReadableDraftPage) -> Response:
    """The tender document as a Word file."""
    return _export_format(request, page, "docx")


@router.get("/{draft_id}/export.xlsx", include_in_schema=False)
def export_xlsx(request: Request, page: ReadableDraftPage) -> Response:
    """The answer matrix for suppliers, with the price sheet."""
    return _export_format(request, page, "xlsx")


@router.get("/{draft_id}/export-ocds.json", include_in_schema=False)
def export_ocds(request: Request, page: ReadableDraftPage) -> Response:
    """The procurement as an OCDS release package."""
    return _export_format(request, page, "ocds")


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


@router.post("/{draft_id}/exports", include_in_schema=False)
def post_export(
    request: Request, form: FormDep, background: BackgroundTasks, page: ReadableDraftPage
) -> Response:
    """Start an export (or find the stored one) and go to the export history, where it shows
    its progress."""
    from app.export.formats import EXPORT_FORMATS
    from app.export.store import queue_export
    from app.i18n import get_locale
    from app.routes.export_jobs import schedule

    name = str(form.get("format") or "")
    if name not in EXPORT_FORMATS:
        raise HTTPException(status_code=404, detail=gettext_("No such export format."))
    if EXPORT_FORMATS[name].gated and page.blockers:
        return _export_page(request, page, 409)
    row, new = queue_export(page.session, page.draft, page.user, page.document, name, get_locale())
    if new:
        schedule(request, background, row.id or 0, page.document)
    return RedirectResponse(
        f"/drafts/{page.draft.id}/exports#export-{row.id}", status_code=303, background=background
    )


@router.get("/{draft_id}/exports", include_in_schema=False)
def export_history(request: Request, page: ReadableDraftPage) -> Response:
    """Every export of the draft with its checksum; while one is on its way the list is
    fetched again (htmx), and a refresh link does the same without JavaScript."""
    from app.export.store import QUEUED, RUNNING, exports_of

    exports = exports_of(page.session, page.draft.id or 0)
    pending = any(row.status in (QUEUED, RUNNING) for row in exports)
    return render(
        request,
        "drafts/exports.html",
        page.context(exports=exports, pending=pending, blockers=page.blockers),
        block="export_list",
    )


@router.get("/{draft_id}/exports/{export_id}/file", include_in_schema=False)
def export_file(export_id: int, page: ReadableDraftPage) -> Response:
    """A stored export, byte for byte as it was made."""
    from app.export.formats import EXPORT_FORMATS
    from app.export.store import DONE
    from app.models import ExportFile, is_id

    row = page.session.get(ExportFile, export_id) if is_id(export_id) else None
    if row is None or row.draft_id != page.draft.id or row.status != DONE or row.content is None:
        raise HTTPException(status_code=404, detail=gettext_("No such export."))
    export_format = EXPORT_FORMATS[row.format]
    stem = file_stem(page.document).rsplit("-v", 1)[0] + f"-v{row.version}"
    response = _download(row.content, export_format.media_type, stem + export_format.suffix)
    response.headers["X-Checksum-SHA256"] = row.sha256
    return response
