"""The tender document a municipality can publish, read as its reader would (pypdf text, pikepdf
structure): every answered chapter and no other, requirements in K1-K4 order and only the
accepted ones, the annexes, page numbers, PDF/A-3 with the draft inside, in Swedish and English;
and the need statement for market dialogue. Each PDF is rendered once for the module."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from typing import Any

import pikepdf
import pytest
from jinja2 import Environment
from pypdf import PdfReader

from app.config import PROJECT_ROOT
from app.content import Content
from app.document import NeedData, TenderDraft
from app.drafts.answers_file import AnswersFile, document_from_answers_file
from app.export.draft_json import render_draft_json
from app.export.html import render_rfi_html, render_tender_html
from app.export.pdf import ATTACHMENT_NAME, render_tender_pdf
from app.templating import make_environment
from tests.benchmarks.pdf import generated_answers

pytestmark = pytest.mark.no_database

OWN_TITLE = "Personuppgifter i larmkedjan"


@dataclass
class Rendered:
    document: TenderDraft
    pdf: bytes
    pages: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.pages)


def page_texts(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [
        " ".join(re.sub(r"[\u2010-]\n", "", page.extract_text()).replace("\u00a0", " ").split())
        for page in reader.pages
    ]


def decided_answers(content: Content, language: str = "sv") -> dict[str, Any]:
    """Every chapter answered; two suggestions of each type accepted, one rejected, the rest
    left undecided; one requirement of the officer's own that needs an annex."""
    data = generated_answers(0, content)
    data["answers"]["document_language"] = language
    data.pop("requirements")
    suggested = document_from_answers_file(AnswersFile.model_validate(data), content)
    entries: list[dict[str, Any]] = []
    taken: dict[str, int] = {}
    rejected = False
    for item in suggested.requirements:
        count = taken.get(item.type, 0)
        if count < 2:
            taken[item.type] = count + 1
            entries.append({"template": item.template_id, "status": "accepted"})
        elif not rejected and item.type == "teknisk_specifikation":
            rejected = True
            entries.append({"template": item.template_id, "status": "rejected"})
    entries.append(
        {
            "status": "accepted",
            "type": "sarskilt_kontraktsvillkor",
            "kind": "privacy",
            "title": OWN_TITLE,
            "text": "Brukarnas personuppgifter ska från avtalets första dag behandlas enligt det "
            "personuppgiftsbiträdesavtal som bifogas förfrågningsunderlaget.",
            "motive": "Larmen förmedlar uppgifter om brukarnas hälsa.",
            "verification": "Undertecknat avtal före avtalsstart.",
            "needs": ["B5"],
        }
    )
    data["requirements"] = entries
    return data


@pytest.fixture(scope="module")
def environment() -> Environment:
    return make_environment(PROJECT_ROOT / "templates", strict=True)


def render(document: TenderDraft, content: Content, environment: Environment) -> Rendered:
    html = render_tender_html(document, content, environment)
    pdf = render_tender_pdf(html, draft_json=render_draft_json(document))
    return Rendered(document, pdf, page_texts(pdf))


@pytest.fixture(scope="module")
def swedish(content: Content, environment: Environment) -> Rendered:
    document = document_from_answers_file(
        AnswersFile.model_validate(decided_answers(content)), content
    )
    return render(document, content, environment)


@pytest.fixture(scope="module")
def english(content: Content, environment: Environment) -> Rendered:
    document = document_from_answers_file(
        AnswersFile.model_validate(decided_answers(content, "en")), content
    )
    return render(document, content, environment)


@pytest.fixture(scope="module")
def need_statement(content: Content, environment: Environment) -> Rendered:
    data = decided_answers(content)
    data["answers"].update(
        {
            "market_dialogue": "planned",
            "rfi_response_deadline": "2026-11-20",
            "rfi_known": "Flera leverantörer erbjuder larm över mobilnätet.",
            "rfi_unknown": "Vi vet inte hur fall kan upptäckas utan kameror.",
            "rfi_questions": [
                {
                    "question": "Hur kan er lösning upptäcka ett fall utan att brukaren larmar?",
                    "purpose": "Pröva om ett krav på falldetektering är rimligt",
                }
            ],
        }
    )
    data["answers"].pop("dialogue_summary", None)
    document = document_from_answers_file(AnswersFile.model_validate(data), content)
    pdf = render_tender_pdf(render_rfi_html(document, content, environment))
    return Rendered(document, pdf, page_texts(pdf))


SWEDISH_CHAPTERS = [
    "Om upphandlingen",
    "Bakgrund och behov",
    "Kvalificering av anbudsgivare",
    "Krav på det som upphandlas",
    "Utvärdering och tilldelning",
    "Kontraktsvillkor och pris",
    "Bilagor",
]


def test_every_answered_chapter_is_in_the_contents_and_in_the_text(swedish: Rendered) -> None:
    contents = swedish.pages[1]
    for number, title in enumerate(SWEDISH_CHAPTERS, start=1):
        assert f"{number} {title}" in contents
        assert any(page.startswith(f"{number} {title}") for page in swedish.pages[2:]), title
    assert "Bilaga 1 Svarsformulär" in contents
    # What the later steps answered is in the document.
    text = swedish.text
    for answered in (
        "Sista anbudsdag 15 mars 2027",
        "Sista dag för frågor 5 mars 2027",
        "Öppet förfarande",
        "33196200-2 Anordningar för funktionshindrade",
        "Kontraktet är inte uppdelat i delar. Skälen (LOU 4 kap. 14 §):",
        "europeiskt enhetligt upphandlingsdokument (ESPD)",
        "minst 3 000 000 kr",
        "Kvalitet värderas i kronor",
        "Poängskala",
        "Fast pris per brukare och månad",
        "Hälften enligt arbetskostnadsindex",
        "Exempelstads kommuns allmänna villkor för tjänster",
        "förvaltningsrätten",
    ):
        assert answered in text, answered


