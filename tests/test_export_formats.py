"""The tender document for Word, the answer matrix for suppliers and the tender as open data,
read back as their users' tools read them: python-docx for Word's styles and paragraphs,
openpyxl for rows, validations, protection and the price sheet, jsonschema for OCDS 1.1 with
the requirements extension. Text typed by a user stays text in each of them."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import docx
import jsonschema
import openpyxl
import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.config import PROJECT_ROOT
from app.content import Content
from app.data.files import load_model
from app.document import TenderDraft
from app.drafts.answers_file import AnswersFile, document_from_answers_file
from app.export.docx import render_tender_docx
from app.export.ocds import ocds_release_package
from app.export.xlsx import render_answer_matrix
from app.models import AuditEvent, Draft, DraftStatus, ExportFile, Revision, User
from app.templating import make_environment
from tests.cli import run_cli
from tests.conftest import csrf_from, finish_exports, login
from tests.factories import make_api_token, make_organisation, make_user
from tests.test_export_routes import accept_all, imported_draft

SHARED_OCDS = PROJECT_ROOT.parent / "shared" / "ocds"
EXAMPLES = sorted((PROJECT_ROOT / "examples").glob("*.yaml"))
HOSTILE = '<b>fet</b> =HYPERLINK("http://169.254.169.254/","x") <img src="file:///etc/passwd">'


def example(content: Content, name: str = "bygglov-e-tjanst.yaml") -> TenderDraft:
    return document_from_answers_file(
        load_model(AnswersFile, PROJECT_ROOT / "examples" / name), content
    )


def _merge(target: Any, patch: Any) -> Any:
    """A JSON merge patch (RFC 7396), as the extension is published."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = _merge(merged.get(key), value)
    return merged


@pytest.fixture(scope="module")
def ocds_validator() -> jsonschema.Draft4Validator:
    if not SHARED_OCDS.exists():
        pytest.skip("the shared OCDS schemas are not beside the project")
    release = _merge(
        json.loads((SHARED_OCDS / "release-schema.json").read_text(encoding="utf-8")),
        json.loads(
            (SHARED_OCDS / "requirements_extension" / "release-schema.json").read_text(
                encoding="utf-8"
            )
        ),
    )
    package = json.loads((SHARED_OCDS / "release-package-schema.json").read_text("utf-8"))
    package["properties"]["releases"]["items"] = {"$ref": "#/definitions/Release"}
    package["definitions"] = {**release["definitions"], "Release": release}
    return jsonschema.Draft4Validator(package)


def _requirements_of(package: dict[str, Any]) -> list[dict[str, Any]]:
    tender = package["releases"][0]["tender"]
    return [
        requirement
        for criterion in tender.get("criteria", [])
        for group in criterion["requirementGroups"]
        for requirement in group["requirements"]
    ]


def test_the_word_document_has_heading_styles_and_every_requirement(content: Content) -> None:
    document = example(content)
    payload = render_tender_docx(document, content, make_environment(PROJECT_ROOT / "templates"))
    word = docx.Document(io.BytesIO(payload))
    styled = [(paragraph.style.name, paragraph.text) for paragraph in word.paragraphs]
    assert ("Title", document.title) in styled
    chapters = [text for style, text in styled if style == "Heading 1"]
    assert chapters[:3] == [
        "1 Om upphandlingen",
        "2 Bakgrund och behov",
        "3 Kvalificering av anbudsgivare",
    ]
    assert any(style == "Heading 2" and text.endswith("Behov") for style, text in styled)
    texts = "\n".join(text for _style, text in styled)
    for requirement in document.document_requirements():
        heading = f"{requirement.number} {requirement.title}"
        assert ("Heading 3", heading) in styled or ("Heading 2", heading) in styled, heading
    first = document.document_requirements()[0]
    assert "Ska-krav" in texts
    assert f"Verifikat: {first.verification.split()[0]}" in texts
    assert len(word.tables) >= 3  # the facts, the needs, the effect goals
    # Not approved: UTKAST at the top of every page.
    assert word.sections[0].header.paragraphs[0].text == "UTKAST"
    approved = document.model_copy(update={"status": "approved"})
    approved_word = docx.Document(
        io.BytesIO(
            render_tender_docx(approved, content, make_environment(PROJECT_ROOT / "templates"))
        )
    )
    assert approved_word.sections[0].header.paragraphs[0].text == ""


