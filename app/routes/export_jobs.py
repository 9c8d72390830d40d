"""Exports started by the application itself: when a draft is submitted or approved, its
tender PDF and answer matrix are queued at once, so the team's download is ready when asked."""

from __future__ import annotations

from fastapi import BackgroundTasks, Request
from sqlmodel import Session

from app.accounts import DraftAccess
from app.content import Content
from app.document import TenderDraft
from app.export.store import queue_export, run_export
from app.i18n import get_locale
from app.models import DraftStatus

STATUS_EXPORTS = ("pdf", "xlsx")


def schedule(
    request: Request, background: BackgroundTasks, export_id: int, document: TenderDraft
) -> None:
    """Make the export after the response, unless worker processes take it from the queue."""
    state = request.app.state
    if state.settings.export_queue == "worker":
        return
    background.add_task(
        run_export,
        state.write_engine,
        export_id,
        document,
        state.content,
        state.templates,
        state.pdf_renderer.render,
    )


def queue_after_status(
    request: Request,
    background: BackgroundTasks,
    session: Session,
    access: DraftAccess,
    content: Content,
) -> None:
    """After a submission or an approval: the PDF and the answer matrix of the new revision,
    unless the export gate holds the document back."""
    from app.quality.report import quality_report
    from app.routes.api import _document
    from app.wizard.gates import check_gates

    if DraftStatus(access.draft.status) not in (DraftStatus.in_review, DraftStatus.approved):
        return
    session.flush()
    document = _document(session, access, content)
    findings = check_gates(document, content, quality_report(document))
    if any(finding.severity == "blocker" for finding in findings):
        return
    for export_format in STATUS_EXPORTS:
        row, new = queue_export(
            session, access.draft, access.user, document, export_format, get_locale()
        )
        if new:
            schedule(request, background, row.id or 0, document)
