"""Browser tests: a live server on a free local port and Debian's chromium driven by Playwright."""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from app.config import Settings
from app.content import load_content
from app.db import make_engine, run_migrations
from app.main import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from sqlmodel import Session

    from app.seed import seed_demo_data

    directory = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{directory / 'e2e.db'}"
    run_migrations(url)
    settings = Settings(  # type: ignore[call-arg]
        KRAVLOTSEN_ENV="test", DATABASE_URL=url, KRAVLOTSEN_VAR_DIR=directory
    )
    engine = make_engine(url)
    content = load_content(settings.wizard_steps_dir, settings.library_dir)
    with Session(engine, expire_on_commit=False) as session:
        seed_demo_data(session, content)
    app = create_app(settings, engine=engine)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def exported(page: Any, button_name: str) -> bytes:
    """Export and keep with a button of the export page: the history page shows the job, htmx
    polls until the file is ready, the download link gives it; then back to the export page."""
    page.get_by_role("button", name=button_name).click()
    page.wait_for_url(re.compile(r"/exports#file-\d+$"))
    link = page.locator("#" + page.url.rsplit("#", 1)[1]).locator("a[download]")
    link.wait_for(timeout=60_000)
    with page.expect_download() as started:
        link.click()
    payload = Path(started.value.path()).read_bytes()
    page.goto(page.url.split("#", 1)[0].removesuffix("/exports") + "/export")
    return payload
