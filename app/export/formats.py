"""The export formats by name: what each is called, its media type and file suffix, whether
the export gate holds it back, and the function that makes its bytes from the draft."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jinja2 import Environment

from app.document import TenderDraft

if TYPE_CHECKING:
    from app.content import Content

# Renders a PDF from HTML, with the draft's JSON attached when given (PdfRenderer.render).
PdfMaker = Callable[[str, bytes | None], bytes]


@dataclass(frozen=True)
class ExportFormat:
    name: str
    media_type: str
    suffix: str
    # The tender document and what is made from it wait for the export gate; the need
    # statement and the plain draft do not.
    gated: bool
    render: Callable[[TenderDraft, Content | None, Environment, PdfMaker], bytes]


def _pdf(
    draft: TenderDraft, content: Content | None, environment: Environment, pdf: PdfMaker
) -> bytes:
    from app.export.draft_json import render_draft_json
    from app.export.html import render_tender_html

    return pdf(render_tender_html(draft, content, environment), render_draft_json(draft))


def _rfi(
    draft: TenderDraft, content: Content | None, environment: Environment, pdf: PdfMaker
) -> bytes:
    from app.export.html import render_rfi_html

    return pdf(render_rfi_html(draft, content, environment), None)


def _docx(
    draft: TenderDraft, content: Content | None, _environment: Environment, _pdf: PdfMaker
) -> bytes:
    from app.export.docx import render_tender_docx

    return render_tender_docx(draft, content)


def _xlsx(
    draft: TenderDraft, content: Content | None, _environment: Environment, _pdf: PdfMaker
) -> bytes:
    from app.export.xlsx import render_answer_matrix_xlsx

    return render_answer_matrix_xlsx(draft, content)


def _ocds(
    draft: TenderDraft, content: Content | None, _environment: Environment, _pdf: PdfMaker
) -> bytes:
    from app.export.ocds import render_release_package

    return render_release_package(draft, content)


def _json(
    draft: TenderDraft, _content: Content | None, _environment: Environment, _pdf: PdfMaker
) -> bytes:
    from app.export.draft_json import render_draft_json

    return render_draft_json(draft)


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXPORT_FORMATS: dict[str, ExportFormat] = {
    item.name: item
    for item in (
        ExportFormat("pdf", "application/pdf", ".pdf", True, _pdf),
        ExportFormat("rfi", "application/pdf", "-rfi.pdf", False, _rfi),
        ExportFormat("docx", DOCX_TYPE, ".docx", True, _docx),
        ExportFormat("xlsx", XLSX_TYPE, "-matrix.xlsx", True, _xlsx),
        ExportFormat("ocds", "application/json", "-ocds.json", True, _ocds),
        ExportFormat("json", "application/json", ".json", False, _json),
    )
}
