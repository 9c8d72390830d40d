"""People as an owner manages them and as the people themselves meet it: an invitation link
copied and opened, roles changed (never the last owner's), accounts disabled and enabled, a
one-time password link, a draft shared with a colleague with another role, a reviewer from
another organisation invited to one draft only, the user's own name and language, and the
same over /api/v1."""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.content import Content
from app.models import ApiToken, AuditEvent, DraftShare, Membership, Role, User
from tests.conftest import PASSWORD, csrf_from, login
from tests.factories import make_api_token, make_draft, make_organisation, make_user

NEW_PASSWORD = "ett långt nytt lösenord"
PENDING = "Inbjudningar som inte har tagits emot"


def text_of(html: str) -> str:
    main = BeautifulSoup(html, "html.parser").find("main")
    assert main is not None
    return " ".join(main.get_text(" ").split())


def post_form(client: TestClient, page_path: str, action: str, data: dict[str, str]) -> Any:
    page = client.get(page_path)
    assert page.status_code == 200, page.text[:300]
    return client.post(action, data={"csrf_token": csrf_from(page.text), **data})


def shown_link(html: str) -> str:
    field = BeautifulSoup(html, "html.parser").find("input", id="new-link")
    assert field is not None, "no link shown"
    return str(field["value"])


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def world(session: Session, content: Content) -> dict[str, Any]:
    organisation = make_organisation(session, "Demo kommun")
    people = {
        "owner": make_user(session, "agare@demo.se", organisation, Role.owner, "Olga Ägare"),
        "officer": make_user(session, "ulla@demo.se", organisation, Role.editor, "Ulla"),
        "viewer": make_user(session, "lasare@demo.se", organisation, Role.viewer, "Lars"),
    }
    draft = make_draft(session, organisation, people["officer"], "Bygglov", content, filled=True)
    other = make_draft(session, organisation, people["officer"], "Hemtjänst", content)
    return {"organisation": organisation, "people": people, "draft": draft, "other": other}


def people_path(w: dict[str, Any]) -> str:
    return f"/organisations/{w['organisation'].id}/people"


