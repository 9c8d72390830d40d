"""Memberships, and from them who may see and change which draft: the one place that decides."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, or_
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from app.accounts.logins import Credential, hash_token, holder, needs_noting
from app.library.organisation import templates_revision
from app.models import (
    ApiToken,
    Draft,
    DraftShare,
    Membership,
    Organisation,
    Role,
    User,
    UserSession,
    is_id,
)


def memberships_of(session: Session, user: User) -> list[tuple[Membership, Organisation]]:
    rows = session.exec(
        select(Membership, Organisation)
        .join(Organisation, Organisation.id == Membership.organisation_id)  # type: ignore[arg-type]
        .where(Membership.user_id == user.id)
        .order_by(Organisation.name)
    ).all()
    return [(membership, organisation) for membership, organisation in rows]


def membership_in(
    session: Session, user: User, organisation_id: int
) -> tuple[Membership, Organisation] | None:
    """The user's membership of one organisation, or None when they are not a member."""
    if not is_id(organisation_id):
        return None
    row = session.exec(
        select(Membership, Organisation)
        .join(Organisation, Organisation.id == Membership.organisation_id)  # type: ignore[arg-type]
        .where(Membership.user_id == user.id, Membership.organisation_id == organisation_id)
    ).first()
    return (row[0], row[1]) if row is not None else None


def editable_organisations(session: Session, user: User) -> list[Organisation]:
    """Organisations where the user may create and change drafts."""
    return [
        organisation
        for membership, organisation in memberships_of(session, user)
        if membership.role.can_edit
    ]


def choose_editable_organisation(
    session: Session, user: User, organisation_id: int | None
) -> Organisation | None:
    """The organisation asked for, if the user may create drafts there; with none asked for,
    the user's only such organisation."""
    editable = editable_organisations(session, user)
    if organisation_id is None:
        return editable[0] if len(editable) == 1 else None
    return next((item for item in editable if item.id == organisation_id), None)


def _shared_draft_ids(session: Session, user: User) -> list[int]:
    return list(session.exec(select(DraftShare.draft_id).where(DraftShare.user_id == user.id)))


def visible_drafts(session: Session, user: User, *, editable: bool = False) -> list[Draft]:
    """The drafts the user may read (or, with `editable`, change), newest change first: those
    of their organisations and those shared with them."""
    memberships = memberships_of(session, user)
    roles = {organisation.id: membership.role for membership, organisation in memberships}
    shares = {
        share.draft_id: share.role
        for share in session.exec(select(DraftShare).where(DraftShare.user_id == user.id))
    }
    drafts = session.exec(
        select(Draft)
        .where(
            or_(col(Draft.organisation_id).in_(list(roles)), col(Draft.id).in_(list(shares))),
            col(Draft.deleted_at).is_(None),
        )
        .order_by(col(Draft.updated_at).desc())
    ).all()
    return [
        draft
        for draft in drafts
        if not editable
        or effective_role(roles.get(draft.organisation_id), shares.get(draft.id or 0)).can_edit
    ]


def binned_drafts(session: Session, user: User) -> list[Draft]:
    """The drafts in the bin of the organisations the user owns, newest deletion first."""
    organisation_ids = [
        organisation.id
        for membership, organisation in memberships_of(session, user)
        if membership.role == Role.owner
    ]
    return list(
        session.exec(
            select(Draft)
            .where(
                col(Draft.organisation_id).in_(organisation_ids),
                col(Draft.deleted_at).is_not(None),
            )
            .order_by(col(Draft.deleted_at).desc())
        ).all()
    )


def effective_role(member: Role | str | None, share: Role | str | None) -> Role:
    """A member's role in the organisation, unless a share gives them another for the draft
    (an owner stays an owner); an outside reviewer has the share's role only."""
    if member is not None and Role(member) == Role.owner:
        return Role.owner
    if share is not None:
        return Role(share)
    return Role(member) if member is not None else Role.viewer