def test_a_chapter_with_nothing_answered_is_left_out(
    content: Content, environment: Environment
) -> None:
    document = TenderDraft(
        organisation="Region Norr",
        title="Bara behov",
        answers={"current_situation": "Ansökningar kommer på papper."},
        needs=[NeedData(key="B1", who="Sökande", what="Ansöka digitalt")],
    )

    text = " ".join(render(document, content, environment).pages)

    assert "1 Bakgrund och behov" in text
    for title in SWEDISH_CHAPTERS:
        if title != "Bakgrund och behov":
            assert title not in text


def test_requirements_are_numbered_and_ordered_k1_to_k4(swedish: Rendered) -> None:
    body = " ".join(swedish.pages[2:])
    seen: list[str] = []
    for number in re.findall(r"\bK(\d)\.(\d+)\b", body):
        label = f"K{number[0]}.{number[1]}"
        if label not in seen:
            seen.append(label)
    keys = [tuple(int(part) for part in label[1:].split(".")) for label in seen]
    assert keys == sorted(keys)
    assert {key[0] for key in keys} == {1, 2, 3, 4}
    for section in (1, 2, 3, 4):
        within = [key[1] for key in keys if key[0] == section]
        assert within == list(range(1, len(within) + 1))


def test_only_accepted_requirements_are_in_the_document(swedish: Rendered) -> None:
    document = swedish.document
    accepted = document.document_requirements()
    left_out = [item for item in document.requirements if item.status != "accepted"]
    assert any(item.status == "rejected" for item in left_out)
    assert any(item.status == "suggested" for item in left_out)
    for item in left_out:
        assert " ".join(item.text.split())[:60] not in swedish.text
    for item in accepted:
        assert " ".join(item.text.split())[:60] in swedish.text
    assert OWN_TITLE in swedish.text
    assert "Föreslaget" not in swedish.text


def test_annex_list_says_what_kravlotsen_made_and_what_the_buyer_supplies(
    swedish: Rendered,
) -> None:
    annex_pages = [page for page in swedish.pages if page.startswith("7 Bilagor")]
    assert annex_pages
    listing = annex_pages[0]
    assert "Svarsformulär" in listing and "I det här dokumentet" in listing
    assert "Personuppgiftsbiträdesavtal" in listing and "Lämnas av beställaren" in listing
    assert "Spårbarhet mellan behov, effektmål och krav" in listing
    trace = next(page for page in swedish.pages if "Bilaga" in page and "Spårbarhet" in page[:80])
    assert "B1" in trace and "E1" in trace


def test_pages_say_sida_x_av_y(swedish: Rendered) -> None:
    total = len(swedish.pages)
    assert f"Sida 1 av {total}" in swedish.pages[0]
    assert f"Sida {total} av {total}" in swedish.pages[-1]
    assert all("UTKAST" in page for page in swedish.pages)


def test_pdf_is_tagged_pdf_a_3b_with_the_draft_json_inside(swedish: Rendered) -> None:
    with pikepdf.open(io.BytesIO(swedish.pdf)) as pdf:
        metadata = pdf.open_metadata()
        assert metadata.pdfa_status == "3B"
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
        assert pdf.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "sv"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert "Digitala trygghetslarm" in str(metadata.get("dc:title"))
        attachment = pdf.attachments[ATTACHMENT_NAME]
        assert str(attachment.obj.AFRelationship) == "/Data"
        embedded = attachment.get_file().read_bytes()
    assert json.loads(embedded) == json.loads(render_draft_json(swedish.document))


def test_english_document(english: Rendered) -> None:
    text = english.text
    assert f"Page 1 of {len(english.pages)}" in english.pages[0]
    for title in ("About the procurement", "Background and needs", "Evaluation and award"):
        assert title in text
    assert "Mandatory requirement" in text
    assert "Om upphandlingen" not in text
    with pikepdf.open(io.BytesIO(english.pdf)) as pdf:
        assert str(pdf.Root.Lang) == "en"


def test_need_statement_has_needs_and_market_questions_and_no_requirement(
    need_statement: Rendered,
) -> None:
    text = need_statement.text
    document = need_statement.document
    assert "Behovsbeskrivning för marknadsdialog".upper() in text.upper()
    assert document.needs[0].what[:40] in text
    assert "Hur kan er lösning upptäcka ett fall utan att brukaren larmar?" in text
    assert "Pröva om ett krav på falldetektering är rimligt" in text
    assert "Vi vet inte hur fall kan upptäckas utan kameror." in text
    assert "ger varken fördel eller nackdel i en senare upphandling" in text
    assert "Svara senast 20 november 2026" in text
    assert not re.search(r"\bK\d\.\d+\b", text)
    assert "Ska-krav" not in text
    for item in document.document_requirements():
        assert item.title not in text
    assert "6 500 000" not in text  # the estimated value stays internal
    assert "UTKAST" not in text
    with pikepdf.open(io.BytesIO(need_statement.pdf)) as pdf:
        assert pdf.open_metadata().pdfa_status == "3B"
        assert len(pdf.attachments) == 0
