"""The Krav step: suggested requirements, their reasons and traces; accept and reject."""

from __future__ import annotations

from typing import Any, get_args

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from app.content import Content
from app.deps import ContentDep, CurrentUser, DraftAccess, SessionDep, load_draft
from app.draft_quality import innovation_readiness, quality_report
from app.drafts import (
    REQUIREMENT_TEXT_FIELDS,
    add_from_template,
    apply_template_update,
    build_document,
    requirements_of,
    save_requirement,
    set_requirement_status,
    sync_suggestions,
    template_texts,
)
from app.i18n import gettext_
from app.library.organisation import library_for
from app.library.schema import Kind, Level, RequirementType
from app.models import DraftRequirement, Obligation, RequirementStatus
from app.pages import render
from app.quality import check_text
from app.routes.pages_common import area_names, draft_tasks
from app.textdiff import word_diff
from app.wizard.answers import parse_number
from app.wizard.gates import unserved_goals

router = APIRouter(prefix="/drafts", tags=["requirements"])


@router.get("/{draft_id}/requirements", include_in_schema=False)
def requirements_page(
    request: Request, draft_id: int, session: SessionDep, user: CurrentUser, content: ContentDep
) -> Response:
    access = load_draft(session, user, draft_id)
    document = build_document(session, access.draft, access.organisation, content)
    served = {key for item in document.included_requirements() for key in item.needs}
    report = quality_report(document)
    step = next((s for s in content.wizard.steps if s.kind == "requirements"), None)
    return render(
        request,
        "drafts/requirements.html",
        {
            "access": access,
            "draft": access.draft,
            "document": document,
            "step": step,
            "needs_by_key": {need.key: need for need in document.needs},
            "unserved_needs": [need for need in document.needs if need.key not in served],
            "unserved_goals": unserved_goals(document),
            "report": report,
            "quality": {item.requirement.id: item for item in report.requirements},
            "readiness": innovation_readiness(document, report),
            "questions": content.wizard.questions,
            "area_names": area_names(content),
            "updates": _update_diffs(session, access, content, document),
            "tasks": draft_tasks(content, document),
        },
    )


def _update_diffs(
    session: SessionDep, access: DraftAccess, content: Content, document: Any
) -> dict[int, list[Any]]:
    """For requirements whose template has a newer version: the text now against the new one."""
    library = library_for(session, access.draft.organisation_id, content)
    rows = {row.id: row for row in requirements_of(session, access.draft)}
    diffs = {}
    for requirement in document.requirements:
        row = rows.get(requirement.id)
        if not requirement.update_available or row is None:
            continue
        newer = template_texts(library, row, document.language)
        if newer:
            diffs[row.id or 0] = word_diff(row.text, newer["text"])
    return diffs


@router.post("/{draft_id}/requirements/refresh", include_in_schema=False)
def refresh_suggestions(
    draft_id: int, session: SessionDep, user: CurrentUser, content: ContentDep
) -> Response:
    access = load_draft(session, user, draft_id, edit=True)
    sync_suggestions(session, access.draft, content, user)
    return RedirectResponse(f"/drafts/{draft_id}/requirements", status_code=303)


@router.post("/{draft_id}/requirements/{requirement_id}/status", include_in_schema=False)
async def requirement_status(
    request: Request, draft_id: int, requirement_id: int, session: SessionDep, user: CurrentUser
) -> Response:
    access = load_draft(session, user, draft_id, edit=True)
    form = await request.form()
    try:
        status = RequirementStatus(str(form.get("status", "")))
    except ValueError as error:
        raise HTTPException(status_code=400) from error
    row = next(
        (item for item in requirements_of(session, access.draft) if item.id == requirement_id),
        None,
    )
    if row is None:
        raise HTTPException(status_code=404)
    set_requirement_status(session, access.draft, user, row, status)
    return RedirectResponse(
        f"/drafts/{draft_id}/requirements#requirement-{requirement_id}", status_code=303
    )


