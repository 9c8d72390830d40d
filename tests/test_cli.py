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


@pytest.mark.parametrize(
    ("output_format", "start"), [("docx", b"PK"), ("xlsx", b"PK"), ("ocds", b"{")]
)
def test_render_writes_docx_xlsx_and_ocds(output_format: str, start: bytes, tmp_path: Path) -> None:
    out = tmp_path / f"tender.{output_format}"
    result = run_cli("render", str(EXAMPLES[0]), "--format", output_format, "--out", str(out))
    assert result.returncode == 0, result.stderr.decode()
    assert out.read_bytes().startswith(start)
    if output_format == "ocds":
        assert json.loads(out.read_bytes())["releases"][0]["tender"]["criteria"]


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
