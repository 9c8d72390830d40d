"""The dashboard: the user's organisations and their drafts; creating a draft."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import col, select

from app.deps import ContentDep, CurrentUser, SessionDep, memberships_of
from app.drafts import create_draft, sync_suggestions
from app.i18n import gettext_
from app.models import Draft
from app.pages import render

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
