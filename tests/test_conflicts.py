"""Two busy colleagues on one draft: nothing one saves is silently overwritten by the other's
older form; where both changed the same thing, both versions are shown and the user chooses."""

from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.content import Content
from app.models import Answer, DraftRequirement, Organisation, Role
from tests.conftest import csrf_from, login
from tests.factories import make_draft, make_organisation, make_user


def _form_data(page: str, action: str) -> dict[str, object]:
    """Every field of the page's form that posts to `action`, as a browser would post it."""
    soup = BeautifulSoup(page, "html.parser")
    form = soup.find("form", action=action)
    data: dict[str, object] = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button"):
            continue
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen["value"] if chosen else ""
        elif field.get("type") in ("radio", "checkbox"):
            if field.has_attr("checked"):
                value = field.get("value", "on")
                if field.get("type") == "checkbox":
                    data.setdefault(name, [])
                    data[name].append(value)  # type: ignore[union-attr]
                else:
                    data[name] = value
        else:
            data[name] = field.get("value", "")
    return data


def _two_editors(app: FastAPI, client: TestClient, session: Session, content: Content):  # type: ignore[no-untyped-def]
    organisation = make_organisation(session, "Demo kommun")
    first = make_user(session, "ulla@demo.se", organisation)
    make_user(session, "erik@demo.se", organisation, Role.editor, name="Erik Editor")
    draft = make_draft(session, organisation, first, content=content, filled=True)
    login(client, "ulla@demo.se")
    other = TestClient(app)
    login(other, "erik@demo.se")
    return draft, other


def test_a_stale_requirement_form_shows_both_versions_and_overwrites_nothing(
    app: FastAPI, client: TestClient, session: Session, content: Content
) -> None:
    draft, other = _two_editors(app, client, session, content)
    requirement = session.exec(select(DraftRequirement)).first()
    assert requirement is not None
    url = f"/drafts/{draft.id}/requirements/{requirement.id}/edit"
    mine = _form_data(client.get(url).text, url)
    theirs = _form_data(other.get(url).text, url)

    theirs["title"] = "Eriks rubrik"
    assert other.post(url, data=theirs, follow_redirects=False).status_code == 303
    mine["title"] = "Ullas rubrik"
    mine["motive"] = "Ulla skrev ett nytt motiv."
    response = client.post(url, data=mine)

    assert response.status_code == 409
    page = BeautifulSoup(response.text, "html.parser")
    conflict = page.find(id="conflict-title")
    assert conflict is not None and "Eriks rubrik" in conflict.get_text()
    assert page.find(id="title")["value"] == "Ullas rubrik"
    session.expire_all()
    assert session.get(DraftRequirement, requirement.id).title == "Eriks rubrik"  # type: ignore[union-attr]

    again = _form_data(response.text, url)
    again["__resolve__title"] = "theirs"
    assert client.post(url, data=again, follow_redirects=False).status_code == 303
    session.expire_all()
    saved = session.get(DraftRequirement, requirement.id)
    assert saved is not None and saved.title == "Eriks rubrik"
    assert saved.motive == "Ulla skrev ett nytt motiv."


def test_keeping_my_version_after_a_conflict_saves_it(
    app: FastAPI, client: TestClient, session: Session, content: Content
) -> None:
    draft, other = _two_editors(app, client, session, content)
    requirement = session.exec(select(DraftRequirement)).first()
    assert requirement is not None
    url = f"/drafts/{draft.id}/requirements/{requirement.id}/edit"
    mine = _form_data(client.get(url).text, url)
    theirs = _form_data(other.get(url).text, url)
    theirs["text"] = "Eriks text om svarstiden."
    other.post(url, data=theirs)
    mine["text"] = "Ullas text om svarstiden."
    response = client.post(url, data=mine)
    assert response.status_code == 409
    again = _form_data(response.text, url)
    assert client.post(url, data=again, follow_redirects=False).status_code == 303
    session.expire_all()
    assert session.get(DraftRequirement, requirement.id).text == "Ullas text om svarstiden."  # type: ignore[union-attr]


