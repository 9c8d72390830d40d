"""The wizard pages: task list, question steps with autosave, and repeatable groups."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from app.accounts import editable_organisations
from app.content import Content
from app.deps import ContentDep, EditableDraft, FormDep, SessionDep, run_read
from app.drafts.conflicts import FieldConflict, base_name, fingerprint, outcome
from app.drafts.groups import RowNotFound, rows_in_document, store_for
from app.drafts.store import answer_rows, draft_language, now, save_answer
from app.drafts.suggestions import reads_suggestions, sync_suggestions
from app.library.organisation import library_for
from app.pages import DraftPage, EditableDraftPage, ReadableDraftPage, is_partial_request, render
from app.quality.report import checked_text
from app.review.views import read_only_rows
from app.routes.pages_common import area_ids, area_names, people_named
from app.routes.step_forms import (
    StepChanges,
    bases_of,
    field_name,
    form_value,
    present,
    read_row,
    read_step,
)
from app.urls import step_url
from app.wizard.answers import parse_answer
from app.wizard.schema import Question, Step
from app.wizard.thresholds import GUIDANCE_INPUTS, procedure_guidance
from app.wizard.view import (
    StepView,
    answers_to_show_change,
    controlled_groups,
    controlled_questions,
    need_statement,
)

router = APIRouter(prefix="/drafts", tags=["wizard"])


def _step(content: Content, step_id: str) -> Step:
    step = content.wizard.step(step_id)
    if step is None:
        raise HTTPException(status_code=404)
    return step


def _group(content: Content, group_id: str) -> Question:
    group = content.wizard.questions.get(group_id)
    if group is None or not group.is_group:
        raise HTTPException(status_code=404)
    return group


def _neighbours(content: Content, step: Step, draft_id: int) -> tuple[str | None, str]:
    steps = content.wizard.steps
    index = steps.index(step)
    previous = step_url(draft_id, steps[index - 1]) if index > 0 else None
    following = (
        step_url(draft_id, steps[index + 1])
        if index + 1 < len(steps)
        else f"/drafts/{draft_id}/export"
    )
    return previous, following


def _guidance(content: Content, answers: dict[str, Any]) -> dict[str, Any]:
    return {"procedure": procedure_guidance(answers, content.thresholds)}


@router.get("/{draft_id}", include_in_schema=False)
def task_list_page(request: Request, page: ReadableDraftPage) -> Response:
    return render(
        request,
        "drafts/tasklist.html",
        page.context(
            need_statement=need_statement(page.content, page.document),
            can_copy=not page.access.outside
            and bool(editable_organisations(page.session, page.user)),
        ),
    )


def _render_step(
    request: Request,
    page: DraftPage,
    step: Step,
    *,
    raw: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    conflicts: dict[str, FieldConflict] | None = None,
    status_code: int = 200,
) -> Response:
    document, content = page.document, page.content
    previous, following = _neighbours(content, step, page.draft.id or 0)
    return render(
        request,
        "drafts/step.html",
        page.context(
            step=step,
            view=StepView(step, document.answers, raw or {}, errors or {}),
            group_rows={
                question.id: rows_in_document(question, document)
                for question in step.questions
                if question.is_group
            },
            need_options=[(need.key, need.what or need.who) for need in document.needs],
            saved_at={row.question_id: row.updated_at for row in page.answer_rows},
            areas=content.library.procurement_areas,
            area_names=area_names(content),
            guidance=_guidance(content, document.answers),
            previous_url=previous,
            next_url=following,
            bases=bases_of(step, document),
            conflicts=conflicts or {},
            people=people_named(page.session, conflicts) if conflicts else {},
            read_only=[] if page.access.can_edit else read_only_rows(content, document, step),
        ),
        block="step_body",
        status_code=status_code,
    )


@router.get("/{draft_id}/steps/{step_id}", include_in_schema=False)
async def step_page(request: Request, step_id: str, page: ReadableDraftPage) -> Response:
    step = _step(page.content, step_id)
    if step.kind != "questions":
        return RedirectResponse(step_url(page.draft.id, step), status_code=303)
    return await run_read(request, partial(_render_step, request, page, step))


def _reads_suggestions(page: DraftPage, changed: set[str]) -> bool:
    """Whether changed answers or groups can change the suggested requirements: needs always
    can (suggestions and traces read their words), other answers when a template reads them."""
    needs = page.content.wizard.group("needs")
    return (needs is not None and needs.id in changed) or reads_suggestions(page.library, changed)


@router.post("/{draft_id}/steps/{step_id}", include_in_schema=False)
def submit_step(request: Request, step_id: str, form: FormDep, page: EditableDraftPage) -> Response:
    """The plain form post (works without JavaScript): saves every valid answer the user
    changed, keeps what was typed for the invalid ones and shows the errors, and where someone
    else changed the same answer meanwhile shows both and lets the user choose (409). Buttons
    add, remove and confirm rows. One unit of work: all of it is saved, or on an error none."""
    content, session, draft, user = page.content, page.session, page.draft, page.user
    step = _step(content, step_id)
    document = page.document
    rows_by_question = {row.question_id: row for row in page.answer_rows}
    changes = read_step(form, step, document, rows_by_question, content)
    changed: set[str] = set()
    for question_id, value in changes.answers.items():
        save_answer(session, draft, user, question_id, value, rows_by_question)
        changed.add(question_id)
    for group_id, rows in changes.rows.items():
        group = _group(content, group_id)
        store = store_for(session, draft, user, group, dict(document.answers))
        for row_id, values in rows.items():
            store.update(row_id, values)
        changed.add(group_id)
    anchor = _row_action(page, str(form.get("action", "continue")), changed)
    if changed and _reads_suggestions(page, changed):
        sync_suggestions(session, draft, page.library, user)
    if changes.errors or changes.conflicts:
        page.refresh()
        return _render_step(
            request,
            page,
            step,
            raw=changes.raw,
            errors=changes.errors,
            conflicts=changes.conflicts,
            status_code=409 if changes.conflicts else 400,
        )
    if anchor is not None:
        return RedirectResponse(f"/drafts/{draft.id}/steps/{step_id}{anchor}", status_code=303)
    _previous, following = _neighbours(content, step, draft.id or 0)
    return RedirectResponse(following, status_code=303)


def _row_action(page: DraftPage, action: str, changed: set[str]) -> str | None:
    """Carry out add_row:<group>, remove_row:<group>:<row>, confirm_row:<group>:<row>.
    Returns the anchor to come back to, or None for a plain save."""
    kind, _, target = action.partition(":")
    if kind not in ("add_row", "remove_row", "confirm_row"):
        return None
    group_id, _, row_id = target.partition(":")
    group = _group(page.content, group_id)
    store = store_for(page.session, page.draft, page.user, group)
    try:
        if kind == "add_row":
            return f"#row-{group.id}-{store.add().id}"
        if kind == "remove_row":
            store.remove(row_id)
            changed.add(group.id)
            return f"#group-{group.id}"
        store.confirm(row_id)
        return f"#row-{group.id}-{row_id}"
    except RowNotFound as error:
        raise HTTPException(status_code=404) from error


@router.post("/{draft_id}/answers/{question_id}", include_in_schema=False)
def autosave_answer(
    request: Request,
    question_id: str,
    form: FormDep,
    access: EditableDraft,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    """Autosave of one field (htmx): answers with the field's feedback (saved time or error)
    and, out of band, the questions and guidance that depend on it. The suggestions are
    brought up to date only when a template reads this answer."""
    question = content.wizard.questions.get(question_id)
    if question is None or question.is_group:
        raise HTTPException(status_code=404)
    draft, user = access.draft, access.user
    submitted = form_value(form, question)
    parsed = parse_answer(question, submitted, area_ids(content))
    needed = answers_to_show_change(content, question)
    rows = {row.question_id: row for row in answer_rows(session, draft, needed)}
    current = rows[question.id].value if question.id in rows else None
    saved_at = None
    conflict = None
    if parsed.error is None:
        # Compared with the answer's own value as the page showed it: two people on different
        # answers never conflict; a late save of an old value does not undo a newer one.
        result = outcome(_form_base(form, question.id), parsed.value, current)
        if result == "save":
            row = save_answer(session, draft, user, question.id, parsed.value, rows)
            rows[question.id] = row
            saved_at = row.updated_at
            library = library_for(
                session, draft.organisation_id, content, access.templates_revision
            )
            if reads_suggestions(library, {question.id}):
                sync_suggestions(session, draft, library, user)
        elif result == "conflict":
            stored = rows[question.id]
            conflict = FieldConflict(
                question.id,
                question.label.get_for_locale(),
                submitted,
                current,
                stored.updated_by_id,
                stored.updated_at,
            )
        elif question.id in rows:
            saved_at = rows[question.id].updated_at
    answers = {row.question_id: row.value for row in rows.values()}
    step = _step(content, content.wizard.step_of[question.id])
    dependants = controlled_questions(content, question.id)
    shows_guidance = question.id in GUIDANCE_INPUTS or any(item.guidance for item in dependants)
    return render(
        request,
        "drafts/_autosave.html",
        {
            "access": access,
            "draft": draft,
            "question": question,
            "error": parsed.error,
            "saved_at": saved_at,
            "dependants": dependants,
            "dependant_groups": controlled_groups(content, question.id),
            "guidance_question": (
                content.wizard.questions.get("estimated_value")
                if question.id in GUIDANCE_INPUTS and question.id != "estimated_value"
                else None
            ),
            "refresh_guidance": question.id in GUIDANCE_INPUTS,
            "guidance": _guidance(content, answers) if shows_guidance else {},
            "view": StepView(step, answers),
            "all_saved_at": {row.question_id: row.updated_at for row in rows.values()},
            "areas": content.library.procurement_areas,
            "area_names": area_names(content),
            "base": fingerprint(answers.get(question.id)),
            "bases": {item.id: fingerprint(answers.get(item.id)) for item in dependants},
            "conflict": conflict,
            "people": people_named(session, {question.id: conflict} if conflict else None),
        },
        status_code=409 if conflict else 200,
    )


@router.get("/{draft_id}/answers/{question_id}", include_in_schema=False)
def answer_field(request: Request, question_id: str, page: ReadableDraftPage) -> Response:
    """One question as it is saved now (htmx): to take someone else's version of it."""
    content = page.content
    question = content.wizard.questions.get(question_id)
    if question is None or question.is_group:
        raise HTTPException(status_code=404)
    answers = page.document.answers
    step = _step(content, content.wizard.step_of[question.id])
    return render(
        request,
        "drafts/_answer_field.html",
        {
            "access": page.access,
            "draft": page.draft,
            "question": question,
            "view": StepView(step, answers),
            "saved_at": {row.question_id: row.updated_at for row in page.answer_rows},
            "areas": content.library.procurement_areas,
            "guidance": _guidance(content, answers),
            "bases": {question.id: fingerprint(answers.get(question.id))},
        },
    )


