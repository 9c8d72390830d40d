"""People of an organisation and of a draft: invitations, roles, disabled accounts, one-time
password-reset links, and the shares that give someone a role on one draft.

An invitation or a reset link carries a random token; only its hash is kept, so the link is
shown once, to the owner who made it. Functions add and flush; the caller's unit of work
commits."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, func, select

from app.accounts.logins import _aware, hash_token
from app.accounts.passwords import end_all_sessions, hash_password
from app.i18n import gettext_
from app.models import (
    ApiToken,
    Draft,
    DraftShare,
    Invitation,
    Membership,
    Organisation,
    PasswordReset,
    Role,
    User,
)

INVITATION_DAYS = 14
RESET_HOURS = 24
# Roles a share may give on one draft: an owner is an owner of the organisation.
SHARE_ROLES = (Role.editor, Role.reviewer, Role.viewer)


class PeopleError(ValueError):
    """A change to people that would break a rule; `field` names the form field it is about."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class Member:
    user: User
    membership: Membership


def normal_email(email: str) -> str:
    return email.strip().lower()


def looks_like_email(email: str) -> bool:
    local, _, domain = email.partition("@")
    return bool(local) and "." in domain and " " not in email and len(email) <= 320


def user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normal_email(email))).first()


def members_of(session: Session, organisation: Organisation) -> list[Member]:
    rows = session.exec(
        select(User, Membership)
        .join(Membership, Membership.user_id == User.id)  # type: ignore[arg-type]
        .where(Membership.organisation_id == organisation.id)
        .order_by(col(User.is_active).desc(), User.name, User.email)
    ).all()
    return [Member(user, membership) for user, membership in rows]


def member(session: Session, organisation: Organisation, user_id: int) -> Member | None:
    row = session.exec(
        select(User, Membership)
        .join(Membership, Membership.user_id == User.id)  # type: ignore[arg-type]
        .where(Membership.organisation_id == organisation.id, User.id == user_id)
    ).first()
    return Member(row[0], row[1]) if row is not None else None


def _active_owners(session: Session, organisation: Organisation) -> int:
    return session.exec(
        select(func.count())
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)  # type: ignore[arg-type]
        .where(
            Membership.organisation_id == organisation.id,
            Membership.role == Role.owner,
            col(User.is_active).is_(True),
        )
    ).one()


def _keeps_an_owner(session: Session, organisation: Organisation, found: Member) -> None:
    if found.membership.role == Role.owner and _active_owners(session, organisation) <= 1:
        raise PeopleError(
            gettext_("The organisation must keep at least one active owner."), field="role"
        )


def set_role(session: Session, organisation: Organisation, found: Member, role: Role) -> Role:
    """The member's new role; the last active owner stays an owner. Returns the old role."""
    before = found.membership.role
    if role != Role.owner:
        _keeps_an_owner(session, organisation, found)
    found.membership.role = role
    session.add(found.membership)
    session.flush()
    return before


def _other_organisations(session: Session, user: User, organisation: Organisation) -> int:
    return session.exec(
        select(func.count())
        .select_from(Membership)
        .where(Membership.user_id == user.id, Membership.organisation_id != organisation.id)
    ).one()


