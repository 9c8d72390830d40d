"""Export jobs: one task, `render_export(export_id)`, makes a queued export and keeps its bytes,
or marks it failed with a message in the asker's language. On PostgreSQL procrastinate queues
the jobs in the same database and `worker` processes run them; on SQLite export processes
started by each web process run the same task (ProcessQueue), so one command still starts
everything."""

from __future__ import annotations

import concurrent.futures
import hashlib
import logging
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import procrastinate
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.db import machine_turn, writing
from app.export.pdf import PdfRenderer, PdfTooSlow
from app.export.store import DONE, FAILED, QUEUED, RUNNING, render_format
from app.i18n import gettext_, use_locale
from app.models import AuditEvent, Draft, ExportFile, Organisation, User, utcnow

if TYPE_CHECKING:
    from app.config import Settings
    from app.content import Content

logger = logging.getLogger(__name__)

QUEUE_NAME = "exports"
TASK_NAME = "render_export"


class JobTooSlow(Exception):
    """A job went past its time limit."""


@dataclass
class ExportRunner:
    """What a job needs to make an export: the database, the content, the templates and a PDF
    renderer whose child processes have the job's time and memory limits."""

    engine: Engine
    content: Content
    environment: Any
    renderer: PdfRenderer
    public_url: str = ""

    @property
    def seconds(self) -> float:
        return self.renderer.seconds

    def run(self, export_id: int) -> str:
        """Make one export; returns its job status ("" when it was not queued)."""
        if not self._claim(export_id):
            return ""
        payload = b""
        error = ""
        language = "sv"
        try:
            language, payload = self._make(export_id)
        except (PdfTooSlow, JobTooSlow) as stopped:
            logger.warning("export %s stopped: %s", export_id, stopped)
            with use_locale(language):
                error = too_slow_message()
        except LookupError:
            with use_locale(language):
                error = gettext_("The draft is no longer there.")
        except Exception:
            logger.exception("export %s failed", export_id)
            with use_locale(language):
                error = gettext_("The export failed. Nothing in the draft was changed.")
        return self._finish(export_id, payload, error)

    def _claim(self, export_id: int) -> bool:
        """Mark a queued export running, in one statement: of two workers only one gets it."""
        with machine_turn(self.engine), Session(writing(self.engine)) as session:
            result = session.exec(
                update(ExportFile)
                .where(col(ExportFile.id) == export_id, col(ExportFile.job_status) == QUEUED)
                .values(job_status=RUNNING, started_at=utcnow())
            )
            session.commit()
            return bool(result.rowcount)

    def _make(self, export_id: int) -> tuple[str, bytes]:
        """The draft built afresh from the database (the job was handed only the id), and
        the export's bytes, within the job's limits."""
        from app.drafts.build import build_document
        from app.library.organisation import library_for

        with Session(self.engine, expire_on_commit=False) as session:
            row = session.get(ExportFile, export_id)
            draft = session.get(Draft, row.draft_id) if row is not None else None
            if row is None or draft is None or draft.deleted_at is not None:
                raise LookupError(export_id)
            language = row.language
            organisation = session.get(Organisation, draft.organisation_id)
            if organisation is None:
                raise LookupError(export_id)
            with use_locale(language):
                library = library_for(session, organisation.id or 0, self.content)
                document = build_document(session, draft, organisation, library)
        output_format = row.format

        def make() -> bytes:
            with use_locale(language):
                return render_format(
                    output_format,
                    document,
                    self.content,
                    self.environment,
                    pdf=self.renderer.render,
                    public_url=self.public_url,
                )

        if output_format in ("pdf", "rfi"):
            # The PDF renders in a child process with both limits; one past either is killed.
            return language, make()
        return language, within_time(make, self.seconds)

    def _finish(self, export_id: int, payload: bytes, error: str) -> str:
        with (
            machine_turn(self.engine),
            Session(writing(self.engine), expire_on_commit=False) as session,
        ):
            row = session.get(ExportFile, export_id)
            if row is None:
                return ""
            row.finished_at = utcnow()
            if error:
                row.job_status, row.error = FAILED, error
            else:
                row.job_status = DONE
                row.content = payload
                row.sha256 = hashlib.sha256(payload).hexdigest()
                row.size = len(payload)
                draft = session.get(Draft, row.draft_id)
                session.add(
                    AuditEvent(
                        organisation_id=draft.organisation_id if draft else None,
                        draft_id=row.draft_id,
                        user_id=row.created_by_id,
                        action=f"export.{row.format}.made",
                        detail={
                            "export": row.id,
                            "sha256": row.sha256,
                            "size": row.size,
                            "revision": row.revision,
                            "version": row.version,
                        },
                    )
                )
            session.add(row)
            session.commit()
            return row.job_status


