"""The tender document as a Word file (DOCX), made from the same HTML as the PDF, so both
hold the same chapters, requirements and annexes in the same order.

Headings become Word's own heading styles (shown as Rubrik 1-3 in a Swedish Word), so a team
can paste a chapter into an e-tendering tool or finish the document in Word; lists become
Word lists and tables Word tables. Text is set as text: markup typed by a user shows as typed.
The table of contents is a Word field, filled in when Word opens the document."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from jinja2 import Environment

from app.document import TenderDraft
from app.export.html import render_tender_html
from app.i18n import _, use_locale

if TYPE_CHECKING:
    from app.content import Content

# h1 is the document's title; the chapters are h2, their sections h3, requirements h3 or h4.
HEADING_LEVELS = {"h2": 1, "h3": 2, "h4": 3, "h5": 3, "h6": 3}
SKIPPED = {"head", "style", "script", "template"}
VOID = {"br", "img", "meta", "link", "hr", "input", "col", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _text_of(node: Node | str) -> str:
    if isinstance(node, str):
        return node
    if node.tag == "br":
        return "\n"
    return "".join(_text_of(child) for child in node.children)


def _clean(text: str) -> str:
    """Whitespace as a browser shows it: runs of spaces and newlines are one space."""
    return re.sub(r"[ \t\r\n]+", " ", text)


class _Writer:
    def __init__(self, document: WordDocument) -> None:
        self.document = document

    def block(self, node: Node, container: WordDocument | _Cell | None = None) -> None:
        target = container if container is not None else self.document
        for child in node.children:
            if isinstance(child, str):
                if child.strip() and node.tag not in ("root", "html", "body"):
                    self._paragraph(target, Node("p", {}, [child]))
                continue
            self._element(child, target)

    def _element(self, node: Node, target: WordDocument | _Cell) -> None:
        tag = node.tag
        if tag in SKIPPED or node.attrs.get("aria-hidden") == "true":
            return
        if "contents-page" in node.classes:
            if target is self.document:
                self._contents(node)
            return
        if tag == "h1":
            paragraph = self._paragraph(target, node, style="Title")
            paragraph.paragraph_format.keep_with_next = True
        elif tag in HEADING_LEVELS:
            if target is self.document:
                if tag == "h2" and self.document.paragraphs:
                    self._page_break()
                self._paragraph(target, node, style=f"Heading {HEADING_LEVELS[tag]}")
            else:
                self._paragraph(target, node, bold=True)
        elif tag in ("ul", "ol"):
            for item in node.children:
                if isinstance(item, Node) and item.tag == "li":
                    style = "List Number" if tag == "ol" else "List Bullet"
                    self._paragraph(target, item, style=style if target is self.document else None)
        elif tag == "table":
            self._table(node, target)
        elif tag == "dl":
            self._definitions(node, target)
        elif tag in ("p", "caption", "li", "dt", "dd", "figcaption", "blockquote"):
            self._paragraph(target, node)
        else:
            # section, article, div, main, header: their content in order.
            has_blocks = any(
                isinstance(child, Node) and child.tag not in ("span", "strong", "em", "b", "i")
                for child in node.children
            )
            if has_blocks:
                self.block(node, target)
            elif _clean(_text_of(node)).strip():
                self._paragraph(target, node)

    def _page_break(self) -> None:
        """Each chapter on a page of its own, as in the PDF."""
        paragraph = self.document.paragraphs[-1]
        paragraph.add_run().add_break(WD_BREAK.PAGE)

    def _paragraph(
        self,
        target: WordDocument | _Cell,
        node: Node,
        *,
        style: str | None = None,
        bold: bool = False,
    ) -> Paragraph:
        paragraph = target.add_paragraph(style=style) if style else target.add_paragraph()
        self._runs(paragraph, node, bold=bold, italic=False)
        # No space at the start or the end of the paragraph.
        runs = [run for run in paragraph.runs if run.text]
        if runs:
            runs[0].text = runs[0].text.lstrip(" ")
            runs[-1].text = runs[-1].text.rstrip(" ")
        return paragraph

    def _runs(self, paragraph: Paragraph, node: Node | str, *, bold: bool, italic: bool) -> None:
        if isinstance(node, str):
            text = _clean(node)
            if text:
                previous = paragraph.runs[-1].text if paragraph.runs else ""
                if not previous or previous.endswith((" ", "\n")):
                    text = text.lstrip(" ")
                if text:
                    run = paragraph.add_run(text)
                    run.bold = bold or None
                    run.italic = italic or None
            return
        if node.tag == "br":
            paragraph.add_run().add_break()
            return
        if node.tag in SKIPPED or node.attrs.get("aria-hidden") == "true":
            return
        strong = bold or node.tag in ("strong", "b", "th", "dt")
        slanted = italic or node.tag in ("em", "i")
        for child in node.children:
            self._runs(paragraph, child, bold=strong, italic=slanted)
        if "heading-number" in node.classes or "requirement__number" in node.classes:
            paragraph.add_run(" ")
        if node.tag == "span" and "requirement__property" in node.classes:
            paragraph.add_run(" · ")

    def _table(self, node: Node, target: WordDocument | _Cell) -> None:
        rows: list[list[Node]] = []
        headers: list[bool] = []
        caption = ""

        def collect(element: Node, in_head: bool) -> None:
            nonlocal caption
            for child in element.children:
                if not isinstance(child, Node):
                    continue
                if child.tag == "caption":
                    caption = _clean(_text_of(child)).strip()
                elif child.tag in ("thead", "tbody", "tfoot"):
                    collect(child, child.tag == "thead")
                elif child.tag == "tr":
                    cells = [
                        cell
                        for cell in child.children
                        if isinstance(cell, Node) and cell.tag in ("td", "th")
                    ]
                    if cells:
                        rows.append(cells)
                        headers.append(in_head)

        collect(node, False)
        if not rows:
            return
        if caption and "visually-hidden" not in node.classes:
            target.add_paragraph(caption, style="Caption" if target is self.document else None)
        width = max(len(row) for row in rows)
        table = target.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for row_number, cells in enumerate(rows):
            word_row = table.rows[row_number]
            if headers[row_number]:
                _repeat_as_header(word_row)
            for column, cell in enumerate(cells):
                word_cell = word_row.cells[column]
                word_cell.paragraphs[0].text = ""
                has_blocks = any(
                    isinstance(child, Node) and child.tag in ("p", "ul", "ol", "dl", "table")
                    for child in cell.children
                )
                if has_blocks:
                    self.block(cell, word_cell)
                    first = word_cell.paragraphs[0]
                    if not first.text and len(word_cell.paragraphs) > 1:
                        first._element.getparent().remove(first._element)
                else:
                    self._runs(
                        word_cell.paragraphs[0],
                        cell,
                        bold=cell.tag == "th" or headers[row_number],
                        italic=False,
                    )
        if target is self.document:
            target.add_paragraph()  # space after the table

    def _definitions(self, node: Node, target: WordDocument | _Cell) -> None:
        term = ""
        for child in node.children:
            if not isinstance(child, Node):
                continue
            if child.tag == "dt":
                term = _clean(_text_of(child)).strip()
            elif child.tag == "dd":
                paragraph = target.add_paragraph()
                if term:
                    label = paragraph.add_run(f"{term}: ")
                    label.bold = True
                self._runs(paragraph, child, bold=False, italic=False)
                term = ""

    def _contents(self, node: Node) -> None:
        """A Word table of contents in place of the printed one (its page numbers are the
        PDF's): Word fills it in from the headings."""
        self.document.add_paragraph(_("Contents"), style="TOC Heading")
        paragraph = self.document.add_paragraph()
        field_start = OxmlElement("w:fldSimple")
        field_start.set(qn("w:instr"), 'TOC \\o "1-2" \\h \\z \\u')
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = _("Update the table of contents in Word (F9) to see page numbers.")
        run.append(text)
        field_start.append(run)
        paragraph._p.append(field_start)


def _repeat_as_header(row: object) -> None:
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _ensure_styles(document: WordDocument) -> None:
    styles = document.styles
    names = {style.name for style in styles}
    if "TOC Heading" not in names:
        from docx.enum.style import WD_STYLE_TYPE

        toc = styles.add_style("TOC Heading", WD_STYLE_TYPE.PARAGRAPH)
        toc.base_style = styles["Heading 1"]
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)


def _draft_header(document: WordDocument, text: str) -> None:
    for section in document.sections:
        paragraph = section.header.paragraphs[0]
        paragraph.text = text
        for run in paragraph.runs:
            run.bold = True


def render_tender_docx(
    draft: TenderDraft, content: Content | None, environment: Environment
) -> bytes:
    """The tender document as DOCX, in the draft's language, from the PDF's own HTML."""
    html = render_tender_html(draft, content, environment)
    tree = parse_html(html)
    document = Document()
    _ensure_styles(document)
    with use_locale(draft.language):
        properties = document.core_properties
        properties.title = draft.title[:250]
        properties.author = (draft.organisation or "")[:250]
        properties.subject = _("Tender document")
        properties.language = draft.language
        if draft.status not in ("approved", "exported"):
            _draft_header(document, _("DRAFT"))
        body = _find(tree, "body") or tree
        _Writer(document).block(body)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _find(node: Node, tag: str) -> Node | None:
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                return child
            found = _find(child, tag)
            if found is not None:
                return found
    return None
