"""Accounts under attack and in daily use: throttled logins, idle logins, passwords that end
logins, API tokens that expire and are revoked, cookies and the log of refusals."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import anyio
import httpx
import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts import SESSION_COOKIE, hash_token
from app.config import Settings
from app.main import create_app
from app.models import ApiToken, Role, User, UserSession
from tests.cli import run_cli
from tests.conftest import PASSWORD, csrf_from, login, page_csrf
from tests.factories import make_api_token, make_draft, make_organisation, make_user


def _try_login(client: TestClient, email: str, password: str) -> object:
    token = page_csrf(client, "/login")
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def test_after_five_wrong_passwords_even_the_right_one_waits(
    client: TestClient, session: Session
) -> None:
    make_user(session, "ulla@exempel.se", make_organisation(session))
    for _ in range(5):
        assert _try_login(client, "ulla@exempel.se", "fel-lösenord").status_code == 400
    response = _try_login(client, "ulla@exempel.se", PASSWORD)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 60
    error = BeautifulSoup(response.text, "html.parser").find(id="email-error")
    assert error is not None and "Vänta" in error.get_text()
    assert SESSION_COOKIE not in response.cookies


def test_an_unknown_account_is_throttled_with_the_same_answer(
    client: TestClient, session: Session
) -> None:
    for _ in range(5):
        _try_login(client, "ingen@exempel.se", "gissning")
    unknown = _try_login(client, "ingen@exempel.se", "gissning")
    assert unknown.status_code == 429
    text = BeautifulSoup(unknown.text, "html.parser").find(id="email-error").get_text()
    assert "För många misslyckade inloggningar" in text


def test_one_address_guessing_many_accounts_is_throttled(
    client: TestClient, session: Session
) -> None:
    make_user(session, "sista@exempel.se", make_organisation(session))
    for number in range(5):
        _try_login(client, f"konto{number}@exempel.se", "gissning")
    assert _try_login(client, "sista@exempel.se", PASSWORD).status_code == 429


def test_a_good_login_forgives_the_accounts_earlier_failures(
    client: TestClient, session: Session
) -> None:
    make_user(session, "ulla@exempel.se", make_organisation(session))
    for _ in range(2):
        _try_login(client, "ulla@exempel.se", "fel")
    assert _try_login(client, "ulla@exempel.se", PASSWORD).status_code == 303


def test_a_login_left_idle_too_long_ends(client: TestClient, session: Session) -> None:
    make_user(session, "ulla@exempel.se", make_organisation(session))
    login(client, "ulla@exempel.se")
    assert client.get("/", follow_redirects=False).status_code == 200
    login_row = session.exec(select(UserSession)).one()
    login_row.last_seen_at = datetime.now(UTC) - timedelta(hours=3)
    session.add(login_row)
    session.commit()
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_a_login_in_use_is_not_ended_by_the_idle_timeout(
    client: TestClient, session: Session
) -> None:
    make_user(session, "ulla@exempel.se", make_organisation(session))
    login(client, "ulla@exempel.se")
    login_row = session.exec(select(UserSession)).one()
    login_row.last_seen_at = datetime.now(UTC) - timedelta(minutes=90)
    session.add(login_row)
    session.commit()
    assert client.get("/", follow_redirects=False).status_code == 200
    session.expire_all()
    seen = session.exec(select(UserSession)).one().last_seen_at
    seen = seen if seen.tzinfo else seen.replace(tzinfo=UTC)
    assert datetime.now(UTC) - seen < timedelta(minutes=1)


def test_changing_the_password_ends_the_other_logins(
    app: object, client: TestClient, session: Session
) -> None:
    make_user(session, "ulla@exempel.se", make_organisation(session))
    other = TestClient(app)  # type: ignore[arg-type]
    login(other, "ulla@exempel.se")
    login(client, "ulla@exempel.se")
    page = client.get("/account")
    response = client.post(
        "/account/password",
        data={
            "csrf_token": csrf_from(page.text),
            "current_password": PASSWORD,
            "new_password": "ett-nytt-langt-losenord",
            "repeat_password": "ett-nytt-langt-losenord",
        },
    )
    assert response.status_code == 200
    assert "Ditt lösenord är bytt" in response.text
    assert client.get("/", follow_redirects=False).status_code == 200  # this one goes on
    assert other.get("/", follow_redirects=False).status_code == 303  # the other has ended
    client.cookies.clear()
    login(client, "ulla@exempel.se", "ett-nytt-langt-losenord")


def test_a_wrong_current_password_is_shown_next_to_its_field(
    client: TestClient, session: Session
) -> None:
    make_user(session, "ulla@exempel.se", make_organisation(session))
    login(client, "ulla@exempel.se")
    response = client.post(
        "/account/password",
        data={
            "csrf_token": page_csrf(client, "/account"),
            "current_password": "fel",
            "new_password": "kort",
            "repeat_password": "kort",
        },
    )
    assert response.status_code == 400
    page = BeautifulSoup(response.text, "html.parser")
    assert page.find(id="current_password-error") is not None
    assert "minst 12 tecken" in page.find(id="new_password-error").get_text()


def test_a_disabled_account_loses_its_logins_and_tokens(
    client: TestClient, session: Session, tmp_path: object
) -> None:
    user = make_user(session, "ulla@exempel.se", make_organisation(session))
    token = make_api_token(session, user)
    login(client, "ulla@exempel.se")
    from app.accounts import disable_user

    disable_user(session, user)
    session.commit()
    assert client.get("/", follow_redirects=False).status_code == 303
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/drafts", headers=headers).status_code == 401


def test_an_expired_token_is_refused_and_the_refusal_logged(
    client: TestClient, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    user = make_user(session, "api@exempel.se", make_organisation(session))
    token = make_api_token(session, user)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/drafts", headers=headers).status_code == 200
    row = session.exec(select(ApiToken)).one()
    row.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    session.add(row)
    session.commit()
    with caplog.at_level(logging.INFO, logger="kravlotsen.security"):
        assert client.get("/api/v1/drafts", headers=headers).status_code == 401
    assert "authentication failed" in caplog.text
    assert "refused GET /api/v1/drafts: 401" in caplog.text


def test_tokens_are_listed_and_revoked_on_the_account_page(
    client: TestClient, session: Session
) -> None:
    make_user(session, "ulla@exempel.se", make_organisation(session))
    login(client, "ulla@exempel.se")
    made = client.post(
        "/account/tokens", data={"csrf_token": page_csrf(client, "/account"), "name": "Skript"}
    )
    token = BeautifulSoup(made.text, "html.parser").find("code", class_="token").get_text()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/drafts", headers=headers).status_code == 200
    page = BeautifulSoup(client.get("/account").text, "html.parser")
    assert "Skript" in page.find("table").get_text()
    form = page.find("form", action=lambda action: bool(action and action.endswith("/revoke")))
    client.post(form["action"], data={"csrf_token": csrf_from(str(page))})
    assert client.get("/api/v1/drafts", headers=headers).status_code == 401


def test_one_cannot_revoke_another_users_token(client: TestClient, session: Session) -> None:
    organisation = make_organisation(session)
    owner = make_user(session, "agare@exempel.se", organisation)
    make_api_token(session, owner)
    make_user(session, "annan@exempel.se", organisation)
    login(client, "annan@exempel.se")
    token_id = session.exec(select(ApiToken)).one().id
    response = client.post(
        f"/account/tokens/{token_id}/revoke", data={"csrf_token": page_csrf(client, "/account")}
    )
    assert response.status_code == 404
    assert session.exec(select(ApiToken)).first() is not None


def test_revoke_token_on_the_command_line(tmp_path: object) -> None:
    from pathlib import Path

    database = Path(str(tmp_path)) / "cli.db"
    env = {"DATABASE_URL": f"sqlite:///{database}", "KRAVLOTSEN_VAR_DIR": str(tmp_path)}
    assert run_cli("migrate", env=env).returncode == 0
    assert run_cli("create-org", "Kustkommunen", env=env).returncode == 0
    run_cli("create-user", "ny@kust.se", "--org", "Kustkommunen", "--password", PASSWORD, env=env)
    token = run_cli("create-token", "ny@kust.se", "--days", "7", env=env).stdout.decode()
    listed = run_cli("list-tokens", "ny@kust.se", env=env).stdout.decode()
    token_id = listed.split("\t", 1)[0]
    assert run_cli("revoke-token", "ny@kust.se", token_id, env=env).returncode == 0
    assert run_cli("list-tokens", "ny@kust.se", env=env).stdout.decode() == ""
    assert run_cli("revoke-token", "ny@kust.se", token_id, env=env).returncode == 2
    assert token.strip().splitlines()[-1].startswith("klt_")


def test_a_bearer_header_of_whitespace_does_not_let_the_cookie_save_without_csrf(
    app: object, client: TestClient, session: Session
) -> None:
    organisation = make_organisation(session)
    user = make_user(session, "ulla@exempel.se", organisation)
    draft = make_draft(session, organisation, user)
    login(client, "ulla@exempel.se")
    cookie = client.cookies.get(SESSION_COOKIE)

    async def attack() -> int:
        # The header's bytes as a browser would send them (no re-encoding on the way).
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as raw:
            response = await raw.post(
                f"/drafts/{draft.id}/answers/title",
                data={"title": "Kapad titel"},
                headers={"Authorization": b"Bearer \xa0", "HX-Request": "true"},  # type: ignore[dict-item]
                cookies={SESSION_COOKIE: cookie or ""},
            )
            return response.status_code

    assert anyio.run(attack) == 403
    session.expire_all()
    assert session.get(type(draft), draft.id).title != "Kapad titel"  # type: ignore[union-attr]


def test_every_cookie_is_secure_and_the_language_cookie_http_only_in_production(
    session: Session, engine: object, content: object, tmp_path: object
) -> None:
    make_user(session, "ulla@exempel.se", make_organisation(session), Role.owner)
    settings = Settings(  # type: ignore[call-arg]
        KRAVLOTSEN_ENV="production",
        DATABASE_URL="sqlite://",
        SECRET_KEY="x" * 40,
        KRAVLOTSEN_VAR_DIR=tmp_path,
    )
    app = create_app(settings, engine=engine, content=content)  # type: ignore[arg-type]
    client = TestClient(app, base_url="https://testserver")
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"email": "ulla@exempel.se", "password": PASSWORD, "csrf_token": csrf_from(page.text)},
        headers={"Cookie": "kravlotsen_lang="},
        follow_redirects=False,
    )
    cookies = [value for name, value in response.headers.multi_items() if name == "set-cookie"]
    cookies += [value for name, value in page.headers.multi_items() if name == "set-cookie"]
    assert cookies and all("secure" in cookie.lower() for cookie in cookies)
    switched = client.post(
        "/language",
        data={"locale": "en", "csrf_token": csrf_from(client.get("/").text)},
        follow_redirects=False,
    )
    language = switched.headers["set-cookie"].lower()
    assert "secure" in language and "httponly" in language


def test_token_hashes_are_kept_not_tokens(session: Session) -> None:
    user = make_user(session, "api@exempel.se", make_organisation(session))
    token = make_api_token(session, user)
    stored = session.exec(select(ApiToken)).one()
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    assert session.exec(select(User)).one().email == "api@exempel.se"
