"""The command line: render from an answers file, tokens, demo data. Other tools call these."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import Session, select

from app.accounts import hash_token
from app.config import PROJECT_ROOT
from app.db import make_engine
from app.models import ApiToken, Draft, User
from tests.cli import run_cli

EXAMPLES = sorted((PROJECT_ROOT / "examples").glob("*.yaml"))


def test_there_are_at_least_three_examples_in_different_areas() -> None:
    import yaml

    areas = {
        yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]["area"] for path in EXAMPLES
    }
    assert len(EXAMPLES) >= 3 and len(areas) >= 3


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_render_json_builds_a_draft_with_traced_suggestions(example: Path) -> None:
    result = run_cli("render", str(example), "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    draft = json.loads(result.stdout)
    assert draft["needs"] and draft["requirements"]
    # Suggestions propose the needs they serve; the officer confirms them.
    assert any(requirement["proposed_needs"] for requirement in draft["requirements"])
    assert all(
        requirement["text"] and "{" not in requirement["text"]
        for requirement in draft["requirements"]
    )


def test_render_pdf_writes_a_draft_marked_document(tmp_path: Path) -> None:
    out = tmp_path / "tender.pdf"
    result = run_cli("render", str(EXAMPLES[0]), "--out", str(out))
    assert result.returncode == 0, result.stderr.decode()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "UTKAST" in text


def test_render_html_is_self_contained() -> None:
    from bs4 import BeautifulSoup

    result = run_cli("render", str(EXAMPLES[0]), "--format", "html")
    assert result.returncode == 0
    page = BeautifulSoup(result.stdout.decode(), "html.parser")
    assert page.find("link") is None
    for element in page.find_all(src=True):
        assert element["src"].startswith("data:")


def test_render_strict_fails_on_blockers_and_warns_on_stderr(tmp_path: Path) -> None:
    answers = tmp_path / "tom.yaml"
    answers.write_text(
        "format: kravlotsen-answers/1\ntitle: Utan behov\nanswers: {}\n", encoding="utf-8"
    )
    relaxed = run_cli("render", str(answers), "--format", "json")
    assert relaxed.returncode == 0
    assert "BLOCKER" in relaxed.stderr.decode()
    strict = run_cli("render", str(answers), "--format", "json", "--strict")
    assert strict.returncode != 0


def test_render_reports_a_bad_answers_file_with_its_line(tmp_path: Path) -> None:
    answers = tmp_path / "fel.yaml"
    answers.write_text(
        "format: kravlotsen-answers/1\ntitle: X\nneeds:\n  - who: ''\n    what: x\n",
        encoding="utf-8",
    )
    result = run_cli("render", str(answers), "--format", "json")
    assert result.returncode == 2
    assert "fel.yaml:4" in result.stderr.decode()


def test_users_tokens_and_demo_data_from_the_command_line(tmp_path: Path) -> None:
    database = tmp_path / "cli.db"
    env = {
        "DATABASE_URL": f"sqlite:///{database}",
        "KRAVLOTSEN_ENV": "development",
        "KRAVLOTSEN_VAR_DIR": str(tmp_path),
    }
    assert run_cli("migrate", env=env).returncode == 0
    seeded = run_cli("seed-demo", env=env)
    assert seeded.returncode == 0, seeded.stderr.decode()
    assert b"upphandlare@demo.se" in seeded.stdout
    assert b"already" in run_cli("seed-demo", env=env).stdout
    assert run_cli("create-org", "Kustkommunen", env=env).returncode == 0
    created = run_cli(
        "create-user",
        "ny@kust.se",
        "--org",
        "Kustkommunen",
        "--role",
        "editor",
        "--password",
        "ett-langt-losenord",
        env=env,
    )
    assert created.returncode == 0, created.stderr.decode()
    token_run = run_cli("create-token", "ny@kust.se", env=env)
    token = token_run.stdout.decode().strip().splitlines()[-1]
    engine = make_engine(f"sqlite:///{database}")
    with Session(engine) as session:
        stored = session.exec(select(ApiToken)).all()
        assert [row.token_hash for row in stored] == [hash_token(token)]
        assert token not in {row.token_hash for row in stored}
        assert session.exec(select(User).where(User.email == "granskare@demo.se")).first()
        assert session.exec(select(Draft)).first() is not None
    engine.dispose()


def test_production_refuses_to_start_without_secret_key(tmp_path: Path) -> None:
    result = run_cli(
        "migrate",
        env={
            "KRAVLOTSEN_ENV": "production",
            "SECRET_KEY": "",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
        },
    )
    assert result.returncode != 0
    assert b"SECRET_KEY" in result.stderr


def test_english_answers_file_gives_an_english_document() -> None:
    import yaml

    data = yaml.safe_load((PROJECT_ROOT / "examples" / "bygglov-e-tjanst.yaml").read_text("utf-8"))
    data["answers"]["document_language"] = "en"
    from app.content import load_content
    from app.drafts.answers_file import AnswersFile, document_from_answers_file

    content = load_content(PROJECT_ROOT / "wizard_steps", PROJECT_ROOT / "requirement_library")
    document = document_from_answers_file(AnswersFile.model_validate(data), content)
    assert document.language == "en"
    template = content.library.by_id[document.requirements[0].template_id or ""]
    assert document.requirements[0].title == template.title.en


def _listening_sockets(port: int) -> int:
    """How many TCP sockets listen on `port` on this machine (state 0A in /proc/net/tcp)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1].rsplit(":", 1)[1] == f"{port:04X}" and fields[3] == "0A":
                count += 1
    return count


def _running(pid: str) -> bool:
    """Whether the process is there and not a zombie left for the machine's init to reap."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_serve_with_two_workers_answers_from_two_processes(tmp_path: Path) -> None:
    """`serve --workers 2`: two server processes, each listening on the port with a socket of
    its own, so that the kernel spreads connections over both (with one shared socket, one
    process could take nearly every connection while the other idled). Stopped, both go."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from app.server import START_SECONDS

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "KRAVLOTSEN_ENV": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "KRAVLOTSEN_VAR_DIR": str(tmp_path),
    }
    subprocess.run([sys.executable, "-m", "app", "migrate"], env=env, check=True, cwd=PROJECT_ROOT)
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        answer = None
        while time.monotonic() < deadline and answer is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as got:
                    answer = got.status
            except OSError:
                time.sleep(0.3)
        assert answer == 200
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        assert len(children) >= 2
        assert _listening_sockets(port) == 2
        # A server process that dies is replaced, and the port keeps answering.
        servers = [
            child
            for child in children
            if "spawn_main" in Path(f"/proc/{child}/cmdline").read_text()
        ]
        # Past START_SECONDS: a process that dies at once is a failed start, not replaced.
        time.sleep(max(0.0, started + START_SECONDS + 4 - time.monotonic()))
        os.kill(int(servers[0]), signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _running(servers[0]):
            time.sleep(0.1)
        while time.monotonic() < deadline and _listening_sockets(port) < 2:
            time.sleep(0.3)
        assert _listening_sockets(port) == 2
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as got:
            assert got.status == 200
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert server.returncode == 0
    assert _listening_sockets(port) == 0
    assert not any(_running(child) for child in children)