def test_an_invited_colleague_makes_an_account_from_the_link_and_is_a_member(
    client: TestClient, session: Session, content: Content, app: Any
) -> None:
    w = world(session, content)
    login(client, "agare@demo.se")
    page = client.get(people_path(w))
    assert "Olga Ägare" in text_of(page.text) and "lasare@demo.se" in text_of(page.text)
    made = post_form(
        client,
        people_path(w),
        f"/organisations/{w['organisation'].id}/invitations",
        {"email": "Nora@Demo.se", "role": "reviewer"},
    )
    assert made.status_code == 200
    assert "En inbjudan för nora@demo.se, giltig i 14 dagar" in text_of(made.text)
    link = shown_link(made.text)
    assert link.startswith("http://testserver/invitations/")
    # Only a fingerprint is kept: the link's token is not in the database.
    token = link.rsplit("/", 1)[1]
    assert token not in str(session.exec(select(AuditEvent)).all())
    pending = text_of(client.get(people_path(w)).text).split(PENDING)
    assert "nora@demo.se Granskare" in pending[-1]

    newcomer = TestClient(app, base_url="http://testserver")
    invitation = newcomer.get(path_of(link))
    assert "bjuder in dig till Demo kommun som granskare" in text_of(invitation.text)
    refused = newcomer.post(
        path_of(link),
        data={
            "csrf_token": csrf_from(invitation.text),
            "name": "Nora",
            "password": "kort",
            "repeat_password": "kort",
        },
    )
    assert refused.status_code == 400
    assert "Lösenordet måste ha minst 12 tecken." in text_of(refused.text)
    accepted = newcomer.post(
        path_of(link),
        data={
            "csrf_token": csrf_from(refused.text),
            "name": "Nora Granskare",
            "password": NEW_PASSWORD,
            "repeat_password": NEW_PASSWORD,
        },
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    dashboard = newcomer.get("/")
    assert "Nora Granskare" in dashboard.text and "Bygglov" in text_of(dashboard.text)
    user = session.exec(select(User).where(User.email == "nora@demo.se")).one()
    membership = session.exec(select(Membership).where(Membership.user_id == user.id)).one()
    assert membership.role == Role.reviewer
    # The link works once.
    again = TestClient(app, base_url="http://testserver").get(path_of(link))
    assert again.status_code == 404
    assert "Inbjudningslänken gäller inte" in again.text
    pending = text_of(client.get(people_path(w)).text).split(PENDING)
    assert pending[-1].strip().startswith("Inga.")


def test_an_invitation_for_an_existing_account_is_taken_up_after_login(
    client: TestClient, session: Session, content: Content, app: Any
) -> None:
    w = world(session, content)
    other = make_organisation(session, "Grannkommunen")
    make_user(session, "owner@granne.se", other, Role.owner, "Gun Granne")
    login(client, "agare@demo.se")
    made = post_form(
        client,
        people_path(w),
        f"/organisations/{w['organisation'].id}/invitations",
        {"email": "owner@granne.se", "role": "viewer"},
    )
    link = path_of(shown_link(made.text))
    # Logged in as someone else: told so, and refused.
    someone = login(TestClient(app, base_url="http://testserver"), "lasare@demo.se")
    page = someone.get(link)
    assert "Du är inloggad som lasare@demo.se" in text_of(page.text)
    assert someone.post(link, data={"csrf_token": csrf_from(page.text)}).status_code == 403

    invited = TestClient(app, base_url="http://testserver")
    assert "Du har redan ett konto" in text_of(invited.get(link).text)
    login(invited, "owner@granne.se")
    page = invited.get(link)
    accepted = invited.post(link, data={"csrf_token": csrf_from(page.text)})
    assert accepted.status_code == 200
    assert "Bygglov" in text_of(accepted.text)
    roles = {
        m.organisation_id: m.role
        for m in session.exec(select(Membership).join(User).where(User.email == "owner@granne.se"))
    }
    assert roles == {other.id: Role.owner, w["organisation"].id: Role.viewer}


def test_the_owner_changes_roles_but_the_last_owner_stays_one(
    client: TestClient, session: Session, content: Content
) -> None:
    w = world(session, content)
    login(client, "agare@demo.se")
    viewer, owner = w["people"]["viewer"], w["people"]["owner"]
    changed = post_form(
        client,
        people_path(w),
        f"/organisations/{w['organisation'].id}/people/{viewer.id}/role",
        {"role": "editor"},
    )
    assert "Rollen för Lars är sparad." in text_of(changed.text)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "member.role_changed")).one()
    assert event.organisation_id == w["organisation"].id
    assert event.detail == {"email": "lasare@demo.se", "before": "viewer", "after": "editor"}
    # The viewer, now an editor, may change the draft.
    editor = login(TestClient(client.app, base_url="http://testserver"), "lasare@demo.se")
    step = f"/drafts/{w['draft'].id}/steps/basics"
    assert "<textarea" in editor.get(step).text or 'type="text"' in editor.get(step).text

    refused = post_form(
        client,
        people_path(w),
        f"/organisations/{w['organisation'].id}/people/{owner.id}/role",
        {"role": "editor"},
    )
    assert refused.status_code == 409
    assert "Organisationen måste ha minst en aktiv ägare kvar." in text_of(refused.text)
    session.expire_all()
    assert session.exec(select(Membership).where(Membership.user_id == owner.id)).one().role == (
        Role.owner
    )
    # Only an owner sees the page.
    assert editor.get(people_path(w)).status_code == 403


def test_a_disabled_account_is_logged_out_and_cannot_log_in_until_enabled(
    client: TestClient, session: Session, content: Content, app: Any
) -> None:
    w = world(session, content)
    officer = w["people"]["officer"]
    make_api_token(session, officer)
    colleague = login(TestClient(app, base_url="http://testserver"), "ulla@demo.se")
    assert colleague.get("/").status_code == 200
    login(client, "agare@demo.se")
    base = f"/organisations/{w['organisation'].id}/people/{officer.id}"
    disabled = post_form(client, people_path(w), f"{base}/disable", {})
    assert "Kontot för Ulla är avstängt" in text_of(disabled.text)
    assert "Avstängt" in text_of(disabled.text)
    assert colleague.get("/", follow_redirects=False).headers["location"].startswith("/login")
    page = colleague.get("/login")
    failed = colleague.post(
        "/login",
        data={"email": "ulla@demo.se", "password": PASSWORD, "csrf_token": csrf_from(page.text)},
    )
    assert failed.status_code == 400
    session.expire_all()
    assert session.exec(select(ApiToken).where(ApiToken.user_id == officer.id)).all() == []
    # Not oneself.
    own = post_form(
        client,
        people_path(w),
        f"/organisations/{w['organisation'].id}/people/{w['people']['owner'].id}/disable",
        {},
    )
    assert own.status_code == 409 and "Du kan inte stänga av ditt eget konto." in own.text

    post_form(client, people_path(w), f"{base}/enable", {})
    login(colleague, "ulla@demo.se")
    assert colleague.get("/").status_code == 200


