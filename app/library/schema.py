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


class Theme(BaseModel):
    """What a seasoned officer expects a specification in an area to cover, and the templates
    that cover it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: LocalText
    templates: list[str] = Field(min_length=1)


class Area(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: LocalText
    cpv_divisions: list[str] = Field(default_factory=list)
    cross_cutting: bool = False
    themes: list[Theme] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_divisions(self) -> Area:
        for division in self.cpv_divisions:
            if not re.fullmatch(r"\d{2}", division):
                raise ValueError(f"CPV division '{division}' is not two digits")
        return self


class AreasFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    areas: list[Area] = Field(min_length=1)
    # When a draft follows the innovation path: the need statement first, the area's ready-made
    # requirements held back until after the dialogue (see app.library.engine).
    innovation_path: Condition | None = None


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
    # The unit as it reads after the value 1 ("timme" beside "timmar"), where the text follows
    # the value with the unit: "inom {timmar} timmar" then reads "inom 1 timme".
    unit_one: LocalText | None = None
    # A text parameter fed by a choice question: each answer's wording in the requirement
    # ("always" -> "dygnet runt alla dagar"). The default is one of the answers.
    choices: dict[str, LocalText] | None = None

    def wording(self, value: Any, locale: str) -> str:
        """A value as the requirement's text says it."""
        if self.choices is not None and str(value) in self.choices:
            return self.choices[str(value)].get(locale)
        return str(value)

    @property
    def is_percentage(self) -> bool:
        return self.unit is not None and self.unit.sv.split()[0] == "procent"

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
        if self.is_percentage and (
            self.min is None or self.max is None or self.min < 0 or self.max > 100
        ):
            raise ValueError("a percentage needs min and max between 0 and 100")
        if self.unit_one is not None and self.unit is None:
            raise ValueError("unit_one needs a unit")
        if self.choices is not None and (self.type != "text" or self.default not in self.choices):
            raise ValueError("choices are for a text parameter whose default is one of them")
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
    # The kinds of need and effect goal it serves (the options of the needs step's `kinds`):
    # a suggestion proposes the needs and goals of these kinds, and the officer confirms.
    serves: list[str] = Field(default_factory=list)
    # The supplier reports figures during the contract, so an effect goal of a kind it serves
    # can be followed up with them.
    reports: bool = False
    # Words (stems, sv and en) that, found in a need or goal, hint that it "may also fit":
    # shown beside the suggestions, never a suggestion of their own (curated templates).
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
        for parameter in self.parameters:
            if parameter.unit_one is None and _unit_follows_one(self, parameter):
                raise ValueError(
                    f"parameter {parameter.name} can be 1 and its unit follows it in the text: "
                    "give unit_one, the unit after the value 1"
                )
        return self

    @property
    def is_award(self) -> bool:
        """Scored in the evaluation: a bör-krav or an award criterion."""
        return self.obligation == "bor" or self.type == "tilldelningskriterium"

    @property
    def links_goals(self) -> bool:
        """Whether the requirement moves or reports an effect goal's indicator: it sets a
        measured level, or makes the supplier report figures."""
        return self.reports or self.kind in ("performance", "service_level")

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        raise KeyError(name)


def unit_after(text: str, parameter: Parameter, locale: str) -> re.Match[str] | None:
    """Where the text follows the parameter's value with its unit ("{timmar} timmar")."""
    if parameter.unit is None:
        return None
    unit = re.escape(parameter.unit.get(locale))
    return re.search(r"\{" + parameter.name + r"\}(\s+)(" + unit + r")(?!\w)", text)


def _unit_follows_one(template: Template, parameter: Parameter) -> bool:
    if parameter.type == "text" or (parameter.min is not None and parameter.min > 1):
        return False
    if parameter.max is not None and parameter.max < 1:
        return False
    return any(
        unit_after(template.text.get(locale), parameter, locale) is not None for locale in LOCALES
    )


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
