"""Database engine and sessions: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import create_engine

from app.config import PROJECT_ROOT


def make_engine(database_url: str, *, echo: bool = False) -> Engine:
    """Create the engine for a database URL, with the SQLite pragmas Kravlotsen relies on."""
    if database_url.startswith("sqlite"):
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 15}}
        in_memory = database_url in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in (
            database_url
        )
        if in_memory:
            kwargs["poolclass"] = StaticPool
        else:
            path = database_url.split("sqlite:///", 1)[-1]
            if path:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(database_url, echo=echo, **kwargs)
        _install_sqlite_pragmas(engine, wal=not in_memory)
        return engine
    return create_engine(database_url, echo=echo, pool_pre_ping=True)


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
