"""Named FastAPI dependencies: the request's unit of work, the current user, and access to
drafts and organisations declared in a handler's signature.

A handler that says `access: EditableDraft` gets the draft or a 404 (another organisation's
draft, so it cannot be discovered) or a 403 (a role that may only read). Who may do what is
answered by app.accounts, in one place."""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import time
import weakref
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Annotated, Any, TypeVar

import anyio.to_thread
from fastapi import Depends, HTTPException, Request, status
from sqlalchemy.exc import OperationalError
from sqlmodel import Session
from starlette.datastructures import FormData

from app.accounts import (
    SESSION_COOKIE,
    Credential,
    DraftAccess,
    draft_access,
    draft_access_by,
    login_of,
    membership_in,
    note_use,
)
from app.content import Content
from app.drafts.store import forget_changes
from app.export.store import EXPORT_JOBS
from app.i18n import gettext_
from app.models import Membership, Organisation, Role, User
from app.review.notifications import OUTBOX

security_log = logging.getLogger("kravlotsen.security")
T = TypeVar("T")


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Set in Session.info once the request's unit of work has ended: nothing more is read in it.
FINISHED = "kravlotsen_finished"


def _finish(session: Session, *, commit: bool, used: Credential | None) -> None:
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
    try:
        if commit and used is not None:
            # A write of its own, after the request's: a page that only reads never holds a
            # write lock, and noting the use of a login is worth no failed request.
            note_use(session, used)
            session.commit()
    except OperationalError:
        session.rollback()
        security_log.info("the use of a login could not be noted this time")
    finally:
        session.close()
        session.info[FINISHED] = True


def defer_write(request: Request, work: Callable[[Session], object]) -> None:
    """A write a reading request makes (an export noted in the audit log, the bin emptied of
    old drafts): done in a writing unit of work of its own once the request's has ended, so
    that a page that only reads never tries to turn its read into a write (on SQLite, that
    fails at once when another writer holds the lock)."""
    request.state.deferred_writes = [*getattr(request.state, "deferred_writes", []), work]


def _write_deferred(engine: Any, works: list[Callable[[Session], object]]) -> None:
    with Session(engine, expire_on_commit=False) as session:
        for work in works:
            work(session)
        session.commit()


def writer_gate(state: Any) -> asyncio.Lock | None:
    """On SQLite, the writers of this process take turns on the event loop. SQLite lets one
    writer in at a time (BEGIN IMMEDIATE takes the lock at a request's first query); without
    the turn, writers that wait for the lock sleep in worker threads (the busy timeout) while
    the one holding it may wait for a free thread to commit: a convoy of seconds under load.
    Waiting here costs no thread. One lock per event loop (tests run several)."""
    if not getattr(state, "serialise_writers", False):
        return None
    gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = state.writer_gates
    loop = asyncio.get_running_loop()
    gate = gates.get(loop)
    if gate is None:
        gate = gates[loop] = asyncio.Lock()
    return gate


# How often a writer looks whether the machine's turn is free, and how long it waits for it
# before it goes on without (SQLite's own lock, with its busy timeout, still keeps the order).
TURN_POLL_SECONDS = 0.0005
TURN_WAIT_SECONDS = 15.0


async def _machine_turn(path: Path | None) -> int | None:
    """The writers' turn among the web processes of one machine on a SQLite file: a file lock
    taken before the write transaction begins and let go after its commit. Without it, two
    processes' writers meet in SQLite's busy handler, which sleeps 1, 2, 5, 10 ms and more
    between its tries: with two workers, writes then went no faster than with one. Waiting
    here holds no thread and no connection and looks again every half millisecond."""
    if path is None:
        return None
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    deadline = time.monotonic() + TURN_WAIT_SECONDS
    try:
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return descriptor
            except BlockingIOError:
                if time.monotonic() > deadline:
                    break
            await asyncio.sleep(TURN_POLL_SECONDS)
    except BaseException:
        os.close(descriptor)
        raise
    os.close(descriptor)
    return None


