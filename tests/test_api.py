"""The JSON API: drafts, answers and requirements, with OpenAPI and no CDN for the docs."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Role
from tests.factories import make_api_token, make_organisation, make_user


def _headers(
    session: Session, role: Role = Role.owner, email: str = "api@kommun.se"
) -> dict[str, str]:
    user = make_user(session, email, make_organisation(session), role)
    return {"Authorization": f"Bearer {make_api_token(session, user)}"}


def test_create_answer_and_read_suggestions(client: TestClient, session: Session) -> None:
    headers = _headers(session)
    created = client.post("/api/v1/drafts", json={"title": "Bygglov"}, headers=headers)
    assert created.status_code == 201
    draft_id = created.json()["id"]
    version = created.json()["version"]
    answered = client.put(
        f"/api/v1/drafts/{draft_id}/answers",
        json={
            "answers": {"area": "it", "object_type": "tjanst", "estimated_value": "1 200 000"},
            "version": version,
        },
        headers=headers,
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["answers"]["estimated_value"] == 1200000
    stale = client.put(
        f"/api/v1/drafts/{draft_id}/answers",
        json={"answers": {"area": "food"}, "version": version},
        headers=headers,
    )
    assert stale.status_code == 409
    requirements = client.get(f"/api/v1/drafts/{draft_id}/requirements", headers=headers)
    assert requirements.status_code == 200 and requirements.json()
    draft = client.get(f"/api/v1/drafts/{draft_id}", headers=headers).json()
    assert draft["answers"]["area"] == "it" and draft["requirements"]
    assert [item["id"] for item in client.get("/api/v1/drafts", headers=headers).json()] == [
        draft_id
    ]


def test_invalid_answers_are_refused_with_a_message_per_question(
    client: TestClient, session: Session
) -> None:
    headers = _headers(session)
    created = client.post("/api/v1/drafts", json={"title": "X"}, headers=headers).json()
    response = client.put(
        f"/api/v1/drafts/{created['id']}/answers",
        json={
            "answers": {"estimated_value": "mycket", "nonsense": 1},
            "version": created["version"],
        },
        headers=headers,
    )
    assert response.status_code == 422
    errors = response.json()["detail"]["errors"]
    assert set(errors) == {"estimated_value", "nonsense"}


def test_viewer_can_read_but_not_write(client: TestClient, session: Session) -> None:
    owner_headers = _headers(session)
    draft_id = client.post("/api/v1/drafts", json={"title": "X"}, headers=owner_headers).json()[
        "id"
    ]
    from sqlmodel import select

    from app.models import Membership, User

    owner = session.exec(select(User).where(User.email == "api@kommun.se")).one()
    organisation_id = (
        session.exec(select(Membership).where(Membership.user_id == owner.id)).one().organisation_id
    )
    viewer = make_user(session, "las@kommun.se")
    session.add(
        Membership(user_id=viewer.id or 0, organisation_id=organisation_id, role=Role.viewer)
    )
    session.commit()
    headers = {"Authorization": f"Bearer {make_api_token(session, viewer)}"}
    assert client.get(f"/api/v1/drafts/{draft_id}", headers=headers).status_code == 200
    response = client.put(
        f"/api/v1/drafts/{draft_id}/answers", json={"answers": {"area": "it"}}, headers=headers
    )
    assert response.status_code == 403


def test_unauthenticated_api_gets_401(client: TestClient) -> None:
    assert client.get("/api/v1/drafts").status_code == 401


def test_openapi_and_docs_are_served_without_a_cdn(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/v1/drafts" in spec["paths"]
    docs = client.get("/docs").text
    assert "cdn" not in docs.lower() and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/redoc").status_code == 404


def test_healthz_checks_the_database(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_a_save_must_say_which_version_it_was_made_on(client: TestClient, session: Session) -> None:
    headers = _headers(session)
    created = client.post("/api/v1/drafts", json={"title": "X"}, headers=headers).json()
    url = f"/api/v1/drafts/{created['id']}/answers"
    for body in ({"answers": {"problem": "x"}}, {"answers": {"problem": "x"}, "version": False}):
        response = client.put(url, json=body, headers=headers)
        assert response.status_code == 422, body
    saved = client.put(
        url, json={"answers": {"problem": "x"}, "version": created["version"]}, headers=headers
    )
    assert saved.status_code == 200 and saved.json()["version"] == created["version"] + 1


def test_api_answers_are_not_cached_and_carry_their_time_zone(
    client: TestClient, session: Session
) -> None:
    headers = _headers(session)
    created = client.post("/api/v1/drafts", json={"title": "Tid"}, headers=headers)
    listed = client.get("/api/v1/drafts", headers=headers)
    draft = client.get(f"/api/v1/drafts/{created.json()['id']}", headers=headers)
    for response in (created, listed, draft):
        assert response.headers["cache-control"] == "no-store"
    assert listed.json()[0]["updated_at"].endswith(("+00:00", "Z"))
    assert draft.json()["created_at"].endswith(("+00:00", "Z"))


def test_every_api_error_has_one_shape_and_is_described(
    client: TestClient, session: Session
) -> None:
    headers = _headers(session)
    missing = client.get("/api/v1/drafts/999", headers=headers).json()
    anonymous = client.get("/api/v1/drafts").json()
    invalid = client.post("/api/v1/drafts", json={"title": ""}, headers=headers).json()
    for body in (missing, anonymous, invalid):
        assert set(body) == {"detail"} and set(body["detail"]) == {"message", "errors"}
        assert body["detail"]["message"]
    assert "title" in invalid["detail"]["errors"]
    put = client.get("/openapi.json").json()["paths"]["/api/v1/drafts/{draft_id}/answers"]["put"]
    assert {"401", "403", "404", "409", "413", "422"} <= set(put["responses"])
