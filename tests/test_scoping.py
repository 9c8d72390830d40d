"""A draft of another organisation answers 404 on every URL, pages and API alike."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.content import Content
from tests.conftest import login, page_csrf
from tests.factories import make_api_token, make_draft, make_organisation, make_user

GET_PATHS = [
    "/drafts/{id}",
    "/drafts/{id}/steps/basics",
    "/drafts/{id}/steps/needs",
    "/drafts/{id}/requirements",
    "/drafts/{id}/export",
    "/drafts/{id}/export.pdf",
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
    for path in ("/api/v1/drafts/{id}", "/api/v1/drafts/{id}/requirements"):
        assert client.get(path.format(id=foreign_draft_id), headers=headers).status_code == 404
    response = client.put(
        f"/api/v1/drafts/{foreign_draft_id}/answers",
        json={"answers": {"title": "x"}},
        headers=headers,
    )
    assert response.status_code == 404
    listed = client.get("/api/v1/drafts", headers=headers).json()
    assert all(item["id"] != foreign_draft_id for item in listed)
