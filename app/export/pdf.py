"""Print the tender HTML to an archival PDF with WeasyPrint, fetching nothing but data: URLs.

The PDF is PDF/A-3b (ISO 19005-3: fonts embedded, an sRGB output intent, XMP metadata),
tagged for screen readers (structure tree, title, language), and can carry the draft's JSON
as an associated file, so that the tender travels inside its own document.
"""

from __future__ import annotations

import logging
import re
import threading
from datetime import datetime
from typing import Any

from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9.+-]*):")


class DataOnlyURLFetcher(URLFetcher):
    """Refuses every URL but data:, so a document can never read files or reach the network.

    The HTML is built from what users typed; escaping keeps their markup out, and this is
    the second wall should anything slip through (file:///etc/passwd, http://169.254.169.254/).
    Use one fetcher per rendering: `refused` collects the URLs it turned away.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        match = _SCHEME.match(url)
        if match is None or match.group(1).lower() != "data":
            self.refused.append(url)
            logger.warning("Refused to fetch %r while rendering a PDF: only data: URLs", url)
            raise ValueError(f"only data: URLs may be fetched, not {url!r}")
        return super().fetch(url, headers)


# The options every PDF of Kravlotsen is written with; make bench hands the same to raw
# WeasyPrint.
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/a-3b", "pdf_tags": True}
ATTACHMENT_NAME = "kravlotsen-draft.json"


def draft_attachment(draft_json: bytes, moment: datetime | None = None) -> Attachment:
    """The draft's JSON as an associated file of the PDF (AFRelationship /Data)."""
    return Attachment(
        string=draft_json,
        name=ATTACHMENT_NAME,
        description="Kravlotsen draft (JSON)",
        relationship="Data",
        created=moment,
        modified=moment,
    )


def render_tender_pdf(
    html: str,
    *,
    draft_json: bytes | None = None,
    url_fetcher: DataOnlyURLFetcher | None = None,
) -> bytes:
    """The PDF of a document; title and language come from <title> and <html lang>."""
    document = HTML(
        string=html,
        base_url=None,
        url_fetcher=url_fetcher if url_fetcher is not None else DataOnlyURLFetcher(),
    )
    attachments = [draft_attachment(draft_json)] if draft_json is not None else []
    return bytes(document.write_pdf(attachments=attachments, **PDF_OPTIONS))


class PdfRenderer:
    """Renders a few PDFs at a time, however many requests ask: rendering is CPU-bound and
    memory-hungry. Called from worker threads, never from the event loop."""

    def __init__(self, workers: int) -> None:
        self._slots = threading.BoundedSemaphore(max(workers, 1))

    def render(self, html: str, draft_json: bytes | None = None) -> bytes:
        with self._slots:
            return render_tender_pdf(html, draft_json=draft_json)