def test_the_answer_matrix_has_a_row_per_requirement_and_only_supplier_columns_open(
    content: Content,
) -> None:
    document = example(content)
    workbook = openpyxl.load_workbook(io.BytesIO(render_answer_matrix(document, content)))
    assert workbook.sheetnames == ["Krav", "Pris"]
    sheet = workbook["Krav"]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Nummer", "Krav", "Kravtext", "Ska-krav eller bör-krav"]
    assert header[-3:] == ["Uppfyllt (ja/nej)", "Leverantörens svar", "Hänvisning till bevis"]
    requirements = document.document_requirements()
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [item.number for item in requirements]
    assert sheet.freeze_panes == "A2" and sheet.print_title_rows == "$1:$1"
    assert sheet.protection.sheet is True
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.cell(row=2, column=3).protection.locked is True
    assert sheet.cell(row=2, column=7).protection.locked is False
    validation = sheet.data_validations.dataValidation[0]
    assert validation.formula1 == '"Ja,Nej"'
    mandatory_rows = {
        row for row, item in enumerate(requirements, start=2) if item.obligation == "ska"
    }
    covered = {row for ranges in validation.sqref.ranges for row, _column in ranges.cells}
    assert covered == mandatory_rows
    prices = list(workbook["Pris"].iter_rows(values_only=True))
    assert prices[0][:3] == ("Prispost", "Enhet", "Pris i kronor, exklusive moms")
    assert len(prices) >= 2 and prices[1][1]


def test_lots_give_a_sheet_each(content: Content) -> None:
    document = example(content)
    answers = {**document.answers, "lots": True, "lot_count": 3}
    workbook = openpyxl.load_workbook(
        io.BytesIO(render_answer_matrix(document.model_copy(update={"answers": answers}), content))
    )
    assert workbook.sheetnames == ["Del 1", "Del 2", "Del 3", "Pris"]
    assert workbook["Del 2"].cell(row=2, column=1).value == "Del 2"
    assert {row[0] for row in workbook["Pris"].iter_rows(min_row=2, values_only=True)} == {
        "Del 1",
        "Del 2",
        "Del 3",
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_every_example_is_a_valid_ocds_release_package(
    path: Path, content: Content, ocds_validator: jsonschema.Draft4Validator
) -> None:
    document = example(content, path.name)
    package = ocds_release_package(document, content)
    errors = [error.message for error in ocds_validator.iter_errors(package)]
    assert errors == []
    requirements = _requirements_of(package)
    assert {item["id"] for item in requirements} >= {
        item.number for item in document.document_requirements()
    }


def test_ocds_figures_are_bounds_and_the_object_is_classified(content: Content) -> None:
    document = example(content)
    package = ocds_release_package(document, content)
    tender = package["releases"][0]["tender"]
    assert tender["mainProcurementCategory"] == "services"
    assert tender["items"][0]["classification"]["scheme"] == "CPV"
    assert tender["value"]["currency"] == "SEK"
    assert [criterion["id"] for criterion in tender["criteria"]] == ["K1", "K2", "K3", "K4"]
    bounded = [
        item for item in _requirements_of(package) if "minValue" in item or "maxValue" in item
    ]
    assert bounded
    for item in bounded:
        assert item["dataType"] in ("integer", "number")
    # "... minst {x} ..." is a minimum, "inom {x} ..." a maximum, by the template's text.
    by_text = {item.get("description", ""): item for item in bounded}
    assert any("minst" in text and "minValue" in item for text, item in by_text.items())
    assert any("inom" in text and "maxValue" in item for text, item in by_text.items())
    assert package["releases"][0]["tag"] == ["planning"]


def test_user_text_stays_text_in_every_format(
    content: Content, ocds_validator: jsonschema.Draft4Validator
) -> None:
    document = example(content)
    first = document.document_requirements()[0]
    hostile = first.model_copy(
        update={"title": HOSTILE, "text": "=1+2 " + HOSTILE, "parameters": {}}
    )
    requirements = [hostile if item is first else item for item in document.requirements]
    changed = document.model_copy(
        update={"requirements": requirements, "title": "@SUM(A1) " + HOSTILE}
    )
    word = docx.Document(
        io.BytesIO(
            render_tender_docx(changed, content, make_environment(PROJECT_ROOT / "templates"))
        )
    )
    texts = [paragraph.text for paragraph in word.paragraphs]
    assert any(HOSTILE in text for text in texts)
    assert not any(rel.is_external for rel in word.part.rels.values())
    workbook = openpyxl.load_workbook(io.BytesIO(render_answer_matrix(changed, content)))
    row = next(workbook["Krav"].iter_rows(min_row=2, max_row=2))
    assert row[1].value == HOSTILE and row[1].data_type == "s"
    assert row[2].value.startswith("=1+2") and row[2].data_type == "s"
    package = ocds_release_package(changed, content)
    assert package["releases"][0]["tender"]["title"].startswith("@SUM(A1) <b>fet</b>")
    assert list(ocds_validator.iter_errors(package)) == []


def _shared(session: Session, content: Content) -> tuple[int, Any]:
    """A draft imported from an example, every suggestion accepted: nothing blocks it."""
    draft_id = imported_draft(session, content)
    accept_all(session, draft_id)
    make_user(session, "annan@annan.se", make_organisation(session, "Annan kommun"))
    owner = session.exec(select(User).where(User.email == "ulla@demo.se")).one()
    return draft_id, owner


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("export.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("export.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("export.ocds.json", "application/json"),
    ],
)
def test_the_export_page_downloads_each_format_and_notes_it(
    client: TestClient, session: Session, content: Content, path: str, media_type: str
) -> None:
    draft_id, _owner = _shared(session, content)
    login(client, "ulla@demo.se")
    page = client.get(f"/drafts/{draft_id}/export")
    assert "Ladda ner förfrågningsunderlaget (Word, DOCX)" in page.text
    response = client.get(f"/drafts/{draft_id}/{path}")
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith(media_type)
    assert "attachment" in response.headers["content-disposition"]
    actions = {row.action for row in session.exec(select(AuditEvent)).all()}
    assert "export." + path.split(".", 1)[1].split(".")[0] in actions
    # Another organisation: no such draft.
    client.cookies.clear()
    login(client, "annan@annan.se")
    assert client.get(f"/drafts/{draft_id}/{path}").status_code == 404


