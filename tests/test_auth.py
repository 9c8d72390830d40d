"""Login, sessions, CSRF and API tokens."""

from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts import SESSION_COOKIE
from app.models import Role
from tests.conftest import csrf_from, login, page_csrf
from tests.factories import make_api_token, make_organisation, make_user


def test_login_lands_on_dashboard_naming_the_organisation(
    client: TestClient, session: Session
) -> None:
    organisation = make_organisation(session, "Exempelstads kommun")
    make_user(session, "ulla@exempel.se", organisation)
    login(client, "ulla@exempel.se")
    page = BeautifulSoup(client.get("/").text, "html.parser")
    assert "Exempelstads kommun" in page.get_text()
    assert page.find("h1").get_text(strip=True) == "Dina utkast"


def test_wrong_password_shows_error_next_to_field_in_swedish(
    client: TestClient, session: Session
) -> None:
    make_user(session, "ulla@exempel.se", make_organisation(session))
    token = page_csrf(client, "/login")
    response = client.post(
        "/login", data={"email": "ulla@exempel.se", "password": "fel", "csrf_token": token}
    )
    assert response.status_code == 400
    page = BeautifulSoup(response.text, "html.parser")
    error = page.find(id="email-error")
    assert error is not None and "lösenordet" in error.get_text()
    assert page.find(class_="error-summary").find("a")["href"] == "#email"
    assert page.find(id="email")["value"] == "ulla@exempel.se"


def test_session_cookie_is_httponly_lax_and_rotated_at_login(
    client: TestClient, session: Session
) -> None:
    make_user(session, "ulla@exempel.se", make_organisation(session))
    client.cookies.set(SESSION_COOKIE, "planted-by-an-attacker")
    token = page_csrf(client, "/login")
    response = client.post(
        "/login",
        data={"email": "ulla@exempel.se", "password": "correct-horse-battery", "csrf_token": token},
        follow_redirects=False,
    )
    set_cookie = next(
        value
        for name, value in response.headers.multi_items()
        if name == "set-cookie" and value.startswith(SESSION_COOKIE)
    )
    assert "HttpOnly" in set_cookie and "SameSite=lax" in set_cookie
    assert "planted-by-an-attacker" not in set_cookie


def test_logout_ends_the_session(client: TestClient, session: Session) -> None:
    make_user(session, "ulla@exempel.se", make_organisation(session))
    login(client, "ulla@exempel.se")
    stolen = client.cookies.get(SESSION_COOKIE)
    client.post("/logout", data={"csrf_token": page_csrf(client)})
    client.cookies.set(SESSION_COOKIE, stolen or "")
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_post_without_csrf_token_is_refused(client: TestClient, session: Session) -> None:
    make_user(session, "ulla@exempel.se", make_organisation(session))
    login(client, "ulla@exempel.se")
    assert client.post("/drafts", data={"title": "Utan token"}).status_code == 403
    assert client.post("/drafts", data={"title": "Fel", "csrf_token": "x" * 64}).status_code == 403
    assert client.post("/logout").status_code == 403
    token = page_csrf(client)
    created = client.post("/drafts", data={"title": "Med token"}, headers={"X-CSRF-Token": token})
    assert created.status_code == 200 and "Med token" in created.text


def test_login_form_itself_needs_the_csrf_token(client: TestClient, session: Session) -> None:
    make_user(session, "ulla@exempel.se", make_organisation(session))
    response = client.post(
        "/login", data={"email": "ulla@exempel.se", "password": "correct-horse-battery"}
    )
    assert response.status_code == 403


def test_bearer_token_needs_no_csrf_and_ignores_cookies(
    client: TestClient, session: Session
) -> None:
    user = make_user(session, "ulla@exempel.se", make_organisation(session))
    token = make_api_token(session, user)
    response = client.post(
        "/api/v1/drafts", json={"title": "Via API"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201
    assert response.json()["title"] == "Via API"
    bad = client.get("/api/v1/drafts", headers={"Authorization": "Bearer klt_wrong"})
    assert bad.status_code == 401


def test_reviewer_cannot_create_drafts_or_change_answers(
    client: TestClient, session: Session
) -> None:
    organisation = make_organisation(session)
    make_user(session, "granskare@exempel.se", organisation, Role.reviewer)
    login(client, "granskare@exempel.se")
    page = client.get("/")
    assert "Starta en ny upphandling" not in page.text
    response = client.post("/drafts", data={"title": "X", "csrf_token": csrf_from(page.text)})
    assert response.status_code == 400


def test_security_headers_on_every_page(client: TestClient) -> None:
    response = client.get("/login")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
