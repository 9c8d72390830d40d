"""The tender draft as one plain document: what exports, `render` and the JSON API work on.

Routes build it from the database, the CLI builds it from an answers file; export functions
(pdf, html, json) take it and never touch the database.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field


def _in_utc(moment: datetime) -> datetime:
    """A moment as stored (SQLite gives it back without a zone: it was written in UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


# A moment in time, always with its time zone.
Moment = Annotated[datetime, AfterValidator(_in_utc)]


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
    status: Literal["draft", "in_review", "changes_requested", "approved", "exported"] = "draft"
    revision: int = Field(default=0, description="the latest revision (submit, approval, export)")
    version: int = 1
    language: Literal["sv", "en"] = "sv"
    created_at: Moment | None = None
    updated_at: Moment | None = None
    answers: dict[str, Any] = Field(default_factory=dict)
    needs: list[NeedData] = Field(default_factory=list)
    effect_goals: list[EffectGoalData] = Field(default_factory=list)
    requirements: list[RequirementData] = Field(default_factory=list)

    @property
    def is_approved(self) -> bool:
        return self.status in ("approved", "exported")

    def included_requirements(self) -> list[RequirementData]:
        """Requirements still in the draft: all but the rejected ones (the quality report and
        the Krav page look at these)."""
        return [item for item in self.requirements if item.status != "rejected"]

    def undecided_requirements(self) -> list[RequirementData]:
        """Suggestions neither accepted nor rejected: they are not in the document."""
        return [item for item in self.requirements if item.status == "suggested"]

    def document_requirements(self) -> list[RequirementData]:
        """The requirements of the tender document: the accepted ones, ordered K1.1, K1.2, ...
        K4.n by section and by their order in the draft, and numbered without gaps. Once
        every suggestion is decided the numbers are the draft's own."""
        accepted = [item for item in self.requirements if item.status == "accepted"]
        ordered = sorted(enumerate(accepted), key=lambda pair: (*_number_key(pair[1]), pair[0]))
        counters: dict[int, int] = {}
        numbered = []
        for _position, requirement in ordered:
            section = _number_key(requirement)[0]
            counters[section] = counters.get(section, 0) + 1
            number = f"K{section}.{counters[section]}"
            numbered.append(
                requirement
                if requirement.number == number
                else requirement.model_copy(update={"number": number})
            )
        return numbered


_NUMBER = re.compile(r"^K(\d+)\.(\d+)$")
# The sections K1-K4 by requirement type (as app/drafts/requirements.py numbers them).
_TYPES_IN_ORDER = (
    "kvalificeringskrav teknisk_specifikation tilldelningskriterium sarskilt_kontraktsvillkor"
).split()


def _number_key(requirement: RequirementData) -> tuple[int, int]:
    """(section, place in the section) from a number like K2.3; the type decides the section of
    an unnumbered requirement, which then comes last in it."""
    match = _NUMBER.match(requirement.number)
    section = (
        _TYPES_IN_ORDER.index(requirement.type) + 1 if requirement.type in _TYPES_IN_ORDER else 5
    )
    if match is None or int(match.group(1)) != section:
        return section, 10**6
    return section, int(match.group(2))
