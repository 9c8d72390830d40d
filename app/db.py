"""Database engine and sessions: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import create_engine

from app.config import PROJECT_ROOT

# How long a request waits for a connection before it fails: short, because with the pool as
# large as the number of requests let in at once (see app.main) nobody should wait at all.
POOL_TIMEOUT = 10
# The execution option that makes a SQLite transaction take the write lock as it begins.
WRITE_TRANSACTION = "kravlotsen_write"


def make_engine(
    database_url: str, *, echo: bool = False, pool_size: int = 10, max_overflow: int = 0
) -> Engine:
    """Create the engine for a database URL, with the SQLite pragmas Kravlotsen relies on.
    `pool_size` connections at most, each request holding one."""
    if database_url.startswith("sqlite"):
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 15}}
        in_memory = database_url in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in (
            database_url
        )
        if in_memory:
            kwargs["poolclass"] = StaticPool
        else:
            kwargs |= {"pool_size": pool_size, "max_overflow": 0, "pool_timeout": POOL_TIMEOUT}
            path = database_url.split("sqlite:///", 1)[-1]
            if path:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(database_url, echo=echo, **kwargs)
        _install_sqlite_pragmas(engine, wal=not in_memory)
        if not in_memory:
            _install_sqlite_transactions(engine)
        return engine
    return create_engine(
        database_url,
        echo=echo,
        pool_pre_ping=True,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=POOL_TIMEOUT,
    )


def writer_turn_file(engine: Engine) -> Path | None:
    """The file whose lock the writers of every web process of the machine take turns on, on
    a SQLite file (beside it); none on PostgreSQL or an in-memory database."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).with_name(Path(database).name + ".writer-turn")


@contextmanager
def machine_turn(engine: Engine) -> Iterator[None]:
    """The writers' turn of the machine (see `writer_turn_file`), waited for in this thread:
    for the writes of an export process, which are few, so that the web processes' writers
    never meet them in SQLite's busy handler. Nothing to wait for on PostgreSQL."""
    path = writer_turn_file(engine)
    if path is None:
        yield
        return
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)


def writing(engine: Engine) -> Engine:
    """The same engine, for a unit of work that writes: on SQLite its transaction takes the
    write lock at once (BEGIN IMMEDIATE), so what it reads cannot change before it writes, and
    two writers wait for each other (busy timeout) instead of failing half-way."""
    return engine.execution_options(**{WRITE_TRANSACTION: True})


def _install_sqlite_transactions(engine: Engine) -> None:
    """Transactions begun by SQLAlchemy, not guessed by the sqlite3 module, so a writer can
    ask for BEGIN IMMEDIATE (the SQLAlchemy documentation's recipe for pysqlite)."""

    @event.listens_for(engine, "connect")
    def _autocommit_driver(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(WRITE_TRANSACTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _install_sqlite_pragmas(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def include_name(name: str | None, _type: str, _parents: object) -> bool:
    """What Alembic compares with the models: not procrastinate's queue (its tables, indexes
    and types), which migration 0008 applies from procrastinate's own schema."""
    return not (name or "").startswith("procrastinate_")


def run_migrations(database_url: str) -> None:
    """Upgrade the database to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    if database_url.startswith("sqlite:///"):
        path = database_url.split("sqlite:///", 1)[1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(config, "head")
