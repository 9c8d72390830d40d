"""Rendering pages: full page or, for htmx requests, just the named block of the same template;
and the view of a draft a page is made from, built once per request."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Annotated, Any, Generic, TypeVar, cast, overload

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from jinja2_fragments import render_block
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app.accounts import DraftAccess
from app.content import Content
from app.deps import FINISHED, ContentDep, EditableDraft, ReadableDraft, SessionDep
from app.document import TenderDraft
from app.drafts.build import build_document
from app.drafts.store import answer_rows
from app.i18n import get_locale, set_locale
from app.library.loader import Library
from app.library.organisation import library_for
from app.middleware import request_csrf_token, request_locale
from app.models import Answer, Draft, User
from app.quality.report import QualityReport, ReadinessItem, innovation_readiness, quality_report
from app.review.comments import OpenThreads, open_threads
from app.review.notifications import unread_count
from app.review.workflow import next_actions
from app.templating import shows_layout
from app.wizard.gates import GateFinding, check_gates
from app.wizard.view import TaskEntry, task_list

T = TypeVar("T")


class cached_property(Generic[T]):  # noqa: N801 - named as the functools one it stands for
    """functools.cached_property without its lock: on Python 3.11 that lock is one for every
    instance of the class, so the requests of all threads would compute a page's document one
    at a time. A DraftPage belongs to one request, used by one thread."""

    def __init__(self, function: Callable[[Any], T]) -> None:
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_property[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = self.function(instance)
        instance.__dict__[self.name] = value
        return value


def is_partial_request(request: Request) -> bool:
    """Partial only for htmx requests that are not history restores (back/forward/reload)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    block: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a page. With `block`, an htmx request gets only that block of the template."""
    environment: Environment = request.app.state.templates
    locale = request_locale(request)
    set_locale(locale)
    full_context = {
        "request": request,
        "user": getattr(request.state, "user", None),
        "csrf_token": request_csrf_token(request),
        "locale": locale,
        "other_locale": "en" if locale == "sv" else "sv",
        "current_path": request.url.path,
        "current_url": str(request.url.path)
        + (f"?{request.url.query}" if request.url.query else ""),
        **(context or {}),
    }
    if block and is_partial_request(request):
        body = render_block(environment, template, block, full_context)
    else:
        if shows_layout(environment, template):
            full_context.setdefault("unread", _unread(request))
        body = environment.get_template(template).render(full_context)
    response = HTMLResponse(body, status_code=status_code, headers=headers)
    response.headers["Vary"] = "HX-Request, Cookie"
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _unread(request: Request) -> int:
    """How many notifications the logged-in user has not read (the header shows it), read in
    the request's own unit of work."""
    user_id = getattr(request.state, "login_user_id", None)
    session = getattr(request.state, "db_session", None)
    if not user_id or session is None or getattr(request.state, "user", None) is None:
        return 0
    if session.info.get(FINISHED):
        return 0
    try:
        return unread_count(session, user_id)
    except SQLAlchemyError:
        # An error page after a failed unit of work: the count is not worth a second error.
        return 0