@dataclass
class DraftAccess:
    """A draft as one user may use it: their role decides what they may do with it."""

    draft: Draft
    role: Role
    organisation: Organisation
    user: User
    # (count, newest change) of the organisation's own templates: see library_for
    templates_revision: tuple[int, Any] = (0, None)
    # whether the credential's use is to be noted (see app.accounts.logins.note_use)
    note_use: bool = False
    # a user of another organisation, invited to this draft only
    outside: bool = False

    @property
    def can_edit(self) -> bool:
        return self.role.can_edit

    @property
    def can_comment(self) -> bool:
        return self.role.can_comment


def _access_query(
    draft_id: int, user_id: Any, *, lock: bool, credential: Credential | None = None
) -> tuple[Any, dict[str, Any]]:
    """The draft with the organisation it belongs to, and the user's role as a member and as
    a share of the draft: what decides who may see and change a draft, with its parameters.
    `user_id` is a value, or with `credential` the login and its user come in the same query
    (joined before the role, which is found by them). With `lock`, the draft's row is locked
    until the unit of work ends (PostgreSQL; SQLite's writers lock the whole file): a change
    reads what it compares with and writes it back with nobody in between."""
    kind = credential.kind if credential is not None else None
    parameters: dict[str, Any] = {"draft_id": draft_id}
    if credential is not None:
        parameters["token_hash"] = hash_token(credential.token)
    else:
        parameters["user_id"] = user_id
    return _access_statement(lock, kind), parameters


@cache
def _access_statement(lock: bool, kind: str | None) -> Any:
    """The access query, built once for each kind of credential and kept: building it (and
    its cache key) took a good part of every request's time. Its values are parameters."""
    table: Any = None
    if kind is not None:
        table = UserSession if kind == "session" else ApiToken
    user_id = table.user_id if table is not None else bindparam("user_id")
    templates_count, templates_changed = templates_revision(Draft.organisation_id)
    member = and_(
        col(Membership.organisation_id) == col(Draft.organisation_id),
        col(Membership.user_id) == user_id,
    )
    shared = and_(col(DraftShare.draft_id) == col(Draft.id), col(DraftShare.user_id) == user_id)
    # More columns than sqlmodel's select is typed for: SQLAlchemy's own.
    query = (
        sql_select(
            Draft,
            col(Membership.role),
            col(DraftShare.role),
            Organisation,
            templates_count,
            templates_changed,
        ).join(Organisation, Organisation.id == Draft.organisation_id)  # type: ignore[arg-type]
    )
    if table is not None:
        query = (
            query.add_columns(table, User)
            .join(table, table.token_hash == bindparam("token_hash"))
            .join(User, User.id == table.user_id)
        )
    query = (
        query.outerjoin(Membership, member)
        .outerjoin(DraftShare, shared)
        .where(
            Draft.id == bindparam("draft_id"),  # type: ignore[arg-type]
            col(Draft.deleted_at).is_(None),
            or_(col(Membership.id).is_not(None), col(DraftShare.id).is_not(None)),
        )
    )
    return query.with_for_update(of=Draft) if lock else query


def _access(row: Any, user: User, note_use: bool = False) -> DraftAccess:
    draft, member, share, organisation, count, newest = row
    return DraftAccess(
        draft=draft,
        role=effective_role(member, share),
        organisation=organisation,
        user=user,
        templates_revision=(count, newest),
        note_use=note_use,
        outside=member is None,
    )


def draft_access(
    session: Session, user: User, draft_id: int, *, lock: bool = False
) -> DraftAccess | None:
    """The user's access to a draft, or None when they may not see it at all."""
    if not is_id(draft_id):
        return None
    statement, parameters = _access_query(draft_id, user.id, lock=lock)
    row = session.execute(statement, parameters).first()
    return _access(row, user) if row is not None else None


def draft_access_by(
    session: Session, credential: Credential, draft_id: int, *, lock: bool = False
) -> DraftAccess | None:
    """The credential's user and their access to a draft, in one query; None when either is
    missing (then user_of tells whether anyone is logged in at all)."""
    if not is_id(draft_id):
        return None
    statement, parameters = _access_query(draft_id, None, lock=lock, credential=credential)
    row = session.execute(statement, parameters).first()
    if row is None:
        return None
    *access_columns, record, user = row
    found = holder(record, user, credential.idle_seconds)
    return _access(access_columns, found, needs_noting(record)) if found is not None else None
