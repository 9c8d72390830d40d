"""Print the tender HTML to PDF with WeasyPrint, fetching nothing but data: URLs."""

from __future__ import annotations

import logging
import re
import threading

from weasyprint import HTML
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


def render_tender_pdf(html: str, *, url_fetcher: DataOnlyURLFetcher | None = None) -> bytes:
    """The PDF of a tender document; title and language come from <title> and <html lang>."""
    document = HTML(
        string=html,
        base_url=None,
        url_fetcher=url_fetcher if url_fetcher is not None else DataOnlyURLFetcher(),
    )
    # Tagged PDF: headings, tables and reading order reach screen readers.
    return bytes(document.write_pdf(pdf_tags=True))


class PdfRenderer:
    """Renders a few PDFs at a time, however many requests ask: rendering is CPU-bound and
    memory-hungry. Called from worker threads, never from the event loop."""

    def __init__(self, workers: int) -> None:
        self._slots = threading.BoundedSemaphore(max(workers, 1))

    def render(self, html: str) -> bytes:
        with self._slots:
            return render_tender_pdf(html)
