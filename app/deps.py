"""Named FastAPI dependencies: the request's unit of work, the current user, and access to
drafts and organisations declared in a handler's signature.

A handler that says `access: EditableDraft` gets the draft or a 404 (another organisation's
draft, so it cannot be discovered) or a 403 (a role that may only read). Who may do what is
answered by app.accounts, in one place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import partial
from typing import Annotated

import anyio.to_thread
from fastapi import Depends, HTTPException, Request, status
from sqlmodel import Session
from starlette.datastructures import FormData

from app.accounts import (
    SESSION_COOKIE,
    DraftAccess,
    draft_access,
    membership_in,
    user_for_api_token,
    user_of_session,
)
from app.content import Content
from app.drafts.store import forget_changes
from app.i18n import gettext_
from app.models import Membership, Organisation, Role, User


def _finish(session: Session, *, commit: bool) -> None:
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    except BaseException:
        session.rollback()
        raise
    finally:
        forget_changes(session)
        session.close()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One unit of work per request: what the handler adds is committed once, after it has
    returned and before the response is sent; on an error everything is rolled back.

    Opening a session does no I/O (a connection is taken at the first query), so it happens
    on the event loop; the commit or rollback, which does, runs in a worker thread."""
    session = Session(request.app.state.engine, expire_on_commit=False)
    try:
        yield session
    except BaseException:
        await anyio.to_thread.run_sync(partial(_finish, session, commit=False))
        raise
    await anyio.to_thread.run_sync(partial(_finish, session, commit=True))


# Function scope: the commit runs before the response leaves, so a failed commit is an error
# the user sees, never a success that did not happen.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


class LoginRequired(Exception):
    """A page needs a logged-in user; answered with a redirect to the login page."""


def _bearer_token(request: Request) -> str | None:
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    return None


def _login(request: Request, session: Session) -> User | None:
    """The user the request is made by (a personal API token, else the login cookie), looked
    up once per request however many dependencies ask."""
    if "login_user" not in request.scope.setdefault("state", {}):
        token = _bearer_token(request)
        if token is not None:
            user = user_for_api_token(session, token)
        else:
            user = user_of_session(session, request.cookies.get(SESSION_COOKIE))
        request.state.login_user = user
    found: User | None = request.state.login_user
    return found


def optional_user(request: Request, session: SessionDep) -> User | None:
    return _login(request, session)


OptionalUser = Annotated[User | None, Depends(optional_user)]


@dataclass(frozen=True)
class SignedIn:
    """Who is logged in, as the page header shows it: plain values, so an error page can
    still show them after the request's unit of work was rolled back."""

    name: str
    email: str


def _page_user(request: Request, user: User | None) -> User:
    if user is None:
        raise LoginRequired()
    request.state.user = SignedIn(name=user.name, email=user.email)
    return user


def _api_user(user: User | None) -> User:
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=gettext_("Log in or send a personal API token."),
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


# Dependencies that do no I/O are `async def`: they run on the event loop at once, instead of
# each taking a trip to a worker thread.
async def page_user(request: Request, user: OptionalUser) -> User:
    return _page_user(request, user)


async def api_user(user: OptionalUser) -> User:
    return _api_user(user)


CurrentUser = Annotated[User, Depends(page_user)]
ApiUser = Annotated[User, Depends(api_user)]


async def get_content(request: Request) -> Content:
    content: Content = request.app.state.content
    return content


ContentDep = Annotated[Content, Depends(get_content)]


async def read_form(request: Request) -> FormData:
    """The posted form, read on the event loop (real I/O), for handlers whose fields are not
    known in advance (a wizard step's questions); the handler itself runs in the thread pool."""
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form)]


def require_draft(session: Session, user: User, draft_id: int, *, edit: bool) -> DraftAccess:
    """The draft as the user may use it; 404 when they may not see it, 403 when they may read
    but not change it."""
    access = draft_access(session, user, draft_id)
    if access is None:
        raise HTTPException(status_code=404, detail=gettext_("No such draft."))
    if edit and not access.can_edit:
        raise HTTPException(
            status_code=403, detail=gettext_("Your role lets you read this draft, not change it.")
        )
    return access


# The user and the draft are looked up in one trip to a worker thread; the handler finds the
# user in `access.user`.
def _readable_draft(draft_id: int, request: Request, session: SessionDep) -> DraftAccess:
    user = _page_user(request, _login(request, session))
    return require_draft(session, user, draft_id, edit=False)


def _editable_draft(draft_id: int, request: Request, session: SessionDep) -> DraftAccess:
    user = _page_user(request, _login(request, session))
    return require_draft(session, user, draft_id, edit=True)


def _api_readable_draft(draft_id: int, request: Request, session: SessionDep) -> DraftAccess:
    user = _api_user(_login(request, session))
    return require_draft(session, user, draft_id, edit=False)


def _api_editable_draft(draft_id: int, request: Request, session: SessionDep) -> DraftAccess:
    user = _api_user(_login(request, session))
    return require_draft(session, user, draft_id, edit=True)


ReadableDraft = Annotated[DraftAccess, Depends(_readable_draft)]
EditableDraft = Annotated[DraftAccess, Depends(_editable_draft)]
ApiReadableDraft = Annotated[DraftAccess, Depends(_api_readable_draft)]
ApiEditableDraft = Annotated[DraftAccess, Depends(_api_editable_draft)]


def _member_organisation(
    organisation_id: int, session: SessionDep, user: CurrentUser
) -> tuple[Membership, Organisation]:
    found = membership_in(session, user, organisation_id)
    if found is None:
        raise HTTPException(status_code=404)
    return found


MemberOrganisation = Annotated[tuple[Membership, Organisation], Depends(_member_organisation)]


async def _owned_organisation(membership: MemberOrganisation) -> Organisation:
    if membership[0].role != Role.owner:
        raise HTTPException(
            status_code=403,
            detail=gettext_("Only an owner of the organisation can change its templates."),
        )
    return membership[1]


OwnedOrganisation = Annotated[Organisation, Depends(_owned_organisation)]