def too_slow_message() -> str:
    return gettext_(
        "The export took longer or needed more memory than the service allows, and was "
        "stopped. Nothing in the draft was changed. Try again later; if it happens again, "
        "the draft may be too large: ask your administrator."
    )


def within_time(make: Any, seconds: float) -> bytes:
    """`make()` given `seconds`: the formats made in this process (DOCX, XLSX, OCDS, JSON)
    are pure Python and cannot be killed, so one past its time is abandoned and marked
    failed, and the worker goes on."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        return bytes(pool.submit(make).result(timeout=seconds))
    except concurrent.futures.TimeoutError as error:
        raise JobTooSlow(f"took longer than {seconds:g} s") from error
    finally:
        pool.shutdown(wait=False)


# The runner the task uses: set by the web application (local pool, inline) or the worker.
_runner: ExportRunner | None = None
_runner_lock = threading.Lock()


def set_runner(runner: ExportRunner) -> None:
    global _runner
    with _runner_lock:
        _runner = runner


def current_runner() -> ExportRunner:
    if _runner is None:
        raise RuntimeError("no export runner: create_app or the worker sets one")
    return _runner


def render_export(export_id: int) -> None:
    """The one task: make export `export_id` (queued in the export_file table)."""
    current_runner().run(export_id)


def conninfo(database_url: str) -> str:
    """SQLAlchemy's URL as libpq's: postgresql+psycopg://... -> postgresql://..."""
    scheme, rest = database_url.split("://", 1)
    return "postgresql://" + rest if scheme.startswith("postgresql") else database_url


def procrastinate_app_for(database_url: str, *, sync: bool = False) -> procrastinate.App:
    """procrastinate on this database: `sync` for web processes that only defer jobs."""
    connector: Any = (
        procrastinate.SyncPsycopgConnector(conninfo=conninfo(database_url), min_size=1, max_size=2)
        if sync
        else procrastinate.PsycopgConnector(conninfo=conninfo(database_url))
    )
    app = procrastinate.App(connector=connector)
    app.task(name=TASK_NAME, queue=QUEUE_NAME)(render_export)
    return app


class ExportQueue(Protocol):
    mode: str

    def enqueue(self, export_ids: Iterable[int]) -> None: ...

    def close(self) -> None: ...


class InlineQueue:
    """Each job at once, in the thread that committed it (tests, and a single-user run)."""

    mode = "inline"

    def enqueue(self, export_ids: Iterable[int]) -> None:
        for export_id in export_ids:
            render_export(export_id)

    def close(self) -> None:
        pass


class LocalQueue:
    """A few worker threads in the web process (SQLite): the PDF still renders in a child
    process with its limits, so a job that runs away is stopped and the next one starts."""

    mode = "local"

    def __init__(self, workers: int) -> None:
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="export"
        )

    def enqueue(self, export_ids: Iterable[int]) -> None:
        for export_id in export_ids:
            self._pool.submit(_run_logged, export_id)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _run_logged(export_id: int) -> None:
    try:
        render_export(export_id)
    except Exception:  # a thread of the pool must not die silently
        logger.exception("export %s", export_id)


class ProcessQueue:
    """On SQLite: the exports of a web process are made in processes of their own beside it
    (`export_workers` of them, started on the first job), at the lowest CPU priority. Building
    a document takes a second or more of Python, and in a thread of the web process it held
    the interpreter's lock the pages need: with two exports running, the p95 of people filling
    in their drafts went up by more than half. The job hands over only the export's id; the
    process reads the draft from the database, as a procrastinate worker does."""

    mode = "local"

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _started(self) -> concurrent.futures.ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                from app.export.pdf import _CONTEXT

                self._pool = concurrent.futures.ProcessPoolExecutor(
                    max_workers=self._settings.export_workers,
                    mp_context=_CONTEXT,
                    initializer=_start_export_process,
                    initargs=(self._settings, os.getpid()),
                )
            return self._pool

    def start(self) -> None:
        """The processes started now, with the content loaded, not at the first export."""
        self._started().submit(_ready)

    def _submit(self, function: Any, *args: Any) -> concurrent.futures.Future[Any]:
        try:
            return self._started().submit(function, *args)
        except concurrent.futures.process.BrokenProcessPool:
            # A process died (killed from outside): a new pool takes this job and the next.
            with self._lock:
                self._pool = None
            return self._started().submit(function, *args)

    def enqueue(self, export_ids: Iterable[int]) -> None:
        for export_id in export_ids:
            self._submit(_run_logged, export_id).add_done_callback(_log_failure)

    def render(self, output_format: str, document: Any, public_url: str, locale: str) -> bytes:
        """A download made now and not kept (`output_format` of `document`), made in an
        export process as a kept export is: the web process only waits for its bytes. A PDF
        past its limits raises PdfTooSlow here as it would have in the web process."""
        future = self._submit(_render_now, output_format, document, public_url, locale)
        # The renderer in the export process stops a PDF at its own limit; this is the wall
        # behind it, for a process that died or jobs queued before this one.
        return bytes(future.result(timeout=self._settings.export_time_limit_seconds * 2 + 30))

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None


