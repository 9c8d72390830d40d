"""The Krav step: suggested requirements, their reasons and traces; accept, reject and edit."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from starlette.datastructures import FormData

from app.data import limits
from app.data.numbers import parse_number
from app.deps import FormDep, ReadableDraft, SessionDep, run_read
from app.drafts.conflicts import FieldConflict, base_name, fingerprint, merge_fields, resolve_name
from app.drafts.requirements import (
    REQUIREMENT_TEXT_FIELDS,
    SECTION_OF_TYPE,
    confirm_requirement,
    decide_section,
    save_requirement,
    section_of,
    set_requirement_status,
    template_texts,
    word_diff,
)
from app.drafts.store import draft_language, requirement_of, requirements_of
from app.drafts.suggestions import add_from_template, apply_template_update, sync_suggestions
from app.i18n import get_locale, gettext_
from app.library.schema import KINDS, LEVELS, TYPES
from app.models import DraftRequirement, Obligation, RequirementStatus
from app.pages import DraftPage, EditableDraftPage, ReadableDraftPage, render
from app.quality.report import checked_text
from app.routes.pages_common import area_names
from app.urls import step_url
from app.wizard.requirements_view import requirements_view

router = APIRouter(prefix="/drafts", tags=["requirements"])


def _following_step(page: DraftPage) -> str:
    """The step after Krav in the wizard's order."""
    steps = page.content.wizard.steps
    index = next((i for i, step in enumerate(steps) if step.kind == "requirements"), None)
    if index is None or index + 1 >= len(steps):
        return f"/drafts/{page.draft.id}/export"
    return step_url(page.draft.id, steps[index + 1])


@router.get("/{draft_id}/requirements", include_in_schema=False)
async def requirements_page(
    request: Request, page: ReadableDraftPage, status: str = "", need: str = ""
) -> Response:
    return await run_read(request, partial(_requirements_page, request, page, status, need))


def _requirements_page(request: Request, page: DraftPage, status: str, need: str) -> Response:
    document, content = page.document, page.content
    return render(
        request,
        "drafts/requirements.html",
        page.context(
            step=next((s for s in content.wizard.steps if s.kind == "requirements"), None),
            needs_by_key={need.key: need for need in document.needs},
            goals_by_key={goal.key: goal for goal in document.effect_goals},
            # Read, never changed, by the template: kept while the draft is unchanged.
            view=page.kept(
                "requirements_view",
                lambda: requirements_view(
                    document,
                    content,
                    page.library,
                    get_locale(),
                    area_names(content),
                    status=status,
                    need=need,
                ),
                get_locale(),
                status,
                need,
            ),
            report=page.report,
            quality={item.requirement.id: item for item in page.report.requirements},
            readiness=page.readiness,
            updates=_update_diffs(page),
            next_url=_following_step(page),
        ),
    )


def _section(number: int) -> str:
    for requirement_type, section in SECTION_OF_TYPE.items():
        if section == number:
            return requirement_type
    raise HTTPException(status_code=404)


def _decision(status: str) -> RequirementStatus:
    if status not in ("accepted", "rejected"):
        raise HTTPException(status_code=404)
    return RequirementStatus(status)


@router.get("/{draft_id}/requirements/sections/{number}/{status}", include_in_schema=False)
def section_decision_page(
    request: Request, number: int, status: str, page: EditableDraftPage
) -> Response:
    """What accepting or rejecting a whole section would decide, to be confirmed."""
    requirement_type, decision = _section(number), _decision(status)
    chosen = [
        item
        for item in page.document.requirements
        if item.status == "suggested" and section_of(item.type) == number
    ]
    return render(
        request,
        "drafts/section_decision.html",
        page.context(
            number=number,
            requirement_type=requirement_type,
            decision=decision.value,
            chosen=chosen,
        ),
    )


@router.post("/{draft_id}/requirements/sections/{number}/{status}", include_in_schema=False)
def decide_whole_section(number: int, status: str, page: EditableDraftPage) -> Response:
    _section(number)
    decide_section(
        page.session,
        page.draft,
        page.user,
        requirements_of(page.session, page.draft),
        number,
        _decision(status),
    )
    return RedirectResponse(
        f"/drafts/{page.draft.id}/requirements#section-{number}", status_code=303
    )


@router.post("/{draft_id}/requirements/{requirement_id}/confirm", include_in_schema=False)
def confirm_copied_requirement(requirement_id: int, page: EditableDraftPage) -> Response:
    """The officer has re-examined a requirement from an earlier procurement."""
    confirm_requirement(page.session, page.draft, page.user, _requirement(page, requirement_id))
    return RedirectResponse(
        f"/drafts/{page.draft.id}/requirements#requirement-{requirement_id}", status_code=303
    )


def _update_diffs(page: DraftPage) -> dict[int, list[Any]]:
    """For requirements whose template has a newer version: the text now against the new one."""
    diffs = {}
    for requirement in page.document.requirements:
        if not requirement.update_available or requirement.id is None:
            continue
        row = requirement_of(page.session, page.draft, requirement.id)
        newer = template_texts(page.library, row, page.document.language) if row else None
        if row is not None and newer:
            diffs[requirement.id] = word_diff(row.text, newer["text"])
    return diffs


