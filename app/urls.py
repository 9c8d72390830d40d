"""Where the pages of a draft live. Only the web layer builds URLs; the engines do not."""

from __future__ import annotations

from typing import Protocol


class StepLike(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def kind(self) -> str: ...


def step_url(draft_id: int | None, step: StepLike) -> str:
    """The page of a step: the Krav and check-answers steps have pages of their own."""
    if step.kind == "requirements":
        return f"/drafts/{draft_id}/requirements"
    if step.kind == "review":
        return f"/drafts/{draft_id}/export"
    return f"/drafts/{draft_id}/steps/{step.id}"
