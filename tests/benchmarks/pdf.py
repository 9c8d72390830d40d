"""`make bench`: what the tender PDF costs. A generated draft (150 accepted requirements, each
with motive and verification, every chapter answered) rendered as tagged PDF/A-3b with its JSON
inside, in one run:

- raw: WeasyPrint alone on the app's HTML, with the same options and attachment;
- the app's export path: `render` on the command line (in-process, data files loaded afresh)
  and the web export (GET /drafts/{id}/export.pdf through ASGI, its own worker thread and the
  PDF_WORKERS slots);
- lean: WeasyPrint on the same HTML with a bare stylesheet (page, font, fixed tables; no break,
  wrapping or hyphenation rules, no running headers, no leaders or target counters).

pdf_vs_raw_weasyprint = slower app path / raw by the clock (goal <= 1.10), pdf_vs_lean = raw /
lean by CPU time (goal <= 1.15): what the look of the document costs. Raw WeasyPrint runs right
before and after every other path, each ratio is taken within its pair (the machine's load
changes by the minute) and the median of three rounds is printed. The web download follows a
visit to the export page, as it does in use."""

from __future__ import annotations

import asyncio
import io
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import yaml
from pypdf import PdfReader
from sqlmodel import Session, SQLModel, delete, select
from weasyprint import HTML

from app.accounts import SESSION_COOKIE, start_session
from app.config import PROJECT_ROOT, Settings
from app.content import Content, load_content
from app.data.files import load_model
from app.db import make_engine
from app.document import TenderDraft
from app.drafts.answers_file import AnswersFile, document_from_answers_file, import_answers_file
from app.export.draft_json import render_draft_json
from app.export.html import render_tender_html
from app.export.pdf import PDF_OPTIONS, DataOnlyURLFetcher, draft_attachment
from app.main import create_app
from app.models import (
    DraftRequirement,
    EffectGoal,
    Membership,
    Need,
    Obligation,
    Organisation,
    RequirementStatus,
    RequirementTrace,
    Role,
    User,
)
from app.templating import make_environment

REQUIREMENTS = 150
ROUNDS = 3
BASE_EXAMPLE = PROJECT_ROOT / "examples" / "trygghetslarm.yaml"
# The new answers of the later steps, so that every chapter has content.
MORE_ANSWERS: dict[str, Any] = {
    "procedure": "open",
    "contract_options": "Option på larm med falldetektor för upp till 200 brukare till samma "
    "pris per månad.",
    "added_value_total_sek": 600000,
    "evaluation_panel": "Tre personer från vård och omsorg och en upphandlare bedömer var för "
    "sig och enas sedan om en gemensam poäng med skriftlig motivering.",
    "confidentiality_notes": "Anbudsgivaren markerar uppgifter som den vill skydda direkt i "
    "upphandlingsverktyget.",
    "review_notes": "En ansökan om överprövning prövas av förvaltningsrätten i Exempelstad.",
}
# Types of the own requirements, in turn: mostly the object, then award criteria, contract
# conditions and qualification, as in a real tender.
OWN_TYPES = (
    ["teknisk_specifikation"] * 6
    + ["tilldelningskriterium"] * 2
    + ["sarskilt_kontraktsvillkor"] * 2
    + ["kvalificeringskrav"]
)
LEAN_STYLESHEET = """
@page { size: A4; margin: 24mm 20mm 22mm 20mm; }
html { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; line-height: 1.45; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
"""


def generated_answers(
    requirement_count: int = REQUIREMENTS, content: Content | None = None
) -> dict[str, Any]:
    """An answers file (as data) with every chapter answered and `requirement_count` accepted
    requirements: the base example's suggestions accepted, then requirements of the officer's
    own with motive and verification, some referring to annexes. Suggestions beyond the count
    are not mentioned, so they stay undecided."""
    data = yaml.safe_load(BASE_EXAMPLE.read_text(encoding="utf-8"))
    data["answers"].update(MORE_ANSWERS)
    content = content or _content()
    base = document_from_answers_file(AnswersFile.model_validate(data), content)
    entries: list[dict[str, Any]] = [
        {"template": item.template_id, "status": "accepted"}
        for item in base.requirements[:requirement_count]
    ]
    need_keys = [need.key for need in base.needs]
    number = 0
    while len(entries) < requirement_count:
        number += 1
        kind = OWN_TYPES[number % len(OWN_TYPES)]
        bor = kind == "tilldelningskriterium"
        entries.append(
            {
                "status": "accepted",
                "type": kind,
                "kind": "quality" if bor else "function",
                "level": "bas",
                "obligation": "bor" if bor else "ska",
                "weight": 5 if bor else None,
                "title": f"Larmkedjans funktion vid händelse {number}",
                "text": (
                    f"Larmet ska nå larmmottagningen inom {20 + number % 40} sekunder i minst "
                    f"{95 + number % 5} procent av provlarmen, mätt under en kalendermånad "
                    "enligt den mätmetod och de provpunkter som anges i bilagan, även när "
                    "brukarens bostad saknar fast bredband och mobilnätet är belastat."
                ),
                "motive": (
                    "Brukarna bor kvar hemma tack vare tryggheten i att kunna larma, och ett larm "
                    "som inte når fram kan få allvarliga följder. Kravet följer av behovet och "
                    "av avvikelserna under förra avtalsperioden."
                ),
                "verification": (
                    "Anbudsgivaren bekräftar kravet i svarsformuläret. Under avtalstiden "
                    "redovisar leverantören varje månad tiderna för alla provlarm, och "
                    "beställaren gör stickprov enligt prisbilagan och bilagans metod."
                ),
                "needs": [need_keys[number % len(need_keys)]],
            }
        )
    data["requirements"] = entries
    return data