def _end_turn(descriptor: int) -> None:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One unit of work per request: what the handler adds is committed once, after it has
    returned and before the response is sent; on an error everything is rolled back. A
    request that changes something works in a write transaction from its first query on
    (app.db.writing).

    Opening a session does no I/O (a connection is taken at the first query), so it happens
    on the event loop; the commit or rollback, which does, runs in a worker thread."""
    state = request.app.state
    writes = request.method not in SAFE_METHODS
    engine = state.write_engine if writes else state.engine
    gate = writer_gate(state) if writes else None
    turn: int | None = None
    if gate is not None:
        await gate.acquire()
    try:
        if gate is not None:
            # Inside the try: a request cancelled while it waits lets go of the gate.
            turn = await _machine_turn(getattr(state, "writer_turn_file", None))
        session = Session(engine, expire_on_commit=False)
        request.state.db_session = session
        try:
            yield session
        except BaseException:
            await anyio.to_thread.run_sync(partial(_finish, session, commit=False, used=None))
            raise
        used = getattr(request.state, "note_use", None)
        outbox = session.info.pop(OUTBOX, None)
        export_jobs = session.info.pop(EXPORT_JOBS, None)
        if _commits_without_waiting(session, state, writes=writes, used=used):
            _finish(session, commit=True, used=None)
        else:
            await anyio.to_thread.run_sync(partial(_finish, session, commit=True, used=used))
    finally:
        if turn is not None:
            _end_turn(turn)
        if gate is not None:
            gate.release()
    if export_jobs:
        # Committed: the export rows are there for whichever worker takes the jobs.
        await anyio.to_thread.run_sync(state.export_queue.enqueue, export_jobs)
    deferred = getattr(request.state, "deferred_writes", None)
    if deferred:
        await anyio.to_thread.run_sync(partial(_write_deferred, state.write_engine, deferred))
    mailer = getattr(state, "mailer", None)
    if outbox and mailer is not None and mailer.enabled:
        # Committed: the notifications happened, so their mail may go (read in a new session).
        def send() -> None:
            with Session(state.engine) as reading:
                mailer.send_later(reading, outbox)

        await anyio.to_thread.run_sync(send)


def _commits_without_waiting(
    session: Session, state: Any, *, writes: bool, used: Credential | None
) -> bool:
    """Whether ending the unit of work can wait for nothing, so that it is done on the event
    loop instead of in a trip to a worker thread. On SQLite (no network): a read transaction
    with nothing to write, or a write transaction that holds the write lock already (begun
    with BEGIN IMMEDIATE at its first query); its commit appends to the WAL without an fsync
    (synchronous=NORMAL). Not so when the commit would have to take the lock (something to
    write and no transaction begun on a connection yet, or writes in a reading request), nor
    when the use of a login is noted after it: that is a write of its own."""
    if used is not None or not getattr(state, "serialise_writers", False):
        return False
    pending = bool(session.new or session.dirty or session.deleted)
    if not pending:
        return True
    if not writes:
        return False
    # Begun on a connection, that is at a query (add() alone begins a transaction without one).
    transaction = session.get_transaction()
    return bool(transaction is not None and getattr(transaction, "_connections", None))


# Function scope: the commit runs before the response leaves, so a failed commit is an error
# the user sees, never a success that did not happen.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


class LoginRequired(Exception):
    """A page needs a logged-in user; answered with a redirect to the login page."""


def _credential(request: Request) -> Credential | None:
    """A personal API token when one is sent, else the login cookie."""
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
        return Credential("api", token) if token else None
    cookie = request.cookies.get(SESSION_COOKIE)
    idle = request.app.state.settings.session_idle_seconds
    return Credential("session", cookie, idle) if cookie else None


def _login(request: Request, session: Session) -> User | None:
    """The user the request is made by, looked up once per request however many
    dependencies ask."""
    if "login_user" not in request.scope.setdefault("state", {}):
        credential = _credential(request)
        login = login_of(session, credential) if credential else None
        user = login[0] if login is not None else None
        if login is not None and login[1]:
            request.state.note_use = credential
        if credential is not None and user is None:
            security_log.warning(
                "authentication failed: %s unknown, expired or idle, on %s %s",
                "API token" if credential.kind == "api" else "login",
                request.method,
                request.url.path,
            )
        request.state.login_user = user
        request.state.login_user_id = user.id if user is not None else None
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
    but not change it. To be changed, it is locked for the unit of work."""
    access = draft_access(session, user, draft_id, lock=edit)
    if access is None:
        raise HTTPException(status_code=404, detail=gettext_("No such draft."))
    if edit and not access.can_edit:
        raise HTTPException(
            status_code=403, detail=gettext_("Your role lets you read this draft, not change it.")
        )
    return access


def _draft_of_request(
    request: Request, session: Session, draft_id: int, *, edit: bool, api: bool
) -> DraftAccess:
    """The user and the draft in one query, in one trip to a worker thread; the handler finds
    the user in `access.user`. Only when that finds nothing is it asked why: nobody logged in
    (a login page or 401), or a draft the user may not see (404)."""
    credential = _credential(request)
    access = draft_access_by(session, credential, draft_id, lock=edit) if credential else None
    if access is not None:
        request.state.login_user = access.user
        request.state.login_user_id = access.user.id
        if access.note_use:
            request.state.note_use = credential
    found = access.user if access is not None else _login(request, session)
    user = _api_user(found) if api else _page_user(request, found)
    if access is None:
        access = require_draft(session, user, draft_id, edit=edit)
    if edit and not access.can_edit:
        raise HTTPException(
            status_code=403, detail=gettext_("Your role lets you read this draft, not change it.")
        )
    return access


def reads_inline(request: Request) -> bool:
    """Whether a request's database work may run on the event loop instead of in a worker
    thread: a reading request on SQLite. A read there waits for no lock (WAL) and no network,
    so the thread trip (a hand-over each way, and another thread contending for the
    interpreter) costs more than it spares; a write may wait for another process's lock, and
    PostgreSQL for its network, so those keep to the threads."""
    return request.method in SAFE_METHODS and bool(
        getattr(request.app.state, "serialise_writers", False)
    )


async def run_read(request: Request, work: Callable[[], T]) -> T:
    """`work` (database reads, a page render) inline when `reads_inline`, else in a worker
    thread."""
    if reads_inline(request):
        return work()
    return await anyio.to_thread.run_sync(work)


async def _readable_draft(draft_id: int, request: Request, session: SessionDep) -> DraftAccess:
    return await run_read(
        request, partial(_draft_of_request, request, session, draft_id, edit=False, api=False)
    )


def _editable_draft(draft_id: int, request: Request, session: SessionDep) -> DraftAccess:
    return _draft_of_request(request, session, draft_id, edit=True, api=False)


def _api_readable_draft(draft_id: int, request: Request, session: SessionDep) -> DraftAccess:
    return _draft_of_request(request, session, draft_id, edit=False, api=True)


def _api_editable_draft(draft_id: int, request: Request, session: SessionDep) -> DraftAccess:
    return _draft_of_request(request, session, draft_id, edit=True, api=True)


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
