"""People: an owner's page of the organisation's members and invitations, the invitation and
password-reset links that someone opens without an account or a login, and an owner's page
of who a draft is shared with."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.accounts import MIN_PASSWORD, set_password
from app.accounts import people as people_
from app.data import limits
from app.deps import CurrentUser, MemberOrganisation, OptionalUser, SessionDep
from app.drafts.store import record_event
from app.i18n import get_locale, gettext_
from app.models import AuditEvent, Draft, Invitation, Organisation, Role, User, is_id
from app.pages import DraftPage, ReadableDraftPage, render
from app.routes.auth import MAX_PASSWORD, begin_login

router = APIRouter(tags=["people"])

ROLES = (Role.owner, Role.editor, Role.reviewer, Role.viewer)


def role_of(value: str, allowed: tuple[Role, ...] = ROLES) -> Role | None:
    return next((role for role in allowed if role.value == value), None)


def link_to(request: Request, path: str) -> str:
    """An absolute link to send: PUBLIC_URL when set, else the address the owner used."""
    base = request.app.state.settings.public_url.rstrip("/") or str(request.base_url).rstrip("/")
    return base + path


def _password_errors(password: str, repeat: str) -> dict[str, str]:
    if len(password) < MIN_PASSWORD:
        return {
            "password": gettext_(
                "The password must be at least %(count)s characters.", count=MIN_PASSWORD
            )
        }
    if len(password) > MAX_PASSWORD:
        return {
            "password": gettext_(
                "The password can be at most %(count)s characters.", count=MAX_PASSWORD
            )
        }
    if password != repeat:
        return {"repeat_password": gettext_("The two passwords are not the same.")}
    return {}


# The organisation's people, for its owners


def _owner_of(found: MemberOrganisation) -> Organisation:
    if found[0].role != Role.owner:
        raise HTTPException(
            status_code=403,
            detail=gettext_("Only an owner of the organisation manages its people."),
        )
    return found[1]


OwnerOf = Annotated[Organisation, Depends(_owner_of)]


def _people_page(
    request: Request,
    session: Session,
    organisation: Organisation,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    link: dict[str, str] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "people/organisation.html",
        {
            "organisation": organisation,
            "members": people_.members_of(session, organisation),
            "invitations": people_.pending_invitations(session, organisation=organisation),
            "roles": ROLES,
            "errors": errors or {},
            "values": values or {},
            "link": link,
            "notice": notice,
        },
        status_code=status_code,
    )


def _member_or_404(session: Session, organisation: Organisation, user_id: int) -> people_.Member:
    found = people_.member(session, organisation, user_id) if is_id(user_id) else None
    if found is None:
        raise HTTPException(status_code=404)
    return found


def _organisation_event(
    session: Session, organisation: Organisation, user: User, action: str, **detail: Any
) -> None:
    session.add(
        AuditEvent(organisation_id=organisation.id, user_id=user.id, action=action, detail=detail)
    )


@router.get("/organisations/{organisation_id}/people", include_in_schema=False)
def people_page(request: Request, session: SessionDep, organisation: OwnerOf) -> Response:
    return _people_page(request, session, organisation)


@router.post("/organisations/{organisation_id}/invitations", include_in_schema=False)
def invite_member(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    organisation: OwnerOf,
    email: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "editor",
) -> Response:
    values = {"email": email[: limits.SHORT], "role": role}
    chosen = role_of(role)
    if chosen is None:
        errors = {"role": gettext_("Choose a role.")}
        return _people_page(request, session, organisation, errors=errors, status_code=400)
    try:
        token, invitation = people_.invite(session, user, email, chosen, organisation=organisation)
    except people_.PeopleError as error:
        errors = {error.field or "email": error.message}
        return _people_page(
            request, session, organisation, errors=errors, values=values, status_code=400
        )
    _organisation_event(
        session, organisation, user, "member.invited", email=invitation.email, role=chosen.value
    )
    link = {"email": invitation.email, "url": link_to(request, f"/invitations/{token}")}
    return _people_page(request, session, organisation, link=link)


@router.post(
    "/organisations/{organisation_id}/invitations/{invitation_id}/withdraw",
    include_in_schema=False,
)
def withdraw_invitation(
    invitation_id: int, session: SessionDep, user: CurrentUser, organisation: OwnerOf
) -> Response:
    found = session.get(Invitation, invitation_id) if is_id(invitation_id) else None
    if found is None or found.organisation_id != organisation.id or found.draft_id is not None:
        raise HTTPException(status_code=404)
    _organisation_event(
        session, organisation, user, "member.invitation_withdrawn", email=found.email
    )
    people_.withdraw(session, found)
    return RedirectResponse(f"/organisations/{organisation.id}/people", status_code=303)


@router.post("/organisations/{organisation_id}/people/{user_id}/role", include_in_schema=False)
def change_role(
    request: Request,
    user_id: int,
    session: SessionDep,
    user: CurrentUser,
    organisation: OwnerOf,
    role: Annotated[str, Form()] = "",
) -> Response:
    found = _member_or_404(session, organisation, user_id)
    chosen = role_of(role)
    field = f"role-{user_id}"
    if chosen is None:
        errors = {field: gettext_("Choose a role.")}
        return _people_page(request, session, organisation, errors=errors, status_code=400)
    try:
        before = people_.set_role(session, organisation, found, chosen)
    except people_.PeopleError as error:
        return _people_page(
            request, session, organisation, errors={field: error.message}, status_code=409
        )
    if before != chosen:
        _organisation_event(
            session,
            organisation,
            user,
            "member.role_changed",
            email=found.user.email,
            before=before.value,
            after=chosen.value,
        )
    notice = gettext_("%(name)s's role is saved.", name=found.user.name or found.user.email)
    return _people_page(request, session, organisation, notice=notice)


def _set_active(
    request: Request,
    session: Session,
    user: User,
    organisation: Organisation,
    user_id: int,
    active: bool,
) -> Response:
    found = _member_or_404(session, organisation, user_id)
    try:
        people_.set_active(session, organisation, found, active, user)
    except people_.PeopleError as error:
        errors = {f"active-{user_id}": error.message}
        return _people_page(request, session, organisation, errors=errors, status_code=409)
    action = "member.enabled" if active else "member.disabled"
    _organisation_event(session, organisation, user, action, email=found.user.email)
    name = found.user.name or found.user.email
    notice = (
        gettext_("%(name)s can log in again.", name=name)
        if active
        else gettext_(
            "%(name)s's account is disabled: its logins and tokens have ended.", name=name
        )
    )
    return _people_page(request, session, organisation, notice=notice)


@router.post("/organisations/{organisation_id}/people/{user_id}/disable", include_in_schema=False)
def disable_member(
    request: Request, user_id: int, session: SessionDep, user: CurrentUser, organisation: OwnerOf
) -> Response:
    return _set_active(request, session, user, organisation, user_id, False)


@router.post("/organisations/{organisation_id}/people/{user_id}/enable", include_in_schema=False)
def enable_member(
    request: Request, user_id: int, session: SessionDep, user: CurrentUser, organisation: OwnerOf
) -> Response:
    return _set_active(request, session, user, organisation, user_id, True)


@router.post("/organisations/{organisation_id}/people/{user_id}/reset", include_in_schema=False)
def reset_link(
    request: Request, user_id: int, session: SessionDep, user: CurrentUser, organisation: OwnerOf
) -> Response:
    found = _member_or_404(session, organisation, user_id)
    if not found.user.is_active:
        errors = {f"active-{user_id}": gettext_("Enable the account before you send it a link.")}
        return _people_page(request, session, organisation, errors=errors, status_code=409)
    token = people_.issue_reset(session, user, found.user)
    _organisation_event(session, organisation, user, "member.reset_issued", email=found.user.email)
    link = {
        "email": found.user.email,
        "url": link_to(request, f"/password-reset/{token}"),
        "kind": "reset",
    }
    return _people_page(request, session, organisation, link=link)


# Invitation and reset links, opened by the person they were made for


def _invitation_or_gone(session: Session, token: str) -> Invitation:
    found = people_.invitation_by_token(session, token)
    if found is None:
        raise HTTPException(
            status_code=404,
            detail={
                "message": gettext_(
                    "This invitation link is not valid: it has been used, withdrawn or has "
                    "expired. Ask the person who invited you for a new one."
                )
            },
        )
    return found


def _invitation_page(
    request: Request,
    session: Session,
    invitation: Invitation,
    token: str,
    user: User | None,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    organisation_name = ""
    draft_title = ""
    if invitation.draft_id is not None:
        draft = session.get(Draft, invitation.draft_id)
        draft_title = draft.title if draft else ""
        if draft is not None:
            found = session.get(Organisation, draft.organisation_id)
            organisation_name = found.name if found else ""
    elif invitation.organisation_id is not None:
        found = session.get(Organisation, invitation.organisation_id)
        organisation_name = found.name if found else ""
    inviter = session.get(User, invitation.invited_by_id) if invitation.invited_by_id else None
    return render(
        request,
        "people/invitation.html",
        {
            "invitation": invitation,
            "token": token,
            "organisation_name": organisation_name,
            "draft_title": draft_title,
            "inviter": (inviter.name or inviter.email) if inviter else "",
            "has_account": people_.user_by_email(session, invitation.email) is not None,
            "signed_in": user,
            "errors": errors or {},
            "values": values or {},
        },
        status_code=status_code,
    )


@router.get("/invitations/{token}", include_in_schema=False)
def invitation_page(
    request: Request, token: str, session: SessionDep, user: OptionalUser
) -> Response:
    invitation = _invitation_or_gone(session, token)
    return _invitation_page(request, session, invitation, token, user)


def _after_accepting(invitation: Invitation) -> str:
    return f"/drafts/{invitation.draft_id}" if invitation.draft_id else "/"


@router.post("/invitations/{token}", include_in_schema=False)
def accept_invitation(
    request: Request,
    token: str,
    session: SessionDep,
    user: OptionalUser,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    repeat_password: Annotated[str, Form()] = "",
) -> Response:
    """Signed in as the invited address: the invitation is taken up. Not signed in and with
    no account yet: the account is made with the name and password given, and logged in."""
    invitation = _invitation_or_gone(session, token)
    if user is not None:
        if user.email != invitation.email:
            raise HTTPException(
                status_code=403,
                detail=gettext_(
                    "The invitation is for %(email)s. Log out and open the link again.",
                    email=invitation.email,
                ),
            )
        people_.accept(session, invitation, user)
        record_event(session, None, user, "invitation.accepted", invitation=invitation.id)
        return RedirectResponse(_after_accepting(invitation), status_code=303)
    if people_.user_by_email(session, invitation.email) is not None:
        # Someone with the account logs in first; the link brings them back here.
        return RedirectResponse(f"/login?next=/invitations/{token}", status_code=303)
    errors = _password_errors(password, repeat_password)
    if not name.strip():
        errors = {"name": gettext_("Enter your name.")} | errors
    elif len(name) > limits.SHORT:
        errors = {"name": gettext_("The name is too long.")} | errors
    if errors:
        values = {"name": name[: limits.SHORT]}
        return _invitation_page(
            request, session, invitation, token, None, errors=errors, values=values, status_code=400
        )
    created = people_.new_user(session, invitation.email, name, password, get_locale())
    people_.accept(session, invitation, created)
    record_event(session, None, created, "invitation.accepted", invitation=invitation.id)
    response = RedirectResponse(_after_accepting(invitation), status_code=303)
    return begin_login(request, session, created, response)


def _reset_or_gone(session: Session, token: str) -> tuple[Any, User]:
    found = people_.reset_by_token(session, token)
    if found is None:
        raise HTTPException(
            status_code=404,
            detail={
                "message": gettext_(
                    "This link to set a password is not valid: it has been used or has expired. "
                    "Ask an owner of your organisation for a new one."
                )
            },
        )
    return found


@router.get("/password-reset/{token}", include_in_schema=False)
def reset_page(request: Request, token: str, session: SessionDep) -> Response:
    _reset, user = _reset_or_gone(session, token)
    return render(request, "people/reset.html", {"account": user, "token": token, "errors": {}})


@router.post("/password-reset/{token}", include_in_schema=False)
def reset_password(
    request: Request,
    token: str,
    session: SessionDep,
    password: Annotated[str, Form()] = "",
    repeat_password: Annotated[str, Form()] = "",
) -> Response:
    reset, user = _reset_or_gone(session, token)
    errors = _password_errors(password, repeat_password)
    if errors:
        return render(
            request,
            "people/reset.html",
            {"account": user, "token": token, "errors": errors},
            status_code=400,
        )
    set_password(session, user, password)
    people_.use_reset(session, reset)
    record_event(session, None, user, "user.password_reset")
    return begin_login(request, session, user, RedirectResponse("/", status_code=303))


# Who a draft is shared with, for the organisation's owners


def _owner_page(page: ReadableDraftPage) -> DraftPage:
    if page.access.role != Role.owner or page.access.outside:
        raise HTTPException(
            status_code=403,
            detail=gettext_("Only an owner of the organisation shares a draft."),
        )
    return page


SharingPage = Annotated[DraftPage, Depends(_owner_page)]


def _sharing_page(
    request: Request,
    page: DraftPage,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    link: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    session = page.session
    shares = people_.shares_of(session, page.draft)
    shared_ids = {item.user.id for item in shares}
    candidates = [
        item
        for item in people_.members_of(session, page.access.organisation)
        if item.user.is_active
        and item.membership.role != Role.owner
        and item.user.id not in shared_ids
    ]
    return render(
        request,
        "drafts/sharing.html",
        page.context(
            shares=shares,
            candidates=candidates,
            invitations=people_.pending_invitations(session, draft=page.draft),
            share_roles=people_.SHARE_ROLES,
            errors=errors or {},
            values=values or {},
            link=link,
            notice=notice,
        ),
        status_code=status_code,
    )


@router.get("/drafts/{draft_id}/sharing", include_in_schema=False)
def sharing_page(request: Request, page: SharingPage) -> Response:
    return _sharing_page(request, page)


@router.post("/drafts/{draft_id}/sharing", include_in_schema=False)
def add_share(
    request: Request,
    page: SharingPage,
    user_id: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "reviewer",
) -> Response:
    session = page.session
    chosen = role_of(role, people_.SHARE_ROLES)
    found = (
        people_.member(session, page.access.organisation, int(user_id))
        if user_id.isdigit() and is_id(int(user_id))
        else None
    )
    errors: dict[str, str] = {}
    if found is None:
        errors["user_id"] = gettext_("Choose a member of the organisation.")
    if chosen is None:
        errors["role"] = gettext_("Choose editor, reviewer or viewer.")
    if found is None or chosen is None:
        return _sharing_page(request, page, errors=errors, status_code=400)
    try:
        people_.check_share(session, page.draft, found.user, chosen)
    except people_.PeopleError as error:
        return _sharing_page(
            request, page, errors={error.field or "user_id": error.message}, status_code=400
        )
    people_.share_with(session, page.draft.id or 0, found.user, chosen, page.user.id)
    record_event(
        session, page.draft, page.user, "draft.shared", email=found.user.email, role=chosen.value
    )
    notice = gettext_(
        "The draft is shared with %(name)s.", name=found.user.name or found.user.email
    )
    return _sharing_page(request, page, notice=notice)


@router.post("/drafts/{draft_id}/sharing/invite", include_in_schema=False)
def invite_reviewer(
    request: Request, page: SharingPage, email: Annotated[str, Form()] = ""
) -> Response:
    """A reviewer from another organisation, for this draft only, by an invitation link."""
    session = page.session
    values = {"email": email[: limits.SHORT]}
    existing = people_.user_by_email(session, email)
    if existing is not None and people_.member(session, page.access.organisation, existing.id or 0):
        errors = {
            "email": gettext_(
                "That person is a member of the organisation: share the draft with them above."
            )
        }
        return _sharing_page(request, page, errors=errors, values=values, status_code=400)
    try:
        token, invitation = people_.invite(
            session, page.user, email, Role.reviewer, draft=page.draft
        )
    except people_.PeopleError as error:
        return _sharing_page(
            request, page, errors={"email": error.message}, values=values, status_code=400
        )
    record_event(session, page.draft, page.user, "draft.reviewer_invited", email=invitation.email)
    return _sharing_page(request, page, link=link_to(request, f"/invitations/{token}"))


@router.post("/drafts/{draft_id}/sharing/{user_id}/remove", include_in_schema=False)
def remove_share(user_id: int, page: SharingPage) -> Response:
    session = page.session
    removed = session.get(User, user_id) if is_id(user_id) else None
    if removed is None or not people_.unshare(session, page.draft, user_id):
        raise HTTPException(status_code=404)
    record_event(session, page.draft, page.user, "draft.unshared", email=removed.email)
    return RedirectResponse(f"/drafts/{page.draft.id}/sharing", status_code=303)


@router.post("/drafts/{draft_id}/invitations/{invitation_id}/withdraw", include_in_schema=False)
def withdraw_draft_invitation(invitation_id: int, page: SharingPage) -> Response:
    session = page.session
    found = session.get(Invitation, invitation_id) if is_id(invitation_id) else None
    if found is None or found.draft_id != page.draft.id:
        raise HTTPException(status_code=404)
    record_event(session, page.draft, page.user, "draft.invitation_withdrawn", email=found.email)
    people_.withdraw(session, found)
    return RedirectResponse(f"/drafts/{page.draft.id}/sharing", status_code=303)
