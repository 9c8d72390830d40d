"""One unit of work per request: a step post is saved with one commit and one new version, and
an error half-way through leaves nothing of it saved."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio.to_thread
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session, select

import app.routes.wizard as wizard_routes
from app.content import Content
from app.models import Answer, Draft
from tests.conftest import csrf_from, login
from tests.factories import make_draft, make_organisation, make_user

CHANGES = {
    "organisation_unit": "Samhällsbyggnadsförvaltningen",
    "reference_number": "SBF 2027/14",
    "contact_name": "Ulla Upphandlare",
    "contact_email": "ulla@demo.se",
    "estimated_value": "2 400 000",
}


@pytest.fixture()
def draft_url(client: TestClient, session: Session, content: Content) -> str:
    organisation = make_organisation(session, "Demo kommun")
    user = make_user(session, "ulla@demo.se", organisation)
    draft = make_draft(session, organisation, user, content=content, filled=True)
    login(client, "ulla@demo.se")
    return f"/drafts/{draft.id}"


@pytest.fixture()
def commits(app: FastAPI) -> Iterator[list[int]]:
    """The commits made on the app's database while a test runs, one entry each."""
    made: list[int] = []

    def count(_connection: object) -> None:
        made.append(1)

    event.listen(app.state.engine, "commit", count)
    yield made
    event.remove(app.state.engine, "commit", count)


def _stored(session: Session, draft_url: str) -> tuple[int, dict[str, object]]:
    session.expire_all()
    draft_id = int(draft_url.rsplit("/", 1)[1])
    draft = session.get(Draft, draft_id)
    assert draft is not None
    rows = session.exec(select(Answer).where(Answer.draft_id == draft_id)).all()
    return draft.version, {row.question_id: row.value for row in rows}


def test_a_step_post_that_changes_five_answers_commits_once_and_raises_the_version_once(
    client: TestClient, session: Session, draft_url: str, commits: list[int]
) -> None:
    token = csrf_from(client.get(f"{draft_url}/steps/basics").text)
    version_before, _answers = _stored(session, draft_url)
    commits.clear()

    response = client.post(
        f"{draft_url}/steps/basics", data={"csrf_token": token, **CHANGES}, follow_redirects=False
    )

    assert response.status_code == 303, response.text[:2000]
    assert len(commits) == 1
    version_after, answers = _stored(session, draft_url)
    assert version_after == version_before + 1
    assert answers["organisation_unit"] == CHANGES["organisation_unit"]
    assert answers["contact_email"] == CHANGES["contact_email"]
    assert answers["estimated_value"] == 2_400_000


def test_an_error_half_way_through_a_step_post_leaves_nothing_saved(
    app: FastAPI,
    draft_url: str,
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Not entered as a context: leaving it would dispose of the test's in-memory database.
    client = TestClient(app, raise_server_exceptions=False)
    login(client, "ulla@demo.se")
    token = csrf_from(client.get(f"{draft_url}/steps/basics").text)
    version_before, answers_before = _stored(session, draft_url)
    saved = wizard_routes.save_answer
    calls: list[str] = []

    def fails_on_the_third(*args: object, **kwargs: object) -> object:
        calls.append(str(args[3]))
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return saved(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(wizard_routes, "save_answer", fails_on_the_third)

    response = client.post(f"{draft_url}/steps/basics", data={"csrf_token": token, **CHANGES})

    assert response.status_code == 500
    assert len(calls) == 3  # two answers were saved in the session before the error
    version_after, answers_after = _stored(session, draft_url)
    assert version_after == version_before
    assert answers_after == answers_before
    for question_id in calls:
        assert answers_after.get(question_id) != CHANGES[question_id]


def test_a_title_saved_by_autosave_and_read_back_in_the_same_request_is_committed(
    client: TestClient, session: Session, draft_url: str
) -> None:
    """What a handler changes is committed after it returns, before the answer is sent: the
    next request sees it."""
    token = csrf_from(client.get(f"{draft_url}/steps/basics").text)
    response = client.post(
        f"{draft_url}/answers/title",
        data={"title": "Bygglov i mobilen"},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Bygglov i mobilen" in client.get(draft_url).text
    session.expire_all()
    assert session.exec(select(Draft)).one().title == "Bygglov i mobilen"


def test_on_sqlite_pages_are_read_on_the_event_loop_and_an_autosave_commits_there(
    client: TestClient,
    draft_url: str,
    session: Session,
    commits: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A step page and Krav take no trip to a worker thread on SQLite (a read there waits for
    nothing), and an autosave two (its locked lookup and its handler), its commit none; what
    the pages show and what the autosave saves is the same as through the threads."""
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("PostgreSQL keeps every database call in the worker threads")
    token = csrf_from(client.get(f"{draft_url}/steps/basics").text)
    trips: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def counted(function: Any, *args: Any, **kwargs: Any) -> Any:
        trips.append(getattr(function, "__name__", repr(function)))
        return await run_sync(function, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)

    step = client.get(f"{draft_url}/steps/basics")
    krav = client.get(f"{draft_url}/requirements")
    assert step.status_code == 200 and 'name="organisation_unit"' in step.text
    assert krav.status_code == 200 and "<h1" in krav.text
    assert trips == []

    commits.clear()
    saved = client.post(
        f"{draft_url}/answers/organisation_unit",
        data={"organisation_unit": "Kulturförvaltningen"},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert saved.status_code == 200
    assert len(trips) == 2, trips
    assert len(commits) == 1
    _version, answers = _stored(session, draft_url)
    assert answers["organisation_unit"] == "Kulturförvaltningen"
