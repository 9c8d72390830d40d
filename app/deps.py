"""Named FastAPI dependencies: database session, current user, scoped draft access."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from sqlmodel import Session, select

from app.content import Content
from app.i18n import gettext_
from app.models import Draft, Membership, Organisation, Role, User
from app.security import SESSION_COOKIE, find_session, user_for_api_token


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


class LoginRequired(Exception):
    """A page needs a logged-in user; answered with a redirect to the login page."""


def _bearer_token(request: Request) -> str | None:
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    return None


def optional_user(request: Request, session: SessionDep) -> User | None:
    token = _bearer_token(request)
    if token is not None:
        return user_for_api_token(session, token)
    login = find_session(session, request.cookies.get(SESSION_COOKIE))
    if login is None:
        return None
    user = session.get(User, login.user_id)
    return user if user is not None and user.is_active else None


OptionalUser = Annotated[User | None, Depends(optional_user)]


def page_user(request: Request, user: OptionalUser) -> User:
    if user is None:
        raise LoginRequired()
    request.state.user = user
    return user


def api_user(user: OptionalUser) -> User:
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=gettext_("Log in or send a personal API token."),
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


CurrentUser = Annotated[User, Depends(page_user)]
ApiUser = Annotated[User, Depends(api_user)]


def get_content(request: Request) -> Content:
    content: Content = request.app.state.content
    return content


ContentDep = Annotated[Content, Depends(get_content)]


@dataclass
class DraftAccess:
    draft: Draft
    role: Role
    organisation: Organisation

    @property
    def can_edit(self) -> bool:
        return self.role.can_edit


def memberships_of(session: Session, user: User) -> list[tuple[Membership, Organisation]]:
    rows = session.exec(
        select(Membership, Organisation)
        .join(Organisation, Organisation.id == Membership.organisation_id)  # type: ignore[arg-type]
        .where(Membership.user_id == user.id)
        .order_by(Organisation.name)
    ).all()
    return [(membership, organisation) for membership, organisation in rows]


def load_draft(session: Session, user: User, draft_id: int, *, edit: bool = False) -> DraftAccess:
    """The draft if the user is a member of its organisation; 404 otherwise (never 403, so
    that another organisation's drafts cannot be discovered). 403 when the role cannot edit."""
    row = session.exec(
        select(Draft, Membership, Organisation)
        .join(Membership, Membership.organisation_id == Draft.organisation_id)  # type: ignore[arg-type]
        .join(Organisation, Organisation.id == Draft.organisation_id)  # type: ignore[arg-type]
        .where(Draft.id == draft_id, Membership.user_id == user.id)
    ).first()
    if row is None:
        raise HTTPException(status_code=404, detail=gettext_("No such draft."))
    draft, membership, organisation = row
    access = DraftAccess(draft=draft, role=Role(membership.role), organisation=organisation)
    if edit and not access.can_edit:
        raise HTTPException(
            status_code=403, detail=gettext_("Your role lets you read this draft, not change it.")
        )
    return access
