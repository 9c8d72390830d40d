"""The answer matrix as an Excel workbook: one row per accepted requirement for the supplier to
answer (Ja/Nej for each ska-krav, a free-text answer, a reference to the evidence), a sheet per
lot when the procurement has lots, and a price sheet from the price model. Requirement columns
are locked and supplier columns open; every cell is written as text or a number, never as a
formula."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from app.document import RequirementData, TenderDraft
from app.export.docx import clean
from app.export.values import filled_text
from app.export.view import TenderView, tender_view
from app.i18n import _, use_locale

if TYPE_CHECKING:
    from app.content import Content

# Columns the authority fills and locks, then the ones the supplier answers in.
REQUIREMENT_COLUMNS = 7
SUPPLIER_COLUMNS = 3
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_WIDTHS = (9, 30, 60, 12, 14, 40, 24, 12, 50, 30)


def put_text(cell: Cell, value: object) -> None:
    """A value as a string cell: text that starts like a formula stays text."""
    text = clean(value)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(_FORMULA_START):
        # Kept as a string by data_type; the quote prefix makes Excel show it as typed, too.
        cell.quotePrefix = True


def render_answer_matrix_xlsx(draft: TenderDraft, content: Content | None) -> bytes:
    with use_locale(draft.language) as locale:
        view = tender_view(draft, content, locale)
        workbook = Workbook()
        first = workbook.active
        assert first is not None
        lots = view.answers.whole_number("lot_count") if view.answers.raw("lots") is True else None
        if lots and lots > 1:
            workbook.remove(first)
            for lot in range(1, lots + 1):
                sheet = workbook.create_sheet(_("Lot %(number)s", number=lot)[:31])
                _requirement_sheet(sheet, view)
        else:
            first.title = _("Requirements")[:31]
            _requirement_sheet(first, view)
        _price_sheet(workbook.create_sheet(_("Price")[:31]), view)
        workbook.properties.title = clean(draft.title)
        workbook.properties.language = locale
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def matrix_header() -> list[str]:
    return [
        _("Number"),
        _("Title"),
        _("Requirement"),
        _("Ska/bör"),
        _("Weight or added value"),
        _("Verification"),
        _("Serves needs"),
        _("Met (yes or no)"),
        _("Supplier's answer"),
        _("Reference to evidence"),
    ]


def _share(view: TenderView, requirement: RequirementData) -> str:
    if view.evaluation is not None:
        for criterion in view.evaluation.criteria:
            if criterion.requirement.number == requirement.number and criterion.share is not None:
                if view.evaluation.method == "added_value_sek":
                    return f"{criterion.share} " + _("SEK")
                return f"{criterion.share:g} %"
    return "" if requirement.weight is None else f"{requirement.weight:g}"


def _requirement_sheet(sheet: Worksheet, view: TenderView) -> None:
    header = matrix_header()
    for column, text in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=column)
        put_text(cell, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    yes, no = _("Yes"), _("No")
    validation = DataValidation(
        type="list",
        formula1=f'"{yes},{no}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Yes or no"),
        error=_("Answer yes or no."),
    )
    sheet.add_data_validation(validation)
    for row, requirement in enumerate(view.requirements, start=2):
        values = [
            requirement.number,
            requirement.title,
            filled_text(requirement),
            "ska" if requirement.obligation == "ska" else "bör",
            _share(view, requirement),
            requirement.verification,
            ", ".join(requirement.needs),
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column)
            put_text(cell, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for column in range(REQUIREMENT_COLUMNS + 1, REQUIREMENT_COLUMNS + SUPPLIER_COLUMNS + 1):
            cell = sheet.cell(row=row, column=column)
            cell.protection = Protection(locked=False)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if requirement.obligation == "ska":
            validation.add(sheet.cell(row=row, column=REQUIREMENT_COLUMNS + 1))
    _layout(sheet, len(header))


def _layout(sheet: Worksheet, columns: int) -> None:
    from openpyxl.utils import get_column_letter

    for column in range(1, columns + 1):
        sheet.column_dimensions[get_column_letter(column)].width = _WIDTHS[column - 1]
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    # Locked cells cannot change; the supplier may still widen rows and columns to read.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _price_sheet(sheet: Worksheet, view: TenderView) -> None:
    """One row per line of the price model, with the unit and a price for the supplier."""
    header = [
        _("What is priced"),
        _("Unit"),
        _("Price (SEK, excluding VAT)"),
        _("Supplier's comment"),
    ]
    for column, text in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=column)
        put_text(cell, text)
        cell.font = Font(bold=True)
    lines = [line.strip(" -•\t") for line in view.answers.text("price_model").splitlines()]
    lines = [line for line in lines if line] or [_("Price")]
    unit = view.answers.text("price_unit")
    for row, line in enumerate(lines, start=2):
        put_text(sheet.cell(row=row, column=1), line)
        put_text(sheet.cell(row=row, column=2), unit)
        sheet.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        for column in (3, 4):
            sheet.cell(row=row, column=column).protection = Protection(locked=False)
        sheet.cell(row=row, column=3).number_format = "#,##0.00"
    validation = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        error=_("Give the price as a number."),
    )
    validation.add(f"C2:C{len(lines) + 1}")
    sheet.add_data_validation(validation)
    for letter, width in zip("ABCD", (60, 20, 22, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.protection.sheet = True