def _form_base(form: FormData, name: str) -> str | None:
    value = form.get(base_name(name))
    return value if isinstance(value, str) and value else None


def _need_options(page: DraftPage) -> list[tuple[str, str]]:
    return [(need.key, need.what or need.who) for need in page.document.needs]


@router.post("/{draft_id}/groups/{group_id}/rows", include_in_schema=False)
def add_group_row(request: Request, group_id: str, page: EditableDraftPage) -> Response:
    group = _group(page.content, group_id)
    row = store_for(page.session, page.draft, page.user, group).add()
    step_id = page.content.wizard.step_of[group.id]
    if not is_partial_request(request):
        return RedirectResponse(
            f"/drafts/{page.draft.id}/steps/{step_id}#row-{group.id}-{row.id}", status_code=303
        )
    return render(
        request,
        "drafts/_group_row.html",
        {
            "access": page.access,
            "draft": page.draft,
            "group": group,
            "need_options": _need_options(page),
            "errors": {},
            "raw": {},
            "row": row,
            "bases": {},
            "conflicts": {},
            "people": {},
        },
    )


@router.post("/{draft_id}/groups/{group_id}/rows/{row_id}", include_in_schema=False)
def autosave_group_row(
    request: Request,
    group_id: str,
    row_id: str,
    form: FormDep,
    access: EditableDraft,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    """Autosave of the fields of one row (htmx), answered with the row's feedback."""
    group = _group(content, group_id)
    draft, user = access.draft, access.user
    store = store_for(session, draft, user, group)
    row = next((item for item in store.rows() if item.id == row_id), None)
    if row is None:
        raise HTTPException(status_code=404)
    needs = content.wizard.group("needs")
    if needs is None:
        raise HTTPException(status_code=404)
    need_keys = [item.key for item in store_for(session, draft, user, needs).rows()]
    changes = StepChanges()
    changed = read_row(form, group, row, content, need_keys, changes)
    errors = changes.errors
    if changed:
        store.update(row.id, changed)
        library = library_for(session, draft.organisation_id, content, access.templates_revision)
        if group.id == needs.id or reads_suggestions(library, {group.id}):
            sync_suggestions(session, draft, library, user)
    language = draft_language(session, draft)
    checks = [
        (name, value, checked_text(value, language))
        for field in group.fields
        if field.type in ("text", "textarea")
        and present(form, field, name := field_name(group, row.id, field))
        and isinstance(value := changed.get(field.id, row.values.get(field.id)), str)
    ]
    values = {**row.values, **changed}
    return render(
        request,
        "drafts/_row_feedback.html",
        {
            "errors": list(errors.values()),
            "saved_at": None if errors or changes.conflicts else now(),
            "checks": checks,
            "conflicts": changes.conflicts,
            "people": {},
            # Only the fields this post carried: a slower post of another field of the row,
            # answered after a newer save of this one, must not hand back a stale base.
            "bases": {
                name: fingerprint(values.get(item.id))
                for item in group.fields
                if present(form, item, name := field_name(group, row.id, item))
            },
        },
        status_code=409 if changes.conflicts else 200,
    )


@router.post("/{draft_id}/groups/{group_id}/rows/{row_id}/delete", include_in_schema=False)
def delete_group_row(
    request: Request,
    group_id: str,
    row_id: str,
    access: EditableDraft,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    group = _group(content, group_id)
    draft = access.draft
    try:
        store_for(session, draft, access.user, group).remove(row_id)
    except RowNotFound as error:
        raise HTTPException(status_code=404) from error
    library = library_for(session, draft.organisation_id, content, access.templates_revision)
    if group.store == "needs" or reads_suggestions(library, {group.id}):
        sync_suggestions(session, draft, library, access.user)
    if is_partial_request(request):
        return Response(status_code=200, content="")
    return RedirectResponse(
        f"/drafts/{draft.id}/steps/{content.wizard.step_of[group.id]}#group-{group.id}",
        status_code=303,
    )


@router.post("/{draft_id}/groups/{group_id}/rows/{row_id}/confirm", include_in_schema=False)
def confirm_group_row(
    group_id: str,
    row_id: str,
    access: EditableDraft,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    group = _group(content, group_id)
    try:
        store_for(session, access.draft, access.user, group).confirm(row_id)
    except RowNotFound as error:
        raise HTTPException(status_code=404) from error
    return RedirectResponse(
        f"/drafts/{access.draft.id}/steps/{content.wizard.step_of[group.id]}"
        f"#row-{group.id}-{row_id}",
        status_code=303,
    )
