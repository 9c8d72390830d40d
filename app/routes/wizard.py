"""The wizard pages: task list, question steps with autosave, and repeatable groups."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from app.content import Content
from app.deps import ContentDep, CurrentUser, DraftAccess, SessionDep, load_draft
from app.document import TenderDraft
from app.drafts import (
    answer_rows,
    build_document,
    document_language,
    now,
    save_answer,
    sync_suggestions,
)
from app.drafts import answers_of as answer_values
from app.groups import (
    GroupRow,
    RowNotFound,
    add_row,
    confirm_row,
    remove_row,
    rows_of,
    update_row,
)
from app.models import User
from app.pages import is_partial_request, render
from app.quality import check_text
from app.routes.pages_common import area_ids, area_names, draft_tasks
from app.wizard.answers import parse_answer
from app.wizard.schema import Question, Step
from app.wizard.thresholds import GUIDANCE_INPUTS, procedure_guidance
from app.wizard.view import StepView, controlled_questions, step_href

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
    previous = step_href(draft_id, steps[index - 1]) if index > 0 else None
    following = (
        step_href(draft_id, steps[index + 1])
        if index + 1 < len(steps)
        else f"/drafts/{draft_id}/export"
    )
    return previous, following


def _guidance(content: Content, answers: dict[str, Any]) -> dict[str, Any]:
    return {"procedure": procedure_guidance(answers, content.thresholds)}


@router.get("/{draft_id}", include_in_schema=False)
def task_list_page(
    request: Request, draft_id: int, session: SessionDep, user: CurrentUser, content: ContentDep
) -> Response:
    access = load_draft(session, user, draft_id)
    document = build_document(session, access.draft, access.organisation, content)
    return render(
        request,
        "drafts/tasklist.html",
        {
            "access": access,
            "draft": access.draft,
            "tasks": draft_tasks(content, document),
            "document": document,
        },
    )


def _render_step(
    request: Request,
    session: SessionDep,
    access: DraftAccess,
    content: Content,
    step: Step,
    *,
    raw: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    document = build_document(session, access.draft, access.organisation, content)
    rows = answer_rows(session, access.draft)
    previous, following = _neighbours(content, step, access.draft.id or 0)
    return render(
        request,
        "drafts/step.html",
        {
            "access": access,
            "draft": access.draft,
            "step": step,
            "view": StepView(step, document.answers, raw or {}, errors or {}),
            "group_rows": _step_group_rows(session, access, step, document),
            "need_options": [(need.key, need.what or need.who) for need in document.needs],
            "saved_at": {row.question_id: row.updated_at for row in rows},
            "areas": content.library.procurement_areas,
            "area_names": area_names(content),
            "guidance": _guidance(content, document.answers),
            "tasks": draft_tasks(content, document),
            "previous_url": previous,
            "next_url": following,
        },
        block="step_body",
        status_code=status_code,
    )


def _step_group_rows(
    session: SessionDep, access: DraftAccess, step: Step, document: TenderDraft
) -> dict[str, list[GroupRow]]:
    return {
        question.id: rows_of(session, access.draft, question, document.answers)
        for question in step.questions
        if question.is_group
    }


@router.get("/{draft_id}/steps/{step_id}", include_in_schema=False)
def step_page(
    request: Request,
    draft_id: int,
    step_id: str,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
) -> Response:
    access = load_draft(session, user, draft_id)
    step = _step(content, step_id)
    if step.kind != "questions":
        return RedirectResponse(step_href(draft_id, step), status_code=303)
    return _render_step(request, session, access, content, step)


def _form_value(form: FormData, question: Question, name: str | None = None) -> Any:
    name = name or question.id
    if question.type == "checkboxes":
        return [str(item) for item in form.getlist(name)]
    value = form.get(name)
    return value if isinstance(value, str) else None


def _present(form: FormData, question: Question, name: str) -> bool:
    return (f"{name}__present" if question.type == "checkboxes" else name) in form


def _parse_row(
    form: FormData,
    group: Question,
    row: GroupRow,
    content: Content,
    need_keys: list[str],
    errors: dict[str, str],
    raw: dict[str, Any],
) -> dict[str, Any]:
    """Changed, valid field values of one row from a form; errors and typed text noted."""
    changed: dict[str, Any] = {}
    for field in group.fields:
        name = field_name(group, row.id, field)
        if not _present(form, field, name):
            continue
        submitted = _form_value(form, field, name)
        parsed = parse_answer(field, submitted, area_ids(content), need_keys)
        if parsed.error:
            errors[name] = parsed.error
            raw[name] = submitted
            continue
        value = parsed.value
        if (
            group.store in ("needs", "effect_goals")
            and value is None
            and field.type != "checkboxes"
        ):
            value = ""
        if value != row.values.get(field.id):
            changed[field.id] = value
    return changed


def field_name(group: Question, row_id: str, field: Question) -> str:
    return f"{group.id}-{row_id}-{field.id}"


@router.post("/{draft_id}/steps/{step_id}", include_in_schema=False)
async def submit_step(
    request: Request,
    draft_id: int,
    step_id: str,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
) -> Response:
    """The plain form post (works without JavaScript): saves every valid answer, keeps what
    was typed for the invalid ones and shows the errors. Buttons add, remove and confirm rows."""
    access = load_draft(session, user, draft_id, edit=True)
    step = _step(content, step_id)
    form = await request.form()
    draft = access.draft
    document = build_document(session, draft, access.organisation, content)
    need_keys = [need.key for need in document.needs]
    errors: dict[str, str] = {}
    raw: dict[str, Any] = {}
    for question in step.questions:
        if question.is_group:
            for row in rows_of(session, draft, question, document.answers):
                changed = _parse_row(form, question, row, content, need_keys, errors, raw)
                if changed:
                    update_row(session, draft, user, question, row.id, changed)
            continue
        if not _present(form, question, question.id):
            continue
        submitted = _form_value(form, question)
        parsed = parse_answer(question, submitted, area_ids(content), need_keys)
        if parsed.error:
            errors[question.id] = parsed.error
            raw[question.id] = submitted
        elif parsed.value != document.answers.get(question.id):
            save_answer(session, draft, user, question.id, parsed.value)
    action = str(form.get("action", "continue"))
    anchor = _row_action(session, draft, user, content, action)
    sync_suggestions(session, draft, content, user)
    if errors:
        return _render_step(
            request, session, access, content, step, raw=raw, errors=errors, status_code=400
        )
    if anchor is not None:
        return RedirectResponse(f"/drafts/{draft_id}/steps/{step_id}{anchor}", status_code=303)
    _previous, following = _neighbours(content, step, draft_id)
    return RedirectResponse(following, status_code=303)


def _row_action(
    session: SessionDep, draft: Any, user: User, content: Content, action: str
) -> str | None:
    """Carry out add_row:<group>, remove_row:<group>:<row>, confirm_row:<group>:<row>.
    Returns the anchor to come back to, or None for a plain save."""
    kind, _, target = action.partition(":")
    if kind not in ("add_row", "remove_row", "confirm_row"):
        return None
    group_id, _, row_id = target.partition(":")
    group = _group(content, group_id)
    try:
        if kind == "add_row":
            return f"#row-{group.id}-{add_row(session, draft, user, group).id}"
        if kind == "remove_row":
            remove_row(session, draft, user, group, row_id)
            return f"#group-{group.id}"
        confirm_row(session, draft, user, group, row_id)
        return f"#row-{group.id}-{row_id}"
    except RowNotFound as error:
        raise HTTPException(status_code=404) from error


@router.post("/{draft_id}/answers/{question_id}", include_in_schema=False)
async def autosave_answer(
    request: Request,
    draft_id: int,
    question_id: str,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
) -> Response:
    """Autosave of one field (htmx): answers with the field's feedback (saved time or error)
    and, out of band, the questions and guidance that depend on it."""
    access = load_draft(session, user, draft_id, edit=True)
    question = content.wizard.questions.get(question_id)
    if question is None or question.is_group:
        raise HTTPException(status_code=404)
    form = await request.form()
    parsed = parse_answer(question, _form_value(form, question), area_ids(content))
    saved_at = None
    if parsed.error is None:
        row = save_answer(session, access.draft, user, question.id, parsed.value)
        saved_at = row.updated_at
        sync_suggestions(session, access.draft, content, user)
    rows = answer_rows(session, access.draft)
    answers = {row.question_id: row.value for row in rows}
    step = _step(content, content.wizard.step_of[question.id])
    return render(
        request,
        "drafts/_autosave.html",
        {
            "access": access,
            "draft": access.draft,
            "question": question,
            "error": parsed.error,
            "saved_at": saved_at,
            "dependants": controlled_questions(content, question.id),
            "guidance_question": (
                content.wizard.questions.get("estimated_value")
                if question.id in GUIDANCE_INPUTS and question.id != "estimated_value"
                else None
            ),
            "refresh_guidance": question.id in GUIDANCE_INPUTS,
            "guidance": _guidance(content, answers),
            "view": StepView(step, answers),
            "all_saved_at": {row.question_id: row.updated_at for row in rows},
            "areas": content.library.procurement_areas,
            "area_names": area_names(content),
        },
    )


def _row_context(
    session: SessionDep, access: DraftAccess, content: Content, group: Question
) -> dict[str, Any]:
    document = build_document(session, access.draft, access.organisation, content)
    return {
        "access": access,
        "draft": access.draft,
        "group": group,
        "need_options": [(need.key, need.what or need.who) for need in document.needs],
        "errors": {},
        "raw": {},
    }


@router.post("/{draft_id}/groups/{group_id}/rows", include_in_schema=False)
def add_group_row(
    request: Request,
    draft_id: int,
    group_id: str,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
) -> Response:
    access = load_draft(session, user, draft_id, edit=True)
    group = _group(content, group_id)
    row = add_row(session, access.draft, user, group)
    step_id = content.wizard.step_of[group.id]
    if not is_partial_request(request):
        return RedirectResponse(
            f"/drafts/{draft_id}/steps/{step_id}#row-{group.id}-{row.id}", status_code=303
        )
    return render(
        request,
        "drafts/_group_row.html",
        {**_row_context(session, access, content, group), "row": row},
    )


def _find_row(session: SessionDep, access: DraftAccess, group: Question, row_id: str) -> GroupRow:
    for row in rows_of(session, access.draft, group):
        if row.id == row_id:
            return row
    raise HTTPException(status_code=404)


@router.post("/{draft_id}/groups/{group_id}/rows/{row_id}", include_in_schema=False)
async def autosave_group_row(
    request: Request,
    draft_id: int,
    group_id: str,
    row_id: str,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
) -> Response:
    """Autosave of the fields of one row (htmx), answered with the row's feedback."""
    access = load_draft(session, user, draft_id, edit=True)
    group = _group(content, group_id)
    row = _find_row(session, access, group, row_id)
    form = await request.form()
    errors: dict[str, str] = {}
    need_keys = [r.key for r in rows_of(session, access.draft, _needs_group(content))]
    changed = _parse_row(form, group, row, content, need_keys, errors, {})
    if changed:
        update_row(session, access.draft, user, group, row.id, changed)
        sync_suggestions(session, access.draft, content, user)
    language = document_language(answer_values(session, access.draft))
    checks = [
        (field_name(group, row.id, field), value, check_text(value, language))
        for field in group.fields
        if field.type in ("text", "textarea")
        and isinstance(value := changed.get(field.id, row.values.get(field.id)), str)
    ]
    return render(
        request,
        "drafts/_row_feedback.html",
        {"errors": list(errors.values()), "saved_at": None if errors else now(), "checks": checks},
    )


