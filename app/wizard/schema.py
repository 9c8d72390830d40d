"""The schema of a wizard step data file (wizard_steps/*.yaml)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.data.conditions import Condition
from app.data.local_text import LocalText

QuestionType = Literal[
    "text",
    "textarea",
    "email",
    "integer",
    "number",
    "money",
    "date",
    "select",
    "radio",
    "checkboxes",
    "yes_no",
    "cpv",
    "group",
]
CHOICE_TYPES = ("select", "radio", "checkboxes")
NUMBER_TYPES = ("integer", "number", "money")
# needs and effect_goals have their own tables; list keeps the rows as one answer (a JSON list).
GroupStore = Literal["needs", "effect_goals", "list"]
StepKind = Literal["questions", "requirements", "review"]
Guidance = Literal["procedure"]

IDENTIFIER = r"^[a-z][a-z0-9_]*$"


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: str = Field(min_length=1)
    label: LocalText
    hint: LocalText | None = None


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=IDENTIFIER, max_length=60)
    type: QuestionType
    label: LocalText
    hint: LocalText | None = None
    why: LocalText
    example: LocalText | None = None
    required: bool = False
    options: list[Option] = Field(default_factory=list)
    # areas: the library's procurement areas; needs: the draft's needs (for effect goals).
    options_from: Literal["areas", "needs"] | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = Field(default=None, gt=0)
    unit: LocalText | None = None
    show_if: Condition | None = None
    # Repeatable groups (type: group)
    store: GroupStore | None = None
    fields: list[Question] = Field(default_factory=list)
    min_items: int = Field(default=0, ge=0)
    item_label: LocalText | None = None
    # A guidance panel computed from the answers (e.g. which procedure the value leads to).
    guidance: Guidance | None = None
    # document: background the tender document prints, read by no requirement template. An
    # area question either feeds a template (a parameter or a trigger) or says so here.
    feeds: Literal["document"] | None = None

    @model_validator(mode="after")
    def _check_shape(self) -> Question:
        if self.type in CHOICE_TYPES and not (self.options or self.options_from):
            raise ValueError(f"a '{self.type}' question needs options or options_from")
        if self.type not in CHOICE_TYPES and (self.options or self.options_from):
            raise ValueError(f"a '{self.type}' question cannot have options")
        if self.type == "group":
            if not self.fields:
                raise ValueError("a group needs fields")
            if self.store is None:
                raise ValueError("a group needs store: needs or effect_goals")
            if any(field.type == "group" for field in self.fields):
                raise ValueError("groups cannot be nested")
        elif self.fields or self.store:
            raise ValueError("only a group can have fields or store")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        values = [option.value for option in self.options]
        if len(values) != len(set(values)):
            raise ValueError("option values must be unique")
        return self

    @property
    def is_group(self) -> bool:
        return self.type == "group"

    @property
    def has_help(self) -> bool:
        return self.hint is not None or self.example is not None


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=IDENTIFIER, max_length=40)
    order: int = Field(ge=1)
    title: LocalText
    intro: LocalText
    # questions: an ordinary question page; requirements and review are pages of their own
    # (the Krav step and the check-answers step) that the wizard places in the same order.
    kind: StepKind = "questions"
    questions: list[Question] = Field(default_factory=list)
    # Steps that must be completed before this one can start.
    requires: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> Step:
        if self.kind == "questions" and not self.questions:
            raise ValueError("a question step needs questions")
        if self.kind != "questions" and self.questions:
            raise ValueError(f"a '{self.kind}' step has no questions of its own")
        seen: set[str] = set()
        for question in self.questions:
            for item in (question, *question.fields):
                if item.id in seen:
                    raise ValueError(f"question id '{item.id}' is used twice")
                seen.add(item.id)
        return self
