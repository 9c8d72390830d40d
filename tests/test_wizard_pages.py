"""Wizard pages: every page in both languages, autosave, validation, conditions, history."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.content import Content
from app.middleware import LOCALE_COOKIE
from tests.conftest import csrf_from, login
from tests.factories import make_draft, make_organisation, make_user


@pytest.fixture()
def draft_url(client: TestClient, session: Session, content: Content) -> str:
    organisation = make_organisation(session, "Demo kommun")
    user = make_user(session, "ulla@demo.se", organisation)
    draft = make_draft(session, organisation, user, content=content, filled=True)
    login(client, "ulla@demo.se")
    return f"/drafts/{draft.id}"


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_every_page_renders_in_both_languages(
    client: TestClient, draft_url: str, content: Content, locale: str
) -> None:
    client.cookies.set(LOCALE_COOKIE, locale)
    paths = ["/", draft_url, f"{draft_url}/requirements", f"{draft_url}/export"]
    paths += [f"{draft_url}/steps/{step.id}" for step in content.wizard.steps]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        page = BeautifulSoup(response.text, "html.parser")
        assert page.html["lang"] == locale
        assert page.find("h1") is not None, path
    client.cookies.delete(LOCALE_COOKIE)
    assert client.get("/login").status_code == 200


def test_autosave_error_is_shown_in_the_users_language(client: TestClient, draft_url: str) -> None:
    token = csrf_from(client.get(f"{draft_url}/steps/basics").text)
    headers = {"X-CSRF-Token": token, "HX-Request": "true"}
    response = client.post(
        f"{draft_url}/answers/estimated_value", data={"estimated_value": "massor"}, headers=headers
    )
    assert "måste vara ett tal" in response.text
    client.cookies.set(LOCALE_COOKIE, "en")
    response = client.post(
        f"{draft_url}/answers/estimated_value", data={"estimated_value": "lots"}, headers=headers
    )
    assert "must be a number" in response.text
    # The stored answer is untouched by the invalid input.
    page = BeautifulSoup(client.get(f"{draft_url}/steps/basics").text, "html.parser")
    assert page.find(id="estimated_value")["value"] == "2000000"


def test_plain_form_post_keeps_what_was_typed_and_links_the_error(
    client: TestClient, draft_url: str
) -> None:
    token = csrf_from(client.get(f"{draft_url}/steps/basics").text)
    response = client.post(
        f"{draft_url}/steps/basics",
        data={
            "csrf_token": token,
            "organisation_unit": "Bygglovsenheten",
            "cpv_codes": "72212000, 48000000-8",
        },
    )
    assert response.status_code == 400
    page = BeautifulSoup(response.text, "html.parser")
    assert page.find(class_="error-summary").find("a")["href"] == "#cpv_codes"
    assert page.find(id="cpv_codes")["value"] == "72212000, 48000000-8"
    assert page.find(id="cpv_codes")["aria-invalid"] == "true"
    # The valid answer in the same post was saved.
    again = BeautifulSoup(client.get(f"{draft_url}/steps/basics").text, "html.parser")
    assert again.find(id="organisation_unit")["value"] == "Bygglovsenheten"


def test_conditional_question_appears_when_its_condition_holds(
    client: TestClient, draft_url: str, content: Content
) -> None:
    conditional = [q for q in content.wizard.questions.values() if q.show_if is not None]
    assert conditional
    framework = content.wizard.questions["framework_agreement"]
    assert framework.show_if is not None
    token = csrf_from(client.get(f"{draft_url}/steps/basics").text)
    headers = {"X-CSRF-Token": token, "HX-Request": "true"}
    low = client.post(
        f"{draft_url}/answers/estimated_value", data={"estimated_value": "100000"}, headers=headers
    )
    wrapper = BeautifulSoup(low.text, "html.parser").find(id="q-framework_agreement-wrapper")
    assert wrapper is not None and wrapper.has_attr("hidden") and wrapper["hx-swap-oob"] == "true"
    high = client.post(
        f"{draft_url}/answers/estimated_value", data={"estimated_value": "5000000"}, headers=headers
    )
    wrapper = BeautifulSoup(high.text, "html.parser").find(id="q-framework_agreement-wrapper")
    assert wrapper is not None and not wrapper.has_attr("hidden")
    assert wrapper.find("input", attrs={"name": "framework_agreement"}) is not None


def test_autosave_sends_only_the_questions_of_its_own_step(
    client: TestClient, draft_url: str, content: Content
) -> None:
    """The area decides which questions step 5 shows; saving it on step 1 must not send those
    questions out of band to a page that has no place for them."""
    wizard = content.wizard
    elsewhere = [q for q in wizard.dependants["area"] if wizard.step_of[q.id] != "basics"]
    assert elsewhere
    token = csrf_from(client.get(f"{draft_url}/steps/basics").text)
    response = client.post(
        f"{draft_url}/answers/area",
        data={"area": "it"},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    sent = {element["id"] for element in page.select("[hx-swap-oob]")}
    assert not sent & {f"q-{question.id}-wrapper" for question in elsewhere}
    basics = BeautifulSoup(client.get(f"{draft_url}/steps/basics").text, "html.parser")
    assert all(basics.find(id=element_id) is not None for element_id in sent)
    # A repeatable group on the same step keeps its rows: no placeholder replaces it.
    assert content.wizard.questions["rfi_questions"].is_group
    token = csrf_from(client.get(f"{draft_url}/steps/innovation").text)
    response = client.post(
        f"{draft_url}/answers/market_dialogue",
        data={"market_dialogue": "none"},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    sent = {e["id"] for e in BeautifulSoup(response.text, "html.parser").select("[hx-swap-oob]")}
    innovation = BeautifulSoup(client.get(f"{draft_url}/steps/innovation").text, "html.parser")
    assert "q-rfi_questions-wrapper" not in sent
    assert all(innovation.find(id=element_id) is not None for element_id in sent)


def test_questions_to_the_market_show_only_when_a_dialogue_is_done_or_planned(
    client: TestClient, draft_url: str
) -> None:
    """The group of questions to the market follows its condition on the page and in the
    autosave, and its rows stay where they are."""

    def shown(html: str) -> str | None:
        marker = BeautifulSoup(html, "html.parser").find(id="shows-rfi_questions")
        return None if marker is None else marker["data-visible"]

    path = f"{draft_url}/steps/innovation"
    page = client.get(path).text
    assert shown(page) == "false"
    # The marker sits right before the group, which the stylesheet hides after a false marker.
    marker = BeautifulSoup(page, "html.parser").find(id="shows-rfi_questions")
    assert marker.find_next_sibling()["id"] == "group-rfi_questions"
    token = csrf_from(page)
    headers = {"X-CSRF-Token": token, "HX-Request": "true"}
    planned = client.post(
        f"{draft_url}/answers/market_dialogue", data={"market_dialogue": "planned"}, headers=headers
    )
    assert shown(planned.text) == "true"
    assert "group-rfi_questions" not in planned.text
    assert shown(client.get(path).text) == "true"
    none = client.post(
        f"{draft_url}/answers/market_dialogue", data={"market_dialogue": "none"}, headers=headers
    )
    assert shown(none.text) == "false"


def test_htmx_gets_a_fragment_but_history_restore_gets_the_whole_page(
    client: TestClient, draft_url: str
) -> None:
    path = f"{draft_url}/steps/basics"
    full = client.get(path)
    assert full.text.lstrip().lower().startswith("<!doctype html>")
    assert "HX-Request" in full.headers["vary"]
    partial = client.get(path, headers={"HX-Request": "true"})
    assert "<html" not in partial.text and 'id="step-body"' in partial.text
    restore = client.get(path, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert restore.text.lstrip().lower().startswith("<!doctype html>")


def test_needs_are_added_and_removed_without_losing_other_rows(
    client: TestClient, draft_url: str
) -> None:
    token = csrf_from(client.get(f"{draft_url}/steps/needs").text)
    headers = {"X-CSRF-Token": token, "HX-Request": "true"}
    added = BeautifulSoup(
        client.post(f"{draft_url}/groups/needs/rows", headers=headers).text, "html.parser"
    )
    new_id = added.find("fieldset")["id"].removeprefix("row-needs-")
    assert (
        client.post(f"{draft_url}/groups/needs/rows/{new_id}/delete", headers=headers).status_code
        == 200
    )
    page = BeautifulSoup(client.get(f"{draft_url}/steps/needs").text, "html.parser")
    rows = page.select("fieldset.need-row")
    assert len(rows) == 1
    assert "mobilen" in rows[0].find("textarea").get_text()