@router.post("/{draft_id}/requirements/refresh", include_in_schema=False)
def refresh_suggestions(page: EditableDraftPage) -> Response:
    sync_suggestions(page.session, page.draft, page.library, page.user)
    return RedirectResponse(f"/drafts/{page.draft.id}/requirements", status_code=303)


def _requirement(page: DraftPage, requirement_id: int) -> DraftRequirement:
    row = requirement_of(page.session, page.draft, requirement_id)
    if row is None:
        raise HTTPException(status_code=404)
    return row


@router.post("/{draft_id}/requirements/{requirement_id}/status", include_in_schema=False)
def requirement_status(
    requirement_id: int,
    page: EditableDraftPage,
    status: Annotated[str, Form()] = "",
) -> Response:
    try:
        chosen = RequirementStatus(status)
    except ValueError as error:
        raise HTTPException(status_code=400) from error
    row = _requirement(page, requirement_id)
    set_requirement_status(page.session, page.draft, page.user, row, chosen)
    return RedirectResponse(
        f"/drafts/{page.draft.id}/requirements#requirement-{requirement_id}", status_code=303
    )


# The longest each text of a requirement may be.
TEXT_LIMITS = {
    "title": limits.TITLE,
    "text": limits.TEXT,
    "motive": limits.TEXT,
    "verification": limits.TEXT,
    "brand_justification": limits.TEXT,
}


class RequirementForm(BaseModel):
    """The requirement form as posted; checked by `errors`, so what was typed is kept."""

    title: str = ""
    text: str = ""
    motive: str = ""
    verification: str = ""
    obligation: str = ""
    weight: str = ""
    kind: str = ""
    type: str = ""
    level: str = ""
    brand_justification: str = ""
    needs: list[str] = []
    effect_goals: list[str] = []

    def cleaned(self) -> RequirementForm:
        return self.model_copy(
            update={
                name: getattr(self, name).strip()
                for name, annotation in type(self).model_fields.items()
                if annotation.annotation is str
            }
        )

    def errors(self, *, own: bool) -> dict[str, str]:
        """What is wrong, by field, in the user's language; `own` for an officer's own
        requirement, whose kind, type and level are chosen in the form."""
        errors: dict[str, str] = {}
        if not self.title:
            errors["title"] = gettext_("Give the requirement a short title.")
        if not self.text:
            errors["text"] = gettext_("Write what the solution must achieve.")
        for name, limit in TEXT_LIMITS.items():
            if len(getattr(self, name)) > limit:
                errors.setdefault(
                    name, gettext_("This can be at most %(limit)s characters.", limit=limit)
                )
        if self.obligation not in ("ska", "bor"):
            errors["obligation"] = gettext_("Choose mandatory (ska) or award criterion (bör).")
        if self.weight and self.weight_value() is None:
            errors["weight"] = gettext_("The weight is a number from 0 to 100.")
        if own:
            for name, allowed in (("kind", KINDS), ("type", TYPES), ("level", LEVELS)):
                if getattr(self, name) not in allowed:
                    errors[name] = gettext_("Choose one of the options.")
        return errors

    def weight_value(self) -> float | None:
        number = parse_number(self.weight) if self.weight else None
        if number is None or not number.is_finite() or number < 0 or number > 100:
            return None
        return float(number)


def _form_values(row: DraftRequirement, page: DraftPage) -> dict[str, Any]:
    current = next((item for item in page.document.requirements if item.id == row.id), None)
    return {
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
        # Saving the form confirms the links, so the proposed ones are shown ticked.
        "needs": [*current.needs, *current.proposed_needs] if current else [],
        "effect_goals": [*current.effect_goals, *current.proposed_goals] if current else [],
    }


def _form_page(
    request: Request,
    page: DraftPage,
    row: DraftRequirement,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    conflicts: dict[str, FieldConflict] | None = None,
    status_code: int = 200,
) -> Response:
    document = page.document
    stored = _form_values(row, page) if row.id is not None else {}
    original = template_texts(page.library, row, document.language) if row.template_id else None
    values = values or _form_values(row, page)
    return render(
        request,
        "drafts/requirement_form.html",
        page.context(
            row=row,
            values=values,
            errors=errors or {},
            diffs={
                name: word_diff(original[name], str(values.get(name, "")))
                for name in REQUIREMENT_TEXT_FIELDS
            }
            if original
            else {},
            kinds=KINDS,
            types=TYPES,
            levels=LEVELS,
            bases={name: fingerprint(value) for name, value in stored.items()},
            conflicts=conflicts or {},
            people={},
        ),
        status_code=status_code,
    )


@router.get("/{draft_id}/requirements/new", include_in_schema=False)
def new_requirement_page(request: Request, page: EditableDraftPage) -> Response:
    row = DraftRequirement(draft_id=page.draft.id or 0, status=RequirementStatus.accepted)
    return _form_page(request, page, row)


