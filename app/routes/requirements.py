"""The Krav step: suggested requirements, their reasons and traces; accept and reject."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import ContentDep, CurrentUser, SessionDep, load_draft
from app.drafts import build_document, requirements_of, set_requirement_status, sync_suggestions
from app.models import RequirementStatus
from app.pages import render
from app.routes.pages_common import area_names, draft_tasks

router = APIRouter(prefix="/drafts", tags=["requirements"])


@router.get("/{draft_id}/requirements", include_in_schema=False)
def requirements_page(
    request: Request, draft_id: int, session: SessionDep, user: CurrentUser, content: ContentDep
) -> Response:
    access = load_draft(session, user, draft_id)
    document = build_document(session, access.draft, access.organisation, content)
    served = {key for item in document.included_requirements() for key in item.needs}
    step = next((s for s in content.wizard.steps if s.kind == "requirements"), None)
    return render(
        request,
        "drafts/requirements.html",
        {
            "access": access,
            "draft": access.draft,
            "document": document,
            "step": step,
            "needs_by_key": {need.key: need for need in document.needs},
            "unserved_needs": [need for need in document.needs if need.key not in served],
            "questions": content.wizard.questions,
            "area_names": area_names(content),
            "tasks": draft_tasks(content, document),
        },
    )


@router.post("/{draft_id}/requirements/refresh", include_in_schema=False)
def refresh_suggestions(
    draft_id: int, session: SessionDep, user: CurrentUser, content: ContentDep
) -> Response:
    access = load_draft(session, user, draft_id, edit=True)
    sync_suggestions(session, access.draft, content, user)
    return RedirectResponse(f"/drafts/{draft_id}/requirements", status_code=303)


@router.post("/{draft_id}/requirements/{requirement_id}/status", include_in_schema=False)
async def requirement_status(
    request: Request, draft_id: int, requirement_id: int, session: SessionDep, user: CurrentUser
) -> Response:
    access = load_draft(session, user, draft_id, edit=True)
    form = await request.form()
    try:
        status = RequirementStatus(str(form.get("status", "")))
    except ValueError as error:
        raise HTTPException(status_code=400) from error
    row = next(
        (item for item in requirements_of(session, access.draft) if item.id == requirement_id),
        None,
    )
    if row is None:
        raise HTTPException(status_code=404)
    set_requirement_status(session, access.draft, user, row, status)
    return RedirectResponse(
        f"/drafts/{draft_id}/requirements#requirement-{requirement_id}", status_code=303
    )
