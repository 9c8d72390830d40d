"""The review round as the people in it see it: an officer submits, reviewers read the draft
as text and comment on exactly what they mean, the officer answers and resolves, a reviewer
asks for changes, an owner approves; revisions keep each round and a diff shows what
changed; the inbox tells each person what concerns them; the log records it all."""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.content import Content
from app.models import AuditEvent, Draft, DraftStatus, Need, Revision, Role
from app.review.revisions import word_diff
from tests.conftest import csrf_from, login
from tests.factories import make_api_token, make_draft, make_organisation, make_user


def text_of(html: str) -> str:
    main = BeautifulSoup(html, "html.parser").find("main")
    assert main is not None
    return " ".join(main.get_text(" ").split())


def header_text(html: str) -> str:
    header = BeautifulSoup(html, "html.parser").find("header")
    return " ".join(header.get_text(" ").split()) if header else ""


def post_form(client: TestClient, page_path: str, action: str, data: dict[str, str]) -> Any:
    """Post a form as a browser would: the CSRF token read from the page it is on."""
    page = client.get(page_path)
    return client.post(action, data={"csrf_token": csrf_from(page.text), **data})


def world(session: Session, content: Content) -> dict[str, Any]:
    organisation = make_organisation(session, "Demo kommun")
    people = {
        "owner": make_user(session, "agare@demo.se", organisation, Role.owner, "Olga Ägare"),
        "officer": make_user(
            session, "ulla@demo.se", organisation, Role.editor, "Ulla Upphandlare"
        ),
        "reviewer": make_user(
            session, "jurist@demo.se", organisation, Role.reviewer, "Jens Jurist"
        ),
        "viewer": make_user(session, "lasare@demo.se", organisation, Role.viewer, "Lars Läsare"),
    }
    draft = make_draft(session, organisation, people["officer"], "Bygglov", content, filled=True)
    need = session.exec(select(Need).where(Need.draft_id == draft.id)).one()
    return {"draft": draft, "need": need, "people": people, "organisation": organisation}


