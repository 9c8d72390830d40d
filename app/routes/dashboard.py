"""The dashboard: the user's organisations and their drafts; creating a draft."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import col, select
from starlette.datastructures import UploadFile as StarletteUploadFile

from app.deps import ContentDep, CurrentUser, SessionDep, load_draft, memberships_of
from app.drafts import build_document, create_draft, import_answers_file, sync_suggestions
from app.i18n import gettext_
from app.models import Draft, Organisation
from app.pages import render
from app.reuse import AnswersFileError, answers_file_of, read_answers_file

router = APIRouter(tags=["dashboard"])


@router.get("/", include_in_schema=False)
def dashboard(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _dashboard(request, session, user)


def _dashboard(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    errors: dict[str, str] | None = None,
    title: str = "",
    status_code: int = 200,
    import_errors: list[str] | None = None,
) -> Response:
    memberships = memberships_of(session, user)
    organisation_ids = [organisation.id for _membership, organisation in memberships]
    drafts = session.exec(
        select(Draft)
        .where(col(Draft.organisation_id).in_(organisation_ids))
        .order_by(col(Draft.updated_at).desc())
    ).all()
    return render(
        request,
        "dashboard.html",
        {
            "memberships": memberships,
            "drafts": drafts,
            "organisation_names": {
                organisation.id: organisation.name for _m, organisation in memberships
            },
            "errors": errors or {},
            "import_errors": import_errors or [],
            "new_title": title,
        },
        status_code=status_code,
    )


@router.post("/drafts", include_in_schema=False)
def create_draft_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
    title: Annotated[str, Form()] = "",
    organisation_id: Annotated[int | None, Form()] = None,
) -> Response:
    memberships = memberships_of(session, user)
    editable = [(m, o) for m, o in memberships if m.role.can_edit]
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = gettext_("Give the procurement a working title.")
    elif len(title.strip()) > 300:
        errors["title"] = gettext_("The title can be at most 300 characters.")
    chosen = None
    if organisation_id is None and len(editable) == 1:
        chosen = editable[0][1]
    else:
        chosen = next((o for _m, o in editable if o.id == organisation_id), None)
    if chosen is None:
        errors["organisation_id"] = gettext_("Choose an organisation where you may create drafts.")
    if errors or chosen is None:
        return _dashboard(request, session, user, errors, title, status_code=400)
    draft = create_draft(session, chosen, user, title)
    sync_suggestions(session, draft, content, user)
    return RedirectResponse(f"/drafts/{draft.id}", status_code=303)


def _editable_organisation(
    session: SessionDep, user: CurrentUser, organisation_id: int | None
) -> Organisation | None:
    editable = [(m, o) for m, o in memberships_of(session, user) if m.role.can_edit]
    if organisation_id is None and len(editable) == 1:
        return editable[0][1]
    return next((o for _m, o in editable if o.id == organisation_id), None)


MAX_IMPORT_BYTES = 1024 * 1024


@router.post("/drafts/import", include_in_schema=False)
async def import_draft(
    request: Request, session: SessionDep, user: CurrentUser, content: ContentDep
) -> Response:
    """A new draft from an answers file. Its needs and effect goals come in marked
    "to re-examine" and must be confirmed before export."""
    form = await request.form()
    upload = form.get("answers_file")
    raw_organisation = form.get("organisation_id")
    organisation = _editable_organisation(
        session,
        user,
        int(raw_organisation)
        if isinstance(raw_organisation, str) and raw_organisation.isdigit()
        else None,
    )
    errors: list[str] = []
    if organisation is None:
        errors.append(gettext_("Choose an organisation where you may create drafts."))
    if not isinstance(upload, StarletteUploadFile) or not upload.filename:
        errors.append(gettext_("Choose an answers file (YAML) to import."))
    if errors or organisation is None or not isinstance(upload, StarletteUploadFile):
        return _dashboard(request, session, user, status_code=400, import_errors=errors)
    data = await upload.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        return _dashboard(
            request,
            session,
            user,
            status_code=400,
            import_errors=[gettext_("The file is larger than 1 MB.")],
        )
    try:
        answers_file = read_answers_file(
            data.decode("utf-8", errors="replace"), upload.filename or "answers.yaml", content
        )
    except AnswersFileError as error:
        return _dashboard(request, session, user, status_code=400, import_errors=error.messages)
    draft = import_answers_file(session, organisation, user, answers_file, content, reexamine=True)
    return RedirectResponse(f"/drafts/{draft.id}", status_code=303)


@router.post("/drafts/{draft_id}/copy", include_in_schema=False)
def copy_draft(
    draft_id: int, session: SessionDep, user: CurrentUser, content: ContentDep
) -> Response:
    """A new draft with the answers of this one; needs and goals to be re-examined."""
    access = load_draft(session, user, draft_id)
    organisation = _editable_organisation(session, user, access.organisation.id)
    if organisation is None:
        raise HTTPException(
            status_code=403, detail=gettext_("Your role cannot create drafts here.")
        )
    document = build_document(session, access.draft, access.organisation, content)
    answers_file = answers_file_of(document, content)
    answers_file = answers_file.model_copy(
        update={"title": gettext_("Copy of %(title)s", title=document.title)[:300]}
    )
    draft = import_answers_file(session, organisation, user, answers_file, content, reexamine=True)
    return RedirectResponse(f"/drafts/{draft.id}", status_code=303)
