"""The FastAPI application: create_app(settings) wires middleware, routers, static files."""

from __future__ import annotations

import gc
import logging
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import __version__
from app.config import PROJECT_ROOT, Settings, get_settings
from app.content import Content, load_content
from app.db import make_engine, writer_turn_file, writing
from app.deps import LoginRequired
from app.errors import http_error, login_required, validation_error
from app.export.jobs import make_queue, make_runner, set_runner, unfinished
from app.export.pdf import PdfRenderer
from app.middleware import (
    AdmissionMiddleware,
    BodyLimitMiddleware,
    CSRFMiddleware,
    LocaleMiddleware,
    SecurityHeadersMiddleware,
)
from app.pages import DraftViews
from app.review.notifications import Mailer
from app.routes import (
    account,
    api,
    api_people,
    api_review,
    auth,
    bin,
    dashboard,
    docs,
    exports,
    health,
    library,
    organisation,
    people,
    requirements,
    review,
    wizard,
)
from app.templating import make_environment

STATIC_DIR = PROJECT_ROOT / "app" / "static"
security_log = logging.getLogger("kravlotsen.security")


def _warm_up(app: FastAPI) -> None:
    from app.quality.checker import check_text

    environment = app.state.templates
    for name in environment.list_templates(filter_func=lambda name: name.endswith(".html")):
        environment.get_template(name)
    for language in ("sv", "en"):
        check_text("Systemet ska vara snabbt och av märket X.", language)
    # What start-up made (content, library, compiled templates) lives as long as the process:
    # out of the collector's sight, so a full collection under load walks only what requests
    # made (about 80 ms a pass otherwise, every few seconds at 100 requests a second).
    gc.collect()
    gc.freeze()


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    content: Content | None = None,
) -> FastAPI:
    """Build the application. Loading the data files here means a bad file stops start-up;
    tests pass in `content` loaded once, and an `engine` of their own."""
    settings = settings or get_settings()
    secret_key = settings.resolved_secret_key()
    if content is None:
        content = load_content(settings.wizard_steps_dir, settings.library_dir)
    engine = engine or make_engine(
        settings.database_url,
        pool_size=settings.db_pool_size or settings.max_requests_in_flight + 2,
        max_overflow=settings.db_max_overflow,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # As many worker threads as requests let in: none waits for a thread (see below).
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = max(limiter.total_tokens, settings.max_requests_in_flight)
        if settings.kravlotsen_env != "test":
            start = getattr(app.state.export_queue, "start", None)
            if start is not None:
                # The export processes load the content while the web process warms up.
                start()
            # What the first pages would otherwise pay for (about two seconds): compiled
            # templates and the checker's word lists, ready before the first user comes.
            await anyio.to_thread.run_sync(_warm_up, app)
        if app.state.export_queue.mode == "local":
            # What a stopped process left unfinished is made now.
            left = await anyio.to_thread.run_sync(
                unfinished, engine, settings.export_time_limit_seconds
            )
            app.state.export_queue.enqueue(left)
        yield
        app.state.export_queue.close()
        engine.dispose()

    app = FastAPI(
        title="Kravlotsen API",
        version=__version__,
        description="Needs-first tender drafting: drafts, answers and suggested requirements.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.secret_key = secret_key
    app.state.engine = engine
    app.state.write_engine = writing(engine)
    app.state.serialise_writers = engine.dialect.name == "sqlite"
    app.state.writer_gates = weakref.WeakKeyDictionary()
    app.state.writer_turn_file = writer_turn_file(engine)
    app.state.content = content
    app.state.templates = make_environment(
        settings.templates_dir,
        strict=settings.kravlotsen_env == "test",
        auto_reload=settings.is_development,
    )
    app.state.pdf_renderer = PdfRenderer(
        settings.pdf_workers,
        seconds=settings.pdf_timeout_seconds,
        memory_mb=settings.pdf_memory_mb,
        slot_files=settings.pdf_slot_files,
    )
    app.state.export_runner = make_runner(settings, engine, content, app.state.templates)
    set_runner(app.state.export_runner)
    app.state.export_queue = make_queue(settings)
    app.state.draft_views = DraftViews()
    app.state.mailer = Mailer(
        settings.smtp_host,
        settings.smtp_port,
        sender=settings.mail_from,
        username=settings.smtp_username,
        password=settings.smtp_password,
        starttls=settings.smtp_starttls,
        public_url=settings.public_url,
    )

    # Starlette runs the last added middleware first: the headers, the locale, the body limit
    # (for every request, before anything reads a body), then CSRF.
    app.add_middleware(
        CSRFMiddleware,
        secret_key=secret_key,
        secure_cookies=bool(settings.secure_cookies),
    )
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(LocaleMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, hsts=bool(settings.secure_cookies))
    # Outermost: a request over the limit costs nothing but its wait, or its refusal.
    app.add_middleware(
        AdmissionMiddleware,
        limit=settings.max_requests_in_flight,
        wait_seconds=settings.admission_wait_seconds,
    )

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in (
        health.router,
        auth.router,
        account.router,
        dashboard.router,
        bin.router,
        wizard.router,
        requirements.router,
        exports.router,
        review.router,
        library.router,
        organisation.router,
        people.router,
        api.router,
        api_review.router,
        api_people.router,
        docs.router,
    ):
        app.include_router(router)

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, _exc: LoginRequired) -> Response:
        return login_required(request)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return http_error(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        return validation_error(request, exc)

    return app


__all__ = ["create_app", "HTTPException"]
