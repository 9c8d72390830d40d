"""The reviewer's journey in a real browser, from login to the end, by labels and roles: the
officer shares the draft with a lawyer of another organisation and submits it; the lawyer
opens the invitation, comments on a requirement and on a need and requests changes; the
officer changes the need, answers, resolves and submits again; the lawyer approves, the owner
approves, and the approved PDF carries no UTKAST while the one during review did."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from tests.e2e.conftest import exported
from tests.e2e.test_accessibility import _logged_in

pytestmark = pytest.mark.e2e

PASSWORD = "juristens långa lösenord"


def pdf_text(page: Any, link_name: str) -> str:
    reader = PdfReader(io.BytesIO(exported(page, link_name)))
    return "\n".join(sheet.extract_text() or "" for sheet in reader.pages)


def test_a_review_round_from_invitation_to_an_approved_pdf(live_server: str, browser: Any) -> None:
    officer = _logged_in(browser, live_server, "upphandlare@demo.se", "sv")
    officer.locator("main table a").first.click()
    draft = officer.url.removeprefix(live_server)
    title = officer.get_by_role("heading", level=1).inner_text()

    # Shared with a lawyer of another organisation, then submitted.
    officer.get_by_role("link", name="Delning").click()
    officer.get_by_label("E-postadress").fill("jurist@inkopscentralen.se")
    officer.get_by_role("button", name="Skapa en inbjudningslänk").click()
    link = officer.get_by_label("Inbjudningslänk").input_value()
    officer.get_by_role("button", name="Skicka för granskning").click()
    officer.get_by_text("Utkastet är skickat för granskning").wait_for()

    lawyer = browser.new_context(locale="sv-SE").new_page()
    lawyer.goto(link)
    lawyer.get_by_label("Ditt namn").fill("Jenny Jurist")
    lawyer.get_by_label("Lösenord", exact=True).fill(PASSWORD)
    lawyer.get_by_label("Lösenordet igen").fill(PASSWORD)
    lawyer.get_by_role("button", name="Skapa kontot och ta emot inbjudan").click()
    lawyer.wait_for_url(f"**{draft}")
    assert "Under granskning" in lawyer.locator(".status-banner").inner_text()

    # A comment on a requirement, from the Krav page.
    lawyer.goto(live_server + f"{draft}/requirements")
    requirement_link = lawyer.get_by_role("link", name=re.compile(r"^Kommentera ")).first
    requirement_link.click()
    requirement_title = lawyer.get_by_role("heading", level=1).inner_text()
    lawyer.get_by_label("Din kommentar").fill("Hur ska leverantören visa detta?")
    lawyer.get_by_role("button", name="Skicka kommentaren").click()
    # A comment on a need, from the needs step, read as text.
    lawyer.goto(live_server + f"{draft}/steps/needs")
    assert lawyer.locator("main textarea").count() == 0
    lawyer.get_by_role("link", name=re.compile(r"^Kommentera ")).first.click()
    need_title = lawyer.get_by_role("heading", level=1).inner_text()
    lawyer.get_by_label("Din kommentar").fill("Vem saknar mobil? Beskriv dem också.")
    lawyer.get_by_role("button", name="Skicka kommentaren").click()
    # Changes requested.
    lawyer.goto(live_server + f"{draft}/review")
    lawyer.get_by_label("Jag begär ändringar").check()
    lawyer.get_by_label(re.compile("^Din kommentar")).fill("Se mina två kommentarer.")
    lawyer.get_by_role("button", name="Lämna omdömet").click()
    lawyer.get_by_text("Ditt omdöme är sparat").wait_for()

    # The officer is told, reads the comments, changes the need, answers and resolves.
    officer.goto(live_server + "/inbox")
    assert "Jenny Jurist" in officer.locator("main").inner_text()
    officer.goto(live_server + f"{draft}/comments")
    threads = officer.locator("article.thread")
    assert threads.count() == 2
    main_text = officer.locator("main").inner_text()
    assert requirement_title in main_text and need_title in main_text
    during_review = officer.goto(live_server + f"{draft}/export")
    assert during_review is not None
    assert "UTKAST" in pdf_text(officer, "Ladda ner förfrågningsunderlaget (PDF)")

    officer.goto(live_server + f"{draft}/steps/needs")
    who = officer.locator("main textarea").first
    who.fill(who.input_value() + " Även de som saknar mobil ska kunna ansöka på papper.")
    who.blur()
    officer.locator("main .saved").first.wait_for()
    officer.goto(live_server + f"{draft}/comments")
    for _ in range(2):
        thread = officer.locator("article.thread").first
        thread.get_by_label("Svara").fill("Åtgärdat, se nya texten.")
        thread.get_by_role("button", name="Skicka svar").click()
        officer.locator("article.thread").first.get_by_role(
            "button", name=re.compile("^Markera som löst")
        ).click()
        officer.wait_for_load_state()
    assert officer.locator("article.thread").count() == 0
    officer.goto(live_server + draft)
    officer.get_by_role("button", name="Skicka för granskning igen").click()
    officer.get_by_text("revision 2").first.wait_for()

    # The lawyer approves, then the owner.
    lawyer.goto(live_server + f"{draft}/review")
    lawyer.get_by_label("Jag godkänner det").check()
    lawyer.get_by_role("button", name="Lämna omdömet").click()
    lawyer.get_by_text("Ditt omdöme är sparat").wait_for()
    officer.goto(live_server + f"{draft}/review")
    assert "Jenny Jurist" in officer.locator(".verdict-list").inner_text()
    officer.get_by_role("button", name="Godkänn revision 2").click()
    officer.get_by_text("Utkastet är godkänt").wait_for()
    assert "Godkänt" in officer.locator(".status-banner").inner_text()

    officer.goto(live_server + f"{draft}/export")
    text = pdf_text(officer, "Ladda ner förfrågningsunderlaget (PDF)")
    assert "UTKAST" not in text
    assert title.split()[0] in text
    officer.context.close()
    lawyer.context.close()
