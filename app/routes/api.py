"""JSON API under /api/v1: the same drafts, scoping and roles as the pages."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import Response
from pydantic import BaseModel, BeforeValidator, Field, StrictInt

from app.accounts import DraftAccess, memberships_of, visible_drafts
from app.content import Content
from app.deps import ApiEditableDraft, ApiReadableDraft, ApiUser, ContentDep, SessionDep
from app.document import Moment, RequirementData, TenderDraft
from app.drafts.build import build_document
from app.drafts.store import answer_rows, create_draft, save_answer
from app.drafts.suggestions import reads_suggestions, sync_suggestions
from app.errors import API_ERRORS, CONFLICT, ErrorOut, error_body
from app.i18n import get_locale, gettext_
from app.library.organisation import library_for
from app.models import Draft, ExportFile, is_id
from app.wizard.answers import parse_answer

router = APIRouter(prefix="/api/v1", tags=["drafts"], responses=API_ERRORS)


class DraftCreate(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    organisation_id: int | None = Field(
        default=None, description="Defaults to the user's only organisation."
    )
    language: str = Field(default="sv", pattern="^(sv|en)$")


class DraftSummary(BaseModel):
    id: int
    organisation_id: int
    title: str
    status: str
    version: int
    created_at: Moment
    updated_at: Moment


def _whole_number(value: Any) -> Any:
    """JSON has one kind of number: 3.0 is the integer 3. A boolean is not a number here."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# A draft's version as a client sends it back: an integer (never true or false).
Version = Annotated[StrictInt, BeforeValidator(_whole_number)]


class AnswersIn(BaseModel):
    answers: dict[str, Any] = Field(description="question id -> value; null removes an answer")
    version: Version = Field(
        ge=1,
        description=(
            "The draft version the client read (from GET or the last save); 409 if the draft has "
            "changed since. Required: a save never overwrites what the client has not seen."
        ),
    )


class AnswersOut(BaseModel):
    version: int
    answers: dict[str, Any]


def _summary(draft: Draft) -> DraftSummary:
    return DraftSummary(
        id=draft.id or 0,
        organisation_id=draft.organisation_id,
        title=draft.title,
        status=str(draft.status.value if hasattr(draft.status, "value") else draft.status),
        version=draft.version,
        created_at=draft.created_at,
        updated_at=draft.updated_at,
    )


@router.get("/drafts", response_model=list[DraftSummary])
def list_drafts(session: SessionDep, user: ApiUser) -> list[DraftSummary]:
    return [_summary(draft) for draft in visible_drafts(session, user)]


@router.post("/drafts", response_model=DraftSummary, status_code=status.HTTP_201_CREATED)
def create_draft_api(
    body: DraftCreate, session: SessionDep, user: ApiUser, content: ContentDep
) -> DraftSummary:
    memberships = memberships_of(session, user)
    if body.organisation_id is None:
        if len(memberships) != 1:
            raise HTTPException(
                status_code=422,
                detail=gettext_("You belong to several organisations: give organisation_id."),
            )
        membership, organisation = memberships[0]
    else:
        found = [(m, o) for m, o in memberships if o.id == body.organisation_id]
        if not found:
            raise HTTPException(status_code=404, detail=gettext_("No such organisation."))
        membership, organisation = found[0]
    if not membership.role.can_edit:
        raise HTTPException(
            status_code=403, detail=gettext_("Your role cannot create drafts here.")
        )
    draft = create_draft(session, organisation, user, body.title, body.language)
    sync_suggestions(session, draft, library_for(session, organisation.id or 0, content), user)
    return _summary(draft)


def _document(session: SessionDep, access: DraftAccess, content: Content) -> TenderDraft:
    library = library_for(session, access.draft.organisation_id, content, access.templates_revision)
    return build_document(session, access.draft, access.organisation, library)


@router.get("/drafts/{draft_id}", response_model=TenderDraft)
def get_draft(access: ApiReadableDraft, session: SessionDep, content: ContentDep) -> TenderDraft:
    return _document(session, access, content)


