"""The schema of the requirement library data files (requirement_library/*.yaml)."""

from __future__ import annotations

import re
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.data.conditions import Condition
from app.data.local_text import LOCALES, LocalText

Kind = Literal[
    "function",
    "performance",
    "interface",
    "quality",
    "security",
    "privacy",
    "accessibility",
    "environment",
    "social",
    "service_level",
    "delivery",
    "exit",
]
RequirementType = Literal[
    "kvalificeringskrav",
    "teknisk_specifikation",
    "tilldelningskriterium",
    "sarskilt_kontraktsvillkor",
]
Level = Literal["bas", "avancerad", "spjutspets"]

# The choices offered in forms are the schema's own values.
KINDS: tuple[str, ...] = get_args(Kind)
TYPES: tuple[str, ...] = get_args(RequirementType)
LEVELS: tuple[str, ...] = get_args(Level)
ObligationValue = Literal["ska", "bor"]
ParameterType = Literal["integer", "number", "text"]

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class Area(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: LocalText
    cpv_divisions: list[str] = Field(default_factory=list)
    cross_cutting: bool = False

    @model_validator(mode="after")
    def _check_divisions(self) -> Area:
        for division in self.cpv_divisions:
            if not re.fullmatch(r"\d{2}", division):
                raise ValueError(f"CPV division '{division}' is not two digits")
        return self


class AreasFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    areas: list[Area] = Field(min_length=1)


class Parameter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z_][a-z0-9_]*$")
    type: ParameterType = "integer"
    label: LocalText | None = None
    unit: LocalText | None = None
    min: float | None = None
    max: float | None = None
    default: Any
    question: str | None = None

    @model_validator(mode="after")
    def _check_default(self) -> Parameter:
        if self.type in ("integer", "number"):
            if isinstance(self.default, bool) or not isinstance(self.default, int | float):
                raise ValueError("default must be a number")
            if self.type == "integer" and not float(self.default).is_integer():
                raise ValueError("default must be a whole number")
            if self.min is not None and self.default < self.min:
                raise ValueError(f"default {self.default} is below min {self.min}")
            if self.max is not None and self.default > self.max:
                raise ValueError(f"default {self.default} is above max {self.max}")
        elif not isinstance(self.default, str) or not self.default:
            raise ValueError("default must be a non-empty text")
        return self


class Template(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Z]{2,6}-\d{3}$")
    version: int = Field(default=1, ge=1)
    kind: Kind
    type: RequirementType
    level: Level
    obligation: ObligationValue
    title: LocalText
    text: LocalText
    motive: LocalText
    verification: LocalText
    parameters: list[Parameter] = Field(default_factory=list)
    triggers: Condition
    # Words (stems, sv and en) that, found in a need, mean this requirement serves it.
    need_keywords: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _placeholders_match_parameters(self) -> Template:
        declared = {parameter.name for parameter in self.parameters}
        if len(declared) != len(self.parameters):
            raise ValueError("parameter names must be unique")
        for locale in LOCALES:
            used = set(PLACEHOLDER.findall(self.text.get(locale)))
            if used - declared:
                names = ", ".join(sorted(used - declared))
                raise ValueError(f"text.{locale} uses undeclared parameters: {names}")
            if declared - used:
                raise ValueError(
                    f"text.{locale} does not use parameters: {', '.join(sorted(declared - used))}"
                )
        return self

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        raise KeyError(name)


class LibraryFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    area: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    prefix: str = Field(pattern=r"^[A-Z]{2,6}$")
    templates: list[Template] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_follow_prefix(self) -> LibraryFile:
        seen: set[str] = set()
        for template in self.templates:
            if not template.id.startswith(self.prefix + "-"):
                raise ValueError(f"template id '{template.id}' must start with '{self.prefix}-'")
            if template.id in seen:
                raise ValueError(f"template id '{template.id}' is used twice")
            seen.add(template.id)
        return self
