"""The data the application runs on: the wizard and the requirement library, cross-checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.data.conditions import questions_referenced
from app.data.files import DataFileError
from app.export.reference import DocumentReference, load_document_reference
from app.library.loader import Library, load_library
from app.wizard.loader import Wizard, load_wizard
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
    for template in library.templates:
        path, line = library.origin[template.id]
        unknown = questions_referenced(template.triggers) - known_questions
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
    return Content(
        wizard=wizard,
        library=library,
        thresholds=load_thresholds(wizard_dir),
        document_reference=load_document_reference(wizard_dir),
    )