@router.put("/drafts/{draft_id}/answers", response_model=AnswersOut, responses=CONFLICT)
def put_answers(
    body: AnswersIn,
    access: ApiEditableDraft,
    session: SessionDep,
    content: ContentDep,
) -> AnswersOut:
    """Save several answers at once: all of them, or with an error none."""
    draft, user = access.draft, access.user
    # The draft's row is locked for this unit of work (EditableDraft): the comparison and
    # the save are one step, however many clients send the same version at once.
    if body.version != draft.version:
        raise HTTPException(
            status_code=409,
            detail=gettext_(
                "The draft has changed since you read it (version %(version)s now). "
                "Read it again and retry.",
                version=draft.version,
            ),
        )
    area_ids = [area.id for area in content.library.procurement_areas]
    errors: dict[str, str] = {}
    parsed_values: dict[str, Any] = {}
    for question_id, value in body.answers.items():
        question = content.wizard.questions.get(question_id)
        if question is None or question.is_group:
            errors[question_id] = gettext_("Unknown question.")
            continue
        parsed = parse_answer(question, value, area_ids)
        if parsed.error:
            errors[question_id] = parsed.error
        else:
            parsed_values[question_id] = parsed.value
    if errors:
        raise HTTPException(
            status_code=422,
            detail={"message": gettext_("Some answers are not valid."), "errors": errors},
        )
    rows = {row.question_id: row for row in answer_rows(session, draft)}
    for question_id, value in parsed_values.items():
        rows[question_id] = save_answer(session, draft, user, question_id, value, rows)
    library = library_for(session, draft.organisation_id, content, access.templates_revision)
    if reads_suggestions(library, set(parsed_values)):
        sync_suggestions(session, draft, library, user)
    return AnswersOut(version=draft.version, answers={key: row.value for key, row in rows.items()})


@router.get("/drafts/{draft_id}/requirements", response_model=list[RequirementData])
def get_requirements(
    access: ApiReadableDraft, session: SessionDep, content: ContentDep
) -> list[RequirementData]:
    return _document(session, access, content).requirements


PDF_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "An archival PDF (PDF/A-3b)."},
    409: {"model": ErrorOut, "description": "The export gate holds it back: see `errors`."},
    503: {
        "model": ErrorOut,
        "description": "Busy, or the rendering went past its time or memory limit.",
    },
}


@router.get("/drafts/{draft_id}/tender.pdf", response_class=Response, responses=PDF_RESPONSE)
def get_tender_pdf(
    request: Request, access: ApiReadableDraft, session: SessionDep, content: ContentDep
) -> Response:
    """The tender document, with the draft's JSON inside; 409 with the blockers while the
    export gate stops it. Rendered in a child process, a few at a time (PDF_WORKERS); on
    SQLite in an export process."""
    from app.routes.exports import made_now

    document = _exportable(session, access, content)
    pdf = made_now(request, document, content, "pdf")
    return Response(pdf, media_type="application/pdf", headers={"Cache-Control": "no-store"})


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _exportable(session: SessionDep, access: DraftAccess, content: Content) -> TenderDraft:
    """The draft as a document, or 409 with the blockers while the export gate stops it."""
    from app.quality.report import quality_report
    from app.wizard.gates import check_gates

    document = _document(session, access, content)
    blockers = [
        finding.message
        for finding in check_gates(document, content, quality_report(document))
        if finding.severity == "blocker"
    ]
    if blockers:
        raise HTTPException(
            status_code=409,
            detail=error_body(
                gettext_("The tender document cannot be exported yet: see errors."),
                {f"blockers.{number}": message for number, message in enumerate(blockers)},
            )["detail"],
        )
    return document


EXPORT_RESPONSE: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorOut, "description": "The export gate stops the export: the blockers."}
}


@router.get("/drafts/{draft_id}/tender.docx", response_class=Response, responses=EXPORT_RESPONSE)
def get_tender_docx(
    request: Request, access: ApiReadableDraft, session: SessionDep, content: ContentDep
) -> Response:
    """The tender document for Word (DOCX), with Word's heading styles."""
    from app.export.docx import render_tender_docx

    document = _exportable(session, access, content)
    payload = render_tender_docx(document, content, request.app.state.templates)
    return Response(payload, media_type=DOCX_TYPE, headers={"Cache-Control": "no-store"})


@router.get(
    "/drafts/{draft_id}/answer-matrix.xlsx", response_class=Response, responses=EXPORT_RESPONSE
)
def get_answer_matrix(
    access: ApiReadableDraft, session: SessionDep, content: ContentDep
) -> Response:
    """The answer matrix for suppliers (XLSX): a row per requirement, a price sheet."""
    from app.export.xlsx import render_answer_matrix

    document = _exportable(session, access, content)
    payload = render_answer_matrix(document, content)
    return Response(payload, media_type=XLSX_TYPE, headers={"Cache-Control": "no-store"})


