"""What a step page shows: questions with their values, visibility, errors and task states."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.content import Content
from app.wizard.answers import StepState, is_visible, step_state
from app.wizard.schema import Question, Step


@dataclass
class TaskEntry:
    id: str
    title: str
    href: str
    state: StepState


def controlled_questions(content: Content, question_id: str) -> list[Question]:
    """Questions whose visibility depends on the given question's answer."""
    from app.conditions import questions_referenced

    return [
        question
        for question in content.wizard.questions.values()
        if question.show_if is not None and question_id in questions_referenced(question.show_if)
    ]


def task_list(
    content: Content,
    draft_id: int,
    answers: Mapping[str, Any],
    group_rows: Mapping[str, Sequence[Mapping[str, Any]]],
    locale: str,
) -> list[TaskEntry]:
    completed: set[str] = set()
    entries = []
    for step in content.wizard.steps:
        state = step_state(step, answers, group_rows, completed)
        if state == "completed":
            completed.add(step.id)
        entries.append(
            TaskEntry(step.id, step.title.get(locale), f"/drafts/{draft_id}/steps/{step.id}", state)
        )
    return entries


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
