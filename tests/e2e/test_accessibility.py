"""axe-core (WCAG 2.1 A and AA rules) finds no violations on the pages an officer uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.seed import DEMO_PASSWORD
from tests.e2e.htmx import settled

pytestmark = pytest.mark.e2e

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page: Any) -> list[str]:
    page.evaluate(AXE)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", RULES
    )
    return [
        f"{item['id']}: {item['help']} ({len(item['nodes'])}x, e.g. {item['nodes'][0]['target']})"
        for item in result["violations"]
    ]


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_pages_have_no_axe_violations(live_server: str, browser: Any, locale: str) -> None:
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.goto(live_server + "/login")
    if locale == "en":
        page.get_by_role("button", name="English").click()
    found = {"login": violations(page)}
    page.fill("#email", "upphandlare@demo.se")
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(live_server + "/")
    draft_link = page.locator("table a").first.get_attribute("href")
    paths = ["/", draft_link, "/library", "/library/IT-001", "/organisations/1/templates"]
    steps = [
        "basics",
        "situation",
        "needs",
        "effect_goals",
        "area_questions",
        "sustainability",
        "evaluation",
        "innovation",
        "administrative",
    ]
    paths += [f"{draft_link}/steps/{step}" for step in steps]
    paths += [
        f"{draft_link}/requirements",
        f"{draft_link}/requirements?status=suggested&need=B1",
        f"{draft_link}/requirements/sections/2/accepted",
        f"{draft_link}/requirements/new",
        f"{draft_link}/export",
        f"{draft_link}/delete",
        "/account",
        "/bin",
    ]
    for path in paths:
        page.goto(live_server + str(path))
        found[str(path)] = violations(page)
    # A form with errors: the error summary and the fields marked invalid.
    page.goto(live_server + f"{draft_link}/steps/basics")
    page.fill("#cpv_codes", "fel")
    page.locator("#step-form button[value=continue]").click()
    page.locator(".error-summary").wait_for()
    found["basics with errors"] = violations(page)
    # A conflict: someone else saved the problem while this page was open.
    page.goto(live_server + f"{draft_link}/steps/situation")
    other = browser.new_context(locale="sv-SE").new_page()
    other.goto(live_server + "/login")
    other.fill("#email", "upphandlare@demo.se")
    other.fill("#password", DEMO_PASSWORD)
    with other.expect_navigation():
        other.locator("main button[type=submit]").click()
    other.goto(live_server + f"{draft_link}/steps/situation")
    other.fill("#problem", f"Någon annans beskrivning av problemet ({locale}).")
    other.locator("#feedback-problem .saved").wait_for()
    page.fill("#problem", "Min beskrivning av problemet.")
    page.locator("#feedback-problem .conflict").wait_for()
    found["autosave conflict"] = violations(page)
    page.locator("#step-form button[value=continue]").click()
    page.locator(".error-summary").wait_for()
    found["step form conflict"] = violations(page)
    other.context.close()
    context.close()
    assert {path: items for path, items in found.items() if items} == {}


def _logged_in(browser: Any, live_server: str, email: str, locale: str) -> Any:
    page = browser.new_context(locale="sv-SE").new_page()
    page.goto(live_server + "/login")
    if locale == "en":
        page.get_by_role("button", name="English").click()
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(live_server + "/")
    return page


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_review_pages_have_no_axe_violations(live_server: str, browser: Any, locale: str) -> None:
    """A review round in the browser: the officer submits, the reviewer reads the draft as
    text, comments on a need and requests changes, the officer submits again and compares."""
    officer = _logged_in(browser, live_server, "upphandlare@demo.se", locale)
    draft = str(officer.locator("table a").first.get_attribute("href"))
    found: dict[str, list[str]] = {}

    def submit() -> None:
        officer.goto(live_server + draft)
        button = officer.locator(".status-actions form button")
        if button.count():
            button.first.click()
            officer.wait_for_url(f"**{draft}/review**")

    submit()
    found["review page (officer)"] = violations(officer)

    reviewer = _logged_in(browser, live_server, "granskare@demo.se", locale)
    reviewer.goto(live_server + f"{draft}/steps/needs")
    assert reviewer.locator("main textarea").count() == 0
    found["needs, read only"] = violations(reviewer)
    reviewer.locator("a[href*='kind=need']").first.click()
    found["comment form"] = violations(reviewer)
    reviewer.locator("main form button[type=submit]").last.click()
    reviewer.locator(".error-summary").wait_for()
    found["comment form with an error"] = violations(reviewer)
    reviewer.fill("#body", f"Vem har inte mobil? ({locale})")
    # Each form is answered before the next page is opened: a goto would cancel its post.
    with reviewer.expect_navigation():
        reviewer.locator("main form button[type=submit]").last.click()
    reviewer.goto(live_server + f"{draft}/review")
    found["review page (reviewer)"] = violations(reviewer)
    reviewer.check("#verdict-request")
    reviewer.locator("#verdict button[type=submit]").click()
    reviewer.locator(".error-summary").wait_for()
    found["verdict with an error"] = violations(reviewer)
    reviewer.check("#verdict-request")
    reviewer.fill("#verdict-comment", "Beskriv dem som saknar mobil.")
    with reviewer.expect_navigation():
        reviewer.locator("#verdict button[type=submit]").click()
    reviewer.goto(live_server + "/inbox")
    assert reviewer.locator(".inbox-item").count() >= 1
    found["inbox (reviewer)"] = violations(reviewer)

    for path in ("/comments", "/comments?state=all"):
        officer.goto(live_server + draft + path)
        found[path] = violations(officer)
    submit()
    diff = officer.goto(live_server + f"{draft}/revisions/1/diff/2")
    assert diff is not None and diff.status == 200
    found["diff"] = violations(officer)
    log = officer.goto(live_server + f"{draft}/log")
    assert log is not None and log.status == 200 and officer.locator("tbody tr").count() > 3
    found["log"] = violations(officer)
    officer.goto(live_server + "/inbox")
    found["inbox (officer)"] = violations(officer)
    officer.context.close()
    reviewer.context.close()
    assert {path: items for path, items in found.items() if items} == {}


def test_the_api_docs_have_no_axe_violations(live_server: str, browser: Any) -> None:
    """The vendored Swagger UI, with Kravlotsen's contrast fixes: as it opens, and with an
    operation expanded for trying it out."""
    page = browser.new_context().new_page()
    page.goto(live_server + "/docs")
    page.locator(".opblock").first.wait_for()
    found = {"docs": violations(page)}
    page.locator(".opblock-summary-control").first.click()
    page.locator(".try-out__btn").first.click()
    page.locator(".btn.execute").first.wait_for()
    found["docs, trying an operation"] = violations(page)
    page.context.close()
    assert {name: items for name, items in found.items() if items} == {}


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_findings_and_errors_have_no_axe_violations(
    live_server: str, browser: Any, locale: str
) -> None:
    """A fresh draft's every step, the checker's findings where the officer meets them (a
    need, a requirement being written, the Krav page, the export's blockers), and forms with
    their errors shown."""
    page = browser.new_context(locale="sv-SE").new_page()
    found: dict[str, list[str]] = {}
    page.goto(live_server + "/login")
    if locale == "en":
        page.get_by_role("button", name="English").click()
    page.fill("#email", "upphandlare@demo.se")
    page.fill("#password", "not the password")
    page.locator("main button[type=submit]").click()
    page.locator(".error-summary, .error-message").first.wait_for()
    found["login with an error"] = violations(page)
    page.fill("#email", "upphandlare@demo.se")
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(live_server + "/")

    page.locator("form[action='/drafts'] button[type=submit]").click()
    page.locator(".error-summary").wait_for()
    found["new draft without a title"] = violations(page)
    page.fill("#title", f"Lokalbokning ({locale})")
    page.locator("form[action='/drafts'] button[type=submit]").click()
    page.wait_for_url("**/drafts/*")
    draft = "/drafts/" + page.url.rstrip("/").rsplit("/", 1)[-1]
    found["fresh task list"] = violations(page)
    steps = [
        "basics",
        "situation",
        "needs",
        "effect_goals",
        "area_questions",
        "sustainability",
        "evaluation",
        "innovation",
        "administrative",
    ]
    for step in steps:
        page.goto(live_server + f"{draft}/steps/{step}")
        found[f"fresh {step}"] = violations(page)
    for path in ("/requirements", "/export"):
        page.goto(live_server + draft + path)
        found[f"fresh {path}"] = violations(page)

    page.goto(live_server + f"{draft}/steps/basics")
    page.check("input[name=object_type][value=tjanst]")
    page.locator("#feedback-object_type .saved").wait_for()
    page.select_option("#area", "it")
    page.locator("#feedback-area .saved").wait_for()
    # The checker reads texts in the document's language, which is chosen here.
    page.check(f"input[name=document_language][value={locale}]")
    page.locator("#feedback-document_language .saved").wait_for()
    page.goto(live_server + f"{draft}/steps/needs")
    page.locator("#group-needs button[type=submit]").click()
    row = page.locator("fieldset.need-row").first
    row.locator("textarea").first.wait_for()
    settled(page)
    vague = {
        "sv": "Ett modernt och flexibelt system, om möjligt i molnet",
        "en": "A modern and flexible system, if possible in the cloud",
    }
    row.locator("textarea").first.fill(vague[locale])
    row.locator(".live-check mark").first.wait_for()
    found["need with the checker's findings"] = violations(page)
    row.locator("input[type=text]").first.fill("Föreningar")
    row.locator("input[type=checkbox]").first.check()
    row.locator(".feedback .saved").wait_for()

    page.goto(live_server + f"{draft}/requirements/new")
    page.locator("form[action*='/requirements/'] button[type=submit]").click()
    page.locator(".error-summary").wait_for()
    found["own requirement with errors"] = violations(page)
    page.fill("#title", "Export")
    brand = {
        "sv": "Leverantören ska leverera bokningarna i Microsoft Excel.",
        "en": "The supplier shall deliver the bookings in Microsoft Excel.",
    }
    page.fill("#text", brand[locale])
    page.locator("#check-text mark").first.wait_for()
    found["own requirement, checked while written"] = violations(page)
    page.fill("#motive", "Redovisning.")
    page.fill("#verification", "Demonstration.")
    page.check("#obligation")
    page.check("#needs-B1")
    page.locator("form[action*='/requirements/'] button[type=submit]").click()
    page.wait_for_url(f"**{draft}/requirements*")
    page.locator(".finding-blocker").first.wait_for()
    found["Krav with the checker's findings"] = violations(page)
    edit = page.locator("li.requirement a[href$='/edit']").first
    edit.click()
    page.fill("#text", page.input_value("#text") + " Även i mobilen.")
    page.locator("form[action*='/requirements/'] button[type=submit]").click()
    page.wait_for_url(f"**{draft}/requirements*")
    page.goto(live_server + str(edit.get_attribute("href")))
    page.locator("details.diff").first.wait_for(state="attached")
    found["edited requirement with its difference"] = violations(page)
    page.goto(live_server + f"{draft}/export")
    page.locator(".error-summary").wait_for()
    found["export with blockers"] = violations(page)

    page.goto(live_server + "/account")
    page.fill("#current_password", "wrong")
    page.locator("form[action='/account/password'] button[type=submit]").click()
    page.locator(".error-summary").wait_for()
    found["account with errors"] = violations(page)
    page.goto(live_server + "/organisations/1/templates")
    page.locator("form[action='/organisations/1/templates'] button[type=submit]").click()
    page.locator(".error-summary").wait_for()
    found["own template with errors"] = violations(page)
    page.goto(live_server + f"/library?q=tillg%C3%A4nglighet&draft={draft.rsplit('/', 1)[-1]}")
    found["library search for a draft"] = violations(page)
    page.goto(live_server + "/drafts/999999")
    found["not found"] = violations(page)
    page.context.close()
    assert {name: items for name, items in found.items() if items} == {}