def test_a_review_round_from_submit_to_approval(
    client: TestClient, session: Session, content: Content
) -> None:
    w = world(session, content)
    draft_id, need_id = w["draft"].id, w["need"].id

    # The officer submits: revision 1, the reviewer is told.
    login(client, "ulla@demo.se")
    task_list = client.get(f"/drafts/{draft_id}")
    assert "Skicka för granskning" in text_of(task_list.text)
    submitted = post_form(
        client, f"/drafts/{draft_id}", f"/drafts/{draft_id}/status", {"action": "submit"}
    )
    assert "Utkastet är skickat för granskning" in text_of(submitted.text)
    assert "Under granskning" in text_of(submitted.text) and "revision 1" in text_of(submitted.text)

    # The reviewer: one unread in the header, the needs step as text with a comment link.
    login(client, "jurist@demo.se")
    inbox = client.get("/inbox")
    assert "Inkorg 1" in header_text(inbox.text)
    assert "Ulla Upphandlare ber dig granska “Bygglov” (revision 1)." in text_of(inbox.text)
    needs_step = client.get(f"/drafts/{draft_id}/steps/needs")
    soup = BeautifulSoup(needs_step.text, "html.parser")
    assert soup.find("textarea") is None and soup.select("main input[type=text]") == []
    assert "Kunna ansöka om bygglov från mobilen" in text_of(needs_step.text)
    link = soup.find("a", href=re.compile(rf"kind=need&target={need_id}"))
    assert link is not None and "Kommentera" in link.get_text()
    assert "Skicka för granskning" not in text_of(needs_step.text)

    form = client.get(str(link["href"]))
    assert "Behov B1" in text_of(form.text)
    empty = client.post(
        f"/drafts/{draft_id}/comments",
        data={
            "csrf_token": csrf_from(form.text),
            "kind": "need",
            "target": str(need_id),
            "body": "  ",
        },
    )
    assert empty.status_code == 422
    assert "Skriv kommentaren." in text_of(empty.text)
    posted = client.post(
        f"/drafts/{draft_id}/comments",
        data={
            "csrf_token": csrf_from(form.text),
            "kind": "need",
            "target": str(need_id),
            "body": "Vilka kommer inte åt mobilen?\nTänk på <b>dem</b> också.",
            "back": f"/drafts/{draft_id}/steps/needs#row-needs-{need_id}",
        },
    )
    assert posted.status_code == 200 and posted.url.path == f"/drafts/{draft_id}/steps/needs"
    assert "1 öppen kommentar" in text_of(posted.text)

    # The officer sees the open thread on the task list, replies, and resolves it.
    login(client, "ulla@demo.se")
    task_list = client.get(f"/drafts/{draft_id}")
    assert "1 öppen kommentar" in text_of(task_list.text)
    comments = client.get(f"/drafts/{draft_id}/comments")
    body = BeautifulSoup(comments.text, "html.parser").select_one(".comment-body")
    assert body is not None and "<b>dem</b>" in body.get_text() and body.find("b") is None
    assert body.find("br") is not None
    thread_id = int(re.search(r"/comments/(\d+)/replies", comments.text).group(1))  # type: ignore[union-attr]
    client.post(
        f"/drafts/{draft_id}/comments/{thread_id}/replies",
        data={"csrf_token": csrf_from(comments.text), "body": "Vi lägger till telefon."},
    )
    resolved = client.post(
        f"/drafts/{draft_id}/comments/{thread_id}/resolve",
        data={"csrf_token": csrf_from(comments.text)},
    )
    assert "Inga öppna trådar." in text_of(resolved.text)
    everything = client.get(f"/drafts/{draft_id}/comments?state=all")
    assert "Vi lägger till telefon." in text_of(everything.text)
    assert "Löst" in text_of(everything.text)

    # The reviewer requests changes: a comment is needed.
    login(client, "jurist@demo.se")
    assert "Ulla Upphandlare svarade" in text_of(client.get("/inbox").text)
    review = client.get(f"/drafts/{draft_id}/review")
    missing = client.post(
        f"/drafts/{draft_id}/verdict",
        data={"csrf_token": csrf_from(review.text), "verdict": "request-changes", "comment": ""},
    )
    assert missing.status_code == 422 and "Säg vad som ska ändras" in text_of(missing.text)
    changes = client.post(
        f"/drafts/{draft_id}/verdict",
        data={
            "csrf_token": csrf_from(review.text),
            "verdict": "request-changes",
            "comment": "Problembeskrivningen behöver siffror.",
        },
    )
    assert "Ändringar begärda" in text_of(changes.text)

    # The officer changes the problem and submits again: revision 2.
    login(client, "ulla@demo.se")
    assert "Jens Jurist begär ändringar i “Bygglov”." in text_of(client.get("/inbox").text)
    step = client.get(f"/drafts/{draft_id}/steps/current")
    client.post(
        f"/drafts/{draft_id}/answers/problem",
        data={
            "csrf_token": csrf_from(step.text),
            "problem": "Handläggarna lägger 30 procent av tiden på att komplettera ansökningar.",
        },
    )
    again = post_form(
        client, f"/drafts/{draft_id}", f"/drafts/{draft_id}/status", {"action": "submit"}
    )
    assert "revision 2" in text_of(again.text)

    diff = client.get(f"/drafts/{draft_id}/revisions/1/diff/2")
    soup = BeautifulSoup(diff.text, "html.parser")
    inserted = " ".join(item.get_text(" ") for item in soup.select("ins"))
    deleted = " ".join(item.get_text(" ") for item in soup.select("del"))
    assert "30 procent av" in inserted and "ansökningar" not in deleted
    assert "ofullständiga" in deleted
    assert "[tillagt:" in inserted  # said in words too, not by colour alone

    # The reviewer approves; only an owner approves the draft.
    login(client, "jurist@demo.se")
    review = client.get(f"/drafts/{draft_id}/review")
    client.post(
        f"/drafts/{draft_id}/verdict",
        data={"csrf_token": csrf_from(review.text), "verdict": "approve", "comment": "Bra nu."},
    )
    refused = client.post(
        f"/drafts/{draft_id}/status",
        data={"csrf_token": csrf_from(review.text), "action": "approve"},
    )
    assert refused.status_code == 403
    assert "Bara en ägare av organisationen kan godkänna utkastet." in text_of(refused.text)

    login(client, "agare@demo.se")
    review = client.get(f"/drafts/{draft_id}/review")
    assert "Jens Jurist" in text_of(review.text) and "Godkänner" in text_of(review.text)
    approved = client.post(
        f"/drafts/{draft_id}/status",
        data={"csrf_token": csrf_from(review.text), "action": "approve"},
    )
    assert "Utkastet är godkänt." in text_of(approved.text)
    assert [
        row.reason
        for row in session.exec(
            select(Revision).where(Revision.draft_id == draft_id).order_by(Revision.number)
        )
    ] == ["submitted", "submitted", "approved"]

    # A change to the approved draft takes it back to draft.
    login(client, "ulla@demo.se")
    step = client.get(f"/drafts/{draft_id}/steps/current")
    client.post(
        f"/drafts/{draft_id}/answers/problem",
        data={"csrf_token": csrf_from(step.text), "problem": "Ändrat efter godkännandet."},
    )
    session.expire_all()
    assert session.get(Draft, draft_id).status == DraftStatus.draft  # type: ignore[union-attr]
    assert "Olga Ägare godkände “Bygglov”." in text_of(client.get("/inbox").text)


