"""Print the tender HTML to an archival PDF with WeasyPrint, fetching nothing but data: URLs.

The PDF is PDF/A-3b (ISO 19005-3: fonts embedded, an sRGB output intent, XMP metadata),
tagged for screen readers (structure tree, title, language), and can carry the draft's JSON
as an associated file, so that the tender travels inside its own document.
"""

from __future__ import annotations

import fcntl
import logging
import multiprocessing
import os
import re
import resource
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
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


class PdfTooSlow(Exception):
    """A rendering went past its time or memory limit and was stopped."""


def _render_in_child(html: str, draft_json: bytes | None, out: Any, memory_bytes: int) -> None:
    """Runs in a process of its own: a rendering that runs away is stopped there, and takes
    nothing else with it."""
    # What goes wrong here is sent to the parent, which logs it; the child's own stderr would
    # only repeat it, half-written when memory runs out.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # Below the web process: a PDF takes seconds of CPU, a page a few milliseconds, and the
    # people filling in their drafts should not wait behind it.
    lower_priority()
    try:
        out.send(("pdf", render_tender_pdf(html, draft_json=draft_json)))
    except MemoryError:
        out.send(("memory", None))
    except Exception as error:  # reported to the parent, which raises it
        out.send(("error", repr(error)))
    finally:
        out.close()


# Child processes come from a server process started once, with WeasyPrint already loaded:
# forked from it, not from the web process and its threads.
# How much lower a PDF renderer's CPU priority is than the web process's: the lowest there is,
# so a page request never waits for a core a PDF holds.
PDF_NICENESS = 19
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["app.export.pdf"])


def lower_priority() -> None:
    """This process's CPU priority the lowest there is: for the processes that make exports
    and PDFs, never for a web process. SCHED_IDLE where Linux has it (the process runs only on
    a core nothing else wants, and gives it up at once when a request wakes), else nice 19."""
    current = os.getpriority(os.PRIO_PROCESS, 0)
    if current < PDF_NICENESS:
        os.nice(PDF_NICENESS - current)
    idle = getattr(os, "SCHED_IDLE", None)
    if idle is not None:
        try:
            os.sched_setscheduler(0, idle, os.sched_param(0))
        except OSError:  # not allowed here: nice 19 it is
            pass


class PdfRenderer:
    """Renders a few PDFs at a time (`workers`), however many requests ask: rendering is
    CPU-bound and memory-hungry. Each runs in a process of its own with a time and a memory
    limit; one past either is stopped (PdfTooSlow) and the next starts afresh. Called from
    worker threads, never from the event loop.

    With `slot_files` (a path prefix: on SQLite, beside the database), the slots are also
    locked files, shared by every process of the machine that uses the same prefix: however
    many web processes and export pools there are, at most `workers` PDFs render at once."""

    def __init__(
        self,
        workers: int,
        *,
        seconds: float = 120,
        memory_mb: int = 2048,
        slot_files: Path | None = None,
    ) -> None:
        self.workers = max(workers, 1)
        self._slots = threading.BoundedSemaphore(self.workers)
        self.seconds = seconds
        self.memory_bytes = memory_mb * 1024 * 1024
        self.slot_files = slot_files

    @contextmanager
    def _machine_slot(self) -> Iterator[None]:
        """One of the machine's `workers` slot files, locked while a PDF renders; waited for
        (polled) when every one is taken, by a process of this machine or by this one."""
        if self.slot_files is None:
            yield
            return
        paths = [
            self.slot_files.with_name(f"{self.slot_files.name}.pdf-slot-{number}")
            for number in range(self.workers)
        ]
        while True:
            for path in paths:
                descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(descriptor)
                    continue
                try:
                    yield
                finally:
                    fcntl.flock(descriptor, fcntl.LOCK_UN)
                    os.close(descriptor)
                return
            time.sleep(0.05)

    def render(self, html: str, draft_json: bytes | None = None) -> bytes:
        with self._slots, self._machine_slot():
            receiver, sender = _CONTEXT.Pipe(duplex=False)
            process = _CONTEXT.Process(
                target=_render_in_child,
                args=(html, draft_json, sender, self.memory_bytes),
                daemon=True,
            )
            process.start()
            sender.close()
            try:
                if not receiver.poll(self.seconds):
                    raise PdfTooSlow(f"took longer than {self.seconds:g} s")
                kind, payload = receiver.recv()
            except EOFError as error:  # the child died without a word (killed for memory)
                raise PdfTooSlow("stopped") from error
            finally:
                receiver.close()
                if process.is_alive():
                    process.kill()
                process.join()
            if kind == "memory":
                raise PdfTooSlow("needed more memory than it may have")
            if kind != "pdf":
                raise RuntimeError(f"rendering the PDF failed: {payload}")
            return bytes(payload)


def render_within_limits(
    renderer: PdfRenderer, html: str, draft_json: bytes | None = None
) -> bytes:
    """The PDF, or a 503 whose message says in the user's language that it was stopped."""
    try:
        return renderer.render(html, draft_json)
    except PdfTooSlow as error:
        raise too_slow(error) from error


def too_slow(error: PdfTooSlow) -> Exception:
    """The 503 whose message says in the user's language that a PDF was stopped."""
    from fastapi import HTTPException

    from app.i18n import gettext_

    logger.warning("PDF rendering stopped: %s", error)
    return HTTPException(
        status_code=503,
        detail=gettext_(
            "The PDF took longer or needed more memory than the service allows, and was "
            "stopped. Nothing in the draft was changed. Try again later; if it happens "
            "again, the draft may be too large for one document: ask your administrator."
        ),
    )
