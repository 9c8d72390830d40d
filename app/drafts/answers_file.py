"""The answers file: a draft's answers as YAML, the format of examples/, `render`, copies and
imports. Its model, reading and checking it against the wizard, writing it, importing it."""

from __future__ import annotations

import secrets
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session

from app.content import Content
from app.data import limits
from app.data.files import DataFileError, parse_yaml_text, validate_data
from app.document import EffectGoalData, NeedData, TenderDraft
from app.drafts.build import document_from_parts
from app.drafts.decisions import DecisionError, accept_all, apply_decisions
from app.drafts.groups import ROW_ID
from app.drafts.requirement_entries import add_entries, entry_errors, entry_values
from app.drafts.store import create_draft, goals_of, needs_of, record_event
from app.drafts.suggestions import sync_suggestions
from app.i18n import gettext_
from app.library.loader import Library
from app.models import Answer, Draft, EffectGoal, Need, Organisation, User
from app.wizard.answers import parse_answer

FORMAT: Literal["kravlotsen-answers/1"] = "kravlotsen-answers/1"


class NeedEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,20}$")
    who: str = Field(min_length=1, max_length=limits.TEXT, description="who has the need")
    what: str = Field(
        min_length=1,
        max_length=limits.TEXT,
        description="what they must be able to do or achieve",
    )
    why: str = Field(default="", max_length=limits.TEXT, description="why it matters")
    kinds: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="what the need is about: the options of the needs step's `kinds` field",
    )


class EffectGoalEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,20}$")
    goal: str = Field(min_length=1, max_length=limits.TEXT)
    indicator: str = Field(default="", max_length=limits.TEXT)
    baseline: str = Field(default="", max_length=limits.SHORT)
    target: str = Field(default="", max_length=limits.SHORT)
    needs: list[str] = Field(default_factory=list, description="keys of the needs it serves")
    kinds: list[str] = Field(
        default_factory=list, description="what the goal measures; empty: its needs' kinds"
    )


class RequirementEntry(BaseModel):
    """A requirement as the officer decided it: a library template taken as it is, edited,
    or rejected, or a requirement of the officer's own (no template)."""

    model_config = ConfigDict(extra="forbid")

    template: str | None = Field(
        default=None, description="the library template it comes from; none for an own one"
    )
    status: Literal["suggested", "accepted", "rejected"] = "accepted"
    obligation: Literal["ska", "bor"] | None = Field(
        default=None, description="ska or bör; the template's when not given"
    )
    weight: float | None = Field(default=None, ge=0, le=100)
    title: str | None = Field(
        default=None, max_length=limits.TITLE, description="given when edited, or an own one"
    )
    text: str | None = Field(default=None, max_length=limits.TEXT)
    motive: str | None = Field(default=None, max_length=limits.TEXT)
    verification: str | None = Field(default=None, max_length=limits.TEXT)
    kind: str | None = Field(default=None, description="an own requirement's kind")
    type: str | None = Field(default=None, description="an own requirement's type")
    level: str | None = Field(default=None, description="an own requirement's level")
    parameters: dict[str, Any] = Field(default_factory=dict)
    brand_justification: str = Field(default="", max_length=limits.TEXT)
    needs: list[str] = Field(default_factory=list, description="keys of the needs it serves")
    effect_goals: list[str] = Field(
        default_factory=list, description="keys of the effect goals it serves"
    )


class AnswersFile(BaseModel):
    """A whole draft's answers: question ids to values, plus needs and effect goals, and the
    decisions on requirements when the file records them."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["kravlotsen-answers/1"] = FORMAT
    title: str = Field(min_length=1, max_length=limits.TITLE)
    organisation: str = Field(
        default="", max_length=limits.TITLE, description="name shown on the cover"
    )
    language: Literal["sv", "en"] = "sv"
    answers: dict[str, Any] = Field(default_factory=dict)
    needs: list[NeedEntry] = Field(default_factory=list)
    effect_goals: list[EffectGoalEntry] = Field(default_factory=list)
    requirements: list[RequirementEntry] | None = Field(
        default=None,
        description=(
            "the requirements as decided; without this section the suggestions stand as they "
            "are made from the answers"
        ),
    )

    @property
    def document_language(self) -> str:
        chosen = self.answers.get("document_language")
        return chosen if chosen in ("sv", "en") else self.language

    def needs_and_goals(self) -> tuple[list[NeedData], list[EffectGoalData]]:
        """Needs and effect goals, keyed B1.., E1.. where the file gives none."""
        needs = [
            NeedData(
                key=entry.key or f"B{index}",
                who=entry.who,
                what=entry.what,
                why=entry.why,
                kinds=list(entry.kinds),
            )
            for index, entry in enumerate(self.needs, start=1)
        ]
        goals = [
            EffectGoalData(
                key=entry.key or f"E{index}",
                goal=entry.goal,
                indicator=entry.indicator,
                baseline=entry.baseline,
                target=entry.target,
                needs=list(entry.needs),
                kinds=list(entry.kinds),
            )
            for index, entry in enumerate(self.effect_goals, start=1)
        ]
        return needs, goals


class AnswersFileError(ValueError):
    """An answers file that cannot be imported; the messages say where and why."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("; ".join(messages))


