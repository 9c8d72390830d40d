"""The wizard pages: task list, question steps with autosave, needs, and the Krav step."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from app.content import Content
from app.deps import ContentDep, CurrentUser, DraftAccess, SessionDep, load_draft
from app.drafts import (
    add_need,
    answer_rows,
    answers_of,
    build_document,
    needs_of,
    remove_need,
    requirements_of,
    save_answer,
    set_requirement_status,
    sync_suggestions,
    update_need,
)
from app.i18n import get_locale, gettext_
from app.library.engine import NeedLike
from app.models import DraftRequirement, Need, RequirementStatus
from app.pages import is_partial_request, render
from app.wizard.answers import parse_answer
from app.wizard.gates import check_gates
from app.wizard.schema import Question, Step
from app.wizard.view import StepView, TaskEntry, controlled_questions, task_list

router = APIRouter(prefix="/drafts", tags=["wizard"])

NEED_FIELDS = ("who", "what", "why")


def _area_ids(content: Content) -> list[str]:
    return [area.id for area in content.library.procurement_areas]


def _area_names(content: Content, locale: str) -> dict[str, str]:
    return {area.id: area.name.get(locale) for area in content.library.areas}


def draft_tasks(
    content: Content, draft_id: int, answers: Mapping[str, Any], needs: Sequence[NeedLike]
) -> list[TaskEntry]:
    """The task list from answers and needs the caller has already read."""
    rows = {"needs": [{"who": need.who, "what": need.what, "why": need.why} for need in needs]}
    return task_list(content, draft_id, answers, rows, get_locale())


def _step(content: Content, step_id: str) -> Step:
    step = content.wizard.step(step_id)
    if step is None:
        raise HTTPException(status_code=404)
    return step


def _neighbours(content: Content, step: Step, draft_id: int) -> tuple[str | None, str]:
    steps = content.wizard.steps
    index = steps.index(step)
    previous = f"/drafts/{draft_id}/steps/{steps[index - 1].id}" if index > 0 else None
    following = (
        f"/drafts/{draft_id}/steps/{steps[index + 1].id}"
        if index + 1 < len(steps)
        else f"/drafts/{draft_id}/requirements"
    )
    return previous, following


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
            "tasks": draft_tasks(content, draft_id, document.answers, document.needs),
            "document": document,
            "blockers": [f for f in check_gates(document, content) if f.severity == "blocker"],
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
    rows = answer_rows(session, access.draft)
    answers = {row.question_id: row.value for row in rows}
    needs = needs_of(session, access.draft)
    locale = get_locale()
    previous, following = _neighbours(content, step, access.draft.id or 0)
    return render(
        request,
        "drafts/step.html",
        {
            "access": access,
            "draft": access.draft,
            "step": step,
            "view": StepView(step, answers, raw or {}, errors or {}),
            "needs": needs,
            "saved_at": {row.question_id: row.updated_at for row in rows},
            "areas": content.library.procurement_areas,
            "area_names": _area_names(content, locale),
            "tasks": draft_tasks(content, access.draft.id or 0, answers, needs),
            "previous_url": previous,
            "next_url": following,
        },
        block="step_body",
        status_code=status_code,
    )


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
    return _render_step(request, session, access, content, _step(content, step_id))


def _form_value(form: FormData, question: Question) -> Any:
    if question.type == "checkboxes":
        return [str(item) for item in form.getlist(question.id)]
    value = form.get(question.id)
    return value if isinstance(value, str) else None


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
    was typed for the invalid ones and shows the errors."""
    access = load_draft(session, user, draft_id, edit=True)
    step = _step(content, step_id)
    form = await request.form()
    draft = access.draft
    stored = answers_of(session, draft)
    errors: dict[str, str] = {}
    raw: dict[str, Any] = {}
    for question in step.questions:
        if question.is_group:
            continue
        present = f"{question.id}__present" if question.type == "checkboxes" else question.id
        if present not in form:
            continue
        submitted = _form_value(form, question)
        parsed = parse_answer(question, submitted, _area_ids(content))
        if parsed.error:
            errors[question.id] = parsed.error
            raw[question.id] = submitted
        elif parsed.value != stored.get(question.id):
            save_answer(session, draft, user, question.id, parsed.value)
    needs_changed = _save_need_rows(session, access, user, form, errors, raw)
    action = str(form.get("action", "continue"))
    if action == "add_need":
        need = add_need(session, draft, user)
        needs_changed = True
        sync_suggestions(session, draft, content, user)
        return RedirectResponse(
            f"/drafts/{draft_id}/steps/{step_id}#need-{need.id}", status_code=303
        )
    if action.startswith("remove_need:"):
        _remove_need_by_id(session, access, user, action.split(":", 1)[1])
        needs_changed = True
    sync_suggestions(session, draft, content, user)
    if errors:
        return _render_step(
            request, session, access, content, step, raw=raw, errors=errors, status_code=400
        )
    if action.startswith("remove_need:") or (needs_changed and action == "stay"):
        return RedirectResponse(f"/drafts/{draft_id}/steps/{step_id}", status_code=303)
    _previous, following = _neighbours(content, step, draft_id)
    return RedirectResponse(following, status_code=303)


