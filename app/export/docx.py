"""The tender document as a Word file: the same chapters and requirements as the PDF, with
Word's own heading styles (shown as Rubrik 1-3 in a Swedish Word) and tables as Word tables, so
a team can paste chapters into an e-tendering tool or finish the document in Word."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from docx import Document
from docx.document import Document as WordDocument

from app.document import RequirementData, TenderDraft
from app.export.values import filled_text
from app.export.view import TenderView, tender_view
from app.i18n import _, use_locale

if TYPE_CHECKING:
    from app.content import Content

# Characters XML 1.0 cannot carry: a user could paste them, Word would refuse the file.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    """User text as plain characters: python-docx writes it as text, never as markup."""
    return _NOT_IN_XML.sub("", str(text))


def obligation_words(requirement: RequirementData) -> str:
    if requirement.obligation == "ska":
        return _("Mandatory requirement")
    if requirement.weight is not None:
        return (
            _("Award criterion") + ", " + _("weight %(weight)s", weight=f"{requirement.weight:g}")
        )
    return _("Award criterion")


def render_tender_docx(draft: TenderDraft, content: Content | None) -> bytes:
    """The tender document in the draft's language, as .docx bytes."""
    with use_locale(draft.language) as locale:
        view = tender_view(draft, content, locale)
        document = Document()
        _set_language(document, locale)
        document.core_properties.title = clean(draft.title)
        document.core_properties.language = locale
        document.add_heading(clean(draft.title), level=0)
        document.add_paragraph(clean(draft.organisation))
        if not draft.is_approved:
            document.add_paragraph(_("DRAFT"))
        for chapter in view.chapters:
            document.add_heading(f"{chapter.number} {clean(chapter.title)}", level=1)
            _chapter(document, view, chapter.id, chapter.number)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()


def _set_language(document: WordDocument, locale: str) -> None:
    from docx.oxml.ns import qn
    from docx.oxml.shared import OxmlElement

    language = "sv-SE" if locale == "sv" else "en-GB"
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    run_properties = defaults.find(qn("w:rPrDefault"))
    if run_properties is None:
        return
    properties = run_properties.find(qn("w:rPr"))
    if properties is None:
        return
    element = properties.find(qn("w:lang"))
    if element is None:
        element = OxmlElement("w:lang")
        properties.append(element)
    element.set(qn("w:val"), language)
    element.set(qn("w:eastAsia"), language)
    element.set(qn("w:bidi"), language)


def _table(document: WordDocument, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = clean(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = clean(text)
    document.add_paragraph()


def _label_rows(view: TenderView, question_ids: tuple[str, ...] | list[str]) -> list[list[str]]:
    rows = []
    answers = view.answers
    for question_id in question_ids:
        text = answers.text(question_id)
        if text:
            question = (
                answers.content.wizard.questions.get(question_id) if answers.content else None
            )
            label = question.label.get(answers.locale) if question is not None else question_id
            rows.append([label, text])
    return rows


def _chapter(document: WordDocument, view: TenderView, chapter_id: str, number: int) -> None:
    from app.export import view as view_module

    draft = view.draft
    if chapter_id == "information":
        rows = _label_rows(view, view_module.INFORMATION_ANSWERS)
        if view.procedure_name:
            rows.append([_("Procedure"), view.procedure_name])
        if rows:
            _table(document, [_("Question"), _("Answer")], rows)
        if view.cpv:
            document.add_heading(f"{number}.1 " + _("CPV codes"), level=2)
            _table(document, [_("Code"), _("Name")], [[code, name] for code, name in view.cpv])
        if view.timetable:
            document.add_heading(f"{number}.2 " + _("Timetable"), level=2)
            _table(document, [_("What"), _("When")], [list(row) for row in view.timetable])
    elif chapter_id == "background":
        for row in _label_rows(view, view_module.BACKGROUND_ANSWERS):
            document.add_heading(clean(row[0]), level=3)
            document.add_paragraph(clean(row[1]))
        if draft.needs:
            document.add_heading(f"{number}.1 " + _("Needs"), level=2)
            for need in draft.needs:
                document.add_heading(f"{need.key} {clean(need.what)}", level=3)
                if need.who:
                    document.add_paragraph(_("Who") + ": " + clean(need.who))
                if need.why:
                    document.add_paragraph(_("Why") + ": " + clean(need.why))
        if draft.effect_goals:
            document.add_heading(f"{number}.2 " + _("Effect goals"), level=2)
            _table(
                document,
                [_("Goal"), _("Indicator"), _("Baseline"), _("Target")],
                [
                    [f"{goal.key} {goal.goal}", goal.indicator, goal.baseline, goal.target]
                    for goal in draft.effect_goals
                ],
            )
    elif chapter_id in ("qualification", "specification", "evaluation", "contract"):
        section = {"qualification": 1, "specification": 2, "evaluation": 3, "contract": 4}
        if chapter_id == "qualification":
            rows = _label_rows(view, view_module.QUALIFICATION_ANSWERS)
        elif chapter_id == "evaluation":
            rows = _label_rows(view, view_module.EVALUATION_ANSWERS)
        else:
            rows = (
                _label_rows(view, view_module.CONTRACT_ANSWERS) if chapter_id == "contract" else []
            )
        if rows:
            _table(document, [_("Question"), _("Answer")], rows)
        for requirement in view.sections[section[chapter_id]]:
            requirement_paragraphs(document, requirement)
        if chapter_id == "evaluation" and view.evaluation and view.evaluation.scale:
            document.add_heading(f"{number}.1 " + _("Scoring scale"), level=2)
            _table(
                document, [_("Score"), _("Meaning")], [list(row) for row in view.evaluation.scale]
            )
    elif chapter_id == "annexes":
        _table(
            document,
            [_("Annex"), _("Name"), _("Description")],
            [[str(annex.number), annex.name, annex.description] for annex in view.annexes],
        )
        if view.trace:
            document.add_heading(f"{number}.1 " + _("Trace table"), level=2)
            _table(
                document,
                [_("Need"), _("Effect goals"), _("Requirements")],
                [
                    [
                        f"{row.need_key} {row.need}",
                        ", ".join(row.goals),
                        ", ".join(row.requirements),
                    ]
                    for row in view.trace
                ],
            )


def requirement_paragraphs(document: WordDocument, requirement: RequirementData) -> None:
    """A requirement: its number and title as a level 2 heading, then the text, the obligation,
    the motive and the verification, each its own paragraph."""
    document.add_heading(f"{requirement.number} {clean(requirement.title)}", level=2)
    document.add_paragraph(clean(filled_text(requirement)))
    document.add_paragraph(obligation_words(requirement))
    if requirement.motive:
        document.add_paragraph(_("Motive") + ": " + clean(requirement.motive))
    if requirement.verification:
        document.add_paragraph(_("Verification") + ": " + clean(requirement.verification))
    if requirement.references:
        document.add_paragraph(_("References") + ": " + clean("; ".join(requirement.references)))