def _render_now(output_format: str, document: Any, public_url: str, locale: str) -> bytes:
    """Runs in an export process: one format of a document built by the web process."""
    runner = current_runner()
    with use_locale(locale):
        return render_format(
            output_format,
            document,
            runner.content,
            runner.environment,
            pdf=runner.renderer.render,
            public_url=public_url,
        )


def _start_export_process(settings: Settings, web_process: int) -> None:
    """What an export process holds for all its jobs: its own engine, the content, the
    templates and a PDF renderer, at the lowest CPU priority. It ends with its web process,
    however that ends (a worker killed by its supervisor leaves no export process behind)."""
    from app.content import load_content
    from app.db import make_engine
    from app.export.pdf import lower_priority
    from app.templating import make_environment

    lower_priority()
    threading.Thread(
        target=_end_with, args=(web_process,), name="export-watch", daemon=True
    ).start()
    engine = make_engine(settings.database_url, pool_size=2)
    content = load_content(settings.wizard_steps_dir, settings.library_dir)
    environment = make_environment(settings.templates_dir, strict=False, auto_reload=False)
    set_runner(make_runner(settings, engine, content, environment))


# How often an export process looks whether its web process is still there.
WATCH_SECONDS = 0.5


def _end_with(web_process: int) -> None:
    while True:
        time.sleep(WATCH_SECONDS)
        try:
            os.kill(web_process, 0)
        except (ProcessLookupError, PermissionError):
            # Gone (or its number went to another user's process). What this process was
            # making is left running; the next start queues it again.
            os._exit(0)


def _ready() -> bool:
    return _runner is not None


def _log_failure(future: concurrent.futures.Future[Any]) -> None:
    error = None if future.cancelled() else future.exception()
    if error is not None:
        logger.error("export process: %r", error)


class ProcrastinateQueue:
    """Jobs deferred to procrastinate in PostgreSQL; `worker` processes run them."""

    mode = "procrastinate"

    def __init__(self, database_url: str) -> None:
        self.app = procrastinate_app_for(database_url, sync=True)
        self._opened = False
        self._lock = threading.Lock()

    def enqueue(self, export_ids: Iterable[int]) -> None:
        with self._lock:
            if not self._opened:
                self.app.open()
                self._opened = True
        task = self.app.configure_task(TASK_NAME, queue=QUEUE_NAME)
        for export_id in export_ids:
            task.defer(export_id=export_id)

    def close(self) -> None:
        with self._lock:
            if self._opened:
                self.app.close()
                self._opened = False


def make_queue(settings: Settings) -> ExportQueue:
    if settings.export_queue == "procrastinate":
        return ProcrastinateQueue(settings.database_url)
    if settings.export_queue == "inline":
        return InlineQueue()
    if settings.pdf_slot_files is None:
        # An in-memory database is this process's alone: its exports are made here.
        return LocalQueue(settings.export_workers)
    return ProcessQueue(settings)


def make_runner(
    settings: Settings, engine: Engine, content: Content, environment: Any
) -> ExportRunner:
    return ExportRunner(
        engine=engine,
        content=content,
        environment=environment,
        renderer=PdfRenderer(
            settings.export_workers,
            seconds=settings.export_time_limit_seconds,
            memory_mb=settings.export_memory_mb,
            slot_files=settings.pdf_slot_files,
        ),
        public_url=settings.public_url,
    )


def unfinished(engine: Engine, seconds: float) -> list[int]:
    """Exports a stopped process left (local pool): the queued ones, and those running for
    longer than a job may, whose process died; queued again. Another process of the same
    machine may take one first: the claim lets only one make it."""
    from datetime import timedelta

    stale = utcnow() - timedelta(seconds=seconds)
    with Session(writing(engine)) as session:
        session.exec(
            update(ExportFile)
            .where(col(ExportFile.job_status) == RUNNING, col(ExportFile.started_at) < stale)
            .values(job_status=QUEUED, started_at=None)
        )
        ids = [
            export_id
            for export_id in session.exec(
                select(ExportFile.id).where(ExportFile.job_status == QUEUED)
            )
            if export_id is not None
        ]
        session.commit()
        return ids


async def run_worker_until_idle(database_url: str, **options: Any) -> None:
    """Run the jobs waiting now, then return (tests, `worker --once`, make bench)."""
    app = procrastinate_app_for(database_url)
    async with app.open_async():
        await app.run_worker_async(
            queues=[QUEUE_NAME],
            wait=False,
            install_signal_handlers=False,
            listen_notify=False,
            **options,
        )


__all__ = ["ExportRunner", "User", "make_queue", "make_runner", "render_export"]