def test_the_api_gives_each_format(client: TestClient, session: Session, content: Content) -> None:
    draft_id, owner = _shared(session, content)
    headers = {"Authorization": f"Bearer {make_api_token(session, owner)}"}
    ocds = client.get(f"/api/v1/drafts/{draft_id}/ocds.json", headers=headers)
    assert ocds.status_code == 200 and ocds.json()["version"] == "1.1"
    word = client.get(f"/api/v1/drafts/{draft_id}/tender.docx", headers=headers)
    assert docx.Document(io.BytesIO(word.content)).paragraphs
    matrix = client.get(f"/api/v1/drafts/{draft_id}/answer-matrix.xlsx", headers=headers)
    assert openpyxl.load_workbook(io.BytesIO(matrix.content)).sheetnames[0] == "Krav"


@pytest.mark.parametrize("output_format", ["docx", "xlsx", "ocds"])
def test_render_writes_each_format_from_an_answers_file(tmp_path: Path, output_format: str) -> None:
    out = tmp_path / f"underlag.{output_format}"
    result = run_cli("render", str(EXAMPLES[0]), "--format", output_format, "--out", str(out))
    assert result.returncode == 0, result.stderr
    payload = out.read_bytes()
    if output_format == "docx":
        assert docx.Document(io.BytesIO(payload)).paragraphs
    elif output_format == "xlsx":
        assert openpyxl.load_workbook(io.BytesIO(payload)).worksheets[0].max_row > 1
    else:
        assert json.loads(payload)["releases"][0]["tender"]["criteria"]


def _export(client: TestClient, draft_id: int, csrf: str, output_format: str) -> str:
    """Export and keep by the form: to the history page, where the job's row is; the jobs
    run; the download link of the file once done."""
    started = client.post(
        f"/drafts/{draft_id}/exports",
        data={"csrf_token": csrf, "format": output_format},
        follow_redirects=False,
    )
    assert started.status_code == 303, started.text[:300]
    assert started.headers["location"].startswith(f"/drafts/{draft_id}/exports#file-")
    finish_exports(client.app)  # type: ignore[arg-type]
    row_id = started.headers["location"].rsplit("-", 1)[1]
    history = BeautifulSoup(client.get(f"/drafts/{draft_id}/exports").text, "html.parser")
    row = history.select_one(f"#file-{row_id}")
    assert row is not None and row["data-job-status"] == "done", row
    link = row.select_one("a")
    assert link is not None
    return str(link["href"])