def read_answers_file(text: str, name: str, content: Content) -> AnswersFile:
    """Parse and check an answers file against the wizard; values are normalised as the
    wizard stores them (numbers as numbers, CPV codes as a list, yes/no as booleans)."""
    try:
        data, node = parse_yaml_text(text, name)
        answers_file = validate_data(AnswersFile, data, node, name)
    except DataFileError as error:
        raise AnswersFileError(error.messages) from error
    return checked_answers(answers_file, content)


def checked_answers(answers_file: AnswersFile, content: Content) -> AnswersFile:
    area_ids = [area.id for area in content.library.procurement_areas]
    need_keys = [entry.key or f"B{index}" for index, entry in enumerate(answers_file.needs, 1)]
    errors: list[str] = []
    normalised: dict[str, Any] = {}
    for question_id, value in answers_file.answers.items():
        question = content.wizard.questions.get(question_id)
        if question is None:
            errors.append(gettext_("Unknown question “%(id)s”.", id=question_id))
            continue
        if question.is_group:
            if question.store != "list" or not isinstance(value, list):
                errors.append(gettext_("“%(id)s” must be a list of rows.", id=question_id))
                continue
            rows = []
            for index, item in enumerate(value, start=1):
                if not isinstance(item, dict):
                    errors.append(
                        gettext_(
                            "“%(id)s” row %(row)s is not a mapping.", id=question_id, row=index
                        )
                    )
                    continue
                row: dict[str, Any] = {}
                for field in question.fields:
                    parsed = parse_answer(field, item.get(field.id), area_ids, need_keys)
                    if parsed.error:
                        errors.append(f"{question_id}[{index}].{field.id}: {parsed.error}")
                    elif parsed.value is not None:
                        row[field.id] = parsed.value
                rows.append(row)
            normalised[question_id] = rows
            continue
        parsed = parse_answer(question, value, area_ids, need_keys)
        if parsed.error:
            errors.append(f"{question_id}: {parsed.error}")
        elif parsed.value is not None:
            normalised[question_id] = parsed.value
    kinds = _kind_values(content)
    chosen = [entry.kinds for entry in answers_file.needs]
    chosen += [entry.kinds for entry in answers_file.effect_goals]
    for entry_kinds in chosen:
        wrong = [kind for kind in entry_kinds if kind not in kinds]
        if wrong:
            errors.append(
                gettext_(
                    "Unknown kinds: %(kinds)s (choose among the options of the needs step)",
                    kinds=", ".join(wrong),
                )
            )
    if answers_file.requirements:
        goal_keys = [
            entry.key or f"E{index}" for index, entry in enumerate(answers_file.effect_goals, 1)
        ]
        errors.extend(
            entry_errors(answers_file.requirements, content.library, need_keys, goal_keys)
        )
    for goal in answers_file.effect_goals:
        unknown = [key for key in goal.needs if key not in need_keys]
        if unknown:
            errors.append(
                gettext_(
                    "Effect goal “%(goal)s” refers to unknown needs: %(keys)s",
                    goal=goal.goal,
                    keys=", ".join(unknown),
                )
            )
    if errors:
        raise AnswersFileError(errors)
    return answers_file.model_copy(update={"answers": normalised})


def _kind_values(content: Content) -> set[str]:
    """The kinds of need and goal an answers file may name (the needs step's options)."""
    needs = content.wizard.group("needs")
    field = next((item for item in needs.fields if item.id == "kinds"), None) if needs else None
    return {option.value for option in field.options} if field else set()


