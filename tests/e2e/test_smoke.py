"""Smoke test in a real browser: log in, create a draft, answer, add a need, download the PDF."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from app.seed import DEMO_PASSWORD
from tests.e2e.conftest import exported
from tests.e2e.htmx import settled

pytestmark = pytest.mark.e2e


def test_officer_creates_answers_and_downloads_the_pdf(
    live_server: str, browser: Any, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(accept_downloads=True, locale="sv-SE")
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )

    page.goto(live_server + "/")
    page.get_by_label("E-postadress").fill("upphandlare@demo.se")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(live_server + "/")
    assert "Demo kommun" in page.inner_text("main")

    page.get_by_label("Arbetsnamn").fill("Digitala trygghetslarm")
    page.get_by_role("button", name="Skapa utkast").click()
    page.get_by_role("link", name="Grunduppgifter").first.click()

    # Autosave: each answer is saved as it changes, without pressing a button.
    page.get_by_label("Tjänst").check()
    page.locator("#feedback-object_type .saved").wait_for()
    page.select_option("#area", "welfare_tech")
    page.locator("#feedback-area .saved").wait_for()
    page.get_by_label("Kommun, region eller annan upphandlande myndighet").check()
    page.locator("#feedback-authority_type .saved").wait_for()
    page.fill("#estimated_value", "3 500 000")
    page.locator("#feedback-estimated_value .saved").wait_for()
    # The guidance on the procedure follows the value.
    assert "tröskelvärde" in page.inner_text("#guidance-estimated_value")
    page.reload()
    assert page.input_value("#estimated_value") == "3500000"

    page.goto(page.url.replace("/steps/basics", "/steps/situation"))
    page.fill("#current_situation", "Larmen bygger på analog telefoni som nu stängs ner.")
    page.fill("#problem", "Larm når inte fram när telefonnätet är nere.")
    page.get_by_role("button", name="Spara och fortsätt").click()
    page.wait_for_url("**/steps/needs")
    page.get_by_role("button", name="Lägg till behov").click()
    row = page.locator("fieldset.need-row").first
    row.wait_for()
    settled(page)
    row.locator("input[type=text]").first.fill("Äldre som bor hemma med hemtjänst")
    row.locator("textarea").first.fill(
        "Kunna larma och få hjälp dygnet runt, även vid strömavbrott"
    )
    row.locator(".feedback .saved").wait_for()

    base = page.url.split("/steps/")[0]
    page.goto(base + "/steps/effect_goals")
    page.get_by_role("button", name="Lägg till effektmål").click()
    goal = page.locator("fieldset.need-row").first
    goal.wait_for()
    settled(page)
    goal.locator("input[type=text]").nth(0).fill("Larm når fram även vid strömavbrott")
    goal.locator("input[type=text]").nth(1).fill("Andel larm som når larmcentralen")
    goal.locator("input[type=text]").nth(3).fill("100 procent")
    goal.locator("input[type=checkbox]").first.check()
    goal.locator(".feedback .saved").wait_for()

    page.goto(base + "/steps/evaluation")
    page.get_by_label("Lägsta pris").check()
    page.locator("#feedback-award_model .saved").wait_for()
    page.goto(base + "/steps/administrative")
    page.fill("#tender_deadline", "2027-03-15")
    page.locator("#feedback-tender_deadline .saved").wait_for()

    page.goto(base + "/requirements")
    assert page.locator("li.requirement").count() > 0
    page.goto(page.url.replace("/requirements", "/export"))
    path = tmp_path / "tender.pdf"
    path.write_bytes(exported(page, "Ladda ner förfrågningsunderlaget (PDF)"))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    assert "Digitala trygghetslarm" in text and "UTKAST" in text
    page.screenshot(path=str(tmp_path / "export.png"), full_page=True)
    assert not [error for error in errors if "Content Security Policy" in error], errors
    context.close()
