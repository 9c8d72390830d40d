"""The answer matrix for suppliers (XLSX): one row per requirement of the tender document with
its number, title, text, ska or bör, weight or added value and verification, and the columns a
supplier fills in: fulfilled (Ja/Nej, chosen from a list for a mandatory requirement), the
answer, and where the evidence is. A sheet per lot when there are lots, and a price sheet from
the price model.

The requirement columns are locked (the sheet is protected without a password, so nobody
changes a requirement by mistake) and the supplier columns open; the header row is frozen and
printed on every page, and a page is as wide as the sheet. Every value is written as text or a
number, never as a formula: a cell typed as "=..." by a user stays that text."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from app.document import RequirementData, TenderDraft
from app.export.values import filled_text
from app.export.view import TenderView, tender_view
from app.i18n import _, use_locale

if TYPE_CHECKING:
    from app.content import Content

HEADER_FILL = PatternFill("solid", fgColor="1D3F6E")
OPEN_FILL = PatternFill("solid", fgColor="FFF7D6")
# Sheet names: at most 31 characters, none of these.
_NOT_IN_SHEET_NAMES = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def as_text(value: Any) -> Any:
    """A value for a cell: numbers stay numbers; text that a spreadsheet would read as a
    formula (=, +, -, @ first) is stored as a string cell, so it never runs."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float | Decimal):
        return float(value) if isinstance(value, Decimal) else value
    return str(value)


def _set(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    cell = sheet.cell(row=row, column=column)
    value = as_text(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # a string, whatever it starts with
    return cell


def _sheet_name(name: str, taken: set[str]) -> str:
    base = name.translate(_NOT_IN_SHEET_NAMES).strip()[:31] or "Sheet"
    candidate, number = base, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


def _share_text(view: TenderView, requirement: RequirementData) -> Any:
    if requirement.obligation == "ska":
        return ""
    evaluation = view.evaluation
    if evaluation is not None:
        for criterion in evaluation.criteria:
            if criterion.requirement.number == requirement.number and criterion.share is not None:
                if evaluation.method == "added_value_sek":
                    return _(
                        "added value up to %(amount)s", amount=view.answers.amount(criterion.share)
                    )
                return float(criterion.share)
    return requirement.weight if requirement.weight is not None else ""


def _header(sheet: Worksheet, titles: list[str], widths: list[int]) -> None:
    for column, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = _set(sheet, 1, column, title)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _protect(sheet: Worksheet) -> None:
    protection = sheet.protection
    protection.sheet = True
    protection.formatCells = False
    protection.formatColumns = False
    protection.formatRows = False
    protection.sort = False
    protection.autoFilter = False


def _requirement_sheet(sheet: Worksheet, view: TenderView, lot: str) -> None:
    titles = [
        _("Number"),
        _("Requirement"),
        _("Requirement text"),
        _("Mandatory (ska) or award criterion (bör)"),
        _("Weight or added value"),
        _("Verification"),
        _("Fulfilled (yes/no)"),
        _("The supplier's answer"),
        _("Reference to the evidence"),
    ]
    widths = [9, 28, 60, 16, 14, 40, 14, 50, 30]
    if lot:
        titles.insert(0, _("Lot"))
        widths.insert(0, 12)
    _header(sheet, titles, widths)
    first_open = len(titles) - 2
    yes, no = _("Yes"), _("No")
    fulfilled = DataValidation(
        type="list",
        formula1=f'"{yes},{no}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Yes or no"),
        error=_(
            "Answer %(yes)s or %(no)s: is the mandatory requirement fulfilled?", yes=yes, no=no
        ),
        promptTitle=_("Fulfilled?"),
        prompt=_("Choose %(yes)s or %(no)s.", yes=yes, no=no),
        showInputMessage=True,
    )
    sheet.add_data_validation(fulfilled)
    for row, requirement in enumerate(view.requirements, start=2):
        values: list[Any] = [
            requirement.number,
            requirement.title,
            filled_text(requirement),
            _("Mandatory (ska)") if requirement.obligation == "ska" else _("Award criterion (bör)"),
            _share_text(view, requirement),
            requirement.verification,
        ]
        if lot:
            values.insert(0, lot)
        for column, value in enumerate(values, start=1):
            cell = _set(sheet, row, column, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.protection = Protection(locked=True)
        for column in range(first_open, len(titles) + 1):
            cell = sheet.cell(row=row, column=column)
            cell.protection = Protection(locked=False)
            cell.fill = OPEN_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if requirement.obligation == "ska":
            fulfilled.add(sheet.cell(row=row, column=first_open))
    sheet.auto_filter.ref = (
        f"A1:{get_column_letter(len(titles))}{max(2, len(view.requirements) + 1)}"
    )
    _protect(sheet)


def _price_items(view: TenderView) -> list[str]:
    model = view.answers.text("price_model")
    items = [line.strip(" -•*\t") for line in model.splitlines() if line.strip(" -•*\t")]
    return items or ([_("The tender price")] if model or view.answers.text("price_unit") else [])


def _price_sheet(sheet: Worksheet, view: TenderView, lots: list[str]) -> None:
    titles = [_("Price item"), _("Unit"), _("Price in SEK, excluding VAT"), _("Remarks")]
    widths = [50, 18, 22, 40]
    if lots:
        titles.insert(0, _("Lot"))
        widths.insert(0, 12)
    _header(sheet, titles, widths)
    unit = view.answers.text("price_unit")
    row = 2
    for lot in lots or [""]:
        for item in _price_items(view):
            values: list[Any] = [item, unit]
            if lots:
                values.insert(0, lot)
            for column, value in enumerate(values, start=1):
                cell = _set(sheet, row, column, value)
                cell.protection = Protection(locked=True)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            for column in range(len(values) + 1, len(titles) + 1):
                cell = sheet.cell(row=row, column=column)
                cell.protection = Protection(locked=False)
                cell.fill = OPEN_FILL
                if column == len(values) + 1:
                    cell.number_format = "# ##0.00"
            row += 1
    _protect(sheet)


def render_answer_matrix(draft: TenderDraft, content: Content | None) -> bytes:
    """The answer matrix of the tender document, in the draft's language."""
    with use_locale(draft.language) as locale:
        view = tender_view(draft, content, locale)
        workbook = Workbook()
        taken: set[str] = set()
        count = view.answers.whole_number("lot_count") if view.answers.raw("lots") else None
        lots = [_("Lot %(number)s", number=number) for number in range(1, (count or 0) + 1)]
        first = workbook.active
        assert first is not None
        if lots:
            workbook.remove(first)
            for lot in lots:
                _requirement_sheet(workbook.create_sheet(_sheet_name(lot, taken)), view, lot)
        else:
            first.title = _sheet_name(_("Requirements"), taken)
            _requirement_sheet(first, view, "")
        if _price_items(view):
            _price_sheet(workbook.create_sheet(_sheet_name(_("Price"), taken)), view, lots)
        workbook.security = WorkbookProtection(lockStructure=True)
        properties = workbook.properties
        matrix = _("Answer matrix")
        properties.title = f"{draft.title} – {matrix}"[:250]
        properties.creator = "Kravlotsen"
        properties.language = draft.language
        output = io.BytesIO()
        workbook.save(output)
        return output.getvalue()