def test_illegal_moves_are_refused_with_a_reason_and_roles_are_kept(
    client: TestClient, session: Session, content: Content
) -> None:
    w = world(session, content)
    draft_id = w["draft"].id
    tokens = {role: make_api_token(session, user) for role, user in w["people"].items()}

    def act(role: str, action: str) -> Any:
        return client.post(
            f"/api/v1/drafts/{draft_id}/status",
            json={"action": action},
            headers={"Authorization": f"Bearer {tokens[role]}"},
        )

    not_in_review = act("owner", "approve")
    assert not_in_review.status_code == 409
    assert "Bara ett utkast under granskning" in not_in_review.json()["detail"]["message"]
    assert act("reviewer", "submit").status_code == 403
    assert act("viewer", "submit").status_code == 403
    assert act("officer", "submit").json() == {"status": "in_review", "revision": 1}
    again = act("officer", "submit")
    assert again.status_code == 409
    assert again.json()["detail"]["message"] == "Utkastet är redan under granskning."
    assert act("officer", "approve").status_code == 403
    verdict = client.post(
        f"/api/v1/drafts/{draft_id}/verdict",
        json={"verdict": "approve"},
        headers={"Authorization": f"Bearer {tokens['officer']}"},
    )
    assert verdict.status_code == 403
    assert act("owner", "request-changes").json()["status"] == "changes_requested"
    assert act("owner", "approve").status_code == 409

    # A reviewer never changes answers, whatever the status.
    put = client.put(
        f"/api/v1/drafts/{draft_id}/answers",
        json={"answers": {"problem": "Granskaren skriver."}, "version": w["draft"].version},
        headers={"Authorization": f"Bearer {tokens['reviewer']}"},
    )
    assert put.status_code == 403
    login(client, "jurist@demo.se")
    step = client.get(f"/drafts/{draft_id}/steps/current")
    autosave = client.post(
        f"/drafts/{draft_id}/answers/problem",
        data={"csrf_token": csrf_from(step.text), "problem": "Granskaren skriver."},
    )
    assert autosave.status_code == 403
    revisions = client.get(
        f"/api/v1/drafts/{draft_id}/revisions",
        headers={"Authorization": f"Bearer {tokens['viewer']}"},
    ).json()
    assert [(item["number"], item["reason"], item["created_by"]) for item in revisions] == [
        (1, "submitted", "Ulla Upphandlare")
    ]


def test_comments_pin_to_every_kind_of_target_over_the_api(
    client: TestClient, session: Session, content: Content
) -> None:
    w = world(session, content)
    draft = w["draft"]
    reviewer = {"Authorization": f"Bearer {make_api_token(session, w['people']['reviewer'])}"}
    officer = {"Authorization": f"Bearer {make_api_token(session, w['people']['officer'])}"}
    viewer = {"Authorization": f"Bearer {make_api_token(session, w['people']['viewer'])}"}
    document = client.get(f"/api/v1/drafts/{draft.id}", headers=officer).json()
    goal = client.post(
        f"/api/v1/drafts/{draft.id}/comments",
        json={"target": {"kind": "goal", "id": 999}, "body": "Finns inte."},
        headers=reviewer,
    )
    assert goal.status_code == 422
    assert (
        goal.json()["detail"]["errors"]["target"] == "Utkastet har ingen sådan del att kommentera."
    )
    targets = [
        {"kind": "draft"},
        {"kind": "step", "id": "needs"},
        {"kind": "question", "id": "problem"},
        {"kind": "need", "id": document["needs"][0]["id"]},
        {"kind": "requirement", "id": document["requirements"][0]["id"]},
    ]
    made = []
    for target in targets:
        response = client.post(
            f"/api/v1/drafts/{draft.id}/comments",
            json={"target": target, "body": f"Om {target['kind']}"},
            headers=reviewer,
        )
        assert response.status_code == 201, response.text
        made.append(response.json())
    assert [item["target"]["kind"] for item in made] == [t["kind"] for t in targets]
    assert made[0]["author"]["name"] == "Jens Jurist"

    reply = client.post(
        f"/api/v1/drafts/{draft.id}/comments",
        json={"body": "Svar", "parent_id": made[2]["id"]},
        headers=officer,
    )
    assert reply.status_code == 201
    assert reply.json()["parent_id"] == made[2]["id"]
    assert reply.json()["target"] == {"kind": "question", "id": "problem"}
    assert (
        client.post(
            f"/api/v1/drafts/{draft.id}/comments", json={"body": "Får inte"}, headers=viewer
        ).status_code
        == 403
    )

    # The officer resolves, the author may too, another reviewer may not.
    assert client.post(f"/api/v1/comments/{reply.json()['id']}/resolve", headers=officer).json()[
        "resolved"
    ]
    other = make_user(session, "it@demo.se", w["organisation"], Role.reviewer)
    other_token = {"Authorization": f"Bearer {make_api_token(session, other)}"}
    assert (
        client.post(f"/api/v1/comments/{made[0]['id']}/resolve", headers=other_token).status_code
        == 403
    )
    assert (
        client.post(f"/api/v1/comments/{made[0]['id']}/resolve", headers=reviewer).status_code
        == 200
    )
    reopened = client.post(f"/api/v1/comments/{made[0]['id']}/reopen", headers=reviewer)
    assert reopened.json()["resolved"] is False

    listed = client.get(f"/api/v1/drafts/{draft.id}/comments", headers=viewer).json()
    assert len(listed) == 6
    assert {item["id"]: item["resolved"] for item in listed}[made[2]["id"]] is True

    # Another organisation finds nothing: not the comments, not a comment to resolve.
    stranger = make_user(session, "agare@annan.se", make_organisation(session, "Annan kommun"))
    stranger_token = {"Authorization": f"Bearer {make_api_token(session, stranger)}"}
    assert (
        client.get(f"/api/v1/drafts/{draft.id}/comments", headers=stranger_token).status_code == 404
    )
    assert (
        client.post(f"/api/v1/comments/{made[0]['id']}/resolve", headers=stranger_token).status_code
        == 404
    )
    login(client, "agare@annan.se")
    for path in ("comments", "review", "log", "revisions/1/diff/2", "comments/new?kind=draft"):
        assert client.get(f"/drafts/{draft.id}/{path}").status_code == 404