class DraftViews:
    """What is computed from a draft, kept for the draft as it is: the key names the draft's
    version (raised by every change, see app.drafts.store.record_change), the time of its
    last change and the library it uses, so a kept value is never one of an older draft."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = Lock()

    def get(self, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return cast(T, self._items[key])
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


class DraftPage:
    """What the pages of one draft are made from, each part computed at most once per
    request and only when a page asks for it: the library the draft uses, the document, the
    quality report, the gate findings and the task list. The document, report and findings
    are kept between requests while the draft is unchanged (DraftViews)."""

    def __init__(
        self,
        session: Session,
        access: DraftAccess,
        content: Content,
        views: DraftViews | None = None,
    ) -> None:
        self.session = session
        self.access = access
        self.content = content
        self.views = views if views is not None else DraftViews(size=0)

    def _key(self, part: str, *more: Any) -> tuple[Any, ...]:
        draft = self.access.draft
        return (
            part,
            draft.id,
            draft.version,
            draft.updated_at,
            self.access.organisation.name,
            self.library.revision,
            *more,
        )

    @property
    def draft(self) -> Draft:
        return self.access.draft

    @property
    def user(self) -> User:
        return self.access.user

    @cached_property
    def library(self) -> Library:
        return library_for(
            self.session,
            self.access.draft.organisation_id,
            self.content,
            self.access.templates_revision,
        )

    @cached_property
    def answer_rows(self) -> list[Answer]:
        return answer_rows(self.session, self.draft)

    @cached_property
    def document(self) -> TenderDraft:
        """The draft as a document. Shared between requests: read it, never change it."""

        def build() -> TenderDraft:
            answers = {row.question_id: row.value for row in self.answer_rows}
            return build_document(
                self.session, self.draft, self.access.organisation, self.library, answers=answers
            )

        return self.views.get(self._key("document"), build)

    def kept(self, part: str, make: Callable[[], T], *more: Any) -> T:
        """What `make` computes from this draft as it is, kept between requests like the
        document (`more` tells apart the variants of one part, such as a page's filters)."""
        return self.views.get(self._key(part, *more), make)

    @cached_property
    def report(self) -> QualityReport:
        # Findings are worded in the interface locale.
        return self.views.get(
            self._key("report", get_locale()), lambda: quality_report(self.document)
        )

    @cached_property
    def findings(self) -> list[GateFinding]:
        return self.views.get(
            self._key("findings", get_locale()),
            lambda: check_gates(self.document, self.content, self.report),
        )

    @property
    def blockers(self) -> list[GateFinding]:
        return [item for item in self.findings if item.severity == "blocker"]

    @property
    def warnings(self) -> list[GateFinding]:
        return [item for item in self.findings if item.severity == "warning"]

    @cached_property
    def tasks(self) -> list[TaskEntry]:
        return self.views.get(
            self._key("tasks", get_locale()),
            lambda: task_list(self.content, self.document, self.findings),
        )

    @cached_property
    def threads(self) -> OpenThreads:
        """Open comment threads on each part of the draft (counted for every page of it)."""
        return open_threads(self.session, self.draft)

    @property
    def step_threads(self) -> dict[str, int]:
        """Open threads on each step and what is shown on it, for the task list."""
        if not self.threads.total:
            return {}
        return {
            step.id: self.threads.on_step(self.content, self.document, step.id)
            for step in self.content.wizard.steps
        }

    @cached_property
    def readiness(self) -> list[ReadinessItem]:
        return innovation_readiness(self.document, self.report)

    def refresh(self) -> None:
        """Forget what was computed: the handler has changed the draft."""
        for name in (
            "answer_rows",
            "document",
            "report",
            "findings",
            "tasks",
            "readiness",
            "threads",
        ):
            self.__dict__.pop(name, None)

    def context(self, **extra: Any) -> dict[str, Any]:
        """The context every page of a draft has (its layout shows the task list)."""
        return {
            "access": self.access,
            "draft": self.draft,
            "document": self.document,
            "tasks": self.tasks,
            "threads": self.threads,
            "step_threads": self.step_threads,
            "next_actions": next_actions(self.access),
            **extra,
        }


# No I/O here (the page computes lazily, in the handler's thread): run on the event loop.
async def _readable_page(
    request: Request, session: SessionDep, access: ReadableDraft, content: ContentDep
) -> DraftPage:
    return DraftPage(session, access, content, request.app.state.draft_views)


async def _editable_page(
    request: Request, session: SessionDep, access: EditableDraft, content: ContentDep
) -> DraftPage:
    return DraftPage(session, access, content, request.app.state.draft_views)


ReadableDraftPage = Annotated[DraftPage, Depends(_readable_page)]
EditableDraftPage = Annotated[DraftPage, Depends(_editable_page)]
