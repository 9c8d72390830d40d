"""Memberships, and from them who may see and change which draft: the one place that decides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from app.accounts.logins import Credential, hash_token, holder, needs_noting
from app.library.organisation import templates_revision
from app.models import Draft, Membership, Organisation, Role, User, is_id


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


def visible_drafts(session: Session, user: User, *, editable: bool = False) -> list[Draft]:
    """The drafts the user may read (or, with `editable`, change), newest change first."""
    organisation_ids = [
        organisation.id
        for membership, organisation in memberships_of(session, user)
        if membership.role.can_edit or not editable
    ]
    return list(
        session.exec(
            select(Draft)
            .where(
                col(Draft.organisation_id).in_(organisation_ids), col(Draft.deleted_at).is_(None)
            )
            .order_by(col(Draft.updated_at).desc())
        ).all()
    )


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

    @property
    def can_edit(self) -> bool:
        return self.role.can_edit

    @property
    def can_comment(self) -> bool:
        return self.role.can_comment


def _access_query(draft_id: int, *, lock: bool) -> Any:
    """The draft with the organisation it belongs to and the role of a member: what decides
    who may see and change a draft. The caller adds which user. With `lock`, the draft's row
    is locked until the unit of work ends (PostgreSQL; SQLite's writers lock the whole file):
    a change reads what it compares with and writes it back with nobody in between."""
    templates_count, templates_changed = templates_revision(Draft.organisation_id)
    # More columns than sqlmodel's select is typed for: SQLAlchemy's own.
    query = (
        sql_select(Draft, col(Membership.role), Organisation, templates_count, templates_changed)
        .join(Membership, Membership.organisation_id == Draft.organisation_id)  # type: ignore[arg-type]
        .join(Organisation, Organisation.id == Draft.organisation_id)  # type: ignore[arg-type]
        .where(Draft.id == draft_id, col(Draft.deleted_at).is_(None))  # type: ignore[arg-type]
    )
    return query.with_for_update(of=Draft) if lock else query


def _access(row: Any, user: User, note_use: bool = False) -> DraftAccess:
    draft, role, organisation, count, newest = row
    return DraftAccess(
        draft=draft,
        role=Role(role),
        organisation=organisation,
        user=user,
        templates_revision=(count, newest),
        note_use=note_use,
    )


def draft_access(
    session: Session, user: User, draft_id: int, *, lock: bool = False
) -> DraftAccess | None:
    """The user's access to a draft, or None when they may not see it at all."""
    if not is_id(draft_id):
        return None
    row = session.execute(
        _access_query(draft_id, lock=lock).where(Membership.user_id == user.id)
    ).first()
    return _access(row, user) if row is not None else None


def draft_access_by(
    session: Session, credential: Credential, draft_id: int, *, lock: bool = False
) -> DraftAccess | None:
    """The credential's user and their access to a draft, in one query; None when either is
    missing (then user_of tells whether anyone is logged in at all)."""
    if not is_id(draft_id):
        return None
    table: Any = credential.table
    row = session.execute(
        _access_query(draft_id, lock=lock)
        .add_columns(table, User)
        .join(User, User.id == Membership.user_id)
        .join(table, table.user_id == User.id)
        .where(table.token_hash == hash_token(credential.token))
    ).first()
    if row is None:
        return None
    *access_columns, record, user = row
    found = holder(record, user, credential.idle_seconds)
    return _access(access_columns, found, needs_noting(record)) if found is not None else None