_CONTENT: list[Content] = []


def _content() -> Content:
    if not _CONTENT:
        _CONTENT.append(
            load_content(PROJECT_ROOT / "wizard_steps", PROJECT_ROOT / "requirement_library")
        )
    return _CONTENT[0]


def _timed(function: Any) -> tuple[float, float, Any]:
    """Wall seconds, CPU seconds (this process's threads and the children it waited for) and
    the result."""
    start, cpu = time.perf_counter(), _cpu()
    result = function()
    return time.perf_counter() - start, _cpu() - cpu, result


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _raw(html: str, draft_json: bytes) -> bytes:
    """WeasyPrint alone: the HTML, the same options, the same attachment."""
    document = HTML(string=html, base_url=None, url_fetcher=DataOnlyURLFetcher())
    return bytes(document.write_pdf(attachments=[draft_attachment(draft_json)], **PDF_OPTIONS))


def _lean(html: str) -> str:
    return re.sub(
        r"<style>.*?</style>", f"<style>{LEAN_STYLESHEET}</style>", html, count=1, flags=re.S
    )


def _cli(answers_path: Path, out: Path) -> None:
    """`render ANSWERS --out FILE` in-process, with the data files read and the templates
    compiled afresh, as in a new process."""
    from app import cli as cli_module
    from tests.cli import run_cli

    cli_module._loaded_content.cache_clear()
    make_environment.cache_clear()
    result = run_cli("render", str(answers_path), "--out", str(out))
    assert result.returncode == 0, result.stderr.decode()


class WebExport:
    """The app on a SQLite file holding the same draft; `export()` is GET
    /drafts/{id}/export.pdf through ASGI (its worker thread, the PDF_WORKERS slots), timed."""

    def __init__(self, content: Content, document: TenderDraft, directory: Path) -> None:
        url = f"sqlite:///{directory / 'bench-pdf.db'}"
        self.engine = make_engine(url)
        SQLModel.metadata.create_all(self.engine)
        settings = Settings(  # type: ignore[call-arg]
            KRAVLOTSEN_ENV="test", DATABASE_URL=url, KRAVLOTSEN_VAR_DIR=directory
        )
        self.app = create_app(settings, engine=self.engine, content=content)
        with Session(self.engine, expire_on_commit=False) as session:
            organisation = Organisation(name=document.organisation)
            user = User(email="pdf@example.se", name="PDF", password_hash="-")
            session.add_all([organisation, user])
            session.flush()
            session.add(
                Membership(
                    user_id=user.id or 0, organisation_id=organisation.id or 0, role=Role.owner
                )
            )
            answers_file = load_model(AnswersFile, BASE_EXAMPLE).model_copy(
                update={"answers": document.answers}
            )
            draft = import_answers_file(
                session, organisation, user, answers_file, content, content.library
            )
            _store_requirements(session, draft.id or 0, document)
            self.token, _login = start_session(session, user, 3600)
            session.commit()
            self.path = f"/drafts/{draft.id}/export.pdf"

    def visit_export_page(self) -> None:
        """The officer sees the export page (its gate list) before the download, as in use."""
        asyncio.run(self._get(self.path.removesuffix(".pdf")))

    def export(self) -> bytes:
        return asyncio.run(self._get(self.path))

    async def _get(self, path: str) -> bytes:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://bench", cookies={SESSION_COOKIE: self.token}
        ) as client:
            response = await client.get(path)
        assert response.status_code == 200, response.text[:2000]
        return response.content


def _store_requirements(session: Session, draft_id: int, document: TenderDraft) -> None:
    """The generated requirements as the draft's rows, every one accepted, with its traces."""
    session.exec(delete(DraftRequirement).where(DraftRequirement.draft_id == draft_id))  # type: ignore[call-overload]
    needs = {
        need.key: need.id for need in session.exec(select(Need).where(Need.draft_id == draft_id))
    }
    goals = {
        goal.key: goal.id
        for goal in session.exec(select(EffectGoal).where(EffectGoal.draft_id == draft_id))
    }
    for position, item in enumerate(document.document_requirements()):
        row = DraftRequirement(
            draft_id=draft_id,
            template_id=item.template_id,
            template_version=item.template_version,
            position=position,
            status=RequirementStatus.accepted,
            kind=item.kind,
            requirement_type=item.type,
            level=item.level,
            obligation=Obligation(item.obligation),
            weight=item.weight,
            title=item.title,
            text=item.text,
            motive=item.motive,
            verification=item.verification,
            parameters=item.parameters,
        )
        session.add(row)
        session.flush()
        for key in item.needs:
            if key in needs:
                session.add(RequirementTrace(requirement_id=row.id or 0, need_id=needs[key]))
        for key in item.effect_goals:
            if key in goals:
                session.add(RequirementTrace(requirement_id=row.id or 0, effect_goal_id=goals[key]))