def _save_need_rows(
    session: SessionDep,
    access: DraftAccess,
    user: CurrentUser,
    form: FormData,
    errors: dict[str, str],
    raw: dict[str, Any],
) -> bool:
    changed = False
    for need in needs_of(session, access.draft):
        fields: dict[str, str] = {}
        for name in NEED_FIELDS:
            key = f"need-{need.id}-{name}"
            value = form.get(key)
            if isinstance(value, str) and value.strip() != getattr(need, name):
                if len(value) > 5000:
                    errors[key] = gettext_("The text can be at most 5000 characters.")
                    raw[key] = value
                    continue
                fields[name] = value.strip()
        if fields:
            update_need(session, access.draft, user, need, **fields)
            changed = True
    return changed


def _remove_need_by_id(
    session: SessionDep, access: DraftAccess, user: CurrentUser, need_id: str
) -> None:
    for need in needs_of(session, access.draft):
        if str(need.id) == need_id:
            remove_need(session, access.draft, user, need)
            return
    raise HTTPException(status_code=404)


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
    and, out of band, the questions whose visibility depends on it."""
    access = load_draft(session, user, draft_id, edit=True)
    question = content.wizard.questions.get(question_id)
    if question is None or question.is_group:
        raise HTTPException(status_code=404)
    form = await request.form()
    parsed = parse_answer(question, _form_value(form, question), _area_ids(content))
    saved_at = None
    if parsed.error is None:
        row = save_answer(session, access.draft, user, question.id, parsed.value)
        saved_at = row.updated_at
        sync_suggestions(session, access.draft, content, user)
    rows = answer_rows(session, access.draft)
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
            "view": StepView(step, {row.question_id: row.value for row in rows}),
            "all_saved_at": {row.question_id: row.updated_at for row in rows},
            "areas": content.library.procurement_areas,
            "area_names": _area_names(content, get_locale()),
        },
        status_code=200,
    )


@router.post("/{draft_id}/needs", include_in_schema=False)
def add_need_row(
    request: Request, draft_id: int, session: SessionDep, user: CurrentUser, content: ContentDep
) -> Response:
    access = load_draft(session, user, draft_id, edit=True)
    need = add_need(session, access.draft, user)
    if not is_partial_request(request):
        return RedirectResponse(
            f"/drafts/{draft_id}/steps/{content.wizard.step_of.get('needs', 'needs')}"
            f"#need-{need.id}",
            status_code=303,
        )
    group = content.wizard.group("needs")
    return render(
        request,
        "drafts/_need_row.html",
        {
            "access": access,
            "draft": access.draft,
            "need": need,
            "group": group,
            "number": len(needs_of(session, access.draft)),
            "errors": {},
            "raw": {},
        },
    )


def _need(session: SessionDep, access: DraftAccess, need_id: int) -> Need:
    for need in needs_of(session, access.draft):
        if need.id == need_id:
            return need
    raise HTTPException(status_code=404)


@router.post("/{draft_id}/needs/{need_id}", include_in_schema=False)
async def autosave_need(
    request: Request,
    draft_id: int,
    need_id: int,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
) -> Response:
    access = load_draft(session, user, draft_id, edit=True)
    need = _need(session, access, need_id)
    form = await request.form()
    fields = {
        name: str(form[f"need-{need.id}-{name}"]).strip()
        for name in NEED_FIELDS
        if isinstance(form.get(f"need-{need.id}-{name}"), str)
    }
    error = None
    if any(len(value) > 5000 for value in fields.values()):
        error = gettext_("The text can be at most 5000 characters.")
    elif fields:
        need = update_need(session, access.draft, user, need, **fields)
        sync_suggestions(session, access.draft, content, user)
    return render(
        request,
        "drafts/_need_feedback.html",
        {"need": need, "error": error, "saved_at": None if error else need.updated_at},
    )


@router.post("/{draft_id}/needs/{need_id}/delete", include_in_schema=False)
def delete_need(
    request: Request,
    draft_id: int,
    need_id: int,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
) -> Response:
    access = load_draft(session, user, draft_id, edit=True)
    remove_need(session, access.draft, user, _need(session, access, need_id))
    sync_suggestions(session, access.draft, content, user)
    if is_partial_request(request):
        return Response(status_code=200, content="")
    return RedirectResponse(
        f"/drafts/{draft_id}/steps/{content.wizard.step_of.get('needs', 'needs')}", status_code=303
    )


@router.get("/{draft_id}/requirements", include_in_schema=False)
def requirements_page(
    request: Request, draft_id: int, session: SessionDep, user: CurrentUser, content: ContentDep
) -> Response:
    access = load_draft(session, user, draft_id)
    return _render_requirements(request, session, access, content)


def _render_requirements(
    request: Request, session: SessionDep, access: DraftAccess, content: Content
) -> Response:
    document = build_document(session, access.draft, access.organisation, content)
    served = {key for item in document.included_requirements() for key in item.needs}
    return render(
        request,
        "drafts/requirements.html",
        {
            "access": access,
            "draft": access.draft,
            "document": document,
            "needs_by_key": {need.key: need for need in document.needs},
            "unserved_needs": [need for need in document.needs if need.key not in served],
            "questions": content.wizard.questions,
            "area_names": _area_names(content, get_locale()),
            "tasks": draft_tasks(content, access.draft.id or 0, document.answers, document.needs),
        },
    )


@router.post("/{draft_id}/requirements/refresh", include_in_schema=False)
def refresh_suggestions(
    request: Request, draft_id: int, session: SessionDep, user: CurrentUser, content: ContentDep
) -> Response:
    access = load_draft(session, user, draft_id, edit=True)
    sync_suggestions(session, access.draft, content, user)
    return RedirectResponse(f"/drafts/{draft_id}/requirements", status_code=303)


@router.post("/{draft_id}/requirements/{requirement_id}/status", include_in_schema=False)
async def requirement_status(
    request: Request,
    draft_id: int,
    requirement_id: int,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
) -> Response:
    access = load_draft(session, user, draft_id, edit=True)
    form = await request.form()
    try:
        status = RequirementStatus(str(form.get("status", "")))
    except ValueError as error:
        raise HTTPException(status_code=400) from error
    row: DraftRequirement | None = next(
        (item for item in requirements_of(session, access.draft) if item.id == requirement_id),
        None,
    )
    if row is None:
        raise HTTPException(status_code=404)
    set_requirement_status(session, access.draft, user, row, status)
    return RedirectResponse(
        f"/drafts/{draft_id}/requirements#requirement-{requirement_id}", status_code=303
    )
