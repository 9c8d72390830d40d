"""The officer's first steps with the keyboard only: Tab, Enter and Space, focus always seen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from app.seed import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

# What the focused element looks like, and what it is as a person would name it.
FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const label = element.labels && element.labels.length ? element.labels[0].innerText : "";
  return {
    tag: element.tagName.toLowerCase(),
    id: element.id,
    type: element.type || "",
    name: (label || element.innerText || element.value || "").trim(),
    ring: outline || style.boxShadow !== "none",
    seen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0,
  };
}"""


def tab_to(page: Any, wanted: str, limit: int = 120) -> dict[str, Any]:
    """Presses Tab until the focused element's name starts with `wanted`, checking on every
    stop that the focus can be seen."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "body":
            continue
        assert focused["ring"] and focused["seen"], f"focus not visible on {focused}"
        if focused["name"].startswith(wanted):
            return dict(focused)
    raise AssertionError(f"Tab never reached {wanted!r} on {page.url}")


def test_officer_starts_a_draft_with_the_keyboard_only(live_server: str, browser: Any) -> None:
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.goto(live_server + "/login")

    # The skip link comes first, shows itself and moves the focus to the main content.
    page.keyboard.press("Tab")
    skip = page.evaluate(FOCUSED)
    assert skip["name"] == "Hoppa till huvudinnehållet" and skip["ring"] and skip["seen"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.url.endswith("#main")

    # From main, the next Tab reaches the login form.
    assert tab_to(page, "E-postadress")["tag"] == "input"
    page.keyboard.type("upphandlare@demo.se")
    tab_to(page, "Lösenord")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server + "/")

    # The dashboard: a new draft.
    tab_to(page, "Arbetsnamn")
    page.keyboard.type("Skolskjuts med anpassade fordon")
    tab_to(page, "Skapa utkast")
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", level=1, name="Skolskjuts med anpassade fordon")
    ).to_be_visible()

    # The task list: the skip link passes the header and the step navigation.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    tab_to(page, "Grunduppgifter")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Grunduppgifter")).to_be_visible()

    # Grunduppgifter: a text answer, then a choice made with Space.
    tab_to(page, "Förvaltning eller enhet")
    page.keyboard.type("Utbildningsförvaltningen")
    first_choice = tab_to(page, "Vara")
    assert first_choice["type"] == "radio"
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="Vara")).to_be_checked()
    expect(page.locator("#feedback-organisation_unit .saved")).to_be_visible()
    expect(page.locator("#feedback-object_type .saved")).to_be_visible()
    # "Why we ask" opens with Enter.
    why = tab_to(page, "Varför vi frågar")
    assert why["tag"] == "summary"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.parentElement.open") is True
    # A wrong CPV code, sent with Enter on the button.
    tab_to(page, "CPV-koder")
    page.keyboard.type("fel")
    tab_to(page, "Spara och fortsätt")
    page.keyboard.press("Enter")

    # The error summary takes the focus, and Enter on its link puts the focus in the field.
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.evaluate("document.activeElement.closest('.error-summary') !== null")
    page.keyboard.press("Tab")
    link = page.evaluate(FOCUSED)
    assert link["tag"] == "a" and link["ring"] and link["seen"], link
    page.keyboard.press("Enter")
    field = page.evaluate(FOCUSED)
    assert field["id"] == "cpv_codes" and field["ring"] and field["seen"], field
    # The link puts the caret before the wrong text: delete it and type the right code.
    for _ in range(3):
        page.keyboard.press("Delete")
    page.keyboard.type("72212000-4")
    tab_to(page, "Spara och fortsätt")
    page.keyboard.press("Enter")

    # Nuläge och problem, then Behov: a need row added with Enter and written in.
    expect(page.get_by_role("heading", level=1, name="Nuläge och problem")).to_be_visible()
    tab_to(page, "Hur fungerar det i dag?")
    page.keyboard.type("Skolskjutsen körs med taxi som inte alltid kan ta rullstol.")
    tab_to(page, "Spara och fortsätt")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Behov")).to_be_visible()
    tab_to(page, "Lägg till behov")
    page.keyboard.press("Enter")
    need = page.get_by_role("group", name="Behov B1")
    expect(need).to_be_visible()
    tab_to(page, "Vem har behovet?")
    page.keyboard.type("Elever som använder rullstol")
    tab_to(page, "Lätt att använda")
    page.keyboard.press("Space")
    expect(need.get_by_label("Lätt att använda")).to_be_checked()
    expect(need.locator(".feedback .saved")).to_be_visible()
    context.close()
