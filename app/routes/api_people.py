"""People over /api/v1: who the caller is, and who a draft is shared with (owners set it)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field
from sqlmodel import select

from app.accounts import DraftAccess, memberships_of
from app.accounts import people as people_
from app.deps import ApiReadableDraft, ApiUser, SessionDep
from app.drafts.store import record_event
from app.errors import API_ERRORS, error_body
from app.i18n import gettext_
from app.models import DraftShare, Membership, Role, User

router = APIRouter(prefix="/api/v1", tags=["people"], responses=API_ERRORS)


class MembershipOut(BaseModel):
    organisation_id: int
    organisation: str
    role: Literal["owner", "editor", "reviewer", "viewer"]


class SharedDraftOut(BaseModel):
    draft_id: int
    role: Literal["editor", "reviewer", "viewer"]


class MeOut(BaseModel):
    id: int
    email: str
    name: str
    locale: str
    memberships: list[MembershipOut]
    shared_drafts: list[SharedDraftOut] = Field(
        description="drafts with a role of their own for the caller, given by a share"
    )


class MemberIn(BaseModel):
    email: str = Field(min_length=3, max_length=320)
    role: Literal["editor", "reviewer", "viewer"]


class MembersIn(BaseModel):
    members: list[MemberIn] = Field(max_length=200)


class MemberOut(BaseModel):
    user_id: int
    email: str
    name: str
    role: Literal["editor", "reviewer", "viewer"]
    outside: bool = Field(description="a user of another organisation, reviewer of this draft")


class MembersOut(BaseModel):
    draft_id: int
    members: list[MemberOut]


def _refuse_unless_owner(access: DraftAccess) -> None:
    if access.role != Role.owner or access.outside:
        raise HTTPException(
            status_code=403, detail=gettext_("Only an owner of the organisation shares a draft.")
        )


@router.get("/me", response_model=MeOut)
def me(session: SessionDep, user: ApiUser) -> MeOut:
    """The caller: their account, their organisations with a role in each, and the drafts
    shared with them."""
    shares = session.exec(select(DraftShare).where(DraftShare.user_id == user.id)).all()
    return MeOut(
        id=user.id or 0,
        email=user.email,
        name=user.name,
        locale=user.locale,
        memberships=[
            MembershipOut(
                organisation_id=organisation.id or 0,
                organisation=organisation.name,
                role=membership.role.value,
            )
            for membership, organisation in memberships_of(session, user)
        ],
        shared_drafts=[
            SharedDraftOut(draft_id=share.draft_id, role=share.role.value) for share in shares
        ],
    )


def _members(session: SessionDep, access: DraftAccess) -> MembersOut:
    return MembersOut(
        draft_id=access.draft.id or 0,
        members=[
            MemberOut(
                user_id=item.user.id or 0,
                email=item.user.email,
                name=item.user.name,
                role=item.share.role.value,
                outside=item.member_role is None,
            )
            for item in people_.shares_of(session, access.draft)
        ],
    )


@router.put("/drafts/{draft_id}/members", response_model=MembersOut)
def set_members(body: MembersIn, access: ApiReadableDraft, session: SessionDep) -> MembersOut:
    """Who the draft is shared with, as a whole: those listed get the role given, those not
    listed lose their share. A member of the organisation may be an editor, reviewer or
    viewer of the draft; a user of another organisation only a reviewer. Owners only."""
    _refuse_unless_owner(access)
    draft = access.draft
    owners = {
        membership.user_id
        for membership in session.exec(
            select(Membership).where(
                Membership.organisation_id == draft.organisation_id,
                Membership.role == Role.owner,
            )
        )
    }
    wanted: dict[int, tuple[User, Role]] = {}
    errors: dict[str, str] = {}
    for index, item in enumerate(body.members):
        field = f"members.{index}.email"
        found = people_.user_by_email(session, item.email)
        if found is None:
            errors[field] = gettext_(
                "No account has the address %(email)s: invite the person from the draft's "
                "sharing page.",
                email=item.email,
            )
            continue
        if found.id in owners:
            errors[field] = gettext_(
                "%(email)s is an owner of the organisation and has every right already.",
                email=found.email,
            )
            continue
        try:
            people_.check_share(session, draft, found, Role(item.role))
        except people_.PeopleError as error:
            errors[f"members.{index}.{error.field or 'email'}"] = error.message
            continue
        wanted[found.id or 0] = (found, Role(item.role))
    if errors:
        raise HTTPException(
            status_code=422,
            detail=error_body(gettext_("Some members cannot be given a share."), errors)["detail"],
        )
    before = {item.user.id: item for item in people_.shares_of(session, draft)}
    for user_id, shared in before.items():
        if user_id not in wanted:
            people_.unshare(session, draft, user_id or 0)
            record_event(session, draft, access.user, "draft.unshared", email=shared.user.email)
    for user_id, (found, role) in wanted.items():
        earlier = before.get(user_id)
        if earlier is not None and earlier.share.role == role:
            continue
        people_.share_with(session, draft.id or 0, found, role, access.user.id)
        record_event(
            session, draft, access.user, "draft.shared", email=found.email, role=role.value
        )
    return _members(session, access)


@router.get("/drafts/{draft_id}/members", response_model=MembersOut)
def get_members(access: ApiReadableDraft, session: SessionDep) -> MembersOut:
    """Who the draft is shared with (owners only, like the sharing page)."""
    _refuse_unless_owner(access)
    return _members(session, access)