def test_the_log_shows_owners_who_changed_what_from_what(
    client: TestClient, session: Session, content: Content
) -> None:
    w = world(session, content)
    draft_id = w["draft"].id
    login(client, "ulla@demo.se")
    step = client.get(f"/drafts/{draft_id}/steps/current")
    for text in ("Första", "Första versionen", "Andra versionen av problemet"):
        client.post(
            f"/drafts/{draft_id}/answers/problem",
            data={"csrf_token": csrf_from(step.text), "problem": text},
        )
    assert client.get(f"/drafts/{draft_id}/log").status_code == 403

    login(client, "agare@demo.se")
    log = client.get(f"/drafts/{draft_id}/log")
    rows = [
        [" ".join(cell.get_text(" ").split()) for cell in row.find_all("td")]
        for row in BeautifulSoup(log.text, "html.parser").select("tbody tr")
    ]
    changed = [row for row in rows if row[1] == "Ulla Upphandlare" and "Ändrade ett svar" in row[2]]
    assert changed[0][3].startswith("Handläggarna lägger tid")  # before the three saves
    assert changed[0][4] == "Andra versionen av problemet"
    assert "(3 sparningar)" in changed[0][2]
    events = session.exec(select(AuditEvent.action).where(AuditEvent.draft_id == draft_id)).all()
    assert events.count("answer.saved") >= 3


def test_a_word_diff_keeps_unchanged_words_and_marks_the_rest() -> None:
    runs = word_diff("Systemet ska svara inom 2 sekunder.", "Systemet ska svara inom 1 sekund.")
    assert ("equal", "Systemet ska svara inom ") in runs
    assert ("delete", "2 sekunder.") in runs and ("insert", "1 sekund.") in runs
    assert (
        "".join(text for kind, text in runs if kind != "delete")
        == "Systemet ska svara inom 1 sekund."
    )


def test_a_draft_shared_from_another_organisation_is_listed_with_its_name(
    client: TestClient, session: Session, content: Content
) -> None:
    from app.models import DraftShare

    w = world(session, content)
    outside = make_user(session, "granskare@region.se", make_organisation(session, "Regionen"))
    session.add(
        DraftShare(draft_id=w["draft"].id or 0, user_id=outside.id or 0, role=Role.reviewer)
    )
    session.commit()
    login(client, "granskare@region.se")
    rows = BeautifulSoup(client.get("/").text, "html.parser").select("tbody tr")
    texts = [" ".join(row.get_text(" ").split()) for row in rows]
    assert any("Bygglov" in text and "Demo kommun" in text for text in texts)
    page = client.get(f"/drafts/{w['draft'].id}")
    assert "Kopiera utkastet" not in text_of(page.text)
    assert "Logg" not in text_of(page.text)
