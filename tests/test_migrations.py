"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import os
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app.db import include_name, make_engine, run_migrations


def test_migrations_match_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    run_migrations(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"include_name": include_name}),
            SQLModel.metadata,
        )
    engine.dispose()
    assert differences == []


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
    engine.dispose()


def test_postgresql_migrates_when_configured() -> None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return
    from sqlalchemy import create_engine, text

    admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS kravlotsen_migration_test"))
        connection.execute(text("CREATE DATABASE kravlotsen_migration_test"))
    target = url.rsplit("/", 1)[0] + "/kravlotsen_migration_test"
    run_migrations(target)
    engine = make_engine(target)
    with engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"include_name": include_name}),
            SQLModel.metadata,
        )
        # procrastinate's queue is there, applied by migration 0008.
        jobs = connection.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar()
    engine.dispose()
    assert jobs is not None
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE kravlotsen_migration_test"))
    admin.dispose()
    assert differences == []
