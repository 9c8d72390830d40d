"""People in a real browser: the owner invites a colleague and copies the link, the colleague
makes an account from it; the owner shares a draft and invites a reviewer from another
organisation, who sees that draft only; a password link is used. axe-core finds nothing on
any of these pages, with and without errors shown, in Swedish and English."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.test_accessibility import _logged_in, violations

pytestmark = pytest.mark.e2e

PASSWORD = "ett långt lösenord för test"


def _new_account(browser: Any, link: str, name: str, locale: str) -> Any:
    page = browser.new_context(locale="sv-SE").new_page()
    page.goto(link)
    if locale == "en":
        page.get_by_role("button", name="English").click()
    return page


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_people_and_sharing_in_the_browser(live_server: str, browser: Any, locale: str) -> None:
    sv = locale == "sv"
    name = f"Kim Kollega {locale}"
    found: dict[str, list[str]] = {}
    owner = _logged_in(browser, live_server, "upphandlare@demo.se", locale)
    draft = str(owner.locator("table a").first.get_attribute("href"))
    owner.get_by_role("link", name="personer" if sv else "people").first.click()
    owner.get_by_role("heading", name="Personer" if sv else "People").wait_for()
    found["people"] = violations(owner)

    owner.get_by_label("E-postadress" if sv else "Email address").fill("inte en adress")
    owner.get_by_role(
        "button", name="Skapa en inbjudningslänk" if sv else "Make an invitation link"
    ).click()
    owner.locator(".error-summary").wait_for()
    found["people, invitation with an error"] = violations(owner)
    owner.get_by_label("E-postadress" if sv else "Email address").fill(f"kollega-{locale}@demo.se")
    owner.get_by_label("Roll" if sv else "Role", exact=True).select_option("editor")
    owner.get_by_role(
        "button", name="Skapa en inbjudningslänk" if sv else "Make an invitation link"
    ).click()
    link = owner.get_by_label("Inbjudningslänk" if sv else "Invitation link").input_value()
    found["people, link shown"] = violations(owner)

    colleague = _new_account(browser, link, name, locale)
    found["invitation"] = violations(colleague)
    colleague.get_by_role(
        "button", name="Skapa kontot och ta emot inbjudan" if sv else "Make the account and accept"
    ).click()
    colleague.locator(".error-summary").wait_for()
    found["invitation with errors"] = violations(colleague)
    colleague.get_by_label("Ditt namn" if sv else "Your name").fill(name)
    colleague.get_by_label("Lösenord" if sv else "Password", exact=True).fill(PASSWORD)
    colleague.get_by_label("Lösenordet igen" if sv else "The password again").fill(PASSWORD)
    colleague.get_by_role(
        "button", name="Skapa kontot och ta emot inbjudan" if sv else "Make the account and accept"
    ).click()
    colleague.wait_for_url(live_server + "/")
    assert name in colleague.locator("header").inner_text()

    # The owner shares the draft with the colleague as reviewer, and invites an outsider.
    owner.goto(live_server + draft)
    owner.get_by_role("link", name="Delning" if sv else "Sharing").click()
    found["sharing"] = violations(owner)
    owner.get_by_label("Medlem" if sv else "Member", exact=True).select_option(
        label=f"{name} ({'redaktör' if sv else 'editor'})"
    )
    owner.get_by_label("Roll i utkastet" if sv else "Role on this draft").select_option("viewer")
    owner.get_by_role("button", name="Dela" if sv else "Share", exact=True).click()
    assert name in owner.locator("main table").inner_text()
    owner.get_by_label("E-postadress" if sv else "Email address").fill(f"jurist-{locale}@inkop.se")
    owner.get_by_role(
        "button", name="Skapa en inbjudningslänk" if sv else "Make an invitation link"
    ).click()
    outside_link = owner.get_by_label("Inbjudningslänk" if sv else "Invitation link").input_value()
    found["sharing, link shown"] = violations(owner)

    lawyer = _new_account(browser, outside_link, "Jo Jurist", locale)
    lawyer.get_by_label("Ditt namn" if sv else "Your name").fill("Jo Jurist")
    lawyer.get_by_label("Lösenord" if sv else "Password", exact=True).fill(PASSWORD)
    lawyer.get_by_label("Lösenordet igen" if sv else "The password again").fill(PASSWORD)
    lawyer.get_by_role(
        "button", name="Skapa kontot och ta emot inbjudan" if sv else "Make the account and accept"
    ).click()
    lawyer.wait_for_url(f"**{draft}")
    lawyer.goto(live_server + "/")
    assert lawyer.locator("main table tbody tr").count() == 1

    # A password link for the colleague, used once.
    owner.goto(live_server + "/")
    owner.get_by_role("link", name="personer" if sv else "people").first.click()
    owner.get_by_role(
        "button",
        name=(f"Skapa en lösenordslänk för {name}" if sv else f"Make a password link for {name}"),
    ).click()
    reset_link = owner.get_by_label(
        "Länk för att välja lösenord" if sv else "Link to set a password"
    ).input_value()
    person = browser.new_context(locale="sv-SE").new_page()
    person.goto(reset_link)
    if not sv:
        person.get_by_role("button", name="English").click()
    person.get_by_role("button", name="Spara lösenordet" if sv else "Set the password").click()
    person.locator(".error-summary").wait_for()
    found["password link with an error"] = violations(person)

    owner.goto(live_server + "/account")
    found["account"] = violations(owner)
    for page in (owner, colleague, lawyer, person):
        page.context.close()
    assert {name: items for name, items in found.items() if items} == {}
