"""The dashboard: the user's organisations and their drafts; creating, importing, copying."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from app.accounts import choose_editable_organisation, memberships_of, visible_drafts
from app.content import Content
from app.deps import ContentDep, CurrentUser, SessionDep
from app.drafts.answers_file import (
    AnswersFile,
    AnswersFileError,
    answers_file_of,
    import_answers_file,
    read_answers_file,
)
from app.drafts.store import create_draft
from app.drafts.suggestions import sync_suggestions
from app.i18n import gettext_
from app.library.organisation import library_for
from app.models import Draft, Organisation, User
from app.pages import ReadableDraftPage, render

router = APIRouter(tags=["dashboard"])

MAX_IMPORT_BYTES = 1024 * 1024


@router.get("/", include_in_schema=False)
def dashboard(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _dashboard(request, session, user)


def _dashboard(
    request: Request,
    session: Session,
    user: User,
    errors: dict[str, str] | None = None,
    title: str = "",
    status_code: int = 200,
    import_errors: list[str] | None = None,
) -> Response:
    memberships = memberships_of(session, user)
    drafts = visible_drafts(session, user)
    names = {organisation.id: organisation.name for _m, organisation in memberships}
    others = {draft.organisation_id for draft in drafts} - set(names)
    if others:  # drafts shared with the user by other organisations
        names |= {
            organisation.id: organisation.name
            for organisation in session.exec(
                select(Organisation).where(col(Organisation.id).in_(others))
            ).all()
        }
    return render(
        request,
        "dashboard.html",
        {
            "memberships": memberships,
            "drafts": drafts,
            "organisation_names": names,
            "several_organisations": len(names) > 1,
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
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = gettext_("Give the procurement a working title.")
    elif len(title.strip()) > 300:
        errors["title"] = gettext_("The title can be at most 300 characters.")
    chosen = choose_editable_organisation(session, user, organisation_id)
    if chosen is None:
        errors["organisation_id"] = gettext_("Choose an organisation where you may create drafts.")
    if errors or chosen is None:
        return _dashboard(request, session, user, errors, title, status_code=400)
    draft = create_draft(session, chosen, user, title)
    sync_suggestions(session, draft, library_for(session, chosen.id or 0, content), user)
    return RedirectResponse(f"/drafts/{draft.id}", status_code=303)


def _imported(
    session: Session,
    organisation: Organisation,
    user: User,
    answers_file: AnswersFile,
    content: Content,
) -> Draft:
    """A new draft from an answers file; its needs and effect goals to be re-examined."""
    library = library_for(session, organisation.id or 0, content)
    return import_answers_file(
        session, organisation, user, answers_file, content, library, reexamine=True
    )


@router.post("/drafts/import", include_in_schema=False)
def import_draft(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
    answers_file: Annotated[UploadFile | None, File()] = None,
    organisation_id: Annotated[str, Form()] = "",
) -> Response:
    """A new draft from an answers file. Its needs and effect goals come in marked
    "to re-examine" and must be confirmed before export."""
    organisation = choose_editable_organisation(
        session, user, int(organisation_id) if organisation_id.isdigit() else None
    )
    errors: list[str] = []
    if organisation is None:
        errors.append(gettext_("Choose an organisation where you may create drafts."))
    if answers_file is None or not answers_file.filename:
        errors.append(gettext_("Choose an answers file (YAML) to import."))
    if errors or organisation is None or answers_file is None:
        return _dashboard(request, session, user, status_code=400, import_errors=errors)
    data = answers_file.file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        return _dashboard(
            request,
            session,
            user,
            status_code=400,
            import_errors=[gettext_("The file is larger than 1 MB.")],
        )
    try:
        parsed = read_answers_file(
            data.decode("utf-8", errors="replace"), answers_file.filename or "answers.yaml", content
        )
    except AnswersFileError as error:
        return _dashboard(request, session, user, status_code=400, import_errors=error.messages)
    draft = _imported(session, organisation, user, parsed, content)
    return RedirectResponse(f"/drafts/{draft.id}", status_code=303)


@router.post("/drafts/{draft_id}/copy", include_in_schema=False)
def copy_draft(page: ReadableDraftPage) -> Response:
    """A new draft with the answers of this one; needs and goals to be re-examined."""
    user = page.user
    organisation = (
        None
        if page.access.outside
        else choose_editable_organisation(page.session, user, page.access.organisation.id)
    )
    if organisation is None:
        raise HTTPException(
            status_code=403, detail=gettext_("Your role cannot create drafts here.")
        )
    document = page.document
    answers_file = answers_file_of(document, page.content).model_copy(
        update={"title": gettext_("Copy of %(title)s", title=document.title)[:300]}
    )
    draft = _imported(page.session, organisation, user, answers_file, page.content)
    return RedirectResponse(f"/drafts/{draft.id}", status_code=303)
