"""`render ANSWERS.yaml` with and without the decisions on requirements: without them every
suggestion is taken as accepted (and `render` says so), with them the decisions rule; and
`--format rfi` writes the need statement for market dialogue."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from app.config import PROJECT_ROOT
from tests.cli import run_cli

pytestmark = pytest.mark.no_database

EXAMPLE = PROJECT_ROOT / "examples" / "trygghetslarm.yaml"


def example_data() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def written(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_without_decisions_every_suggestion_is_accepted_and_render_says_so() -> None:
    result = run_cli("render", str(EXAMPLE), "--format", "json")

    assert result.returncode == 0, result.stderr.decode()
    draft = json.loads(result.stdout)
    assert draft["requirements"]
    assert {item["status"] for item in draft["requirements"]} == {"accepted"}
    stderr = result.stderr.decode()
    assert f"the {len(draft['requirements'])} suggestions are taken as accepted" in stderr


def test_decisions_rule_when_the_file_records_them(tmp_path: Path) -> None:
    suggested = json.loads(run_cli("render", str(EXAMPLE), "--format", "json").stdout)
    first, second, third = suggested["requirements"][:3]
    data = example_data()
    data["requirements"] = [
        {"template": first["template_id"], "title": "Egen rubrik på ett förslag"},
        {"template": second["template_id"], "status": "rejected"},
        {
            "title": "Eget krav på larmknappen",
            "text": "Larmknappen ska gå att trycka på med en hand utan att titta.",
            "motive": "Brukare med nedsatt syn.",
            "verification": "Användartest med fem brukare.",
            "needs": ["B1"],
        },
    ]
    path = written(tmp_path, data)

    result = run_cli("render", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    assert "taken as accepted" not in result.stderr.decode()
    draft = json.loads(result.stdout)
    by_title = {item["title"]: item for item in draft["requirements"]}
    assert by_title["Egen rubrik på ett förslag"]["status"] == "accepted"
    assert by_title["Egen rubrik på ett förslag"]["edited"] is True
    assert by_title[second["title"]]["status"] == "rejected"
    own = by_title["Eget krav på larmknappen"]
    assert own["origin"] == "officer" and own["template_id"] is None
    assert by_title[third["title"]]["status"] == "suggested"  # not mentioned: undecided
    assert "föreslagna krav är inte avgjorda och kommer inte med i underlaget" in (
        result.stderr.decode()
    )

    html = run_cli("render", str(path), "--format", "html").stdout.decode()
    text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    assert "Egen rubrik på ett förslag" in text and "Eget krav på larmknappen" in text
    assert " ".join(second["text"].split())[:50] not in text
    assert " ".join(third["text"].split())[:50] not in text


def test_a_decision_on_an_unknown_template_is_an_answers_file_error(tmp_path: Path) -> None:
    data = example_data()
    data["requirements"] = [{"template": "NOPE-999"}]

    result = run_cli("render", str(written(tmp_path, data)), "--format", "json")

    assert result.returncode == 2
    assert "NOPE-999" in result.stderr.decode()


def test_render_format_rfi_writes_the_need_statement(tmp_path: Path) -> None:
    out = tmp_path / "rfi.pdf"
    data = example_data()
    data["answers"]["rfi_questions"] = [{"question": "Hur mäter ni att larmet når fram?"}]

    result = run_cli("render", str(written(tmp_path, data)), "--format", "rfi", "--out", str(out))

    assert result.returncode == 0, result.stderr.decode()
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(out.read_bytes())).pages
    )
    assert "Hur mäter ni att larmet når fram?" in text
    assert "Ska-krav" not in text
    with pikepdf.open(out) as pdf:
        assert len(pdf.attachments) == 0
