"""Every route of the app, called by everyone who might: anonymous, a viewer, a reviewer, an
editor and an owner of organisation A, and an owner of organisation B, against a draft of A.
The expected answer is written per cell; a route the matrix does not name fails the test."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from app.config import Settings
from app.content import Content
from app.drafts.build import build_document
from app.drafts.store import move_to_bin
from app.main import create_app
from app.models import (
    ApiToken,
    Comment,
    DraftRequirement,
    ExportFile,
    Need,
    Notification,
    OrganisationTemplate,
    Role,
)
from app.review.revisions import make_revision
from tests.conftest import csrf_from, login
from tests.factories import make_api_token, make_draft, make_organisation, make_user

ROLES = ("anonymous", "viewer", "reviewer", "editor", "owner", "outsider")

# What each cell may answer. OK: let through (a page, a redirect on, a form error, a PDF
# that is blocked with 409: anything but a refusal). LOGIN: sent to log in (401 for the API).
# NO: 403. GONE: 404, the draft or organisation does not exist for that user.
OK, LOGIN, NO, GONE = "ok", "login", "403", "404"
PUBLIC = (OK,) * 6
READ = (LOGIN, OK, OK, OK, OK, GONE)
CHANGE = (LOGIN, NO, NO, OK, OK, GONE)
OWNER_ONLY = (LOGIN, NO, NO, NO, OK, GONE)
SIGNED_IN = (LOGIN, OK, OK, OK, OK, OK)
COMMENT = (LOGIN, NO, OK, OK, OK, GONE)
# A verdict is the reviewers' (in the world the draft is not in review: 409, let through).
REVIEWER_ONLY = (LOGIN, NO, OK, NO, NO, GONE)

MATRIX: dict[tuple[str, str], tuple[str, ...]] = {
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/language"): PUBLIC,
    ("GET", "/"): SIGNED_IN,
    ("GET", "/account"): SIGNED_IN,
    ("POST", "/account/password"): SIGNED_IN,
    ("POST", "/account/tokens"): SIGNED_IN,
    ("POST", "/account/tokens/{token_id}/revoke"): SIGNED_IN,
    # Creating a draft in A: only those who may change A's drafts; the others are told why.
    ("POST", "/drafts"): SIGNED_IN,
    ("POST", "/drafts/import"): SIGNED_IN,
    ("POST", "/drafts/{draft_id}/copy"): CHANGE,
    ("GET", "/bin"): SIGNED_IN,
    # The bin of A is its owner's; to anyone else a draft in it does not exist.
    ("POST", "/bin/{draft_id}/restore"): (LOGIN, GONE, GONE, GONE, OK, GONE),
    ("GET", "/drafts/{draft_id}"): READ,
    ("GET", "/drafts/{draft_id}/steps/{step_id}"): READ,
    ("POST", "/drafts/{draft_id}/steps/{step_id}"): CHANGE,
    ("GET", "/drafts/{draft_id}/answers/{question_id}"): READ,
    ("POST", "/drafts/{draft_id}/answers/{question_id}"): CHANGE,
    ("POST", "/drafts/{draft_id}/groups/{group_id}/rows"): CHANGE,
    ("POST", "/drafts/{draft_id}/groups/{group_id}/rows/{row_id}"): CHANGE,
    ("POST", "/drafts/{draft_id}/groups/{group_id}/rows/{row_id}/confirm"): CHANGE,
    ("POST", "/drafts/{draft_id}/groups/{group_id}/rows/{row_id}/delete"): CHANGE,
    ("GET", "/drafts/{draft_id}/requirements"): READ,
    ("POST", "/drafts/{draft_id}/requirements/refresh"): CHANGE,
    ("POST", "/drafts/{draft_id}/requirements/{requirement_id}/status"): CHANGE,
    ("GET", "/drafts/{draft_id}/requirements/new"): CHANGE,
    ("POST", "/drafts/{draft_id}/requirements/new"): CHANGE,
    ("GET", "/drafts/{draft_id}/requirements/{requirement_id}/edit"): CHANGE,
    ("POST", "/drafts/{draft_id}/requirements/{requirement_id}/edit"): CHANGE,
    ("POST", "/drafts/{draft_id}/requirements/{requirement_id}/update"): CHANGE,
    ("POST", "/drafts/{draft_id}/requirements/add"): CHANGE,
    ("GET", "/drafts/{draft_id}/requirements/sections/{number}/{status}"): CHANGE,
    ("POST", "/drafts/{draft_id}/requirements/sections/{number}/{status}"): CHANGE,
    ("POST", "/drafts/{draft_id}/requirements/{requirement_id}/confirm"): CHANGE,
    ("POST", "/drafts/{draft_id}/check"): READ,
    ("GET", "/drafts/{draft_id}/export"): READ,
    ("GET", "/drafts/{draft_id}/export.pdf"): READ,
    ("GET", "/drafts/{draft_id}/export-rfi.pdf"): READ,
    ("GET", "/drafts/{draft_id}/export.json"): READ,
    ("GET", "/drafts/{draft_id}/export.docx"): READ,
    ("GET", "/drafts/{draft_id}/export.xlsx"): READ,
    ("GET", "/drafts/{draft_id}/export-ocds.json"): READ,
    ("POST", "/drafts/{draft_id}/exports"): READ,
    ("GET", "/drafts/{draft_id}/exports"): READ,
    ("GET", "/drafts/{draft_id}/exports/{export_id}/file"): READ,
    ("GET", "/drafts/{draft_id}/answers.yaml"): READ,
    ("GET", "/library"): SIGNED_IN,
    ("GET", "/library/{template_id}"): SIGNED_IN,
    ("POST", "/library/{template_id}/add"): CHANGE,
    ("GET", "/organisations/{organisation_id}/templates"): READ,
    ("POST", "/organisations/{organisation_id}/templates"): OWNER_ONLY,
    ("POST", "/organisations/{organisation_id}/templates/import"): OWNER_ONLY,
    ("POST", "/organisations/{organisation_id}/templates/{template_id}/delete"): OWNER_ONLY,
    ("GET", "/api/v1/drafts"): SIGNED_IN,
    ("POST", "/api/v1/drafts"): (LOGIN, NO, NO, OK, OK, GONE),
    ("GET", "/api/v1/drafts/{draft_id}"): READ,
    ("PUT", "/api/v1/drafts/{draft_id}/answers"): CHANGE,
    ("GET", "/api/v1/drafts/{draft_id}/requirements"): READ,
    ("GET", "/api/v1/drafts/{draft_id}/tender.pdf"): READ,
    ("GET", "/api/v1/drafts/{draft_id}/rfi.pdf"): READ,
    ("POST", "/api/v1/drafts/{draft_id}/exports"): READ,
    ("GET", "/api/v1/exports/{export_id}"): READ,
    ("GET", "/api/v1/exports/{export_id}/file"): READ,
    ("GET", "/drafts/{draft_id}/comments"): READ,
    ("GET", "/drafts/{draft_id}/comments/new"): COMMENT,
    ("POST", "/drafts/{draft_id}/comments"): COMMENT,
    ("POST", "/drafts/{draft_id}/comments/{comment_id}/replies"): COMMENT,
    ("POST", "/drafts/{draft_id}/comments/{comment_id}/resolve"): COMMENT,
    ("POST", "/drafts/{draft_id}/comments/{comment_id}/reopen"): COMMENT,
    ("GET", "/drafts/{draft_id}/review"): READ,
    ("POST", "/drafts/{draft_id}/status"): CHANGE,
    ("POST", "/drafts/{draft_id}/verdict"): REVIEWER_ONLY,
    ("GET", "/drafts/{draft_id}/revisions/{a}/diff/{b}"): READ,
    ("GET", "/drafts/{draft_id}/revisions/compare"): READ,
    ("GET", "/drafts/{draft_id}/log"): OWNER_ONLY,
    ("GET", "/inbox"): SIGNED_IN,
    ("POST", "/inbox/read"): SIGNED_IN,
    ("POST", "/inbox/{notification_id}/open"): SIGNED_IN,
    ("GET", "/api/v1/drafts/{draft_id}/comments"): READ,
    ("POST", "/api/v1/drafts/{draft_id}/comments"): COMMENT,
    ("POST", "/api/v1/comments/{comment_id}/resolve"): COMMENT,
    ("POST", "/api/v1/comments/{comment_id}/reopen"): COMMENT,
    ("POST", "/api/v1/drafts/{draft_id}/verdict"): REVIEWER_ONLY,
    ("POST", "/api/v1/drafts/{draft_id}/status"): CHANGE,
    ("GET", "/api/v1/drafts/{draft_id}/revisions"): READ,
    ("GET", "/api/v1/drafts/{draft_id}/revisions/{a}/diff/{b}"): READ,
    ("GET", "/drafts/{draft_id}/delete"): CHANGE,
    ("POST", "/drafts/{draft_id}/delete"): CHANGE,
    # Logging out always ends on the login page.
    ("POST", "/logout"): (LOGIN,) * 6,
}

# Calls that end what later calls need come last, in this order.
LAST = [
    ("POST", "/organisations/{organisation_id}/templates/{template_id}/delete"),
    ("POST", "/bin/{draft_id}/restore"),
    ("POST", "/drafts/{draft_id}/groups/{group_id}/rows/{row_id}/delete"),
    ("POST", "/account/tokens/{token_id}/revoke"),
    ("POST", "/drafts/{draft_id}/delete"),
    ("POST", "/logout"),
]

ANSWERS_FILE = b"format: kravlotsen-answers/1\ntitle: Importerad\nanswers: {}\n"


def app_routes(app: FastAPI) -> list[tuple[str, str]]:
    found = []
    for included in app.routes:
        router = getattr(included, "original_router", None)
        for route in getattr(router, "routes", [included]):
            methods = getattr(route, "methods", None)
            if isinstance(route, APIRoute) or (methods and hasattr(route, "path")):
                found += [(method, route.path) for method in sorted(methods - {"HEAD"})]
    return found


def _world(session: Session, content: Content) -> dict[str, Any]:
    """Organisation A with one member of each role and a filled draft, a draft of A in the bin,
    an own template of A, and organisation B with its owner."""
    organisation = make_organisation(session, "Kommun A")
    users = {
        "viewer": make_user(session, "viewer@a.se", organisation, Role.viewer),
        "reviewer": make_user(session, "reviewer@a.se", organisation, Role.reviewer),
        "editor": make_user(session, "editor@a.se", organisation, Role.editor),
        "owner": make_user(session, "owner@a.se", organisation, Role.owner),
        "outsider": make_user(session, "owner@b.se", make_organisation(session, "Kommun B")),
    }
    draft = make_draft(
        session, organisation, users["owner"], "A:s upphandling", content, filled=True
    )
    binned = make_draft(session, organisation, users["owner"], "I papperskorgen")
    move_to_bin(session, binned, users["owner"])
    session.add(
        OrganisationTemplate(
            organisation_id=organisation.id or 0,
            template_id="EGEN-001",
            area="it",
            data={"id": "EGEN-001"},
        )
    )
    session.commit()
    tokens = {role: make_api_token(session, user) for role, user in users.items()}
    token_ids = {
        role: session.exec(select(ApiToken).where(ApiToken.user_id == user.id)).one().id
        for role, user in users.items()
    }
    # A thread by the reviewer, two revisions, a notification for each user.
    comment = Comment(
        draft_id=draft.id or 0,
        author_id=users["reviewer"].id,
        target_type="draft",
        body="Ser bra ut.",
    )
    session.add(comment)
    document = build_document(session, draft, organisation, content.library)
    make_revision(session, draft, users["owner"], document, "submitted")
    make_revision(session, draft, users["owner"], document, "submitted")
    notifications = {
        role: Notification(user_id=user.id or 0, draft_id=draft.id, kind="comment.added")
        for role, user in users.items()
    }
    session.add_all(notifications.values())
    stored = ExportFile(
        organisation_id=organisation.id or 0,
        draft_id=draft.id or 0,
        format="json",
        source_sha256="0" * 64,
        status="done",
        sha256="0" * 64,
        content=b"{}",
        size=2,
    )
    session.add(stored)
    session.commit()
    need = session.exec(select(Need).where(Need.draft_id == draft.id)).first()
    requirement = session.exec(
        select(DraftRequirement).where(DraftRequirement.draft_id == draft.id)
    ).first()
    assert need is not None and requirement is not None
    return {
        "users": users,
        "tokens": tokens,
        "token_ids": token_ids,
        "notification_ids": {role: row.id for role, row in notifications.items()},
        "values": {
            "comment_id": comment.id,
            "export_id": stored.id,
            "a": 1,
            "b": 2,
            "draft_id": draft.id,
            "binned_id": binned.id,
            "organisation_id": organisation.id,
            "step_id": "basics",
            "question_id": "title",
            "group_id": "needs",
            "row_id": need.id,
            "requirement_id": requirement.id,
            "template_id": "IT-001",
            "number": 2,
            "status": "accepted",
        },
    }


def _url(method: str, path: str, world: dict[str, Any], role: str) -> str:
    values = dict(world["values"])
    if path.startswith("/bin/"):
        values["draft_id"] = values["binned_id"]
    if path.startswith("/organisations/") and path.endswith("/delete"):
        values["template_id"] = "EGEN-001"
    values["token_id"] = world["token_ids"].get(role, 0)
    values["notification_id"] = world["notification_ids"].get(role, 0)
    names = re.findall(r"{(\w+)}", path)
    missing = [name for name in names if name not in values]
    assert not missing, f"{path}: the matrix has no value for {missing}"
    return path.format(**values)


def _call(
    client: TestClient,
    method: str,
    path: str,
    url: str,
    token: str | None,
    csrf: str,
    values: dict[str, Any],
) -> Any:
    organisation_id = values["organisation_id"]
    if path.startswith("/api/"):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = {"title": "Ny", "organisation_id": organisation_id} if method == "POST" else None
        if method == "PUT":
            body = {"answers": {"problem": "Ett problem."}, "version": 1}
        if method == "POST" and path.endswith("/comments"):
            body = {"target": {"kind": "draft"}, "body": "En kommentar."}
        if path.endswith("/verdict"):
            body = {"verdict": "approve"}
        if path.endswith("/status"):
            body = {"action": "submit"}
        if path.endswith("/exports"):
            body = {"format": "json"}
        return client.request(method, url, headers=headers, json=body, follow_redirects=False)
    data = {
        "csrf_token": csrf,
        "status": "accepted",
        "text": "Systemet ska svara inom 2 sekunder.",
        "title": "Ett krav",
        "obligation": "ska",
        "organisation_id": str(organisation_id),
        "draft_choice": str(values["draft_id"]),
        "template_id": "IT-001",
        "email": "ingen@a.se",
        "password": "fel",
        "name": "Skript",
        "body": "En kommentar.",
        "kind": "draft",
        "action": "submit",
        "verdict": "approve",
        "format": "json",
    }
    files = None
    if path in ("/drafts/import", "/organisations/{organisation_id}/templates/import"):
        name = "answers_file" if path == "/drafts/import" else "templates_file"
        files = {name: ("fil.yaml", ANSWERS_FILE, "application/yaml")}
    return client.request(
        method,
        url,
        data=data,
        files=files,
        headers={"X-CSRF-Token": csrf},
        follow_redirects=False,
    )


def _verdict(response: Any, path: str) -> str:
    status = response.status_code
    location = response.headers.get("location", "") + response.headers.get("hx-redirect", "")
    if status == 401 or (status in (303, 204) and location.startswith("/login")):
        return LOGIN
    if status == 403:
        return NO
    if status == 404:
        return GONE
    assert status < 500, (path, status, response.text[:500])
    return OK


@pytest.fixture()
def matrix_app(settings: Settings, engine: Engine, content: Content) -> FastAPI:
    return create_app(settings, engine=engine, content=content)


def test_every_route_answers_every_role_as_written(
    matrix_app: FastAPI, session: Session, content: Content
) -> None:
    routes = app_routes(matrix_app)
    unnamed = sorted(set(routes) - set(MATRIX))
    assert not unnamed, f"routes missing from the access matrix: {unnamed}"
    stale = sorted(set(MATRIX) - set(routes))
    assert not stale, f"the matrix names routes that do not exist: {stale}"
    order = [route for route in routes if route not in LAST] + LAST
    wrong = []
    cells = 0
    for column, role in enumerate(ROLES):
        world = _world(session, content)
        client = TestClient(matrix_app, base_url="http://testserver")
        if role != "anonymous":
            login(client, world["users"][role].email)
        csrf = csrf_from(client.get("/login").text)
        token = world["tokens"].get(role)
        for method, path in order:
            url = _url(method, path, world, role)
            response = _call(client, method, path, url, token, csrf, world["values"])
            expected = MATRIX[(method, path)][column]
            got = _verdict(response, path)
            cells += 1
            if got != expected:
                wrong.append(f"{role:9} {method:4} {path}: expected {expected}, got {got}")
        _reset(session)
    assert not wrong, "\n".join(wrong)
    assert cells == len(ROLES) * len(routes)
    print(f"access matrix: {len(routes)} routes x {len(ROLES)} callers = {cells} cells")


def _reset(session: Session) -> None:
    """A new world for the next caller: what one caller deleted is there for the next."""
    session.expire_all()
    for table in reversed(SQLModel.metadata.sorted_tables):
        session.execute(table.delete())
    session.commit()
