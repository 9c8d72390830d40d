"""Test fixtures: a fresh database per test (SQLite in memory, or PostgreSQL when
TEST_DATABASE_URL is set), an app built with test settings, and logged-in clients."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

import app.models  # noqa: F401  (tables on the metadata)
from app.config import PROJECT_ROOT, Settings
from app.content import Content, load_content
from app.db import make_engine
from app.main import create_app

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
PASSWORD = "correct-horse-battery"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With TEST_DATABASE_URL the suite runs a second time for PostgreSQL: tests that touch no
    database of the suite's (the browser tests keep their own SQLite file) ran in the first."""
    if not TEST_DATABASE_URL:
        return
    skip = pytest.mark.skip(reason="touches no PostgreSQL: runs in the SQLite pass")
    for item in items:
        if item.get_closest_marker("no_database") or item.get_closest_marker("e2e"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(PROJECT_ROOT / "wizard_steps", PROJECT_ROOT / "requirement_library")


@pytest.fixture(scope="session")
def _postgres_engine() -> Iterator[Engine | None]:
    if not TEST_DATABASE_URL:
        yield None
        return
    engine = make_engine(TEST_DATABASE_URL)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    _apply_procrastinate_schema(engine)
    yield engine
    SQLModel.metadata.drop_all(engine)
    engine.dispose()


def _apply_procrastinate_schema(engine: Engine) -> None:
    """procrastinate's queue, as migration 0008 applies it, once per test database."""
    from procrastinate.schema import SchemaManager

    with engine.begin() as connection:
        there = connection.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar()
        if there is None:
            cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            cursor.execute(SchemaManager.get_schema())


@pytest.fixture()
def engine(_postgres_engine: Engine | None) -> Iterator[Engine]:
    if _postgres_engine is not None:
        tables = ", ".join(f'"{table.name}"' for table in SQLModel.metadata.sorted_tables)
        with _postgres_engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            connection.execute(text("TRUNCATE procrastinate_jobs RESTART IDENTITY CASCADE"))
        yield _postgres_engine
        return
    engine = make_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture()
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        KRAVLOTSEN_ENV="test",
        DATABASE_URL=TEST_DATABASE_URL or "sqlite://",
        KRAVLOTSEN_VAR_DIR=tmp_path,
        # On SQLite in memory (one connection) each job runs once its request has committed;
        # on PostgreSQL the web process queues in procrastinate and finish_exports runs them.
        EXPORT_QUEUE=None if TEST_DATABASE_URL else "inline",
    )


@pytest.fixture()
def app(settings: Settings, engine: Engine, content: Content) -> FastAPI:
    return create_app(settings, engine=engine, content=content)


@pytest.fixture()
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


def csrf_from(html: str) -> str:
    field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "csrf_token"})
    assert field is not None, "page has no CSRF field"
    return str(field["value"])


def login(client: TestClient, email: str, password: str = PASSWORD) -> TestClient:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def page_csrf(client: TestClient, path: str = "/") -> str:
    return csrf_from(client.get(path).text)


def finish_exports(app: FastAPI) -> None:
    """Run the export jobs waiting: procrastinate's worker until the queue is empty (on
    PostgreSQL); inline jobs are done already."""
    if app.state.export_queue.mode == "procrastinate":
        import asyncio

        from app.export.jobs import run_worker_until_idle

        asyncio.run(run_worker_until_idle(app.state.settings.database_url))


def exported_file(client: TestClient, started: object) -> object:
    """The file of an export started by the form (its 303 to the history page), once the
    job is done: the jobs run, and the row's download link is followed."""
    from httpx import Response

    assert isinstance(started, Response)
    assert started.status_code == 303, started.text[:300]
    location = started.headers["location"]
    finish_exports(client.app)  # type: ignore[arg-type]
    history = BeautifulSoup(client.get(location.split("#")[0]).text, "html.parser")
    row = history.select_one("#" + location.rsplit("#", 1)[1])
    assert row is not None and row["data-job-status"] == "done", row
    link = row.select_one("a")
    assert link is not None
    return client.get(str(link["href"]))
