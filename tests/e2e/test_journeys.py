"""The officer's journey in a real browser, from login to the downloaded tender document,
found by labels and roles as a person sees them."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from app.seed import DEMO_PASSWORD
from tests.e2e.conftest import exported
from tests.e2e.htmx import settled

pytestmark = pytest.mark.e2e

BRAND_TEXT = "Bokningarna ska kunna exporteras till Microsoft Excel."
FIXED_TEXT = "Bokningarna ska kunna exporteras till Microsoft Excel eller likvärdigt."


def log_in(page: Any, live_server: str, email: str = "upphandlare@demo.se") -> None:
    page.goto(live_server + "/login")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(live_server + "/")


def save_and_continue(page: Any, next_heading: str) -> None:
    page.get_by_role("button", name="Spara och fortsätt").click()
    expect(page.get_by_role("heading", level=1, name=next_heading)).to_be_visible()


def saved(page: Any, question: str) -> None:
    """Waits for the autosave of one question to confirm it is stored."""
    expect(page.locator(f"#feedback-{question} .saved")).to_be_visible()


def test_officer_writes_a_tender_from_scratch_and_downloads_it(
    live_server: str, browser: Any
) -> None:
    context = browser.new_context(accept_downloads=True, locale="sv-SE")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: (
            problems.append(f"{page.url}: {message.text} {message.args}")
            if message.type == "error"
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    log_in(page, live_server)

    # The dashboard: a new draft from scratch.
    page.get_by_label("Arbetsnamn").fill("Bokning av kommunens lokaler")
    page.get_by_role("button", name="Skapa utkast").click()
    expect(
        page.get_by_role("heading", level=1, name="Bokning av kommunens lokaler")
    ).to_be_visible()
    tasks = page.get_by_role("main").get_by_role("list").last
    expect(tasks.get_by_role("listitem").filter(has_text="Krav")).to_contain_text("(0 krav)")
    tasks.get_by_role("link", name="Grunduppgifter").click()

    # 1. Grunduppgifter.
    expect(page.get_by_role("heading", level=1, name="Grunduppgifter")).to_be_visible()
    expect(page.get_by_label("Upphandlingens namn")).to_have_value("Bokning av kommunens lokaler")
    page.get_by_label("Förvaltning eller enhet").fill("Kultur- och fritidsförvaltningen")
    page.get_by_label("Diarienummer").fill("KFN 2026/0101")
    page.get_by_role("group", name="Vad ska upphandlas?").get_by_label("Tjänst").check()
    saved(page, "object_type")
    page.get_by_label("Upphandlingsområde").select_option(label="IT-system och e-tjänster")
    saved(page, "area")
    page.get_by_label("Kommun, region eller annan upphandlande myndighet").check()
    saved(page, "authority_type")
    page.get_by_label("Uppskattat värde för hela kontraktstiden").fill("1 800 000")
    saved(page, "estimated_value")
    expect(page.locator("#guidance-estimated_value")).to_contain_text("tröskelvärde")
    save_and_continue(page, "Nuläge och problem")

    # 2. Nuläge och problem.
    page.get_by_label("Hur fungerar det i dag?").fill(
        "Föreningar bokar lokaler per telefon och e-post; bokningarna förs i ett kalkylark."
    )
    page.get_by_label("Vad är problemet?").fill(
        "Dubbelbokningar och långa svarstider; ingen ser vilka lokaler som är lediga."
    )
    page.get_by_label("Ja, flera leverantörer har lösningar").check()
    save_and_continue(page, "Behov")

    # 3. Behov: one need, written in the row that "Lägg till behov" adds.
    page.get_by_role("button", name="Lägg till behov").click()
    need = page.get_by_role("group", name="Behov B1")
    need.wait_for()
    settled(page)
    need.get_by_label("Vem har behovet?").fill("Föreningar som hyr kommunens lokaler")
    need.get_by_label("Vad behöver de kunna göra eller uppnå?").fill(
        "Se lediga tider och boka en lokal själva, när som helst på dygnet"
    )
    need.get_by_label("Lätt att använda").check()
    need.get_by_label("Tillgång när och där den behövs").check()
    expect(need.locator(".feedback .saved")).to_be_visible()
    save_and_continue(page, "Effektmål")

    # 4. Effektmål, linked to the need.
    page.get_by_role("button", name="Lägg till effektmål").click()
    goal = page.get_by_role("group", name="Effektmål E1")
    goal.wait_for()
    settled(page)
    goal.get_by_label("Vad ska bli bättre?").fill("Färre dubbelbokningar av lokaler")
    goal.get_by_label("Hur mäts det?").fill("Antal dubbelbokningar per år, enligt bokningssystemet")
    goal.get_by_label("Målvärde och datum").fill("Inga dubbelbokningar senast 2028")
    goal.get_by_label(re.compile("^B1")).check()
    expect(goal.locator(".feedback .saved")).to_be_visible()
    save_and_continue(page, "Funktion och prestanda")

    # 5. The area's questions.
    users = page.get_by_role("group", name=re.compile("Vilka kommer att använda"))
    users.get_by_label("Företag och föreningar").check()
    saved(page, "users")
    personal_data = page.get_by_role("group", name=re.compile("behandla personuppgifter"))
    personal_data.get_by_label("Ja").check()
    saved(page, "personal_data")
    # A question that depends on the answer appears.
    sensitive = page.get_by_role("group", name=re.compile("känsliga personuppgifter"))
    sensitive.get_by_label("Nej").check()
    saved(page, "sensitive_data")
    save_and_continue(page, "Hållbarhet")

    # 6. Hållbarhet.
    page.get_by_role("group", name=re.compile("miljökraven")).get_by_label("Bas").check()
    saved(page, "environment_ambition")
    save_and_continue(page, "Krav")

    # 7. Krav: accept a whole section, accept one more, edit one, write an own requirement.
    expect(page.locator("li.requirement").first).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Godta förslagen i K2")).click()
    page.get_by_role("button", name="Ja, godta dem").click()
    expect(page.get_by_role("heading", level=1, name="Krav")).to_be_visible()
    section = page.locator("#section-2")
    expect(section.locator(".section-summary")).to_contain_text("Att ta ställning till: 0.")
    expect(section.locator("li.requirement-accepted").first).to_be_visible()

    undecided = page.locator("li.requirement-suggested").first
    title = undecided.get_by_role("heading").inner_text().strip()
    undecided.get_by_role("button", name=re.compile("^Godta")).click()
    accepted_one = page.locator("li.requirement").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )
    expect(accepted_one.get_by_text("Godtaget", exact=True)).to_be_visible()

    first = section.locator("li.requirement").first
    edited_title = first.get_by_role("heading").inner_text()
    first.get_by_role("link", name=re.compile("^Ändra")).click()
    expect(page.get_by_role("heading", level=1, name="Ändra krav")).to_be_visible()
    text = page.get_by_label("Kravtext")
    edited_text = text.input_value().rstrip(".") + ", även på mobiltelefon."
    text.fill(edited_text)
    page.get_by_role("button", name="Spara kravet").click()
    expect(page.get_by_role("heading", level=1, name="Krav")).to_be_visible()
    edited = page.locator("li.requirement").filter(has_text=edited_text)
    expect(edited.get_by_text("Ändrat", exact=True)).to_be_visible()
    assert edited_title

    # An own requirement that names a brand: the checker flags it as the officer types.
    page.get_by_role("link", name="Skriv ett eget krav").click()
    page.get_by_label("Titel").fill("Export av bokningar")
    page.get_by_label("Kravtext").fill(BRAND_TEXT)
    expect(page.locator("#check-text")).to_contain_text("Microsoft Excel")
    expect(page.locator("#check-text")).to_contain_text("eller likvärdigt")
    page.get_by_label("Motiv").fill("Föreningarna redovisar sina bokningar till kommunen.")
    page.get_by_label("Verifikat").fill("Leverantören visar exporten vid en demonstration.")
    page.get_by_label("Ska-krav").check()
    page.get_by_label(re.compile("^B1")).check()
    page.get_by_role("button", name="Spara kravet").click()
    own = page.locator("li.requirement").filter(has_text=BRAND_TEXT)
    expect(own.get_by_text("Skrivet av dig")).to_be_visible()
    expect(own.locator(".findings")).to_contain_text("Måste åtgärdas")
    expect(own.locator("mark")).to_contain_text("Microsoft Excel")

    # The export is stopped by the finding; the officer follows the link and fixes it.
    page.goto(page.url.split("/requirements")[0] + "/export")
    blockers = page.get_by_role("alert", name="Åtgärda detta innan du exporterar")
    expect(blockers).to_contain_text("varumärke")
    expect(page.get_by_role("button", name="Ladda ner förfrågningsunderlaget (PDF)")).to_have_count(
        0
    )
    blockers.get_by_role("link", name=re.compile("anger ett varumärke")).click()
    # The link lands on the requirement itself.
    own = page.locator("li.requirement").filter(has_text=BRAND_TEXT)
    assert page.url.endswith("#" + str(own.get_attribute("id")))
    expect(own).to_be_in_viewport()
    own.get_by_role("link", name=re.compile("^Ändra")).click()
    page.get_by_label("Kravtext").fill(FIXED_TEXT)
    expect(page.locator("#check-text")).to_contain_text("inget att anmärka")
    page.get_by_label("Varför ett varumärke").fill(
        "Föreningarnas redovisningsmallar finns bara som kalkylark."
    )
    page.get_by_role("button", name="Spara kravet").click()
    fixed = page.locator("li.requirement").filter(has_text=FIXED_TEXT)
    expect(fixed.locator(".finding-blocker")).to_have_count(0)
    page.get_by_role("link", name="Fortsätt").click()

    # 8.-10. Utvärdering, innovation and the administrative terms.
    expect(page.get_by_role("heading", level=1, name="Utvärdering")).to_be_visible()
    page.get_by_label("Lägsta pris").check()
    saved(page, "award_model")
    save_and_continue(page, "Marknad, innovation och konkurrens")
    page.get_by_role("group", name=re.compile("dialog med marknaden")).get_by_label("Nej").check()
    saved(page, "market_dialogue")
    save_and_continue(page, "Tidplan, pris och villkor")
    page.get_by_label("Öppet förfarande").check()
    saved(page, "procedure")
    page.get_by_label("Sista dag för anbud").fill("2027-03-15")
    saved(page, "tender_deadline")
    save_and_continue(page, "Granska svaren och exportera")

    # 11. Granska och exportera: the PDF, read as text.
    expect(page.get_by_role("alert")).to_have_count(0)
    # The export is a job: the history page shows it queued, htmx polls, the link comes.
    pdf = PdfReader(io.BytesIO(exported(page, "Ladda ner förfrågningsunderlaget (PDF)")))
    text = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in pdf.pages))
    for expected in (
        "Bokning av kommunens lokaler",
        "UTKAST",
        "Kultur- och fritidsförvaltningen",
        "Föreningar som hyr kommunens lokaler",
        "Färre dubbelbokningar av lokaler",
        "även på mobiltelefon",
        "Microsoft Excel eller likvärdigt",
        title,
    ):
        assert expected in text, expected
    assert "Microsoft Excel." not in text
    assert not problems, "\n".join(problems)
    context.close()