def test_a_stale_step_form_does_not_revert_what_another_user_autosaved(
    app: FastAPI, client: TestClient, session: Session, content: Content
) -> None:
    draft, other = _two_editors(app, client, session, content)
    step_url = f"/drafts/{draft.id}/steps/basics"
    stale = _form_data(client.get(step_url).text, step_url)
    token = csrf_from(other.get(step_url).text)
    autosaved = other.post(
        f"/drafts/{draft.id}/answers/contact_name",
        data={"contact_name": "Erik Editor"},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert autosaved.status_code == 200
    stale["reference_number"] = "SBF 2027/3"
    assert client.post(step_url, data=stale, follow_redirects=False).status_code == 303
    answers = {row.question_id: row.value for row in session.exec(select(Answer)).all()}
    assert answers["contact_name"] == "Erik Editor"
    assert answers["reference_number"] == "SBF 2027/3"


def test_both_changing_one_answer_on_the_step_form_asks_which_to_keep(
    app: FastAPI, client: TestClient, session: Session, content: Content
) -> None:
    draft, other = _two_editors(app, client, session, content)
    step_url = f"/drafts/{draft.id}/steps/situation"
    stale = _form_data(client.get(step_url).text, step_url)
    token = csrf_from(other.get(step_url).text)
    other.post(
        f"/drafts/{draft.id}/answers/problem",
        data={"problem": "Eriks problembeskrivning."},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    stale["problem"] = "Ullas problembeskrivning."
    response = client.post(step_url, data=stale)
    assert response.status_code == 409
    page = BeautifulSoup(response.text, "html.parser")
    assert "Eriks problembeskrivning." in page.find(id="conflict-problem").get_text()
    assert "Erik Editor" in page.find(id="conflict-problem").get_text()
    assert page.find(id="problem").get_text() == "Ullas problembeskrivning."
    summary = page.find(class_="error-summary")
    assert summary.find("a", href="#conflict-problem") is not None
    stored = session.exec(select(Answer).where(Answer.question_id == "problem")).one()
    assert stored.value == "Eriks problembeskrivning."


def test_an_autosave_from_an_old_page_is_refused_with_both_versions(
    app: FastAPI, client: TestClient, session: Session, content: Content
) -> None:
    draft, other = _two_editors(app, client, session, content)
    page = BeautifulSoup(client.get(f"/drafts/{draft.id}/steps/situation").text, "html.parser")
    base = page.find(id="base-problem")["value"]
    token = csrf_from(str(page))
    headers = {"X-CSRF-Token": token, "HX-Request": "true"}
    other.post(
        f"/drafts/{draft.id}/answers/problem",
        data={"problem": "Eriks version."},
        headers={"X-CSRF-Token": csrf_from(other.get("/").text), "HX-Request": "true"},
    )
    late = client.post(
        f"/drafts/{draft.id}/answers/problem",
        data={"problem": "Ullas version.", "__base__problem": base},
        headers=headers,
    )
    assert late.status_code == 409
    assert "Eriks version." in late.text
    stored = session.exec(select(Answer).where(Answer.question_id == "problem")).one()
    assert stored.value == "Eriks version."
    fresh = BeautifulSoup(late.text, "html.parser").find("button", attrs={"hx-vals": True})
    kept = client.post(
        f"/drafts/{draft.id}/answers/problem",
        data={"problem": "Ullas version.", "__base__problem": fresh["hx-vals"].split('"')[3]},
        headers=headers,
    )
    assert kept.status_code == 200 and "Sparat" in kept.text
    session.expire_all()
    assert session.exec(select(Answer).where(Answer.question_id == "problem")).one().value == (
        "Ullas version."
    )


def test_two_people_autosaving_different_answers_never_conflict(
    app: FastAPI, client: TestClient, session: Session, content: Content
) -> None:
    draft, other = _two_editors(app, client, session, content)
    page = BeautifulSoup(client.get(f"/drafts/{draft.id}/steps/basics").text, "html.parser")
    bases = {name: page.find(id=f"base-{name}")["value"] for name in ("contact_name", "title")}
    headers = {"X-CSRF-Token": csrf_from(str(page)), "HX-Request": "true"}
    other.post(
        f"/drafts/{draft.id}/answers/contact_name",
        data={"contact_name": "Erik", "__base__contact_name": bases["contact_name"]},
        headers={"X-CSRF-Token": csrf_from(other.get("/").text), "HX-Request": "true"},
    )
    mine = client.post(
        f"/drafts/{draft.id}/answers/title",
        data={"title": "Ny titel", "__base__title": bases["title"]},
        headers=headers,
    )
    assert mine.status_code == 200


def test_replacing_an_organisation_template_takes_a_second_look(
    client: TestClient, session: Session
) -> None:
    organisation = make_organisation(session, "Mallkommun")
    make_user(session, "agare@mall.se", organisation)
    login(client, "agare@mall.se")
    url = f"/organisations/{organisation.id}/templates"
    template = {
        "id": "EGEN-001",
        "area": "it",
        "obligation": "ska",
        "kind": "function",
        "type": "teknisk_specifikation",
        "level": "bas",
        "title_sv": "Felanmälan",
        "title_en": "Fault reports",
        "text_sv": "Tjänsten ska ta emot felanmälan dygnet runt.",
        "text_en": "The service shall take fault reports at any hour.",
        "motive_sv": "Fel upptäcks också på natten.",
        "motive_en": "Faults are found at night too.",
        "verification_sv": "Beskrivning i anbudet.",
        "verification_en": "Description in the tender.",
    }
    first = client.post(url, data={"csrf_token": csrf_from(client.get(url).text), **template})
    assert first.status_code == 200
    second = client.post(
        url,
        data={**template, "text_sv": "Ny text.", "csrf_token": csrf_from(client.get(url).text)},
    )
    assert second.status_code == 409
    page = BeautifulSoup(second.text, "html.parser")
    assert "EGEN-001" in page.find(id="id-error").get_text()
    replaced = client.post(url, data=_form_data(second.text, url) | {"text_sv": "Ny text."})
    assert replaced.status_code == 200
    assert session.exec(select(Organisation)).first() is not None


def test_saving_one_field_of_a_need_does_not_hand_back_a_base_for_another(
    app: FastAPI, client: TestClient, session: Session, content: Content
) -> None:
    """The base of a field moves only with a save of that field: a save of the need's text
    answered after someone changed its kinds must not let my old kinds overwrite theirs."""
    draft, other = _two_editors(app, client, session, content)
    page = BeautifulSoup(client.get(f"/drafts/{draft.id}/steps/needs").text, "html.parser")
    row = page.find("fieldset", id=lambda value: value and value.startswith("row-needs-"))
    need = row["id"].removeprefix("row-needs-")
    what, kinds = f"needs-{need}-what", f"needs-{need}-kinds"
    bases = {name: page.find(id=f"base-{name}")["value"] for name in (what, kinds)}
    headers = {"X-CSRF-Token": csrf_from(str(page)), "HX-Request": "true"}
    url = f"/drafts/{draft.id}/groups/needs/rows/{need}"
    other.post(
        url,
        data={f"{kinds}__present": "1", kinds: "safety", f"__base__{kinds}": bases[kinds]},
        headers={"X-CSRF-Token": csrf_from(other.get("/").text), "HX-Request": "true"},
    )
    text = client.post(
        url, data={what: "Kunna larma dygnet runt", f"__base__{what}": bases[what]}, headers=headers
    )
    assert text.status_code == 200 and "Sparat" in text.text
    answered = BeautifulSoup(text.text, "html.parser")
    assert answered.find(id=f"base-{what}") is not None
    # The browser swaps in what came back; the kinds keep the base the page was opened with.
    bases.update(
        {item["id"].removeprefix("base-"): item["value"] for item in answered.select("input")}
    )
    late = client.post(
        url,
        data={f"{kinds}__present": "1", kinds: "access", f"__base__{kinds}": bases[kinds]},
        headers=headers,
    )
    assert late.status_code == 409
    assert "Någon annan ändrade" in late.text
