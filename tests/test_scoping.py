"""A draft of another organisation answers 404 on every URL, pages and API alike; a role that
may only read gets 403 on every route that changes a draft."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.content import Content
from app.drafts.build import build_document
from app.models import Comment, DraftRequirement, ExportFile, Need, Role, User
from app.review.revisions import make_revision
from tests.conftest import login, page_csrf
from tests.factories import make_api_token, make_draft, make_organisation, make_user

GET_PATHS = [
    "/drafts/{id}",
    "/drafts/{id}/steps/basics",
    "/drafts/{id}/steps/needs",
    "/drafts/{id}/requirements",
    "/drafts/{id}/export",
    "/drafts/{id}/export.pdf",
    "/drafts/{id}/export-rfi.pdf",
    "/drafts/{id}/export.json",
    "/drafts/{id}/answers.yaml",
]
POST_PATHS = [
    "/drafts/{id}/steps/basics",
    "/drafts/{id}/answers/title",
    "/drafts/{id}/groups/needs/rows",
    "/drafts/{id}/groups/needs/rows/1",
    "/drafts/{id}/groups/needs/rows/1/delete",
    "/drafts/{id}/groups/needs/rows/1/confirm",
    "/drafts/{id}/copy",
    "/drafts/{id}/requirements/refresh",
    "/drafts/{id}/requirements/1/status",
]


@pytest.fixture()
def foreign_draft_id(session: Session, content: Content) -> int:
    other = make_organisation(session, "Annan kommun")
    owner = make_user(session, "annan@annan.se", other)
    draft = make_draft(session, other, owner, "Hemlig upphandling", content, filled=True)
    make_user(session, "ulla@demo.se", make_organisation(session, "Demo kommun"))
    return draft.id or 0


def test_other_organisations_draft_is_404_on_every_page(
    client: TestClient, foreign_draft_id: int
) -> None:
    login(client, "ulla@demo.se")
    for path in GET_PATHS:
        response = client.get(path.format(id=foreign_draft_id))
        assert response.status_code == 404, path
        assert "Hemlig upphandling" not in response.text
    token = page_csrf(client)
    for path in POST_PATHS:
        response = client.post(
            path.format(id=foreign_draft_id), data={"csrf_token": token, "status": "accepted"}
        )
        assert response.status_code == 404, path


def test_other_organisations_draft_is_404_in_the_api(
    client: TestClient, session: Session, foreign_draft_id: int
) -> None:
    from sqlmodel import select

    from app.models import User

    user = session.exec(select(User).where(User.email == "ulla@demo.se")).one()
    headers = {"Authorization": f"Bearer {make_api_token(session, user)}"}
    for path in (
        "/api/v1/drafts/{id}",
        "/api/v1/drafts/{id}/requirements",
        "/api/v1/drafts/{id}/tender.pdf",
        "/api/v1/drafts/{id}/rfi.pdf",
    ):
        assert client.get(path.format(id=foreign_draft_id), headers=headers).status_code == 404
    response = client.put(
        f"/api/v1/drafts/{foreign_draft_id}/answers",
        json={"answers": {"title": "x"}},
        headers=headers,
    )
    assert response.status_code == 404
    listed = client.get("/api/v1/drafts", headers=headers).json()
    assert all(item["id"] != foreign_draft_id for item in listed)


# What a viewer may do with a draft of their organisation: read it. Every other draft route
# changes the draft and must answer 403. A new route is classified here, or the walk fails.
READ_ROUTES = {
    ("GET", "/drafts/{draft_id}"),
    ("GET", "/drafts/{draft_id}/steps/{step_id}"),
    ("GET", "/drafts/{draft_id}/answers/{question_id}"),
    ("GET", "/drafts/{draft_id}/requirements"),
    ("GET", "/drafts/{draft_id}/export"),
    ("GET", "/drafts/{draft_id}/export.pdf"),
    ("GET", "/drafts/{draft_id}/export-rfi.pdf"),
    ("GET", "/drafts/{draft_id}/export.json"),
    ("GET", "/drafts/{draft_id}/answers.yaml"),
    ("GET", "/drafts/{draft_id}/export.docx"),
    ("GET", "/drafts/{draft_id}/export.xlsx"),
    ("GET", "/drafts/{draft_id}/export-ocds.json"),
    # Exporting and keeping a file changes nothing in the draft: whoever may download it may.
    ("POST", "/drafts/{draft_id}/exports"),
    ("GET", "/drafts/{draft_id}/exports"),
    ("GET", "/drafts/{draft_id}/exports/{export_id}/file"),
    ("POST", "/api/v1/drafts/{draft_id}/exports"),
    ("POST", "/drafts/{draft_id}/check"),
    ("GET", "/api/v1/drafts/{draft_id}"),
    ("GET", "/api/v1/drafts/{draft_id}/requirements"),
    ("GET", "/api/v1/drafts/{draft_id}/tender.pdf"),
    ("GET", "/api/v1/drafts/{draft_id}/rfi.pdf"),
    ("GET", "/drafts/{draft_id}/comments"),
    ("GET", "/drafts/{draft_id}/review"),
    ("GET", "/drafts/{draft_id}/revisions/{a}/diff/{b}"),
    ("GET", "/drafts/{draft_id}/revisions/compare"),
    ("GET", "/api/v1/drafts/{draft_id}/comments"),
    ("GET", "/api/v1/drafts/{draft_id}/revisions"),
    ("GET", "/api/v1/drafts/{draft_id}/revisions/{a}/diff/{b}"),
}


# Only an owner sees the bin: to anyone else a draft there is no draft at all.
OWNER_ONLY_ROUTES = {("POST", "/bin/{draft_id}/restore")}


def draft_routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every route of the app that takes a draft id."""
    found = []
    for included in app.routes:
        router = getattr(included, "original_router", None)
        for route in getattr(router, "routes", [included]):
            if isinstance(route, APIRoute) and "{draft_id}" in route.path:
                found += [(method, route.path) for method in sorted(route.methods)]
    return found


