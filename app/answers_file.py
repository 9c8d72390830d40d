"""The answers file: a draft's answers as YAML, the format of examples/ and `render`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

FORMAT: Literal["kravlotsen-answers/1"] = "kravlotsen-answers/1"


class NeedEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,20}$")
    who: str = Field(min_length=1, description="who has the need")
    what: str = Field(min_length=1, description="what they must be able to do or achieve")
    why: str = Field(default="", description="why it matters")


class EffectGoalEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,20}$")
    goal: str = Field(min_length=1)
    indicator: str = ""
    baseline: str = ""
    target: str = ""
    needs: list[str] = Field(default_factory=list, description="keys of the needs it serves")


class AnswersFile(BaseModel):
    """A whole draft's answers: question ids to values, plus needs and effect goals."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["kravlotsen-answers/1"] = FORMAT
    title: str = Field(min_length=1, max_length=300)
    organisation: str = Field(default="", description="name shown on the cover")
    language: Literal["sv", "en"] = "sv"
    answers: dict[str, Any] = Field(default_factory=dict)
    needs: list[NeedEntry] = Field(default_factory=list)
    effect_goals: list[EffectGoalEntry] = Field(default_factory=list)
