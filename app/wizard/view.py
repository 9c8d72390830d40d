"""What the wizard pages show: the task list with states, questions and rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.content import Content
from app.data.conditions import questions_referenced
from app.document import TenderDraft
from app.i18n import gettext_, ngettext_
from app.wizard.answers import StepState, is_visible, step_state
from app.wizard.gates import GateFinding
from app.wizard.schema import Question, Step
from app.wizard.thresholds import GUIDANCE_INPUTS


@dataclass
class TaskEntry:
    id: str
    title: str
    state: StepState
    kind: str = "questions"


def controlled_questions(content: Content, question_id: str) -> list[Question]:
    """Questions on the same step whose visibility depends on the given question's answer.
    Those on other steps are drawn afresh when their step is opened, and a repeatable group
    stays on its page with its rows; an autosave sending either would give the page fragments
    it has no place for."""
    wizard = content.wizard
    step_id = wizard.step_of.get(question_id)
    return [
        question
        for question in wizard.dependants.get(question_id, [])
        if wizard.step_of.get(question.id) == step_id and not question.is_group
    ]


def controlled_groups(content: Content, question_id: str) -> list[Question]:
    """Repeatable groups on the same step whose visibility depends on the given question's
    answer: an autosave shows or hides them and leaves their rows as they are."""
    wizard = content.wizard
    step_id = wizard.step_of.get(question_id)
    return [
        question
        for question in wizard.dependants.get(question_id, [])
        if wizard.step_of.get(question.id) == step_id and question.is_group
    ]


def answers_to_show_change(content: Content, question: Question) -> set[str]:
    """The answers an autosave of `question` must read to show what its change affects: the
    question itself, and the questions that depend on it with what decides their visibility and
    their guidance."""
    needed = {question.id}
    guidance_shown = question.id in GUIDANCE_INPUTS
    for dependant in controlled_questions(content, question.id):
        needed.add(dependant.id)
        if dependant.show_if is not None:
            needed |= questions_referenced(dependant.show_if)
        guidance_shown = guidance_shown or dependant.guidance is not None
    for group in controlled_groups(content, question.id):
        if group.show_if is not None:
            needed |= questions_referenced(group.show_if)
    if guidance_shown:
        needed |= set(GUIDANCE_INPUTS)
    return needed


def group_values(content: Content, document: TenderDraft) -> dict[str, list[dict[str, Any]]]:
    """The rows of every repeatable group, as plain values, keyed by the group's id."""
    result: dict[str, list[dict[str, Any]]] = {}
    for question in content.wizard.questions.values():
        if not question.is_group:
            continue
        if question.store == "needs":
            result[question.id] = [need.model_dump() for need in document.needs]
        elif question.store == "effect_goals":
            result[question.id] = [goal.model_dump() for goal in document.effect_goals]
        else:
            stored = document.answers.get(question.id)
            result[question.id] = [item for item in stored or [] if isinstance(item, dict)]
    return result


def task_list(
    content: Content, document: TenderDraft, findings: Sequence[GateFinding]
) -> list[TaskEntry]:
    """Every step in order with its state: not started, in progress, completed, cannot start."""
    rows = group_values(content, document)
    completed: set[str] = set()
    entries = []
    for step in content.wizard.steps:
        if step.kind == "requirements":
            state = _requirements_state(document)
        elif step.kind == "review":
            state = _review_state(document, findings)
        else:
            state = step_state(step, document.answers, rows, completed)
        if any(required not in completed for required in step.requires):
            state = "cannot_start"
        if state == "completed":
            completed.add(step.id)
        entries.append(TaskEntry(step.id, step.title.get_for_locale(), state, step.kind))
    return entries


def _requirements_state(document: TenderDraft) -> StepState:
    if not document.requirements:
        return "not_started"
    decided = [item for item in document.requirements if item.status != "suggested"]
    if not decided:
        return "not_started"
    if len(decided) < len(document.requirements):
        return "in_progress"
    return "completed"


def _review_state(document: TenderDraft, findings: Sequence[GateFinding]) -> StepState:
    if any(finding.severity == "blocker" for finding in findings):
        return "in_progress" if document.needs else "not_started"
    return "completed"


@dataclass
class NeedStatementPart:
    label: str
    done: bool
    detail: str
    step: str


def need_statement(content: Content, document: TenderDraft) -> list[NeedStatementPart]:
    """On the innovation path, the parts of the need statement that come first; else none."""
    from app.library.engine import on_innovation_path

    if not on_innovation_path(content.library, document.answers):
        return []
    answers = document.answers
    goals = document.effect_goals
    measured = [goal for goal in goals if goal.indicator.strip() and goal.target.strip()]
    questions = answers.get("rfi_questions")
    asked = len(questions) if isinstance(questions, list) else 0
    procedure = content.wizard.questions.get("planned_procedure")
    chosen = answers.get("planned_procedure")
    label = next(
        (
            o.label.get_for_locale()
            for o in (procedure.options if procedure else [])
            if o.value == chosen
        ),
        "",
    )
    step_of = content.wizard.step_of
    return [
        NeedStatementPart(
            gettext_("Needs"),
            bool(document.needs),
            ngettext_("%(num)d need", "%(num)d needs", len(document.needs)),
            step_of.get("needs", "needs"),
        ),
        NeedStatementPart(
            gettext_("Effect goals with indicators"),
            bool(goals) and len(measured) == len(goals),
            gettext_(
                "%(measured)s of %(count)s with indicator and target",
                measured=len(measured),
                count=len(goals),
            ),
            step_of.get("effect_goals", "effect_goals"),
        ),
        NeedStatementPart(
            gettext_("Questions to the market"),
            asked > 0,
            ngettext_("%(num)d question", "%(num)d questions", asked),
            step_of.get("rfi_questions", "innovation"),
        ),
        NeedStatementPart(
            gettext_("Planned procedure"),
            bool(label) and chosen != "undecided",
            label or gettext_("Not chosen yet"),
            step_of.get("planned_procedure", "basics"),
        ),
    ]


@dataclass
class StepView:
    step: Step
    answers: Mapping[str, Any]
    raw: Mapping[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def visible(self, question: Question) -> bool:
        return is_visible(question, self.answers)

    def value(self, question: Question) -> Any:
        if question.id in self.raw:
            return self.raw[question.id]
        return self.answers.get(question.id)
