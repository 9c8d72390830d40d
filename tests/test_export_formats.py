"""The tender document as DOCX, the answer matrix as XLSX and the OCDS release package: read
back as a user's tool would read them."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from app.content import Content
from app.document import RequirementData, TenderDraft
from app.export.docx import render_tender_docx
from app.export.ocds import build_release_package, ocds_requirement, render_release_package
from app.export.xlsx import render_answer_matrix_xlsx
from tests.test_export_pdf import tender_draft

OCDS = Path("/work/shared/ocds")
if not OCDS.exists():
    OCDS = Path(__file__).resolve().parent.parent.parent / "shared" / "ocds"

HOSTILE = (
    "<b>fet</b>",
    "=cmd|' /C calc'!A0",
    "+SUM(A1:A2)",
    "-2+3",
    "@SUM(A1)",
    '<img src="file:///etc/passwd">',
    "http://169.254.169.254/latest/meta-data/",
    "@import url(file:///dev/urandom);",
)


def hostile_draft(text: str, **changes: Any) -> TenderDraft:
    draft = tender_draft(**changes)
    requirements = [
        requirement.model_copy(
            update={"title": text, "motive": text, "verification": text, "text": text}
        )
        if requirement.status == "accepted"
        else requirement
        for requirement in draft.requirements
    ]
    needs = [need.model_copy(update={"what": text, "who": text}) for need in draft.needs]
    return draft.model_copy(
        update={
            "title": text,
            "requirements": requirements,
            "needs": needs,
            "answers": {**draft.answers, "problem": text, "price_model": text},
        }
    )


def read_docx(payload: bytes) -> Any:
    return docx.Document(io.BytesIO(payload))


def test_docx_chapters_are_word_headings_and_requirements_read_in_order(
    content: Content,
) -> None:
    document = read_docx(render_tender_docx(tender_draft(), content))

    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name != "Normal"]
    assert ("Title", "E-tjänst för förskoleplats") in headings
    assert {name for name, _text in headings} >= {"Heading 1", "Heading 2", "Heading 3"}
    assert ("Heading 2", "K2.1 Ansökan från mobiltelefon") in headings
    texts = [p.text for p in document.paragraphs]
    start = texts.index("K2.1 Ansökan från mobiltelefon")
    assert texts[start + 1] == "Ansökan ska kunna göras på högst 10 minuter."
    assert texts[start + 2] == "Ska-krav"
    assert texts[start + 3] == "Motiv: Många ansöker från mobilen."
    assert texts[start + 4] == "Verifikat: Användartest före driftstart."
    assert "Bör-krav, vikt 20" in texts
    assert "Föreslagen kravtext som inte ska synas." not in texts
    assert "Avvisad kravtext som inte ska synas." not in texts
    assert document.tables, "answers and goals are Word tables"
    goal_rows = [
        [cell.text for cell in row.cells] for table in document.tables for row in table.rows
    ]
    assert ["E1 Färre samtal", "Samtal per månad", "420", "150"] in goal_rows


def test_english_draft_gives_an_english_docx(content: Content) -> None:
    english = tender_draft(language="en")
    texts = [p.text for p in read_docx(render_tender_docx(english, content)).paragraphs]
    assert "Mandatory requirement" in texts
    assert "DRAFT" in texts


def matrix(draft: TenderDraft, content: Content) -> Any:
    return openpyxl.load_workbook(io.BytesIO(render_answer_matrix_xlsx(draft, content)))


def test_answer_matrix_has_a_row_per_accepted_requirement(content: Content) -> None:
    workbook = matrix(tender_draft(), content)
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0][:4] == ("Nummer", "Titel", "Krav", "Ska/bör")
    assert [row[0] for row in rows[1:]] == ["K2.1", "K3.1"]
    assert rows[1][2] == "Ansökan ska kunna göras på högst 10 minuter."
    assert rows[1][3] == "ska" and rows[2][3] == "bör"
    assert rows[2][4] == "20"
    assert sheet.freeze_panes == "A2"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.fitToWidth == 1


def test_ska_rows_get_ja_nej_validation_and_supplier_columns_are_open(content: Content) -> None:
    sheet = matrix(tender_draft(), content).worksheets[0]

    validations = sheet.data_validations.dataValidation
    ja_nej = [v for v in validations if v.type == "list"]
    assert len(ja_nej) == 1 and ja_nej[0].formula1 == '"Ja,Nej"'
    assert str(ja_nej[0].sqref) == "H2"  # K2.1 is ska; K3.1 is bör
    assert sheet.protection.sheet is True
    assert all(sheet.cell(row=2, column=column).protection.locked for column in range(1, 8))
    assert not any(sheet.cell(row=2, column=column).protection.locked for column in (8, 9, 10))


def test_price_sheet_lists_the_price_model_with_open_price_cells(content: Content) -> None:
    draft = tender_draft()
    draft = draft.model_copy(
        update={
            "answers": {
                **draft.answers,
                "price_model": "Fast pris per månad för drift\n- Pris per tillkommande användare",
                "price_unit": "kr per månad",
            }
        }
    )
    sheet = matrix(draft, content)["Pris"]
    rows = list(sheet.iter_rows(values_only=True))

    assert [row[0] for row in rows[1:]] == [
        "Fast pris per månad för drift",
        "Pris per tillkommande användare",
    ]
    assert rows[1][1] == "kr per månad"
    assert sheet.protection.sheet is True
    assert sheet["A2"].protection.locked and not sheet["C2"].protection.locked
    assert any(v.type == "decimal" for v in sheet.data_validations.dataValidation)


def test_a_sheet_per_lot(content: Content) -> None:
    draft = tender_draft()
    draft = draft.model_copy(update={"answers": {**draft.answers, "lots": True, "lot_count": 3}})
    names = matrix(draft, content).sheetnames
    assert names == ["Del 1", "Del 2", "Del 3", "Pris"]


def release_schema_with_extension() -> dict[str, Any]:
    def merge(target: Any, patch: Any) -> Any:
        if not isinstance(patch, dict):
            return patch
        result = dict(target) if isinstance(target, dict) else {}
        for key, value in patch.items():
            if value is None:
                result.pop(key, None)
            else:
                result[key] = merge(result.get(key), value)
        return result

    release = json.loads((OCDS / "release-schema.json").read_text())
    patch = json.loads((OCDS / "requirements_extension" / "release-schema.json").read_text())
    return merge(release, patch)  # type: ignore[no-any-return]


def ocds_validator() -> Draft4Validator:
    release = release_schema_with_extension()
    package = json.loads((OCDS / "release-package-schema.json").read_text())
    registry: Registry = Registry().with_resource(
        release["id"], Resource.from_contents(release, default_specification=DRAFT4)
    )
    return Draft4Validator(package, registry=registry)


def test_ocds_release_package_validates_with_the_requirements_extension(
    content: Content,
) -> None:
    draft = tender_draft(id=7)
    draft = draft.model_copy(
        update={"answers": {**draft.answers, "cpv_codes": "72000000", "lots": True, "lot_count": 2}}
    )
    package = json.loads(render_release_package(draft, content))

    errors = [error.message for error in ocds_validator().iter_errors(package)]
    assert errors == []
    tender = package["releases"][0]["tender"]
    assert tender["items"][0]["classification"]["scheme"] == "CPV"
    assert tender["items"][0]["classification"]["id"] == "72000000"
    assert [lot["id"] for lot in tender["lots"]] == ["1", "2"]
    requirement = tender["criteria"][0]["requirementGroups"][0]["requirements"][0]
    assert requirement["id"] == "K2.1"
    assert requirement["dataType"] == "integer" and requirement["maxValue"] == 10
    assert [criterion["id"] for criterion in tender["criteria"]] == ["K2.1", "K3.1"]


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("Svar inom {timmar} timmar.", "maxValue"),
        ("Minst {procent} procent.", "minValue"),
        ("Exakt {antal} licenser.", "expectedValue"),
    ],
)
def test_a_parametric_requirement_is_bounded_by_its_words(text: str, bound: str) -> None:
    name = text.split("{")[1].split("}")[0]
    requirement = RequirementData(
        number="K2.9",
        kind="function",
        type="teknisk_specifikation",
        level="bas",
        obligation="ska",
        title="Tid",
        text=text,
        parameters={name: 4},
    )
    assert ocds_requirement(requirement)[bound] == 4


@pytest.mark.parametrize("text", HOSTILE)
def test_typed_markup_and_formulas_come_out_as_text_in_every_format(
    text: str, content: Content
) -> None:
    draft = hostile_draft(text)

    texts = [p.text for p in read_docx(render_tender_docx(draft, content)).paragraphs]
    assert text in texts
    assert any(f"K2.1 {text}" == line for line in texts)

    workbook = matrix(draft, content)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    assert workbook.worksheets[0]["B2"].value == text
    assert workbook["Pris"]["A2"].value.strip(" -") == text.strip(" -")

    package = build_release_package(draft, content)
    assert package["releases"][0]["tender"]["title"] == text
    assert ocds_validator().is_valid(package)


def test_docx_and_xlsx_refer_to_nothing_outside_themselves(content: Content) -> None:
    import zipfile

    for payload in (
        render_tender_docx(hostile_draft('<img src="file:///etc/passwd">'), content),
        render_answer_matrix_xlsx(hostile_draft("http://169.254.169.254/"), content),
    ):
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            for name in archive.namelist():
                if name.endswith(".rels"):
                    assert b'TargetMode="External"' not in archive.read(name), name
