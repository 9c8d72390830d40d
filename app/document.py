"""The tender draft as one plain document: what exports, `render` and the JSON API work on.

Routes build it from the database, the CLI builds it from an answers file; export functions
(pdf, html, json) take it and never touch the database.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class NeedData(BaseModel):
    id: int | None = None
    key: str
    who: str = ""
    what: str = ""
    why: str = ""
    kinds: list[str] = Field(default_factory=list, description="what the need is about")
    needs_review: bool = False


class EffectGoalData(BaseModel):
    id: int | None = None
    key: str
    goal: str = ""
    indicator: str = ""
    baseline: str = ""
    target: str = ""
    needs: list[str] = Field(default_factory=list, description="keys of the needs it serves")
    kinds: list[str] = Field(
        default_factory=list, description="what the goal measures; empty: its needs' kinds"
    )
    needs_review: bool = False


class RequirementData(BaseModel):
    id: int | None = None
    number: str = Field(description="stable number in the document, e.g. K3")
    template_id: str | None = None
    template_version: int | None = None
    origin: Literal["library", "organisation", "officer"] = "library"
    update_available: bool = Field(
        default=False, description="the template has a newer version than the draft uses"
    )
    edited: bool = False
    brand_justification: str = ""
    status: Literal["suggested", "accepted", "rejected"] = "suggested"
    kind: str
    type: str
    level: str
    obligation: Literal["ska", "bor"]
    weight: float | None = None
    title: str
    text: str
    motive: str = ""
    verification: str = ""
    parameters: dict[str, Any] = Field(default_factory=dict)
    reasons: list[dict[str, Any]] = Field(default_factory=list)
    needs: list[str] = Field(
        default_factory=list, description="keys of the needs it serves, as the officer confirmed"
    )
    effect_goals: list[str] = Field(
        default_factory=list,
        description="keys of the effect goals it serves, as the officer confirmed",
    )
    proposed_needs: list[str] = Field(
        default_factory=list, description="needs the library proposes, not yet confirmed"
    )
    proposed_goals: list[str] = Field(
        default_factory=list, description="effect goals the library proposes, not yet confirmed"
    )
    needs_review: bool = Field(
        default=False, description="came from an earlier procurement: to re-examine"
    )
    references: list[str] = Field(default_factory=list)


class TenderDraft(BaseModel):
    """Everything a tender document is made from."""

    id: int | None = None
    organisation: str
    title: str
    status: Literal["draft", "in_review", "approved"] = "draft"
    version: int = 1
    language: Literal["sv", "en"] = "sv"
    created_at: datetime | None = None
    updated_at: datetime | None = None
    answers: dict[str, Any] = Field(default_factory=dict)
    needs: list[NeedData] = Field(default_factory=list)
    effect_goals: list[EffectGoalData] = Field(default_factory=list)
    requirements: list[RequirementData] = Field(default_factory=list)

    @property
    def is_approved(self) -> bool:
        return self.status == "approved"

    def included_requirements(self) -> list[RequirementData]:
        """Requirements that go into the document: all but the rejected ones."""
        return [item for item in self.requirements if item.status != "rejected"]