@router.get("/{draft_id}/requirements/{requirement_id}/edit", include_in_schema=False)
def edit_requirement_page(
    request: Request, requirement_id: int, page: EditableDraftPage
) -> Response:
    return _form_page(request, page, _requirement(page, requirement_id))


def _field_labels() -> dict[str, str]:
    return {
        "title": gettext_("Title"),
        "text": gettext_("Requirement"),
        "motive": gettext_("Motive"),
        "verification": gettext_("Verification"),
        "obligation": gettext_("Mandatory or award criterion"),
        "weight": gettext_("Weight"),
        "kind": gettext_("Kind"),
        "type": gettext_("Type"),
        "level": gettext_("Level"),
        "brand_justification": gettext_("Why a brand is named"),
        "needs": gettext_("Serves need"),
        "effect_goals": gettext_("Effect goals:"),
    }


def _save_form(
    request: Request,
    page: DraftPage,
    row: DraftRequirement,
    form: RequirementForm,
    posted: FormData,
) -> Response:
    """Saves what the user changed. Where someone else saved the same field since the form
    was shown, both versions are shown (409) and the user chooses; nothing is overwritten."""
    form = form.cleaned()
    if row.id is not None:
        current = _form_values(row, page)
        submitted = form.model_dump()
        merged, conflicts = merge_fields(
            submitted,
            current,
            {name: _posted(posted, base_name(name)) for name in submitted},
            _field_labels(),
            {name for name in submitted if _posted(posted, resolve_name(name)) == "theirs"},
        )
        if conflicts:
            return _form_page(
                request, page, row, values=submitted, conflicts=conflicts, status_code=409
            )
        form = RequirementForm.model_validate(merged).cleaned()
    errors = form.errors(own=row.template_id is None)
    if errors:
        return _form_page(
            request, page, row, values=form.model_dump(), errors=errors, status_code=400
        )
    document = page.document
    need_ids = {need.key: need.id for need in document.needs}
    goal_ids = {goal.key: goal.id for goal in document.effect_goals}
    fields: dict[str, Any] = {
        "title": form.title,
        "text": form.text,
        "motive": form.motive,
        "verification": form.verification,
        "obligation": Obligation(form.obligation),
        "weight": form.weight_value() if form.obligation == "bor" else None,
        "brand_justification": form.brand_justification,
    }
    if row.template_id is None:
        fields |= {"kind": form.kind, "requirement_type": form.type, "level": form.level}
    saved = save_requirement(
        page.session,
        page.draft,
        page.user,
        row,
        fields,
        [need_ids[key] or 0 for key in form.needs if key in need_ids],
        [goal_ids[key] or 0 for key in form.effect_goals if key in goal_ids],
        page.library,
        document.language,
    )
    return RedirectResponse(
        f"/drafts/{page.draft.id}/requirements#requirement-{saved.id}", status_code=303
    )


@router.post("/{draft_id}/requirements/new", include_in_schema=False)
def create_requirement(
    request: Request,
    page: EditableDraftPage,
    form: Annotated[RequirementForm, Form()],
    posted: FormDep,
) -> Response:
    row = DraftRequirement(draft_id=page.draft.id or 0, status=RequirementStatus.accepted)
    return _save_form(request, page, row, form, posted)


@router.post("/{draft_id}/requirements/{requirement_id}/edit", include_in_schema=False)
def update_requirement(
    request: Request,
    requirement_id: int,
    page: EditableDraftPage,
    form: Annotated[RequirementForm, Form()],
    posted: FormDep,
) -> Response:
    return _save_form(request, page, _requirement(page, requirement_id), form, posted)


def _posted(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) and value else None


@router.post("/{draft_id}/requirements/{requirement_id}/update", include_in_schema=False)
def update_to_template(requirement_id: int, page: EditableDraftPage) -> Response:
    apply_template_update(
        page.session, page.draft, page.user, _requirement(page, requirement_id), page.library
    )
    return RedirectResponse(
        f"/drafts/{page.draft.id}/requirements#requirement-{requirement_id}", status_code=303
    )


@router.post("/{draft_id}/requirements/add", include_in_schema=False)
def add_template_to_draft(
    page: EditableDraftPage, template_id: Annotated[str, Form()] = ""
) -> Response:
    if template_id not in page.library.by_id:
        raise HTTPException(status_code=404)
    row = add_from_template(page.session, page.draft, page.user, page.library, template_id)
    return RedirectResponse(
        f"/drafts/{page.draft.id}/requirements#requirement-{row.id}", status_code=303
    )


@router.post("/{draft_id}/check", include_in_schema=False)
def check_wording(
    request: Request, form: FormDep, access: ReadableDraft, session: SessionDep
) -> Response:
    """Live check of a text as it is typed (htmx): the findings, marked, with suggestions.
    The text's field is named in the form, so the form is read as it comes."""
    field = str(form.get("field", "text"))
    text = str(form.get(field, ""))[:5000]
    language = draft_language(session, access.draft)
    return render(
        request,
        "drafts/_check_result.html",
        {"text": text, "findings": checked_text(text, language), "field": field},
    )
