"""What `render` writes from an answers file's draft, and the export gate run beside it."""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.content import Content
from app.document import TenderDraft
from app.export.draft_json import render_draft_json
from app.export.html import render_rfi_html, render_tender_html
from app.templating import make_environment


def beside(
    work: Callable[[], bytes], findings: Callable[[], list[tuple[str, str]]]
) -> tuple[bytes, list[tuple[str, str]]]:
    """`work` here and `findings` at the same time in a forked child, where the platform forks
    and this process runs no other thread: the gate's requirement checker (its dictionaries
    take seconds to read) then costs the command no time beside the PDF. Anywhere else, or
    should the child fail, one after the other."""
    if not sys.platform.startswith("linux") or threading.active_count() != 1:
        return work(), findings()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_send, args=(sender, findings), daemon=True)
    child.start()
    sender.close()
    payload = work()
    try:
        found: list[tuple[str, str]] | None = receiver.recv()
    except (EOFError, OSError):
        found = None
    receiver.close()
    child.join()
    return payload, found if found is not None else findings()


def _send(sender: Any, findings: Callable[[], list[tuple[str, str]]]) -> None:
    sender.send(findings())
    sender.close()


RENDER_FORMATS = ("pdf", "rfi", "json", "html", "docx", "xlsx", "ocds")


def render_payload(
    document: TenderDraft, content: Content, templates_dir: Path, output_format: str
) -> bytes:
    draft_json = render_draft_json(document)
    if output_format == "json":
        return draft_json
    if output_format == "docx":
        from app.export.docx import render_tender_docx

        return render_tender_docx(document, content)
    if output_format == "xlsx":
        from app.export.xlsx import render_answer_matrix_xlsx

        return render_answer_matrix_xlsx(document, content)
    if output_format == "ocds":
        from app.export.ocds import render_release_package

        return render_release_package(document, content)
    environment = make_environment(templates_dir)
    if output_format == "rfi":
        html = render_rfi_html(document, content, environment)
    else:
        html = render_tender_html(document, content, environment)
    if output_format == "html":
        return html.encode("utf-8")
    from app.export.pdf import render_tender_pdf  # WeasyPrint is slow to import: only for a PDF

    # The need statement goes to firms before the procurement: it carries no draft inside.
    return render_tender_pdf(html, draft_json=draft_json if output_format == "pdf" else None)
