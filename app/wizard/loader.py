"""Read and validate wizard_steps/: one step per file, ordered by `order`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from app.data.conditions import questions_referenced
from app.data.files import DataFileError, line_of, read_yaml, validate_data
from app.wizard.schema import Question, Step


@dataclass
class Wizard:
    steps: list[Step]
    # Top-level questions by id (group fields are reached through their group).
    questions: dict[str, Question] = field(default_factory=dict)
    step_of: dict[str, str] = field(default_factory=dict)
    origin: dict[str, tuple[Path, int | None]] = field(default_factory=dict)

    def step(self, step_id: str) -> Step | None:
        for step in self.steps:
            if step.id == step_id:
                return step
        return None

    @cached_property
    def dependants(self) -> dict[str, list[Question]]:
        """Question id -> the questions whose visibility depends on its answer."""
        found: dict[str, list[Question]] = {}
        for question in self.questions.values():
            if question.show_if is not None:
                for referenced in sorted(questions_referenced(question.show_if)):
                    found.setdefault(referenced, []).append(question)
        return found

    def group(self, store: str) -> Question | None:
        for question in self.questions.values():
            if question.store == store:
                return question
        return None


def load_wizard(directory: Path) -> Wizard:
    steps: list[Step] = []
    questions: dict[str, Question] = {}
    step_of: dict[str, str] = {}
    origin: dict[str, tuple[Path, int | None]] = {}
    step_files: dict[str, Path] = {}
    for path in sorted(directory.glob("*.yaml")):
        data, node = read_yaml(path)
        step = validate_data(Step, data, node, path)
        if step.id in step_files:
            raise DataFileError(
                path,
                line_of(node, ("id",)),
                "id",
                f"step id '{step.id}' is also used in {step_files[step.id].name}",
            )
        step_files[step.id] = path
        for index, question in enumerate(step.questions):
            if question.id in questions:
                raise DataFileError(
                    path,
                    line_of(node, ("questions", index, "id")),
                    f"questions.{index}.id",
                    f"question id '{question.id}' is also used in step '{step_of[question.id]}'",
                )
            questions[question.id] = question
            step_of[question.id] = step.id
            origin[question.id] = (path, line_of(node, ("questions", index)))
        steps.append(step)
    if not steps:
        raise DataFileError(directory, None, "", "holds no wizard steps")
    steps.sort(key=lambda step: step.order)
    orders = [step.order for step in steps]
    if len(orders) != len(set(orders)):
        raise DataFileError(directory, None, "order", "two steps have the same order")
    known = {step.id for step in steps}
    for step in steps:
        for required in step.requires:
            if required not in known:
                path = step_files[step.id]
                raise DataFileError(
                    path,
                    line_of(read_yaml(path)[1], ("requires",)),
                    "requires",
                    f"unknown step '{required}'",
                )
    return Wizard(steps=steps, questions=questions, step_of=step_of, origin=origin)
