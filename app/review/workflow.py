"""The statuses of a draft and who moves it between them:

draft -> in_review            submit (whoever may change the draft); makes revision N and
                              tells the reviewers
in_review -> changes_requested  request changes (a reviewer, with a verdict, or an owner)
in_review -> approved         approve (an owner only, having seen the reviewers' verdicts);
                              makes a revision
changes_requested -> in_review  submit again (a new revision)
approved -> exported          the tender PDF is exported (a revision)
approved or exported -> draft  someone changes the draft (app.drafts.store.record_change)

Any other move is refused with a message saying why (409); a role that may not take the
action is refused before that (403)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from app.accounts import DraftAccess
from app.document import TenderDraft
from app.drafts.store import now, record_event
from app.i18n import gettext_
from app.models import Draft, DraftStatus, Membership, ReviewVerdict, Role, User, Verdict
from app.review.notifications import notify, reviewers_of, team_of
from app.review.revisions import make_revision


class Action(StrEnum):
    submit = "submit"
    approve = "approve"
    request_changes = "request-changes"


class NotAllowed(Exception):
    """The user's role may not take this action (403)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class IllegalTransition(Exception):
    """The action does not apply to the draft's status (409)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def status_name(status: DraftStatus | str) -> str:
    names = {
        DraftStatus.draft: gettext_("Draft"),
        DraftStatus.in_review: gettext_("In review"),
        DraftStatus.changes_requested: gettext_("Changes requested"),
        DraftStatus.approved: gettext_("Approved"),
        DraftStatus.exported: gettext_("Exported"),
    }
    return names[DraftStatus(status)]


def may_take(access: DraftAccess, action: Action) -> bool:
    role = access.role
    if action is Action.submit:
        return role.can_edit
    if action is Action.approve:
        return role == Role.owner and not access.outside
    return role in (Role.owner, Role.reviewer)


def may_give_verdict(access: DraftAccess) -> bool:
    return access.role == Role.reviewer


def next_actions(access: DraftAccess) -> list[Action]:
    """What this user can do with the draft as it is now: what the status banner offers."""
    status = DraftStatus(access.draft.status)
    possible = {
        DraftStatus.draft: [Action.submit],
        DraftStatus.changes_requested: [Action.submit],
        DraftStatus.in_review: [Action.approve, Action.request_changes],
    }.get(status, [])
    return [action for action in possible if may_take(access, action)]


def _refuse_role(action: Action) -> NotAllowed:
    messages = {
        Action.submit: gettext_("Only someone who may change the draft can submit it for review."),
        Action.approve: gettext_("Only an owner of the organisation can approve the draft."),
        Action.request_changes: gettext_("Only a reviewer or an owner can request changes."),
    }
    return NotAllowed(messages[action])


def _refuse_status(action: Action, status: DraftStatus) -> IllegalTransition:
    name = status_name(status)
    if action is Action.submit:
        if status == DraftStatus.in_review:
            return IllegalTransition(gettext_("The draft is already in review."))
        return IllegalTransition(
            gettext_(
                "A draft that is “%(status)s” cannot be submitted: change it first, which "
                "takes it back to draft.",
                status=name,
            )
        )
    return IllegalTransition(
        gettext_(
            "Only a draft in review can be approved or sent back with changes requested; "
            "this one is “%(status)s”.",
            status=name,
        )
    )


def take_action(
    session: Session,
    access: DraftAccess,
    action: Action,
    document: TenderDraft,
    *,
    comment: str = "",
) -> DraftStatus:
    """Move the draft by the action, or raise NotAllowed / IllegalTransition."""
    draft, user = access.draft, access.user
    if not may_take(access, action):
        raise _refuse_role(action)
    _lock(session, draft)
    status = DraftStatus(draft.status)
    if action is Action.submit:
        if status not in (DraftStatus.draft, DraftStatus.changes_requested):
            raise _refuse_status(action, status)
        revision = make_revision(session, draft, user, document, "submitted")
        _set_status(session, draft, user, DraftStatus.in_review, revision=revision.number)
        notify(
            session,
            reviewers_of(session, draft),
            draft,
            "review.requested",
            user,
            revision=revision.number,
        )
        return DraftStatus.in_review
    if status != DraftStatus.in_review:
        raise _refuse_status(action, status)
    if action is Action.approve:
        revision = make_revision(session, draft, user, document, "approved")
        _set_status(session, draft, user, DraftStatus.approved, revision=revision.number)
        notify(session, team_of(session, draft), draft, "draft.approved", user)
        return DraftStatus.approved
    if access.role == Role.reviewer:
        give_verdict(session, access, Verdict.request_changes, comment)
        return DraftStatus(draft.status)
    _set_status(session, draft, user, DraftStatus.changes_requested, revision=draft.revision)
    notify(
        session,
        team_of(session, draft),
        draft,
        "changes.requested",
        user,
        comment=comment[:300],
    )
    return DraftStatus.changes_requested


def give_verdict(
    session: Session, access: DraftAccess, verdict: Verdict, comment: str = ""
) -> ReviewVerdict:
    """A reviewer's verdict on the revision in review. Requesting changes sends the draft
    back to the officer; approving tells the owners, who approve the draft."""
    draft, user = access.draft, access.user
    if not may_give_verdict(access):
        raise NotAllowed(gettext_("Only a reviewer of the draft gives a verdict."))
    _lock(session, draft)
    if DraftStatus(draft.status) != DraftStatus.in_review:
        raise IllegalTransition(
            gettext_(
                "A verdict is given on a draft in review; this one is “%(status)s”.",
                status=status_name(draft.status),
            )
        )
    text = comment.replace("\r\n", "\n").strip()[:4000]
    row = ReviewVerdict(
        draft_id=draft.id or 0,
        revision=draft.revision,
        reviewer_id=user.id,
        verdict=verdict,
        comment=text,
    )
    session.add(row)
    record_event(
        session, draft, user, "review.verdict", verdict=verdict.value, revision=draft.revision
    )
    if verdict is Verdict.request_changes:
        _set_status(session, draft, user, DraftStatus.changes_requested, revision=draft.revision)
        notify(
            session,
            team_of(session, draft),
            draft,
            "changes.requested",
            user,
            comment=text[:300],
        )
    else:
        notify(
            session,
            owners_of(session, draft),
            draft,
            "review.approved",
            user,
            comment=text[:300],
        )
    return row


def record_export(session: Session, draft: Draft, user: User | None, document: TenderDraft) -> None:
    """The tender PDF of an approved draft was exported: a revision, and the status."""
    if DraftStatus(draft.status) in (DraftStatus.approved, DraftStatus.exported):
        revision = make_revision(session, draft, user, document, "exported")
        if DraftStatus(draft.status) == DraftStatus.approved:
            _set_status(session, draft, user, DraftStatus.exported, revision=revision.number)


def _lock(session: Session, draft: Draft) -> None:
    """Read the draft's status again, locked until the unit of work ends (PostgreSQL; on
    SQLite a writing unit of work holds the file's write lock from its start): two people
    submitting at once make one revision, not two with the same number."""
    session.exec(
        select(Draft)
        .where(Draft.id == draft.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _set_status(
    session: Session,
    draft: Draft,
    user: User | None,
    status: DraftStatus,
    **detail: object,
) -> None:
    before = DraftStatus(draft.status)
    draft.status = status
    draft.updated_at = now()
    session.add(draft)
    record_event(
        session, draft, user, "status.changed", before=before.value, after=status.value, **detail
    )


@dataclass
class VerdictView:
    reviewer: str
    verdict: Verdict
    comment: str
    revision: int
    created_at: object


def verdicts_of(session: Session, draft: Draft, revision: int | None = None) -> list[VerdictView]:
    """The verdicts given on a revision (the one in review by default), newest first."""
    number = draft.revision if revision is None else revision
    rows = session.exec(
        select(ReviewVerdict, User)
        .join(User, User.id == ReviewVerdict.reviewer_id, isouter=True)  # type: ignore[arg-type]
        .where(ReviewVerdict.draft_id == draft.id, ReviewVerdict.revision == number)
        .order_by(col(ReviewVerdict.created_at).desc())
    ).all()
    return [
        VerdictView(
            reviewer=(person.name or person.email) if person else gettext_("(removed user)"),
            verdict=Verdict(row.verdict),
            comment=row.comment,
            revision=row.revision,
            created_at=row.created_at,
        )
        for row, person in rows
    ]


def owners_of(session: Session, draft: Draft) -> list[int]:
    return list(
        session.exec(
            select(Membership.user_id).where(
                Membership.organisation_id == draft.organisation_id,
                Membership.role == Role.owner,
            )
        ).all()
    )
