"""The printed tender document: what its reader sees, and what rendering must never fetch."""

from __future__ import annotations

import gettext
import io
import logging
import re
import threading
import urllib.request
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import anyio
import pytest
from bs4 import BeautifulSoup
from jinja2 import Environment
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from app import i18n
from app.config import PROJECT_ROOT
from app.content import Content
from app.data.local_text import LocalText
from app.document import EffectGoalData, NeedData, RequirementData, TenderDraft
from app.export.html import render_tender_html
from app.export.pdf import DataOnlyURLFetcher, PdfRenderer, PdfTooSlow, render_tender_pdf
from app.library.loader import Library
from app.library.schema import Area
from app.templating import make_environment
from app.wizard.loader import Wizard
from app.wizard.schema import Option, Question, Step
from app.wizard.thresholds import load_thresholds

ROOT = Path(__file__).resolve().parent.parent

# Swedish for the strings these tests read, used only until the catalogue has them.
PROPOSED_SWEDISH = {
    "DRAFT": "UTKAST",
    "Page %(page)s of %(pages)s": "Sida %(page)s av %(pages)s",
    "Mandatory requirement": "Ska-krav",
    "Award criterion": "Bör-krav",
    "weight %(weight)s": "vikt %(weight)s",
    "Serves needs": "Tillgodoser behov",
    "SEK": "kr",
}

TINY_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4"
    "DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
)