def test_an_account_of_two_organisations_is_not_one_owners_to_disable(
    client: TestClient, session: Session, content: Content
) -> None:
    w = world(session, content)
    other = make_organisation(session, "Region")
    viewer = w["people"]["viewer"]
    session.add(Membership(user_id=viewer.id or 0, organisation_id=other.id or 0, role=Role.owner))
    session.commit()
    login(client, "agare@demo.se")
    refused = post_form(
        client,
        people_path(w),
        f"/organisations/{w['organisation'].id}/people/{viewer.id}/disable",
        {},
    )
    assert refused.status_code == 409
    assert "Kontot hör också till en annan organisation" in text_of(refused.text)


def test_a_password_link_sets_a_new_password_once(
    client: TestClient, session: Session, content: Content, app: Any
) -> None:
    w = world(session, content)
    login(client, "agare@demo.se")
    viewer = w["people"]["viewer"]
    made = post_form(
        client,
        people_path(w),
        f"/organisations/{w['organisation'].id}/people/{viewer.id}/reset",
        {},
    )
    assert "En länk för lasare@demo.se att välja ett nytt lösenord" in text_of(made.text)
    link = path_of(shown_link(made.text))
    person = TestClient(app, base_url="http://testserver")
    page = person.get(link)
    assert "För lasare@demo.se" in text_of(page.text)
    mismatch = person.post(
        link,
        data={
            "csrf_token": csrf_from(page.text),
            "password": NEW_PASSWORD,
            "repeat_password": NEW_PASSWORD + "x",
        },
    )
    assert mismatch.status_code == 400
    assert "De två lösenorden är inte likadana." in text_of(mismatch.text)
    done = person.post(
        link,
        data={
            "csrf_token": csrf_from(mismatch.text),
            "password": NEW_PASSWORD,
            "repeat_password": NEW_PASSWORD,
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and person.get("/").status_code == 200
    assert person.get(link).status_code == 404
    fresh = TestClient(app, base_url="http://testserver")
    page = fresh.get("/login")
    old = fresh.post(
        "/login",
        data={"email": "lasare@demo.se", "password": PASSWORD, "csrf_token": csrf_from(page.text)},
    )
    assert old.status_code == 400
    login(fresh, "lasare@demo.se", NEW_PASSWORD)


def test_a_draft_shared_with_a_viewer_as_editor_can_be_changed_by_them_until_unshared(
    client: TestClient, session: Session, content: Content, app: Any
) -> None:
    w = world(session, content)
    draft, viewer = w["draft"], w["people"]["viewer"]
    sharing = f"/drafts/{draft.id}/sharing"
    login(client, "agare@demo.se")
    shared = post_form(client, sharing, sharing, {"user_id": str(viewer.id), "role": "editor"})
    assert "Utkastet är delat med Lars." in text_of(shared.text)
    assert "lasare@demo.se Redaktör Läsare" in text_of(shared.text)

    lars = login(TestClient(app, base_url="http://testserver"), "lasare@demo.se")
    step = lars.get(f"/drafts/{draft.id}/steps/basics")
    saved = lars.post(
        f"/drafts/{draft.id}/answers/title",
        data={"csrf_token": csrf_from(step.text), "title": "Bygglov i mobilen"},
    )
    assert saved.status_code == 200, saved.text[:300]
    # Only that draft: the other one is still read-only for the viewer.
    other = lars.post(
        f"/drafts/{w['other'].id}/answers/title",
        data={"csrf_token": csrf_from(step.text), "title": "Nej"},
    )
    assert other.status_code == 403

    post_form(client, sharing, f"{sharing}/{viewer.id}/remove", {})
    again = lars.post(
        f"/drafts/{draft.id}/answers/title",
        data={"csrf_token": csrf_from(step.text), "title": "Igen"},
    )
    assert again.status_code == 403
    actions = [row.action for row in session.exec(select(AuditEvent)).all()]
    assert "draft.shared" in actions and "draft.unshared" in actions
    # Only an owner shares.
    officer = login(TestClient(app, base_url="http://testserver"), "ulla@demo.se")
    assert officer.get(sharing).status_code == 403


def test_a_reviewer_from_another_organisation_sees_that_draft_only_and_never_edits(
    client: TestClient, session: Session, content: Content, app: Any
) -> None:
    w = world(session, content)
    draft = w["draft"]
    sharing = f"/drafts/{draft.id}/sharing"
    login(client, "agare@demo.se")
    member = post_form(client, sharing, f"{sharing}/invite", {"email": "ulla@demo.se"})
    assert member.status_code == 400 and "Personen är medlem i organisationen" in member.text
    made = post_form(client, sharing, f"{sharing}/invite", {"email": "jurist@inkop.se"})
    link = path_of(shown_link(made.text))

    lawyer = TestClient(app, base_url="http://testserver")
    page = lawyer.get(link)
    assert "bjuder in dig att granska utkastet ”Bygglov”" in text_of(page.text)
    lawyer.post(
        link,
        data={
            "csrf_token": csrf_from(page.text),
            "name": "Jenny Jurist",
            "password": NEW_PASSWORD,
            "repeat_password": NEW_PASSWORD,
        },
    )
    dashboard = text_of(lawyer.get("/").text)
    assert "Bygglov" in dashboard and "Hemtjänst" not in dashboard
    assert lawyer.get(f"/drafts/{w['other'].id}").status_code == 404
    assert lawyer.get(f"/organisations/{w['organisation'].id}/templates").status_code == 404
    step = lawyer.get(f"/drafts/{draft.id}/steps/needs")
    assert step.status_code == 200 and "Kommentera" in step.text
    edit = lawyer.post(
        f"/drafts/{draft.id}/answers/title",
        data={"csrf_token": csrf_from(step.text), "title": "Nej"},
    )
    assert edit.status_code == 403
    comment = lawyer.post(
        f"/drafts/{draft.id}/comments",
        data={"csrf_token": csrf_from(step.text), "kind": "draft", "body": "Se över villkoren."},
        follow_redirects=False,
    )
    assert comment.status_code == 303
    assert "Jenny Jurist" in text_of(client.get(sharing).text)
    assert "Från en annan organisation" in text_of(client.get(sharing).text)


def test_the_user_changes_their_name_and_language(client: TestClient, session: Session) -> None:
    make_user(session, "ulla@demo.se", make_organisation(session, "Demo"), Role.editor, "Ulla")
    login(client, "ulla@demo.se")
    empty = post_form(client, "/account", "/account/profile", {"name": " ", "locale": "sv"})
    assert empty.status_code == 400 and "Ange ditt namn." in text_of(empty.text)
    saved = post_form(
        client, "/account", "/account/profile", {"name": "Ulla Upphandlare", "locale": "en"}
    )
    assert saved.status_code == 200
    assert "Your name and language are saved." in text_of(saved.text)
    assert "Ulla Upphandlare" in saved.text
    session.expire_all()
    user = session.exec(select(User).where(User.email == "ulla@demo.se")).one()
    assert user.locale == "en"


def test_the_api_tells_who_i_am_and_lets_an_owner_set_a_drafts_members(
    client: TestClient, session: Session, content: Content
) -> None:
    w = world(session, content)
    outside = make_user(session, "jurist@inkop.se", make_organisation(session, "Inköp"))
    owner_token = make_api_token(session, w["people"]["owner"])
    officer_token = make_api_token(session, w["people"]["officer"])
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {owner_token}"}).json()
    assert me["email"] == "agare@demo.se" and me["name"] == "Olga Ägare"
    assert me["memberships"] == [
        {"organisation_id": w["organisation"].id, "organisation": "Demo kommun", "role": "owner"}
    ]
    url = f"/api/v1/drafts/{w['draft'].id}/members"
    body = {
        "members": [
            {"email": "lasare@demo.se", "role": "editor"},
            {"email": "jurist@inkop.se", "role": "reviewer"},
        ]
    }
    put = client.put(url, json=body, headers={"Authorization": f"Bearer {owner_token}"})
    assert put.status_code == 200, put.text
    got = {item["email"]: (item["role"], item["outside"]) for item in put.json()["members"]}
    assert got == {"lasare@demo.se": ("editor", False), "jurist@inkop.se": ("reviewer", True)}
    shared = client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {make_api_token(session, outside)}"}
    ).json()
    assert shared["shared_drafts"] == [{"draft_id": w["draft"].id, "role": "reviewer"}]

    wrong = client.put(
        url,
        json={
            "members": [
                {"email": "jurist@inkop.se", "role": "editor"},
                {"email": "ingen@demo.se", "role": "viewer"},
            ]
        },
        headers={"Authorization": f"Bearer {owner_token}"},
    )
    assert wrong.status_code == 422
    errors = wrong.json()["detail"]["errors"]
    assert "granskare" in errors["members.0.role"] and "ingen@demo.se" in errors["members.1.email"]
    # Nothing was changed by the refused call; a shorter list removes the others.
    assert len(session.exec(select(DraftShare)).all()) == 2
    short = client.put(
        url,
        json={"members": [{"email": "jurist@inkop.se", "role": "reviewer"}]},
        headers={"Authorization": f"Bearer {owner_token}"},
    )
    assert [item["email"] for item in short.json()["members"]] == ["jurist@inkop.se"]
    refused = client.put(url, json=body, headers={"Authorization": f"Bearer {officer_token}"})
    assert refused.status_code == 403