def test_an_export_is_kept_with_its_checksum_and_a_repeat_comes_from_the_store(
    client: TestClient, session: Session, content: Content
) -> None:
    draft_id, _owner = _shared(session, content)
    login(client, "ulla@demo.se")
    csrf = csrf_from(client.get(f"/drafts/{draft_id}/export").text)
    href = _export(client, draft_id, csrf, "xlsx")
    first = client.get(href)
    assert first.status_code == 200, first.text[:300]
    checksum = hashlib.sha256(first.content).hexdigest()
    assert first.headers["x-checksum-sha256"] == checksum
    assert _export(client, draft_id, csrf, "xlsx") == href
    assert client.get(href).content == first.content
    rows = session.exec(select(ExportFile).where(ExportFile.draft_id == draft_id)).all()
    assert [(row.format, row.sha256) for row in rows] == [("xlsx", checksum)]
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "export.xlsx")).all()
    assert [event.detail["reused"] for event in events] == [False, True]
    made = session.exec(select(AuditEvent).where(AuditEvent.action == "export.xlsx.made")).all()
    assert [event.detail["sha256"] for event in made] == [checksum]

    history = client.get(f"/drafts/{draft_id}/exports")
    assert checksum in history.text
    link = BeautifulSoup(history.text, "html.parser").select_one("main tbody a")
    assert link is not None and link.get_text().endswith("-svarsmatris.xlsx")
    assert client.get(str(link["href"])).content == first.content
    # A change to the draft: the next export is made anew.
    answer = session.exec(select(Draft).where(Draft.id == draft_id)).one()
    answer.version += 1
    session.add(answer)
    session.commit()
    _export(client, draft_id, csrf, "xlsx")
    assert len(session.exec(select(ExportFile).where(ExportFile.draft_id == draft_id)).all()) == 2
    # Another organisation: neither the list nor the file.
    client.cookies.clear()
    login(client, "annan@annan.se")
    assert client.get(f"/drafts/{draft_id}/exports").status_code == 404
    assert client.get(str(link["href"])).status_code == 404


def test_exporting_the_pdf_of_an_approved_draft_makes_it_exported(
    client: TestClient, session: Session, content: Content
) -> None:
    draft_id, _owner = _shared(session, content)
    draft = session.get(Draft, draft_id)
    assert draft is not None
    draft.status = DraftStatus.approved
    draft.revision = 2
    session.add(draft)
    session.commit()
    login(client, "ulla@demo.se")
    csrf = csrf_from(client.get(f"/drafts/{draft_id}/export").text)
    response = client.get(_export(client, draft_id, csrf, "pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    session.expire_all()
    draft = session.get(Draft, draft_id)
    assert draft is not None and draft.status == DraftStatus.exported and draft.revision == 3
    reasons = [
        row.reason for row in session.exec(select(Revision).where(Revision.draft_id == draft_id))
    ]
    assert "exported" in reasons
    assert "Exporterat" in client.get(f"/drafts/{draft_id}").text


def test_the_api_exports_keeps_and_gives_the_file(
    client: TestClient, session: Session, content: Content
) -> None:
    draft_id, owner = _shared(session, content)
    headers = {"Authorization": f"Bearer {make_api_token(session, owner)}"}
    started = client.post(
        f"/api/v1/drafts/{draft_id}/exports", json={"format": "ocds"}, headers=headers
    )
    assert started.status_code == 202, started.text
    body = started.json()
    assert body["status"] == "queued" and body["status_url"] == f"/api/v1/exports/{body['id']}"
    finish_exports(client.app)  # type: ignore[arg-type]
    status_now = client.get(body["status_url"], headers=headers).json()
    assert status_now["status"] == "done" and len(status_now["sha256"]) == 64
    file = client.get(body["file_url"], headers=headers)
    assert hashlib.sha256(file.content).hexdigest() == status_now["sha256"]
    assert json.loads(file.content)["version"] == "1.1"
    other = make_user(session, "ovrig@annan.se", make_organisation(session, "Tredje kommun"))
    stranger = {"Authorization": f"Bearer {make_api_token(session, other)}"}
    assert client.get(body["status_url"], headers=stranger).status_code == 404
    assert client.get(body["file_url"], headers=stranger).status_code == 404
    wrong = client.post(
        f"/api/v1/drafts/{draft_id}/exports", json={"format": "exe"}, headers=headers
    )
    assert wrong.status_code == 422