@pytest.fixture(autouse=True)
def swedish_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    real_translations = i18n.translations
    if real_translations("sv").gettext("DRAFT") != "DRAFT":
        return  # the real catalogue has the document's strings

    class Proposed(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return PROPOSED_SWEDISH.get(message, message)

    def translations(locale: str) -> gettext.NullTranslations:
        return Proposed() if locale == "sv" else real_translations(locale)

    monkeypatch.setattr(i18n, "translations", translations)


@pytest.fixture
def environment() -> Environment:
    return make_environment(ROOT / "templates", strict=True)


def local(sv: str, en: str) -> LocalText:
    return LocalText(sv=sv, en=en)


@pytest.fixture
def small_content() -> Content:
    """A small wizard and library, so the tests do not depend on the data files being edited."""
    why = local("Det behövs i underlaget.", "The document needs it.")
    questions = [
        Question(id="title", type="text", label=local("Namn", "Name"), why=why),
        Question(
            id="object_type",
            type="radio",
            label=local("Vad köper ni?", "What are you buying?"),
            why=why,
            options=[
                Option(value="services", label=local("Tjänster", "Services")),
                Option(value="goods", label=local("Varor", "Goods")),
            ],
        ),
        Question(
            id="area",
            type="select",
            label=local("Område", "Area"),
            why=why,
            options_from="areas",
        ),
        Question(id="estimated_value", type="money", label=local("Värde", "Value"), why=why),
    ]
    step = Step(
        id="basics",
        order=1,
        title=local("Grunder", "Basics"),
        intro=local("Om upphandlingen.", "About the procurement."),
        questions=questions,
    )
    wizard = Wizard(steps=[step], questions={question.id: question for question in questions})
    library = Library(
        areas=[Area(id="it", name=local("IT-system och tjänster", "IT systems and services"))],
        templates=[],
    )
    return Content(
        wizard=wizard, library=library, thresholds=load_thresholds(PROJECT_ROOT / "wizard_steps")
    )


def tender_draft(**changes: Any) -> TenderDraft:
    draft = TenderDraft(
        organisation="Sundsvalls kommun",
        title="E-tjänst för förskoleplats",
        status="draft",
        version=2,
        language="sv",
        updated_at=datetime(2025, 11, 20, 14, 0),
        answers={
            "reference_number": "BUN 2025/0412",
            "object_type": "services",
            "area": "it",
            "estimated_value": 2400000,
            "contract_length_months": 48,
            "current_situation": "Ansökan görs på papper.",
            "problem": "Vårdnadshavare ringer för att fråga om blanketten.",
        },
        needs=[
            NeedData(
                key="B1",
                who="Vårdnadshavare",
                what="Ansöka utan att ringa",
                why="De flesta ansöker på kvällen.",
            ),
            NeedData(
                key="B2",
                who="Handläggare",
                what="Slippa skriva av blanketter",
                why="Avskrift ger fel.",
                needs_review=True,
            ),
        ],
        effect_goals=[
            EffectGoalData(
                key="E1",
                goal="Färre samtal",
                indicator="Samtal per månad",
                baseline="420",
                target="150",
                needs=["B1"],
            )
        ],
        requirements=[
            RequirementData(
                number="K2.1",
                status="accepted",
                kind="function",
                type="teknisk_specifikation",
                level="bas",
                obligation="ska",
                title="Ansökan från mobiltelefon",
                text="Ansökan ska kunna göras på högst {minuter} minuter.",
                parameters={"minuter": 10},
                motive="Många ansöker från mobilen.",
                verification="Användartest före driftstart.",
                needs=["B1", "B2"],
                references=["EN 301 549, eller likvärdigt"],
            ),
            RequirementData(
                number="K3.1",
                status="accepted",
                kind="quality",
                type="tilldelningskriterium",
                level="avancerad",
                obligation="bor",
                weight=20,
                title="Uppföljning",
                text="Systemet bör visa handläggningstider per månad.",
                needs=["B2"],
            ),
            RequirementData(
                number="K2.2",
                status="suggested",
                kind="function",
                type="teknisk_specifikation",
                level="bas",
                obligation="ska",
                title="Oavgjort förslag",
                text="Föreslagen kravtext som inte ska synas.",
            ),
            RequirementData(
                number="",
                status="rejected",
                kind="exit",
                type="sarskilt_kontraktsvillkor",
                level="bas",
                obligation="ska",
                title="Bortvalt krav",
                text="Avvisad kravtext som inte ska synas.",
            ),
        ],
    )
    return draft.model_copy(update=changes)


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page as a reader would copy it: hyphenated line breaks joined."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = []
    for page in reader.pages:
        text = re.sub(r"[\u2010-]\n", "", page.extract_text())
        pages.append(" ".join(text.replace("\u00a0", " ").split()))
    return pages


def render_pdf_text(
    draft: TenderDraft, content: Content | None, environment: Environment
) -> list[str]:
    return pdf_pages(render_tender_pdf(render_tender_html(draft, content, environment)))


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_swedish_draft_pdf_shows_title_needs_requirements_and_draft_marking(
    small_content: Content, environment: Environment
) -> None:
    text = " ".join(render_pdf_text(tender_draft(), small_content, environment))

    assert "E-tjänst för förskoleplats" in text
    assert "Ansöka utan att ringa" in text
    assert "Ansökan ska kunna göras på högst 10 minuter." in text
    assert "UTKAST" in text
    assert "Sida 1 av" in text


def test_draft_marking_is_on_every_page(small_content: Content, environment: Environment) -> None:
    pages = render_pdf_text(tender_draft(status="in_review"), small_content, environment)

    assert len(pages) > 1
    assert all("UTKAST" in page for page in pages)


def test_approved_document_has_no_draft_marking(
    small_content: Content, environment: Environment
) -> None:
    text = " ".join(render_pdf_text(tender_draft(status="approved"), small_content, environment))

    assert "E-tjänst för förskoleplats" in text
    assert "UTKAST" not in text
    assert "DRAFT" not in text


def test_english_document_says_draft_and_page_x_of_y(
    small_content: Content, environment: Environment
) -> None:
    pages = render_pdf_text(tender_draft(language="en"), small_content, environment)

    assert "DRAFT" in pages[0]
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert "Mandatory requirement" in " ".join(pages)


def test_rejected_and_undecided_requirements_are_left_out(
    small_content: Content, environment: Environment
) -> None:
    html = render_tender_html(tender_draft(), small_content, environment)
    text = " ".join(render_pdf_text(tender_draft(), small_content, environment))

    assert soup_of(html).find(id="requirement-K2-2") is None
    assert "Avvisad kravtext" not in text
    assert "Föreslagen kravtext" not in text
    assert "Ansökan ska kunna göras på högst 10 minuter." in text


def test_requirement_shows_obligation_in_words_and_the_needs_it_serves(
    small_content: Content, environment: Environment
) -> None:
    page = soup_of(render_tender_html(tender_draft(), small_content, environment))

    first = page.find(id="requirement-K2-1")
    second = page.find(id="requirement-K3-1")
    assert first is not None and second is not None
    first_article, second_article = first.find_parent("article"), second.find_parent("article")
    assert first_article is not None and second_article is not None
    first_text = first_article.get_text(" ", strip=True)
    assert "Ska-krav" in first_text
    assert "Tillgodoser behov" in first_text
    assert [link["href"] for link in first_article.select("a")] == ["#need-B1", "#need-B2"]
    assert "Bör-krav (vikt 20)" in second_article.get_text(" ", strip=True)


def test_answers_are_shown_with_their_names_not_their_stored_values(
    small_content: Content, environment: Environment
) -> None:
    tables = soup_of(render_tender_html(tender_draft(), small_content, environment)).select(
        ".facts--body"
    )

    assert tables
    facts = " ".join(
        " ".join(table.get_text(" ", strip=True) for table in tables).replace("\u00a0", " ").split()
    )
    assert "Tjänster" in facts
    assert "IT-system och tjänster" in facts
    assert "2 400 000 kr" in facts
    assert "BUN 2025/0412" in facts


def test_needs_marked_for_review_say_so_in_words(
    small_content: Content, environment: Environment
) -> None:
    page = soup_of(render_tender_html(tender_draft(language="en"), small_content, environment))

    rows = {row["id"]: row.get_text(" ", strip=True) for row in page.select("tr[id^=need-]")}
    assert "Needs review" in rows["need-B2"]
    assert "Needs review" not in rows["need-B1"]


@pytest.mark.parametrize("with_content", [True, False])
def test_document_is_made_from_whatever_is_answered(
    small_content: Content, environment: Environment, with_content: bool
) -> None:
    draft = TenderDraft(
        organisation="Region Norr",
        title="Tomt underlag",
        language="en",
        answers={
            "area": "no_such_area",
            "object_type": "no_such_option",
            "estimated_value": "about a million",
            "contract_length_months": "",
            "a_question_that_was_removed": {"code": "72000000"},
        },
    )

    html = render_tender_html(draft, small_content if with_content else None, environment)
    text = " ".join(pdf_pages(render_tender_pdf(html)))

    assert "Tomt underlag" in text
    assert "about a million" in text  # the estimated value, as typed, in "About the procurement"
    assert "None" not in text
    for unanswered in ("Background and needs", "Requirements on what is procured", "Annexes"):
        assert unanswered not in text


def test_html_refers_to_nothing_outside_itself(
    small_content: Content, environment: Environment
) -> None:
    page = soup_of(render_tender_html(tender_draft(), small_content, environment))

    assert page.find("link") is None
    assert page.find("base") is None
    ids = {element["id"] for element in page.find_all(id=True)}
    for element in page.find_all(src=True):
        assert str(element["src"]).startswith("data:")
    for element in page.find_all(href=True):
        href = str(element["href"])
        assert href.startswith(("data:", "#")), href
        if href.startswith("#"):
            assert href[1:] in ids, f"{href} points nowhere"
    assert "url(" not in "".join(style.get_text() for style in page.find_all("style"))


def test_html_has_language_headings_in_order_and_table_header_scopes(
    small_content: Content, environment: Environment
) -> None:
    page = soup_of(render_tender_html(tender_draft(language="en"), small_content, environment))

    assert page.html is not None and page.html["lang"] == "en"
    levels = [int(heading.name[1]) for heading in page.find_all(re.compile(r"^h[1-6]$"))]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(after - before <= 1 for before, after in zip(levels, levels[1:], strict=False))
    assert all(header.get("scope") in ("col", "row") for header in page.find_all("th"))


def test_markup_typed_by_a_user_is_shown_as_text(
    small_content: Content, environment: Environment
) -> None:
    draft = tender_draft(
        title='Upphandling <img src="http://127.0.0.1/x.png">',
        needs=[NeedData(key="B1", who="<b>Alla</b>", what="<script>alert('x')</script>")],
    )

    html = render_tender_html(draft, small_content, environment)
    page = soup_of(html)

    assert page.find("script") is None
    assert page.find("b") is None
    assert page.find("img") is None
    assert "&lt;script&gt;" in html
    need = page.find(id="need-B1")
    assert need is not None and "<script>alert('x')</script>" in need.get_text()


def boxes_past_the_right_margin(html: str) -> list[str]:
    """Laid-out boxes in the page body that reach beyond the right margin (text cut off)."""
    document = HTML(string=html, url_fetcher=DataOnlyURLFetcher()).render()
    found: list[str] = []

    def visit(box: Any, right_edge: float, page_number: int) -> None:
        if isinstance(box, boxes.MarginBox):
            return  # running headers and footers live outside the body on purpose
        if not isinstance(box, boxes.LineBox) and box.position_x + box.margin_width() > right_edge:
            found.append(f"page {page_number}: {getattr(box, 'text', box.element_tag)[:40]}")
        for child in getattr(box, "children", []):
            visit(child, right_edge, page_number)

    for page_number, page in enumerate(document.pages, start=1):
        # _page_box is WeasyPrint's laid-out page; there is no public view of the boxes.
        page_box = page._page_box
        right_edge = page_box.content_box_x() + page_box.width + 0.5
        for child in page_box.children:
            visit(child, right_edge, page_number)
    return found


def test_long_words_and_addresses_stay_on_the_page(environment: Environment) -> None:
    long_word = "Barnomsorgsplaceringsadministrationssystemsleverantörsavtalsförlängning" * 2
    address = "https://www.example.org/" + "en-mycket-lang-adress-utan-mellanslag/" * 6
    draft = tender_draft(
        title="Upphandling " + long_word,
        answers={"reference_number": "DNR" + "0" * 90, "current_situation": long_word},
        needs=[NeedData(key="B1", who=long_word, what=address, why=long_word)],
        effect_goals=[
            EffectGoalData(key="E1", goal=long_word, indicator=address, target=long_word)
        ],
    )
    draft.requirements[0].references.append(address)

    assert boxes_past_the_right_margin(render_tender_html(draft, None, environment)) == []


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "http://127.0.0.1/", "https://example.org/a.css", "/etc/passwd"]
)
def test_fetcher_refuses_everything_but_data_urls(url: str) -> None:
    fetcher = DataOnlyURLFetcher()

    with pytest.raises(ValueError):
        fetcher.fetch(url)

    assert fetcher.refused == [url]