def verapdf_verdict(pdf_path: Path) -> str:
    """veraPDF's verdict on the PDF, when a veraPDF command line is installed."""
    command = shutil.which("verapdf")
    if command is None:
        return (
            "not run: no veraPDF command line here (it is a Java application from the "
            "veraPDF project; neither PyPI nor Debian packages it)"
        )
    result = subprocess.run(
        [command, "--flavour", "3b", "--format", "text", str(pdf_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return (result.stdout.strip() or result.stderr.strip()).splitlines()[-1]


def bench_pdf() -> dict[str, float]:
    content = _content()
    environment = make_environment(PROJECT_ROOT / "templates")
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        answers_path = directory / "generated.yaml"
        data = generated_answers()
        answers_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        document = document_from_answers_file(AnswersFile.model_validate(data), content)
        accepted = len(document.document_requirements())
        html = render_tender_html(document, content, environment)
        draft_json = render_draft_json(document)
        lean_html = _lean(html)

        web = WebExport(content, document, directory)
        web.visit_export_page()
        paths = {
            "raw": lambda: _raw(html, draft_json),
            "lean": lambda: _raw(lean_html, draft_json),
            "cli": lambda: _cli(answers_path, directory / "cli.pdf"),
            "web": web.export,
        }
        walls: dict[str, list[float]] = {name: [] for name in paths}
        cpus: dict[str, list[float]] = {name: [] for name in paths}
        ratios: dict[str, list[float]] = {"cli": [], "web": [], "lean": []}
        results: dict[str, Any] = {}

        def run(name: str) -> tuple[float, float]:
            wall, cpu, results[name] = _timed(paths[name])
            walls[name].append(wall)
            cpus[name].append(cpu)
            return wall, cpu

        for _round in range(ROUNDS):
            # Raw WeasyPrint right before and after each other path: each pair meets the
            # same load on the machine, and the ratio is taken within the pair.
            before = run("raw")
            for name in ("cli", "web", "lean"):
                measured = run(name)
                after = run("raw")
                if name == "lean":  # one thread of WeasyPrint each: compared by CPU time
                    ratios[name].append((before[1] + after[1]) / 2 / measured[1])
                else:  # what a user waits for: compared by the clock
                    ratios[name].append(measured[0] / ((before[0] + after[0]) / 2))
                before = after
        web.engine.dispose()
        pdf, web_pdf = results["raw"], results["web"]
        wall = {name: statistics.median(values) for name, values in walls.items()}
        ratio = {name: statistics.median(values) for name, values in ratios.items()}
        raw, lean, cli_s, web_s = wall["raw"], wall["lean"], wall["cli"], wall["web"]
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        verdict = verapdf_verdict(directory / "cli.pdf")
    slower = "cli" if ratio["cli"] >= ratio["web"] else "web"
    figures = {
        "pdf_150_s": round(max(cli_s, web_s), 2),
        "pdf_raw_s": round(raw, 2),
        "pdf_lean_s": round(lean, 2),
        "pdf_cli_s": round(cli_s, 2),
        "pdf_web_s": round(web_s, 2),
        "pdf_vs_raw_weasyprint": round(ratio[slower], 3),
        "pdf_cli_vs_raw": round(ratio["cli"], 3),
        "pdf_web_vs_raw": round(ratio["web"], 3),
        "pdf_vs_lean": round(ratio["lean"], 3),
        "pdf_pages": pages,
        "pdf_requirements": accepted,
    }
    print(f"pdf: {accepted} accepted requirements, {pages} pages (web export {len(web_pdf)} bytes)")
    for name in paths:
        print(
            f"pdf {name:<4} wall {', '.join(f'{value:6.2f}' for value in walls[name])} s;"
            f" CPU {', '.join(f'{value:6.2f}' for value in cpus[name])} s"
        )
    print(
        f"pdf app path over raw WeasyPrint, median of {ROUNDS} pairs by the clock: CLI "
        f"{figures['pdf_cli_vs_raw']}, web {figures['pdf_web_vs_raw']}: pdf_vs_raw_weasyprint "
        f"{figures['pdf_vs_raw_weasyprint']} (goal <= 1.10); pdf_vs_lean {figures['pdf_vs_lean']} "
        f"by CPU (goal <= 1.15); pdf_150_s {figures['pdf_150_s']} (median of the slower path)"
    )
    print(f"veraPDF: {verdict}")
    return figures


if __name__ == "__main__":
    print(bench_pdf())