@pytest.fixture()
def organisation_a_draft(session: Session, content: Content) -> dict[str, object]:
    organisation = make_organisation(session, "Demo kommun")
    owner = make_user(session, "ulla@demo.se", organisation)
    make_user(session, "lasare@demo.se", organisation, Role.viewer)
    make_user(session, "annan@annan.se", make_organisation(session, "Annan kommun"))
    draft = make_draft(session, organisation, owner, "Hemlig upphandling", content, filled=True)
    need = session.exec(select(Need).where(Need.draft_id == draft.id)).first()
    requirement = session.exec(
        select(DraftRequirement).where(DraftRequirement.draft_id == draft.id)
    ).first()
    assert need is not None and requirement is not None
    comment = Comment(draft_id=draft.id or 0, author_id=owner.id, body="Läs igen.")
    session.add(comment)
    document = build_document(session, draft, organisation, content.library)
    for _ in range(2):
        make_revision(session, draft, owner, document, "submitted")
    stored = ExportFile(
        organisation_id=organisation.id or 0,
        draft_id=draft.id or 0,
        format="json",
        source_sha256="0" * 64,
        status="done",
        content=b"{}",
        size=2,
    )
    session.add(stored)
    session.commit()
    return {
        "comment_id": comment.id,
        "export_id": stored.id,
        "a": 1,
        "b": 2,
        "draft_id": draft.id,
        "step_id": "basics",
        "question_id": "title",
        "group_id": "needs",
        "row_id": need.id,
        "requirement_id": requirement.id,
        "number": 2,
        "status": "accepted",
    }


def _call(
    client: TestClient, method: str, path: str, values: dict[str, object], headers: dict[str, str]
) -> int:
    names = re.findall(r"{(\w+)}", path)
    missing = [name for name in names if name not in values]
    assert not missing, f"{path}: the route walk has no value for {missing}"
    url = path.format(**values)
    if path.startswith("/api/"):
        body: dict[str, object] = {"answers": {}}
        if path.endswith("/comments"):
            body = {"target": {"kind": "draft"}, "body": "En kommentar."}
        elif path.endswith("/status"):
            body = {"action": "submit"}
        elif path.endswith("/verdict"):
            body = {"verdict": "approve"}
        elif path.endswith("/exports"):
            body = {"format": "json"}
        return client.request(method, url, headers=headers, json=body).status_code
    return client.request(
        method,
        url,
        headers=headers,
        data={
            "csrf_token": headers["X-CSRF-Token"],
            "status": "accepted",
            "text": "x",
            "format": "json",
        },
    ).status_code


def _as(client: TestClient, session: Session, email: str) -> dict[str, str]:
    client.cookies.clear()
    login(client, email)
    user = session.exec(select(User).where(User.email == email)).one()
    return {"X-CSRF-Token": page_csrf(client), "Authorization-Token": make_api_token(session, user)}


def _headers(path: str, identity: dict[str, str]) -> dict[str, str]:
    if path.startswith("/api/"):
        return {"Authorization": f"Bearer {identity['Authorization-Token']}"}
    return {"X-CSRF-Token": identity["X-CSRF-Token"]}


def test_every_draft_route_answers_404_to_another_organisation_and_403_to_a_reader(
    app: FastAPI, client: TestClient, session: Session, organisation_a_draft: dict[str, object]
) -> None:
    routes = draft_routes(app)
    assert len(routes) >= 25
    unknown_reads = READ_ROUTES - set(routes)
    assert not unknown_reads, f"READ_ROUTES names routes that do not exist: {unknown_reads}"

    outsider = _as(client, session, "annan@annan.se")
    for method, path in routes:
        status = _call(client, method, path, organisation_a_draft, _headers(path, outsider))
        assert status == 404, (method, path, status)

    reader = _as(client, session, "lasare@demo.se")
    for method, path in routes:
        status = _call(client, method, path, organisation_a_draft, _headers(path, reader))
        if (method, path) in READ_ROUTES:
            assert status not in (401, 403, 404), (method, path, status)
        elif (method, path) in OWNER_ONLY_ROUTES:
            assert status == 404, (method, path, status)
        else:
            assert status == 403, (method, path, status)