def test_fetcher_still_reads_data_urls() -> None:
    fetcher = DataOnlyURLFetcher()

    response = fetcher.fetch(TINY_PNG)

    assert response.read().startswith(b"\x89PNG")
    assert fetcher.refused == []


@pytest.fixture
def local_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Records every file or HTTP open that urllib would make."""
    opened: list[str] = []

    def recorder(name: str) -> Callable[..., Any]:
        def open_(handler: Any, request: urllib.request.Request, *args: Any) -> Any:
            opened.append(f"{name}:{request.full_url}")
            raise AssertionError("rendering must not open files or the network")

        return open_

    monkeypatch.setattr(urllib.request.FileHandler, "file_open", recorder("file"))
    monkeypatch.setattr(urllib.request.HTTPHandler, "http_open", recorder("http"))
    yield opened


def test_pdf_is_made_without_reading_files_or_the_network(
    local_reads: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    html = (
        '<!DOCTYPE html><html lang="sv"><head><title>Test</title>'
        '<link rel="stylesheet" href="http://127.0.0.1/style.css"></head><body>'
        '<p>Innehåll</p><img src="file:///etc/passwd" alt="">'
        f'<img src="{TINY_PNG}" alt="punkt"></body></html>'
    )
    fetcher = DataOnlyURLFetcher()

    with caplog.at_level(logging.WARNING, logger="app.export.pdf"):
        pdf = render_tender_pdf(html, url_fetcher=fetcher)

    assert pdf.startswith(b"%PDF")
    assert "Innehåll" in pdf_pages(pdf)[0]
    assert sorted(fetcher.refused) == ["file:///etc/passwd", "http://127.0.0.1/style.css"]
    assert local_reads == []
    assert "file:///etc/passwd" in caplog.text
    assert len(list(PdfReader(io.BytesIO(pdf)).pages[0].images)) == 1  # only the data: image


def test_pdf_carries_title_and_language(small_content: Content, environment: Environment) -> None:
    pdf = render_tender_pdf(render_tender_html(tender_draft(), small_content, environment))

    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None
    assert "E-tjänst för förskoleplats" in str(reader.metadata.title)
    assert reader.root_object["/Lang"] == "sv"


def test_rendering_in_worker_threads_a_few_at_a_time_gives_pdfs(
    small_content: Content, environment: Environment
) -> None:
    html = render_tender_html(tender_draft(), small_content, environment)
    renderer = PdfRenderer(workers=1)

    async def two_at_once() -> list[bytes]:
        results: list[bytes] = []

        async def one() -> None:
            results.append(await anyio.to_thread.run_sync(renderer.render, html))

        async with anyio.create_task_group() as group:
            group.start_soon(one)
            group.start_soon(one)
        return results

    first, pdf = anyio.run(two_at_once)
    assert first.startswith(b"%PDF")

    assert pdf.startswith(b"%PDF")
    assert "UTKAST" in pdf_pages(pdf)[0]


def test_document_renders_with_the_real_wizard_and_library(
    content: Content, environment: Environment
) -> None:
    draft = tender_draft(answers={**tender_draft().answers, "object_type": "tjanst"})

    pages = render_pdf_text(draft, content, environment)

    assert "E-tjänst för förskoleplats" in pages[0]
    assert "IT-system och e-tjänster" in " ".join(pages)


def test_a_rendering_past_its_time_limit_is_stopped_and_the_next_one_renders() -> None:
    slow = PdfRenderer(workers=1, seconds=1)
    rows = "".join(f"<tr><td>{n}</td><td>{'ord ' * 40}</td></tr>" for n in range(20000))
    huge = f"<html lang='sv'><title>Stor</title><body><table>{rows}</table></body></html>"

    with pytest.raises(PdfTooSlow):
        slow.render(huge)

    assert slow.render("<html lang='sv'><title>Liten</title><body>Hej</body></html>").startswith(
        b"%PDF"
    )


def test_renderers_sharing_slot_files_render_one_pdf_at_a_time(tmp_path: Path) -> None:
    """Two processes' renderers (here two renderers) with the same slot files: while one holds
    the machine's only slot, the other waits for it."""
    first = PdfRenderer(workers=1, slot_files=tmp_path / "kravlotsen.db")
    second = PdfRenderer(workers=1, slot_files=tmp_path / "kravlotsen.db")
    taken = threading.Event()
    release = threading.Event()
    order: list[str] = []

    def hold() -> None:
        with first._machine_slot():
            order.append("first")
            taken.set()
            release.wait(5)
            order.append("first done")

    holder = threading.Thread(target=hold)
    holder.start()
    assert taken.wait(5)

    def wait_for_slot() -> None:
        with second._machine_slot():
            order.append("second")

    waiter = threading.Thread(target=wait_for_slot)
    waiter.start()
    waiter.join(0.3)
    assert order == ["first"]
    release.set()
    holder.join(5)
    waiter.join(5)
    assert order == ["first", "first done", "second"]
