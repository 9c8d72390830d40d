"""Factories for test data: organisations, users with memberships, drafts, API tokens. Each
commits what it made, as a request would, so the app under test sees it."""

from __future__ import annotations

from functools import cache

from sqlmodel import Session

from app.accounts import create_api_token, hash_password
from app.content import Content
from app.drafts.groups import NeedStore
from app.drafts.store import create_draft, save_answer
from app.drafts.suggestions import sync_suggestions
from app.models import Draft, Membership, Organisation, Role, User
from tests.conftest import PASSWORD


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def make_organisation(session: Session, name: str = "Testkommun") -> Organisation:
    organisation = Organisation(name=name)
    session.add(organisation)
    session.commit()
    session.refresh(organisation)
    return organisation


def make_user(
    session: Session,
    email: str,
    organisation: Organisation | None = None,
    role: Role = Role.owner,
    name: str = "",
) -> User:
    user = User(email=email, name=name or email.split("@")[0], password_hash=_password_hash())
    session.add(user)
    session.commit()
    session.refresh(user)
    if organisation is not None:
        session.add(
            Membership(user_id=user.id or 0, organisation_id=organisation.id or 0, role=role)
        )
        session.commit()
    return user


def make_draft(
    session: Session,
    organisation: Organisation,
    user: User | None,
    title: str = "E-tjänst för bygglov",
    content: Content | None = None,
    *,
    filled: bool = False,
) -> Draft:
    draft = create_draft(session, organisation, user, title)
    if filled:
        for question_id, value in {
            "object_type": "tjanst",
            "area": "it",
            "estimated_value": 2_000_000,
            "current_situation": "Ansökningar kommer in på papper och e-post.",
            "problem": "Handläggarna lägger tid på att komplettera ofullständiga ansökningar.",
        }.items():
            save_answer(session, draft, user, question_id, value)
        NeedStore(session, draft, user).add(
            who="Privatpersoner som söker bygglov",
            what="Kunna ansöka om bygglov från mobilen när det passar dem",
            why="De flesta vill ansöka på kvällar och helger",
            kinds=["access", "usability"],
        )
        if content is not None:
            sync_suggestions(session, draft, content.library, user)
    session.commit()
    return draft


def make_api_token(session: Session, user: User) -> str:
    token = create_api_token(session, user)
    session.commit()
    return token
