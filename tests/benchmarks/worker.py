"""`make bench`: what one procrastinate worker handles on PostgreSQL. The largest example's
draft gets PDF and answer-matrix jobs queued (each for another version of the draft, so none is
served from the store), and one worker (EXPORT_WORKERS jobs at once) runs until the queue is
empty: jobs a minute, and each format's time from queued to done. Left out without PostgreSQL
(KRAVLOTSEN_BENCH_PG_WORKER names the database, dropped and made afresh)."""

from __future__ import annotations

import asyncio
import os
import statistics
import time

from sqlmodel import Session

from app.config import Settings
from app.content import Content
from app.data.files import load_model
from app.db import make_engine, run_migrations
from app.drafts.answers_file import AnswersFile, import_answers_file
from app.models import Draft, ExportFile, Membership, Organisation, Role, User
from app.templating import make_environment

PG_URL = os.environ.get(
    "KRAVLOTSEN_BENCH_PG_WORKER", "postgresql+psycopg://postgres@127.0.0.1:5432/kl_bench_worker"
)
JOBS_PER_FORMAT = int(os.environ.get("KRAVLOTSEN_BENCH_WORKER_JOBS", "6"))
FORMATS = ("pdf", "xlsx")


def _fresh_database() -> bool:
    try:
        import psycopg

        base = PG_URL.replace("postgresql+psycopg://", "postgresql://")
        admin, name = base.rsplit("/", 1)
        with psycopg.connect(admin + "/postgres", autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        return True
    except Exception as error:  # no PostgreSQL here: its figures are left out
        print(f"worker: PostgreSQL not used ({error})")
        return False


def bench_worker(content: Content) -> dict[str, float]:
    from app.export.jobs import ProcrastinateQueue, make_runner, run_worker_until_idle, set_runner
    from app.export.store import FORMATS as KINDS
    from tests.benchmarks.requests import largest_example

    if not _fresh_database():
        return {}
    run_migrations(PG_URL)
    settings = Settings(  # type: ignore[call-arg]
        KRAVLOTSEN_ENV="test", DATABASE_URL=PG_URL, EXPORT_QUEUE="procrastinate"
    )
    engine = make_engine(PG_URL)
    with Session(engine, expire_on_commit=False) as session:
        organisation = Organisation(name="Bänkkommun")
        user = User(email="bank@example.se", name="Bänk", password_hash="-")
        session.add_all([organisation, user])
        session.flush()
        session.add(
            Membership(user_id=user.id or 0, organisation_id=organisation.id or 0, role=Role.owner)
        )
        answers_file = load_model(AnswersFile, largest_example(content))
        draft = import_answers_file(
            session, organisation, user, answers_file, content, content.library
        )
        session.flush()
        rows = []
        for number in range(JOBS_PER_FORMAT):
            for output_format in FORMATS:
                kind = KINDS[output_format]
                rows.append(
                    ExportFile(
                        draft_id=draft.id or 0,
                        version=draft.version + number,
                        format=output_format,
                        filename="bench" + kind.suffix,
                        media_type=kind.media_type,
                        job_status="queued",
                        created_by_id=user.id,
                    )
                )
        session.add_all(rows)
        session.commit()
        ids = [row.id or 0 for row in rows]
        draft_id = draft.id
    set_runner(make_runner(settings, engine, content, make_environment(settings.templates_dir)))
    queue = ProcrastinateQueue(PG_URL)
    queue.enqueue(ids)
    queue.close()
    start = time.perf_counter()
    asyncio.run(run_worker_until_idle(PG_URL, concurrency=settings.export_workers))
    seconds = time.perf_counter() - start
    figures: dict[str, float] = {
        "worker_jobs": len(ids),
        "worker_concurrency": settings.export_workers,
        "worker_seconds": round(seconds, 1),
        "worker_jobs_per_minute": round(len(ids) / seconds * 60, 1),
    }
    with Session(engine) as session:
        done = [session.get(ExportFile, export_id) for export_id in ids]
        assert all(row is not None and row.job_status == "done" for row in done), [
            (row.job_status, row.error) for row in done if row is not None
        ]
        for output_format in FORMATS:
            made = [
                ((row.finished_at - row.started_at).total_seconds() * 1000)
                for row in done
                if row is not None and row.format == output_format
                if row.finished_at is not None and row.started_at is not None
            ]
            figures[f"worker_{output_format}_job_ms"] = round(statistics.median(made), 1)
        assert session.get(Draft, draft_id) is not None
    engine.dispose()
    return figures


def print_worker(figures: dict[str, float]) -> None:
    if not figures:
        return
    print(
        f"worker (PostgreSQL, procrastinate, {figures['worker_concurrency']:.0f} jobs at once): "
        f"{figures['worker_jobs']:.0f} export jobs in {figures['worker_seconds']} s, "
        f"{figures['worker_jobs_per_minute']} a minute; a PDF job median "
        f"{figures['worker_pdf_job_ms']:.0f} ms, an answer matrix "
        f"{figures['worker_xlsx_job_ms']:.0f} ms"
    )