def answers_file_of(document: TenderDraft, content: Content) -> AnswersFile:
    """A draft's answers in the answers-file format (the format of examples/ and `render`)."""
    answers: dict[str, Any] = {}
    for question_id, value in document.answers.items():
        question = content.wizard.questions.get(question_id)
        if question is None or question_id == "title":
            continue
        if question.store == "list" and isinstance(value, list):
            value = [
                {key: item_value for key, item_value in item.items() if key != ROW_ID}
                for item in value
                if isinstance(item, dict)
            ]
        answers[question_id] = value
    try:
        return AnswersFile(
            title=document.title,
            organisation=document.organisation,
            language=document.language,
            answers=answers,
            needs=[
                NeedEntry(
                    key=need.key,
                    who=need.who or "-",
                    what=need.what or "-",
                    why=need.why,
                    kinds=need.kinds,
                )
                for need in document.needs
            ],
            effect_goals=[
                EffectGoalEntry(
                    key=goal.key,
                    goal=goal.goal or "-",
                    indicator=goal.indicator,
                    baseline=goal.baseline,
                    target=goal.target,
                    needs=goal.needs,
                    kinds=goal.kinds,
                )
                for goal in document.effect_goals
            ],
            requirements=[
                RequirementEntry(**entry_values(requirement))
                for requirement in document.requirements
            ],
        )
    except ValidationError as error:  # keys made by hand outside the allowed pattern
        raise AnswersFileError([str(error)]) from error


def dump_answers_yaml(answers_file: AnswersFile) -> str:
    data = answers_file.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def document_from_answers_file(answers_file: AnswersFile, content: Content) -> TenderDraft:
    """A draft built straight from an answers file, without a database.

    Without a `requirements` section every suggestion is taken as accepted, so an answers
    file alone yields a complete document; with one, its decisions rule (see
    app/drafts/decisions.py). Raises AnswersFileError when a decision cannot be applied."""
    answers = dict(answers_file.answers)
    answers.setdefault("title", answers_file.title)
    needs, goals = answers_file.needs_and_goals()
    document = document_from_parts(
        content,
        title=answers_file.title,
        organisation=answers_file.organisation or "",
        language=answers_file.document_language,
        answers=answers,
        needs=needs,
        goals=goals,
    )
    if answers_file.requirements is None:
        return accept_all(document)
    try:
        return apply_decisions(document, answers_file.requirements, content.library)
    except DecisionError as error:
        raise AnswersFileError(error.messages) from error


def import_answers_file(
    session: Session,
    organisation: Organisation,
    user: User | None,
    answers_file: AnswersFile,
    content: Content,
    library: Library,
    *,
    reexamine: bool = False,
) -> Draft:
    """Create a draft in the database from an answers file and suggest its requirements.

    With `reexamine`, the needs, effect goals and requirements come in marked "to
    re-examine": reuse of an earlier procurement must be a decision, not a copy. The
    requirements section, when the file has one, brings the decisions on requirements; the
    library then suggests what the file does not hold."""
    draft = create_draft(
        session, organisation, user, answers_file.title, answers_file.document_language
    )
    draft_id = draft.id or 0
    for question_id, value in answers_file.answers.items():
        if question_id in ("title", "document_language"):
            continue  # stored by create_draft
        question = content.wizard.questions.get(question_id)
        if question is not None and question.store == "list" and isinstance(value, list):
            value = [
                {ROW_ID: secrets.token_hex(4), **item} for item in value if isinstance(item, dict)
            ]
        session.add(Answer(draft_id=draft_id, question_id=question_id, value=value))
    needs, goals = answers_file.needs_and_goals()
    for position, need in enumerate(needs):
        session.add(
            Need(
                draft_id=draft_id,
                position=position,
                key=need.key,
                who=need.who,
                what=need.what,
                why=need.why,
                kinds=need.kinds,
                needs_review=reexamine,
            )
        )
    for position, goal in enumerate(goals):
        session.add(
            EffectGoal(
                draft_id=draft_id,
                position=position,
                key=goal.key,
                goal=goal.goal,
                indicator=goal.indicator,
                baseline=goal.baseline,
                target=goal.target,
                need_keys=goal.needs,
                kinds=goal.kinds,
                needs_review=reexamine,
            )
        )
    record_event(session, draft, user, "draft.imported", reexamine=reexamine)
    session.flush()
    if answers_file.requirements:
        add_entries(
            session,
            draft,
            answers_file.requirements,
            library,
            answers_file.document_language,
            {need.key: need.id or 0 for need in needs_of(session, draft)},
            {goal.key: goal.id or 0 for goal in goals_of(session, draft)},
            reexamine=reexamine,
        )
        session.flush()
    sync_suggestions(session, draft, library, user)
    return draft
