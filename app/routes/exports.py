"""Check answers and export: the summary with change links, the gate, and the downloads."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.content import Content
from app.deps import ContentDep, CurrentUser, DraftAccess, SessionDep, load_draft
from app.document import TenderDraft
from app.draft_quality import innovation_readiness, quality_report
from app.drafts import audit, build_document
from app.pages import render
from app.reuse import answers_file_of, dump_answers_yaml
from app.wizard.gates import check_gates
from app.wizard.summary import answer_summary
from app.wizard.view import task_list

router = APIRouter(prefix="/drafts", tags=["exports"])


def file_stem(document: TenderDraft) -> str:
    stem = re.sub(r"[^A-Za-z0-9åäöÅÄÖ_-]+", "-", document.title).strip("-")[:60]
    return (stem or "kravlotsen") + f"-v{document.version}"


def _ascii_stem(stem: str) -> str:
    return stem.translate(str.maketrans("åäöÅÄÖ", "aaoAAO"))


def _export_page(
    request: Request, session: SessionDep, access: DraftAccess, content: Content, status_code: int
) -> Response:
    document = build_document(session, access.draft, access.organisation, content)
    findings = check_gates(document, content)
    report = quality_report(document)
    return render(
        request,
        "drafts/export.html",
        {
            "access": access,
            "draft": access.draft,
            "document": document,
            "blockers": [item for item in findings if item.severity == "blocker"],
            "warnings": [item for item in findings if item.severity == "warning"],
            "summary": answer_summary(content, document),
            "report": report,
            "readiness": innovation_readiness(document, report),
            "tasks": task_list(content, document, findings),
        },
        status_code=status_code,
    )


@router.get("/{draft_id}/export", include_in_schema=False)
def export_page(
    request: Request, draft_id: int, session: SessionDep, user: CurrentUser, content: ContentDep
) -> Response:
    access = load_draft(session, user, draft_id)
    return _export_page(request, session, access, content, 200)


@router.get("/{draft_id}/export.pdf", include_in_schema=False)
async def export_pdf(
    request: Request, draft_id: int, session: SessionDep, user: CurrentUser, content: ContentDep
) -> Response:
    from app.export.html import render_tender_html
    from app.export.pdf import render_tender_pdf_async

    access = load_draft(session, user, draft_id)
    document = build_document(session, access.draft, access.organisation, content)
    if any(item.severity == "blocker" for item in check_gates(document, content)):
        return _export_page(request, session, access, content, 409)
    html = render_tender_html(document, content, request.app.state.templates)
    pdf = await render_tender_pdf_async(html)
    audit(session, access.draft, user, "export.pdf", version=document.version)
    session.commit()
    return _download(pdf, "application/pdf", file_stem(document) + ".pdf")


@router.get("/{draft_id}/export.json", include_in_schema=False)
def export_json(
    draft_id: int, session: SessionDep, user: CurrentUser, content: ContentDep
) -> Response:
    access = load_draft(session, user, draft_id)
    document = build_document(session, access.draft, access.organisation, content)
    return _download(
        document.model_dump_json(indent=2).encode("utf-8"),
        "application/json",
        file_stem(document) + ".json",
    )


def _download(payload: bytes, media_type: str, filename: str) -> Response:
    from urllib.parse import quote

    disposition = (
        f"attachment; filename=\"{_ascii_stem(filename)}\"; filename*=UTF-8''{quote(filename)}"
    )
    return Response(
        payload,
        media_type=media_type,
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )


@router.get("/{draft_id}/answers.yaml", include_in_schema=False)
def export_answers(
    draft_id: int, session: SessionDep, user: CurrentUser, content: ContentDep
) -> Response:
    """The draft's answers as an answers file, to start a later procurement from."""
    access = load_draft(session, user, draft_id)
    document = build_document(session, access.draft, access.organisation, content)
    text = dump_answers_yaml(answers_file_of(document, content))
    return _download(text.encode("utf-8"), "application/yaml", file_stem(document) + ".yaml")