def set_active(
    session: Session, organisation: Organisation, found: Member, active: bool, by: User
) -> None:
    """Disable or enable a member's account. A disabled account cannot log in, its logins
    and API tokens end. An account that also belongs to another organisation is not this
    organisation's to disable; nor is one's own, nor the last active owner's."""
    if found.user.is_active == active:
        return
    if not active:
        if found.user.id == by.id:
            raise PeopleError(gettext_("You cannot disable your own account."))
        if _other_organisations(session, found.user, organisation):
            raise PeopleError(
                gettext_(
                    "The account belongs to another organisation too: change its role here "
                    "instead of disabling it."
                )
            )
        _keeps_an_owner(session, organisation, found)
        end_all_sessions(session, found.user)
        for token in session.exec(select(ApiToken).where(ApiToken.user_id == found.user.id)):
            session.delete(token)
    found.user.is_active = active
    session.add(found.user)
    session.flush()


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def invite(
    session: Session,
    by: User,
    email: str,
    role: Role,
    *,
    organisation: Organisation | None = None,
    draft: Draft | None = None,
) -> tuple[str, Invitation]:
    """An invitation to an organisation with a role, or (with `draft`) to review that draft
    only. Returns the token for the link, shown once, and the stored invitation."""
    address = normal_email(email)
    if not looks_like_email(address):
        raise PeopleError(gettext_("Enter an email address, like name@kommun.se."), field="email")
    if organisation is not None:
        existing = user_by_email(session, address)
        if existing is not None and member(session, organisation, existing.id or 0):
            raise PeopleError(gettext_("That person is already a member."), field="email")
    token = _new_token()
    now = datetime.now(UTC)
    invitation = Invitation(
        token_hash=hash_token(token),
        email=address,
        role=role,
        organisation_id=organisation.id if organisation else None,
        draft_id=draft.id if draft else None,
        invited_by_id=by.id,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    session.add(invitation)
    session.flush()
    return token, invitation


def pending_invitations(
    session: Session, *, organisation: Organisation | None = None, draft: Draft | None = None
) -> list[Invitation]:
    query = select(Invitation).where(col(Invitation.accepted_at).is_(None))
    if draft is not None:
        query = query.where(Invitation.draft_id == draft.id)
    elif organisation is not None:
        query = query.where(
            Invitation.organisation_id == organisation.id, col(Invitation.draft_id).is_(None)
        )
    now = datetime.now(UTC)
    return [
        row
        for row in session.exec(query.order_by(col(Invitation.created_at).desc()))
        if _aware(row.expires_at) > now
    ]


def invitation_by_token(session: Session, token: str) -> Invitation | None:
    """A valid invitation: not accepted, not expired."""
    if not token or len(token) > 100:
        return None
    found = session.exec(
        select(Invitation).where(Invitation.token_hash == hash_token(token))
    ).first()
    if found is None or found.accepted_at is not None:
        return None
    if _aware(found.expires_at) <= datetime.now(UTC):
        return None
    return found


def new_user(session: Session, email: str, name: str, password: str, locale: str) -> User:
    user = User(
        email=normal_email(email),
        name=name.strip(),
        password_hash=hash_password(password),
        locale=locale,
    )
    session.add(user)
    session.flush()
    return user


def accept(session: Session, invitation: Invitation, user: User) -> None:
    """The invited person takes up the invitation: a membership of the organisation, or a
    share of the draft. An earlier role is not lowered by it."""
    if invitation.draft_id is not None:
        share_with(session, invitation.draft_id, user, invitation.role, invitation.invited_by_id)
    elif invitation.organisation_id is not None:
        existing = session.exec(
            select(Membership).where(
                Membership.user_id == user.id,
                Membership.organisation_id == invitation.organisation_id,
            )
        ).first()
        if existing is None:
            session.add(
                Membership(
                    user_id=user.id or 0,
                    organisation_id=invitation.organisation_id,
                    role=invitation.role,
                )
            )
    invitation.accepted_at = datetime.now(UTC)
    session.add(invitation)
    session.flush()


def withdraw(session: Session, invitation: Invitation) -> None:
    session.delete(invitation)
    session.flush()


def issue_reset(session: Session, by: User, user: User) -> str:
    """A one-time link for the user to set a new password; earlier unused links end."""
    for earlier in session.exec(
        select(PasswordReset).where(
            PasswordReset.user_id == user.id, col(PasswordReset.used_at).is_(None)
        )
    ):
        session.delete(earlier)
    token = _new_token()
    now = datetime.now(UTC)
    session.add(
        PasswordReset(
            token_hash=hash_token(token),
            user_id=user.id or 0,
            issued_by_id=by.id,
            created_at=now,
            expires_at=now + timedelta(hours=RESET_HOURS),
        )
    )
    session.flush()
    return token


def reset_by_token(session: Session, token: str) -> tuple[PasswordReset, User] | None:
    if not token or len(token) > 100:
        return None
    row = session.exec(
        select(PasswordReset, User)
        .join(User, User.id == PasswordReset.user_id)  # type: ignore[arg-type]
        .where(PasswordReset.token_hash == hash_token(token))
    ).first()
    if row is None:
        return None
    reset, user = row
    if reset.used_at is not None or not user.is_active:
        return None
    if _aware(reset.expires_at) <= datetime.now(UTC):
        return None
    return reset, user


def use_reset(session: Session, reset: PasswordReset) -> None:
    reset.used_at = datetime.now(UTC)
    session.add(reset)
    session.flush()


@dataclass
class Share:
    user: User
    share: DraftShare
    # a member of the draft's organisation, or a reviewer from another
    member_role: Role | None


def shares_of(session: Session, draft: Draft) -> list[Share]:
    rows = session.exec(
        select(DraftShare, User)
        .join(User, User.id == DraftShare.user_id)  # type: ignore[arg-type]
        .where(DraftShare.draft_id == draft.id)
        .order_by(User.name, User.email)
    ).all()
    roles = {
        membership.user_id: membership.role
        for membership in session.exec(
            select(Membership).where(Membership.organisation_id == draft.organisation_id)
        )
    }
    return [Share(user, share, roles.get(user.id or 0)) for share, user in rows]


def share_with(
    session: Session, draft_id: int, user: User, role: Role, by_id: int | None
) -> DraftShare:
    existing = session.exec(
        select(DraftShare).where(DraftShare.draft_id == draft_id, DraftShare.user_id == user.id)
    ).first()
    if existing is not None:
        existing.role = role
        session.add(existing)
        session.flush()
        return existing
    share = DraftShare(draft_id=draft_id, user_id=user.id or 0, role=role, created_by_id=by_id)
    session.add(share)
    session.flush()
    return share


def unshare(session: Session, draft: Draft, user_id: int) -> bool:
    found = session.exec(
        select(DraftShare).where(DraftShare.draft_id == draft.id, DraftShare.user_id == user_id)
    ).first()
    if found is None:
        return False
    session.delete(found)
    session.flush()
    return True


def check_share(session: Session, draft: Draft, user: User, role: Role) -> None:
    """A share is for a member of the draft's organisation with any draft role, or for a user
    of another organisation as reviewer only (an outside reviewer sees this draft alone)."""
    if role not in SHARE_ROLES:
        raise PeopleError(gettext_("Choose editor, reviewer or viewer."), field="role")
    is_member = session.exec(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organisation_id == draft.organisation_id
        )
    ).first()
    if is_member is None and role != Role.reviewer:
        raise PeopleError(
            gettext_("Someone from another organisation can only be a reviewer of the draft."),
            field="role",
        )
    if not user.is_active:
        raise PeopleError(gettext_("That account is disabled."), field="email")
