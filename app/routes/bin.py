"""Deleting a draft moves it to the bin; an owner restores it from there within 30 days."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from app.accounts import binned_drafts
from app.admin import BIN_DAYS, purge_bin
from app.deps import CurrentUser, SessionDep, defer_write
from app.drafts.store import move_to_bin, restore_from_bin
from app.pages import EditableDraftPage, render

router = APIRouter(tags=["bin"])


@router.get("/drafts/{draft_id}/delete", include_in_schema=False)
def confirm_delete(request: Request, page: EditableDraftPage) -> Response:
    """Asks first: deleting is one click away from losing work."""
    return render(request, "drafts/delete.html", page.context(bin_days=BIN_DAYS))


@router.post("/drafts/{draft_id}/delete", include_in_schema=False)
def delete_draft(page: EditableDraftPage) -> Response:
    move_to_bin(page.session, page.draft, page.user)
    return RedirectResponse("/?deleted=1", status_code=303)


@router.get("/bin", include_in_schema=False)
def bin_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    defer_write(request, purge_bin)  # drafts past their time go after this page is read
    return render(request, "bin.html", {"drafts": binned_drafts(session, user), "days": BIN_DAYS})


@router.post("/bin/{draft_id}/restore", include_in_schema=False)
def restore_draft(draft_id: int, session: SessionDep, user: CurrentUser) -> Response:
    draft = next((item for item in binned_drafts(session, user) if item.id == draft_id), None)
    if draft is None:
        raise HTTPException(status_code=404)
    restore_from_bin(session, draft, user)
    return RedirectResponse(f"/drafts/{draft.id}", status_code=303)
