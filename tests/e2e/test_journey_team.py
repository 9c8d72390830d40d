"""A team member's journey in a real browser: from login to the export page, every format
downloaded with its button and opened as its tool would (the PDFs' text, the Word document's
headings, the answer matrix's rows, the OCDS package), then found again, with the same
checksum, among the exported files."""

from __future__ import annotations

import hashlib
import io
import json
import re
from typing import Any

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from tests.e2e.conftest import exported
from tests.e2e.test_accessibility import _logged_in, violations

pytestmark = pytest.mark.e2e


def download(page: Any, name: str) -> bytes:
    return exported(page, name)


def pdf_text(payload: bytes) -> str:
    return " ".join((sheet.extract_text() or "") for sheet in PdfReader(io.BytesIO(payload)).pages)


def test_a_team_member_exports_every_format_and_opens_each(live_server: str, browser: Any) -> None:
    # The officer has decided the suggestions of each section on Krav.
    officer = _logged_in(browser, live_server, "upphandlare@demo.se", "sv")
    officer.locator("main table a").first.click()
    draft = officer.url.removeprefix(live_server)
    officer.goto(live_server + f"{draft}/requirements")
    while officer.get_by_role("link", name=re.compile(r"^Godta förslagen i K")).count():
        officer.get_by_role("link", name=re.compile(r"^Godta förslagen i K")).first.click()
        officer.get_by_role("button", name="Ja, godta dem").click()
        officer.wait_for_url(f"**{draft}/requirements**")
    officer.context.close()

    member = _logged_in(browser, live_server, "granskare@demo.se", "sv")
    member.goto(live_server + draft)
    title = member.get_by_role("heading", level=1).inner_text()
    member.get_by_role("link", name="Granska och exportera").first.click()

    tender = download(member, "Ladda ner förfrågningsunderlaget (PDF)")
    assert "FÖRFRÅGNINGSUNDERLAG" in pdf_text(tender) and title.split()[0] in pdf_text(tender)
    rfi = download(member, "Ladda ner behovsbeskrivningen för marknadsdialog (PDF)")
    assert "Ska-krav" not in pdf_text(rfi)

    word = docx.Document(
        io.BytesIO(download(member, "Ladda ner förfrågningsunderlaget (Word, DOCX)"))
    )
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "1 Om upphandlingen"

    matrix = download(member, "Ladda ner svarsmatrisen för leverantörer (Excel, XLSX)")
    sheet = openpyxl.load_workbook(io.BytesIO(matrix))["Krav"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows and all(str(row[0]).startswith("K") for row in rows)

    ocds = json.loads(download(member, "Ladda ner upphandlingen som öppna data (OCDS, JSON)"))
    assert ocds["releases"][0]["tender"]["title"] == title

    member.get_by_role("link", name="Se de exporterade filerna").click()
    listed = member.locator("main tbody").inner_text()
    assert hashlib.sha256(matrix).hexdigest() in listed
    assert member.locator("main tbody tr").count() == 5
    assert violations(member) == []
    member.context.close()
