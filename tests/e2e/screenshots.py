"""Screenshots of the main pages for the README, from the demo data on a throwaway server.

Run with `make screenshots` (or `python -m tests.e2e.screenshots`); writes docs/screenshots/.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright
from sqlmodel import Session

from app.config import Settings
from app.content import load_content
from app.db import make_engine, run_migrations
from app.main import create_app
from app.seed import DEMO_PASSWORD, seed_demo_data
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/screenshots.db"
        run_migrations(url)
        settings = Settings(  # type: ignore[call-arg]
            KRAVLOTSEN_ENV="test", DATABASE_URL=url, KRAVLOTSEN_VAR_DIR=Path(directory)
        )
        engine = make_engine(url)
        content = load_content(settings.wizard_steps_dir, settings.library_dir)
        with Session(engine, expire_on_commit=False) as session:
            seed_demo_data(session, content)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings, engine=engine), port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        try:
            shoot(base)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            engine.dispose()


def shoot(base: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(
            locale="sv-SE", viewport={"width": 1280, "height": 900}
        ).new_page()
        page.goto(base + "/login")
        page.get_by_label("E-postadress").fill("upphandlare@demo.se")
        page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(base + "/")
        draft = str(page.locator("table a").first.get_attribute("href"))
        page.screenshot(path=OUT / "dashboard.png")

        page.goto(base + f"{draft}/steps/needs")
        page.screenshot(path=OUT / "wizard-step.png")

        # An own requirement naming a brand, so that the Krav page shows a finding.
        page.goto(base + f"{draft}/requirements/new")
        page.get_by_label("Titel").fill("Export av ärenden")
        page.get_by_label("Kravtext").fill(
            "Ärendena ska kunna exporteras till Microsoft Excel inom 5 sekunder."
        )
        page.get_by_label("Motiv").fill("Handläggarna följer upp ärendena i kalkylark.")
        page.get_by_label("Verifikat").fill("Leverantören visar exporten vid en demonstration.")
        page.get_by_label("Ska-krav").check()
        page.locator("#needs-B1").check()
        page.get_by_role("button", name="Spara kravet").click()
        own = page.locator("li.requirement").filter(has_text="Microsoft Excel")
        own.locator(".findings").wait_for()
        own.scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -120)")
        page.screenshot(path=OUT / "requirements-with-findings.png")

        page.goto(base + f"{draft}/export")
        page.screenshot(path=OUT / "export.png")

        # Submitted for review, so that the review page has a revision and a status to show.
        page.goto(base + draft)
        page.get_by_role("button", name="Skicka för granskning").click()
        page.wait_for_url(f"**{draft}/review**")
        page.screenshot(path=OUT / "review.png")
        browser.close()


if __name__ == "__main__":
    main()