# The choices offered in forms are the library schema's own values.
KINDS: tuple[str, ...] = get_args(Kind)
TYPES: tuple[str, ...] = get_args(RequirementType)
LEVELS: tuple[str, ...] = get_args(Level)


def _row(session: SessionDep, access: DraftAccess, requirement_id: int) -> DraftRequirement:
    for item in requirements_of(session, access.draft):
        if item.id == requirement_id:
            return item
    raise HTTPException(status_code=404)


def _form_page(
    request: Request,
    session: SessionDep,
    access: DraftAccess,
    content: Content,
    row: DraftRequirement,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    document = build_document(session, access.draft, access.organisation, content)
    library = library_for(session, access.draft.organisation_id, content)
    original = template_texts(library, row, document.language) if row.template_id else None
    current = next((item for item in document.requirements if item.id == row.id), None)
    values = values or {
        "title": row.title,
        "text": row.text,
        "motive": row.motive,
        "verification": row.verification,
        "obligation": Obligation(row.obligation).value,
        "weight": "" if row.weight is None else f"{row.weight:g}",
        "kind": row.kind,
        "type": row.requirement_type,
        "level": row.level,
        "brand_justification": row.brand_justification or "",
        "needs": current.needs if current else [],
        "effect_goals": current.effect_goals if current else [],
    }
    return render(
        request,
        "drafts/requirement_form.html",
        {
            "access": access,
            "draft": access.draft,
            "document": document,
            "row": row,
            "values": values,
            "errors": errors or {},
            "diffs": {
                name: word_diff(original[name], str(values.get(name, "")))
                for name in REQUIREMENT_TEXT_FIELDS
            }
            if original
            else {},
            "kinds": KINDS,
            "types": TYPES,
            "levels": LEVELS,
            "tasks": draft_tasks(content, document),
        },
        status_code=status_code,
    )


@router.get("/{draft_id}/requirements/new", include_in_schema=False)
def new_requirement_page(
    request: Request, draft_id: int, session: SessionDep, user: CurrentUser, content: ContentDep
) -> Response:
    access = load_draft(session, user, draft_id, edit=True)
    row = DraftRequirement(draft_id=draft_id, status=RequirementStatus.accepted)
    return _form_page(request, session, access, content, row)


@router.get("/{draft_id}/requirements/{requirement_id}/edit", include_in_schema=False)
def edit_requirement_page(
    request: Request,
    draft_id: int,
    requirement_id: int,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
) -> Response:
    access = load_draft(session, user, draft_id, edit=True)
    return _form_page(request, session, access, content, _row(session, access, requirement_id))


async def _save_form(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    content: Content,
    access: DraftAccess,
    row: DraftRequirement,
) -> Response:
    form = await request.form()
    values: dict[str, Any] = {
        name: str(form.get(name, "")).strip()
        for name in (
            "title",
            "text",
            "motive",
            "verification",
            "obligation",
            "weight",
            "kind",
            "type",
            "level",
            "brand_justification",
        )
    }
    values["needs"] = [str(item) for item in form.getlist("needs")]
    values["effect_goals"] = [str(item) for item in form.getlist("effect_goals")]
    errors: dict[str, str] = {}
    if not values["title"]:
        errors["title"] = gettext_("Give the requirement a short title.")
    if not values["text"]:
        errors["text"] = gettext_("Write what the solution must achieve.")
    if values["obligation"] not in ("ska", "bor"):
        errors["obligation"] = gettext_("Choose mandatory (ska) or award criterion (bör).")
    weight = None
    if values["weight"]:
        number = parse_number(values["weight"])
        if number is None or not number.is_finite() or number < 0 or number > 100:
            errors["weight"] = gettext_("The weight is a number from 0 to 100.")
        else:
            weight = float(number)
    if row.template_id is None:
        for name, allowed in (("kind", KINDS), ("type", TYPES), ("level", LEVELS)):
            if values[name] not in allowed:
                errors[name] = gettext_("Choose one of the options.")
    document = build_document(session, access.draft, access.organisation, content)
    need_ids = {need.key: need.id for need in document.needs}
    goal_ids = {goal.key: goal.id for goal in document.effect_goals}
    if errors:
        return _form_page(
            request,
            session,
            access,
            content,
            row,
            values=values,
            errors=errors,
            status_code=400,
        )
    fields: dict[str, Any] = {
        "title": values["title"][:300],
        "text": values["text"],
        "motive": values["motive"],
        "verification": values["verification"],
        "obligation": Obligation(values["obligation"]),
        "weight": weight if values["obligation"] == "bor" else None,
        "brand_justification": values["brand_justification"],
    }
    if row.template_id is None:
        fields |= {
            "kind": values["kind"],
            "requirement_type": values["type"],
            "level": values["level"],
        }
    saved = save_requirement(
        session,
        access.draft,
        user,
        row,
        fields,
        [need_ids[key] or 0 for key in values["needs"] if key in need_ids],
        [goal_ids[key] or 0 for key in values["effect_goals"] if key in goal_ids],
        library_for(session, access.draft.organisation_id, content),
    )
    return RedirectResponse(
        f"/drafts/{access.draft.id}/requirements#requirement-{saved.id}", status_code=303
    )


@router.post("/{draft_id}/requirements/new", include_in_schema=False)
async def create_requirement(
    request: Request, draft_id: int, session: SessionDep, user: CurrentUser, content: ContentDep
) -> Response:
    access = load_draft(session, user, draft_id, edit=True)
    row = DraftRequirement(draft_id=draft_id, status=RequirementStatus.accepted)
    return await _save_form(request, session, user, content, access, row)


@router.post("/{draft_id}/requirements/{requirement_id}/edit", include_in_schema=False)
async def update_requirement(
    request: Request,
    draft_id: int,
    requirement_id: int,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
) -> Response:
    access = load_draft(session, user, draft_id, edit=True)
    row = _row(session, access, requirement_id)
    return await _save_form(request, session, user, content, access, row)


@router.post("/{draft_id}/requirements/{requirement_id}/update", include_in_schema=False)
def update_to_template(
    draft_id: int, requirement_id: int, session: SessionDep, user: CurrentUser, content: ContentDep
) -> Response:
    access = load_draft(session, user, draft_id, edit=True)
    row = _row(session, access, requirement_id)
    apply_template_update(
        session,
        access.draft,
        user,
        row,
        library_for(session, access.draft.organisation_id, content),
    )
    return RedirectResponse(
        f"/drafts/{draft_id}/requirements#requirement-{requirement_id}", status_code=303
    )


@router.post("/{draft_id}/requirements/add", include_in_schema=False)
async def add_template_to_draft(
    request: Request, draft_id: int, session: SessionDep, user: CurrentUser, content: ContentDep
) -> Response:
    access = load_draft(session, user, draft_id, edit=True)
    form = await request.form()
    template_id = str(form.get("template_id", ""))
    library = library_for(session, access.draft.organisation_id, content)
    if template_id not in library.by_id:
        raise HTTPException(status_code=404)
    row = add_from_template(session, access.draft, user, library, template_id)
    return RedirectResponse(
        f"/drafts/{draft_id}/requirements#requirement-{row.id}", status_code=303
    )


@router.post("/{draft_id}/check", include_in_schema=False)
async def check_wording(
    request: Request, draft_id: int, session: SessionDep, user: CurrentUser, content: ContentDep
) -> Response:
    """Live check of a text as it is typed (htmx): the findings, marked, with suggestions."""
    access = load_draft(session, user, draft_id)
    form = await request.form()
    field = str(form.get("field", "text"))
    text = str(form.get(field, ""))[:5000]
    document = build_document(session, access.draft, access.organisation, content)
    return render(
        request,
        "drafts/_check_result.html",
        {"text": text, "findings": check_text(text, document.language), "field": field},
    )