@router.get("/drafts/{draft_id}/ocds.json", responses=EXPORT_RESPONSE)
def get_ocds(
    request: Request, access: ApiReadableDraft, session: SessionDep, content: ContentDep
) -> dict[str, Any]:
    """The tender as an OCDS 1.1 release package with the requirements extension."""
    from app.export.ocds import ocds_release_package

    document = _exportable(session, access, content)
    return ocds_release_package(document, content, public_url=request.app.state.settings.public_url)


@router.get("/drafts/{draft_id}/rfi.pdf", response_class=Response, responses=PDF_RESPONSE)
def get_rfi_pdf(
    request: Request, access: ApiReadableDraft, session: SessionDep, content: ContentDep
) -> Response:
    """The need statement for market dialogue (request for information): no requirements."""
    from app.routes.exports import made_now

    document = _document(session, access, content)
    pdf = made_now(request, document, content, "rfi")
    return Response(pdf, media_type="application/pdf", headers={"Cache-Control": "no-store"})


class ExportIn(BaseModel):
    format: Literal["pdf", "rfi", "docx", "xlsx", "ocds", "json"]


class ExportOut(BaseModel):
    id: int
    draft_id: int
    status: Literal["queued", "running", "done", "failed"] = Field(
        description="the export's job: queued, running, done (the file is ready) or failed"
    )
    error: str = Field(default="", description="why it failed, in the asker's language")
    format: str
    filename: str
    sha256: str = Field(description="empty until done")
    size: int
    revision: int
    version: int
    created_at: Moment
    finished_at: Moment | None = None
    status_url: str
    file_url: str


def _export_out(row: ExportFile) -> ExportOut:
    return ExportOut(
        id=row.id or 0,
        draft_id=row.draft_id,
        status=row.job_status,
        error=row.error,
        format=row.format,
        filename=row.filename,
        sha256=row.sha256,
        size=row.size,
        revision=row.revision,
        version=row.version,
        created_at=row.created_at,
        finished_at=row.finished_at,
        status_url=f"/api/v1/exports/{row.id}",
        file_url=f"/api/v1/exports/{row.id}/file",
    )


@router.post(
    "/drafts/{draft_id}/exports",
    response_model=ExportOut,
    status_code=status.HTTP_202_ACCEPTED,
    responses=EXPORT_RESPONSE,
)
def post_export(
    body: ExportIn,
    access: ApiReadableDraft,
    session: SessionDep,
    content: ContentDep,
) -> ExportOut:
    """Start an export, or reuse a kept one: a job makes the file and keeps it with its
    SHA-256 (an unchanged draft's file in the same format, done or on its way, is given
    again). Follow `status_url` until `status` is done, then download `file_url`. 409 with
    the blockers while the export gate stops a tender format."""
    from app.export.store import FORMATS, queue_export

    kind = FORMATS[body.format]
    document = (
        _exportable(session, access, content) if kind.gated else _document(session, access, content)
    )
    row, _new = queue_export(
        session,
        access.draft,
        access.user,
        document,
        body.format,
        language=get_locale(),
        team=access.can_edit,
    )
    return _export_out(row)


def _export_of(session: SessionDep, user: Any, export_id: int) -> ExportFile:
    """An exported file, reached through a draft the user may read: 404 otherwise."""
    from app.accounts import draft_access

    row = session.get(ExportFile, export_id) if is_id(export_id) else None
    if row is None or draft_access(session, user, row.draft_id) is None:
        raise HTTPException(status_code=404)
    return row


@router.get("/exports/{export_id}", response_model=ExportOut)
def get_export(export_id: int, session: SessionDep, user: ApiUser) -> ExportOut:
    """An export's job status, and once done its checksum, size and where to download it."""
    return _export_out(_export_of(session, user, export_id))


@router.get(
    "/exports/{export_id}/file",
    response_class=Response,
    responses={409: {"model": ErrorOut, "description": "The export is not done yet."}},
)
def get_export_file(export_id: int, session: SessionDep, user: ApiUser) -> Response:
    """The exported file, byte for byte as it was kept; 409 until its job is done."""
    row = _export_of(session, user, export_id)
    if row.job_status != "done" or row.content is None:
        raise HTTPException(status_code=409, detail=gettext_("The file is not ready yet."))
    return Response(
        row.content,
        media_type=row.media_type,
        headers={"Cache-Control": "no-store", "X-Checksum-SHA256": row.sha256},
    )
