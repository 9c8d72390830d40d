"""Bounded work: no request body past the limit whoever sends it, no YAML that expands, no text
longer than its field allows (with the error next to it and what was typed kept)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.content import Content
from app.data import limits
from app.data.files import DataFileError, parse_yaml_text
from app.middleware import MAX_BODY_BYTES
from app.models import DraftRequirement, Organisation, OrganisationTemplate
from tests.conftest import csrf_from, login
from tests.factories import make_api_token, make_draft, make_organisation, make_user

# A few hundred bytes that expand to nine to the fifth power of lists when aliases are followed.
ALIAS_BOMB = (
    "format: kravlotsen-answers/1\ntitle: Bomb\n"
    'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "answers: {x: [*e,*e,*e,*e,*e,*e,*e,*e,*e]}\n"
)


@pytest.fixture()
def officer(client: TestClient, session: Session) -> TestClient:
    make_user(session, "ulla@demo.se", make_organisation(session, "Demo kommun"))
    return login(client, "ulla@demo.se")


def test_a_body_over_the_limit_is_refused_with_any_authorization_header(
    client: TestClient, session: Session
) -> None:
    too_big = b"{" + b" " * (MAX_BODY_BYTES + 10) + b"}"
    for headers in (
        {"Authorization": "Bearer made-up", "Content-Type": "application/json"},
        {"Content-Type": "application/json"},
    ):
        response = client.post("/api/v1/drafts", content=too_big, headers=headers)
        assert response.status_code == 413
        assert response.json()["detail"]


def test_a_streamed_body_over_the_limit_is_refused(client: TestClient) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(11):
            yield b" " * (1024 * 1024)

    response = client.post(
        "/api/v1/drafts",
        content=chunks(),
        headers={"Authorization": "Bearer made-up", "Content-Type": "application/json"},
    )
    assert response.status_code == 413


def test_yaml_with_aliases_is_refused_at_once() -> None:
    with pytest.raises(DataFileError) as caught:
        parse_yaml_text(ALIAS_BOMB, "bomb.yaml")
    assert "anchor" in str(caught.value) and "bomb.yaml" in str(caught.value)


def test_yaml_nested_without_end_is_refused() -> None:
    with pytest.raises(DataFileError) as caught:
        parse_yaml_text("a: " + "[" * 200 + "]" * 200, "deep.yaml")
    assert "levels deep" in str(caught.value)


def test_an_answers_file_bomb_is_refused_next_to_the_file_field(officer: TestClient) -> None:
    response = officer.post(
        "/drafts/import",
        data={"csrf_token": csrf_from(officer.get("/").text)},
        files={"answers_file": ("bomb.yaml", ALIAS_BOMB.encode(), "application/yaml")},
    )
    assert response.status_code == 400
    assert "bomb.yaml" in response.text and "alias" in response.text


def test_an_organisation_template_bomb_stores_nothing(
    officer: TestClient, session: Session
) -> None:
    organisation = make_organisation(session, "Bombkommun")
    make_user(session, "agare@bomb.se", organisation)
    officer.cookies.clear()
    login(officer, "agare@bomb.se")
    url = f"/organisations/{organisation.id}/templates"
    bomb = ALIAS_BOMB.replace("format: kravlotsen-answers/1\ntitle: Bomb\n", "area: it\n")
    response = officer.post(
        f"{url}/import",
        data={"csrf_token": csrf_from(officer.get(url).text)},
        files={"templates_file": ("egna.yaml", bomb.encode(), "application/yaml")},
    )
    assert response.status_code == 400
    assert session.exec(select(OrganisationTemplate)).first() is None


def test_a_requirement_text_over_its_limit_is_shown_next_to_the_field_and_kept(
    officer: TestClient, session: Session, content: Content
) -> None:
    organisation = session.exec(select(Organisation)).one()
    draft = make_draft(session, organisation, None)
    long_text = "Systemet ska " + "mycket " * 1000
    page = officer.get(f"/drafts/{draft.id}/requirements/new")
    response = officer.post(
        f"/drafts/{draft.id}/requirements/new",
        data={
            "csrf_token": csrf_from(page.text),
            "title": "Svarstid",
            "text": long_text,
            "obligation": "ska",
            "kind": "function",
            "type": "teknisk_specifikation",
            "level": "bas",
        },
    )
    assert response.status_code == 400
    form = BeautifulSoup(response.text, "html.parser")
    assert str(limits.TEXT) in form.find(id="text-error").get_text()
    assert form.find(id="text").get_text() == long_text.strip()
    assert session.exec(select(DraftRequirement)).first() is None


def test_an_answer_over_its_limit_is_refused_by_the_api(
    client: TestClient, session: Session
) -> None:
    user = make_user(session, "api@kommun.se", make_organisation(session))
    headers = {"Authorization": f"Bearer {make_api_token(session, user)}"}
    created = client.post("/api/v1/drafts", json={"title": "Gräns"}, headers=headers).json()
    response = client.put(
        f"/api/v1/drafts/{created['id']}/answers",
        json={"answers": {"problem": "x" * (limits.TEXT + 1)}, "version": created["version"]},
        headers=headers,
    )
    assert response.status_code == 422
    assert "problem" in response.json()["detail"]["errors"]


class _HeldApp:
    """An ASGI app that counts the requests reaching it and holds those `holds` picks until
    `release` is set."""

    def __init__(self, holds: Callable[[str], bool]) -> None:
        import anyio

        self.holds = holds
        self.release = anyio.Event()
        self.started = 0

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        self.started += 1
        if self.holds(scope["path"]):
            await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"klart"})


def test_requests_past_the_limit_in_flight_are_answered_503_at_once() -> None:
    import anyio
    import httpx

    from app.middleware import AdmissionMiddleware

    slow_app = _HeldApp(holds=lambda path: True)
    release = slow_app.release
    app = AdmissionMiddleware(slow_app, limit=2)

    async def scenario() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        statuses: list[int] = []
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:

            async def get(path: str) -> None:
                statuses.append((await client.get(path)).status_code)

            async with anyio.create_task_group() as group:
                group.start_soon(get, "/drafts/1")
                group.start_soon(get, "/drafts/2")
                while slow_app.started < 2:
                    await anyio.sleep(0.01)
                refused = await client.get("/api/v1/drafts")
                assert refused.headers["retry-after"] == "1"
                assert refused.json()["detail"]["message"]
                statuses.append(refused.status_code)
                release.set()
        return statuses

    statuses = anyio.run(scenario)
    assert sorted(statuses) == [200, 200, 503]
    assert slow_app.started == 2  # the refused request never reached the app


def test_a_request_past_the_limit_waits_for_a_place_and_past_its_wait_is_refused() -> None:
    import anyio
    import httpx

    from app.middleware import AdmissionMiddleware

    slow_app = _HeldApp(holds=lambda path: path == "/slow")
    release = slow_app.release
    middleware = AdmissionMiddleware(slow_app, limit=1, wait_seconds=0.3)

    async def scenario() -> list[int]:
        transport = httpx.ASGITransport(app=middleware)
        statuses: list[int] = []
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:

            async def get(path: str) -> None:
                statuses.append((await client.get(path)).status_code)

            async with anyio.create_task_group() as group:
                group.start_soon(get, "/slow")
                while slow_app.started < 1:
                    await anyio.sleep(0.01)
                # Waits past its time: refused, never reaching the app.
                statuses.append((await client.get("/drafts/1")).status_code)
                assert slow_app.started == 1
                # Waits, and is let in when the slow one ends.
                group.start_soon(get, "/drafts/2")
                await anyio.sleep(0.05)
                release.set()
        return statuses

    statuses = anyio.run(scenario)
    assert sorted(statuses) == [200, 200, 503]
    assert slow_app.started == 2
    assert middleware.in_flight == 0 and not middleware._waiting
