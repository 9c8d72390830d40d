"""Figures about the questionnaire, for `python -m app wizard stats`."""

from __future__ import annotations

from app.data.local_text import LOCALES
from app.library.loader import Library
from app.wizard.loader import Wizard
from app.wizard.schema import Question


def _all_questions(wizard: Wizard) -> list[Question]:
    """Every question a user answers: top-level ones and the fields of repeatable groups."""
    questions: list[Question] = []
    for step in wizard.steps:
        for question in step.questions:
            questions.extend(question.fields if question.is_group else [question])
    return questions


def wizard_statistics(wizard: Wizard, library: Library | None = None) -> dict[str, object]:
    """Counts of the questionnaire; with the library, how many area questions feed a template
    (`feeding`) and how many are background the document prints (`background`)."""
    questions = _all_questions(wizard)
    conditional = {question.id for question in questions if question.show_if is not None}
    # A field inside a conditional group is shown only under that condition too.
    for step in wizard.steps:
        for question in step.questions:
            if question.is_group and question.show_if is not None:
                conditional |= {field.id for field in question.fields}
    return {
        "steps": len(wizard.steps),
        "questions": len(questions),
        "conditional": len(conditional),
        "with_help": sum(1 for question in questions if question.has_help),
        "languages": {
            locale: sum(1 for question in questions if question.label.get(locale).strip())
            for locale in LOCALES
        },
        **(_feeding(wizard, library) if library is not None else {}),
    }


def _feeding(wizard: Wizard, library: Library) -> dict[str, int]:
    from app.content import area_questions

    asked = area_questions(wizard)
    read = library.questions_read
    return {
        "area_questions": len(asked),
        "feeding": sum(1 for question in asked if question.id in read),
        "background": sum(
            1 for question in asked if question.id not in read and question.feeds == "document"
        ),
    }
