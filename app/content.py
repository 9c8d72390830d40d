"""The data the application runs on: the wizard and the requirement library, cross-checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.data.conditions import questions_referenced, required_values
from app.data.files import DataFileError
from app.export.reference import DocumentReference, load_document_reference
from app.library.engine import DERIVED_QUESTIONS
from app.library.loader import Library, load_library
from app.wizard.loader import Wizard, load_wizard
from app.wizard.schema import Question
from app.wizard.thresholds import Thresholds, load_thresholds


@dataclass
class Content:
    wizard: Wizard
    library: Library
    thresholds: Thresholds
    # annexes and CPV names for the tender document; None: the project's own files
    document_reference: DocumentReference | None = None
    # organisation id -> (fingerprint of its own templates, the library merged with them)
    organisation_libraries: dict[int, tuple[Any, Library]] = field(default_factory=dict)


def load_content(wizard_dir: Path, library_dir: Path) -> Content:
    """Load and cross-check both data sets. Raises DataFileError naming file, line and field."""
    library = load_library(library_dir)
    wizard = load_wizard(wizard_dir)
    known_questions = set(wizard.questions)
    for question_id, question in wizard.questions.items():
        if question.show_if is not None:
            unknown = questions_referenced(question.show_if) - known_questions
            if unknown:
                path, line = wizard.origin[question_id]
                raise DataFileError(
                    path, line, f"{question_id}.show_if", f"unknown question(s): {sorted(unknown)}"
                )
    readable = known_questions | DERIVED_QUESTIONS
    kinds = need_kinds(wizard)
    for template in library.templates:
        path, line = library.origin[template.id]
        unknown = questions_referenced(template.triggers) - readable
        if unknown:
            raise DataFileError(
                path, line, f"{template.id}.triggers", f"unknown question(s): {sorted(unknown)}"
            )
        for parameter in template.parameters:
            if parameter.question and parameter.question not in known_questions:
                raise DataFileError(
                    path,
                    line,
                    f"{template.id}.parameters.{parameter.name}.question",
                    f"unknown question '{parameter.question}'",
                )
        wrong = [kind for kind in template.serves if kind not in kinds]
        if wrong:
            raise DataFileError(
                path,
                line,
                f"{template.id}.serves",
                f"unknown kinds {wrong}: use the options of the needs step's 'kinds' field",
            )
    if library.innovation_path is not None:
        unknown = questions_referenced(library.innovation_path) - known_questions
        if unknown:
            raise DataFileError(
                library_dir / "areas.yaml",
                None,
                "innovation_path",
                f"unknown question(s): {sorted(unknown)}",
            )
    _check_feeding(wizard, library)
    return Content(
        wizard=wizard,
        library=library,
        thresholds=load_thresholds(wizard_dir),
        document_reference=load_document_reference(wizard_dir),
    )


def need_kinds(wizard: Wizard) -> list[str]:
    """The kinds of need (and effect goal) an officer picks: the needs step's `kinds` options."""
    needs = wizard.group("needs")
    field_ = next((item for item in needs.fields if item.id == "kinds"), None) if needs else None
    return [option.value for option in field_.options] if field_ else []


def area_questions(wizard: Wizard) -> list[Question]:
    """The questions shown only for some procurement areas."""
    return [
        question
        for question in wizard.questions.values()
        if question.show_if is not None and required_values(question.show_if, "area") is not None
    ]


def _check_feeding(wizard: Wizard, library: Library) -> None:
    """Every area question feeds a template (a parameter or a trigger) or is marked as
    background the document prints (`feeds: document`), and never both."""
    read = library.questions_read
    for question in area_questions(wizard):
        path, line = wizard.origin[question.id]
        if question.feeds == "document" and question.id in read:
            raise DataFileError(
                path,
                line,
                f"{question.id}.feeds",
                "a template reads this answer: it is not background only; remove 'feeds'",
            )
        if question.feeds is None and question.id not in read:
            raise DataFileError(
                path,
                line,
                f"{question.id}.feeds",
                "no template reads this answer: let a template's parameter or trigger use it, "
                "or mark it 'feeds: document' (background the tender document prints)",
            )
