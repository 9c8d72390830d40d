"""Every format of a draft made in one place, and the store of what was exported: each file
kept with its SHA-256, so the team can tell which bytes a supplier or a portal got and
download them again exactly. Asking again for an unchanged draft in the same format is
answered from the store, without rendering anew."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from app.document import TenderDraft
from app.models import Draft, ExportFile, User

if TYPE_CHECKING:
    from app.content import Content

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Format:
    id: str
    media_type: str
    suffix: str
    # held back while the export gate finds a blocker (the need statement is not)
    gated: bool = True


FORMATS = {
    item.id: item
    for item in (
        Format("pdf", "application/pdf", ".pdf"),
        Format("rfi", "application/pdf", "-rfi.pdf", gated=False),
        Format("docx", DOCX, ".docx"),
        Format("xlsx", XLSX, "-svarsmatris.xlsx"),
        Format("ocds", "application/json", "-ocds.json"),
        Format("json", "application/json", ".json", gated=False),
    )
}


def file_stem(document: TenderDraft) -> str:
    stem = re.sub(r"[^A-Za-z0-9åäöÅÄÖ_-]+", "-", document.title).strip("-")[:60]
    return (stem or "kravlotsen") + f"-v{document.version}"


def render_format(
    output_format: str,
    document: TenderDraft,
    content: Content | None,
    environment: Any,
    *,
    pdf: Callable[[str, bytes | None], bytes],
    public_url: str = "",
    review_log: Any = None,
) -> bytes:
    """The bytes of one format. `pdf(html, attachment)` renders a PDF within its limits."""
    from app.export.draft_json import render_draft_json

    if output_format == "json":
        return render_draft_json(document)
    if output_format == "pdf":
        from app.export.html import render_tender_html

        html = render_tender_html(document, content, environment, review_log=review_log)
        # The PDF carries the same JSON as the JSON download, as an associated file.
        return pdf(html, render_draft_json(document))
    if output_format == "rfi":
        from app.export.html import render_rfi_html

        return pdf(render_rfi_html(document, content, environment), None)
    if output_format == "docx":
        from app.export.docx import render_tender_docx

        return render_tender_docx(document, content, environment)
    if output_format == "xlsx":
        from app.export.xlsx import render_answer_matrix

        return render_answer_matrix(document, content)
    if output_format == "ocds":
        from app.export.ocds import render_ocds

        return render_ocds(document, content, public_url=public_url)
    raise ValueError(f"unknown format {output_format!r}")


QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
# The jobs a unit of work queued, handed to the export queue once it has committed.
EXPORT_JOBS = "kravlotsen_export_jobs"


def stored(session: Session, draft: Draft, output_format: str) -> ExportFile | None:
    """The file kept of the draft as it is now, in this format, or the job on its way to it."""
    return session.exec(
        select(ExportFile)
        .where(
            ExportFile.draft_id == draft.id,
            ExportFile.format == output_format,
            ExportFile.version == draft.version,
            ExportFile.revision == draft.revision,
            ExportFile.status == str(draft.status),
            col(ExportFile.job_status).in_((QUEUED, RUNNING, DONE)),
        )
        .order_by(col(ExportFile.id).desc())
    ).first()


def queue_export(
    session: Session,
    draft: Draft,
    user: User | None,
    document: TenderDraft,
    output_format: str,
    *,
    language: str,
    team: bool,
) -> tuple[ExportFile, bool]:
    """The export of the draft as it is now: the kept file, or the job already on its way,
    or a new job, queued once this unit of work commits (and whether it is new). Noted in the
    audit log. The tender PDF of an approved draft exported by its team (`team`: those who
    may change it) makes the draft exported, with a revision of its own."""
    from app.drafts.store import record_event
    from app.review.workflow import record_export

    row = stored(session, draft, output_format)
    reused = row is not None
    if row is None:
        kind = FORMATS[output_format]
        row = ExportFile(
            draft_id=draft.id or 0,
            revision=draft.revision,
            version=draft.version,
            status=str(draft.status),
            format=output_format,
            filename=file_stem(document) + kind.suffix,
            media_type=kind.media_type,
            job_status=QUEUED,
            language=language,
            content=None,
            created_by_id=user.id if user else None,
        )
        session.add(row)
        session.flush()
        session.info.setdefault(EXPORT_JOBS, []).append(row.id)
    record_event(
        session,
        draft,
        user,
        f"export.{output_format}",
        version=document.version,
        export=row.id,
        reused=reused,
    )
    if output_format == "pdf" and team:
        record_export(session, draft, user, document)
    return row, not reused


def history(session: Session, draft: Draft) -> list[tuple[ExportFile, str]]:
    """Every file kept of the draft, newest first, with who made it; the bytes not loaded."""
    from sqlalchemy.orm import defer

    rows = session.exec(
        select(ExportFile, User)
        .outerjoin(User, User.id == ExportFile.created_by_id)  # type: ignore[arg-type]
        .where(ExportFile.draft_id == draft.id)
        .options(defer(ExportFile.content))  # type: ignore[arg-type]
        .order_by(col(ExportFile.id).desc())
    ).all()
    return [(row, (user.name or user.email) if user else "–") for row, user in rows]


def file_of(session: Session, draft: Draft, file_id: int) -> ExportFile | None:
    found = session.get(ExportFile, file_id)
    return found if found is not None and found.draft_id == draft.id else None


# Made as soon as a revision is submitted or approved, so the team's download is ready.
STATUS_EXPORTS = ("pdf", "xlsx")


def queue_status_exports(
    session: Session,
    draft: Draft,
    user: User | None,
    document: TenderDraft,
    content: Content,
    *,
    language: str,
) -> list[ExportFile]:
    """After a submission or an approval: the tender PDF and the answer matrix of the new
    revision, queued at once, unless the export gate holds the document back."""
    from app.models import DraftStatus
    from app.quality.report import quality_report
    from app.wizard.gates import check_gates

    if DraftStatus(draft.status) not in (DraftStatus.in_review, DraftStatus.approved):
        return []
    findings = check_gates(document, content, quality_report(document))
    if any(finding.severity == "blocker" for finding in findings):
        return []
    return [
        queue_export(session, draft, user, document, output_format, language=language, team=False)[
            0
        ]
        for output_format in STATUS_EXPORTS
    ]
