"""The whole draft as JSON: the export download, `render --format json`, and the file the PDF
carries inside it."""

from __future__ import annotations

from app.document import TenderDraft


def render_draft_json(draft: TenderDraft) -> bytes:
    return draft.model_dump_json(indent=2).encode("utf-8")