def _needs_group(content: Content) -> Question:
    group = content.wizard.group("needs")
    if group is None:
        raise HTTPException(status_code=404)
    return group


@router.post("/{draft_id}/groups/{group_id}/rows/{row_id}/delete", include_in_schema=False)
def delete_group_row(
    request: Request,
    draft_id: int,
    group_id: str,
    row_id: str,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
) -> Response:
    access = load_draft(session, user, draft_id, edit=True)
    group = _group(content, group_id)
    try:
        remove_row(session, access.draft, user, group, row_id)
    except RowNotFound as error:
        raise HTTPException(status_code=404) from error
    sync_suggestions(session, access.draft, content, user)
    if is_partial_request(request):
        return Response(status_code=200, content="")
    return RedirectResponse(
        f"/drafts/{draft_id}/steps/{content.wizard.step_of[group.id]}#group-{group.id}",
        status_code=303,
    )


@router.post("/{draft_id}/groups/{group_id}/rows/{row_id}/confirm", include_in_schema=False)
def confirm_group_row(
    draft_id: int,
    group_id: str,
    row_id: str,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
) -> Response:
    access = load_draft(session, user, draft_id, edit=True)
    group = _group(content, group_id)
    try:
        confirm_row(session, access.draft, user, group, row_id)
    except RowNotFound as error:
        raise HTTPException(status_code=404) from error
    return RedirectResponse(
        f"/drafts/{draft_id}/steps/{content.wizard.step_of[group.id]}#row-{group.id}-{row_id}",
        status_code=303,
    )
