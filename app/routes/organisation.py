"""Organisation templates: owners add their own requirement templates (form or YAML import)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from app.deps import ContentDep, CurrentUser, SessionDep, memberships_of
from app.i18n import gettext_
from app.library.organisation import (
    OrganisationTemplateError,
    check_template,
    delete_template,
    import_templates,
    save_template,
    templates_of,
)
from app.library.schema import Template
from app.models import Membership, Organisation, Role
from app.pages import render
from app.routes.requirements import KINDS, LEVELS, TYPES

router = APIRouter(prefix="/organisations", tags=["organisation templates"])

TEXT_FIELDS = ("title", "text", "motive", "verification")
MAX_IMPORT_BYTES = 1024 * 1024


def _membership(
    session: SessionDep, user: CurrentUser, organisation_id: int, *, owner: bool = False
) -> tuple[Membership, Organisation]:
    for membership, organisation in memberships_of(session, user):
        if organisation.id == organisation_id:
            if owner and membership.role != Role.owner:
                raise HTTPException(
                    status_code=403,
                    detail=gettext_("Only an owner of the organisation can change its templates."),
                )
            return membership, organisation
    raise HTTPException(status_code=404)


def _page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
    organisation_id: int,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    import_errors: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    membership, organisation = _membership(session, user, organisation_id)
    rows = templates_of(session, organisation_id)
    return render(
        request,
        "library/organisation_templates.html",
        {
            "organisation": organisation,
            "is_owner": membership.role == Role.owner,
            "rows": rows,
            "areas": content.library.areas,
            "values": values
            or {
                "obligation": "ska",
                "kind": "function",
                "type": "teknisk_specifikation",
                "level": "bas",
            },
            "errors": errors or {},
            "import_errors": import_errors or [],
            "kinds": KINDS,
            "types": TYPES,
            "levels": LEVELS,
        },
        status_code=status_code,
    )


@router.get("/{organisation_id}/templates", include_in_schema=False)
def templates_page(
    request: Request,
    organisation_id: int,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
) -> Response:
    return _page(request, session, user, content, organisation_id)


def _template_from_form(values: dict[str, Any]) -> Template:
    keywords = [word.strip() for word in str(values.get("need_keywords", "")).split(",")]
    words = [word for word in keywords if word]
    trigger: dict[str, Any] = {"equals": {"question": "area", "value": values.get("area")}}
    if words:
        trigger = {"all": [trigger, {"need_mentions": words}]}
    return Template.model_validate(
        {
            "id": values.get("id", "").strip().upper(),
            "version": 1,
            "kind": values.get("kind"),
            "type": values.get("type"),
            "level": values.get("level"),
            "obligation": values.get("obligation"),
            **{
                name: {"sv": values.get(f"{name}_sv", ""), "en": values.get(f"{name}_en", "")}
                for name in TEXT_FIELDS
            },
            "triggers": trigger,
            "need_keywords": words,
        }
    )


@router.post("/{organisation_id}/templates", include_in_schema=False)
async def add_template(
    request: Request,
    organisation_id: int,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
) -> Response:
    _membership(session, user, organisation_id, owner=True)
    form = await request.form()
    values = {key: str(value).strip() for key, value in form.items() if isinstance(value, str)}
    errors: dict[str, str] = {}
    try:
        template = _template_from_form(values)
    except ValidationError as error:
        for item in error.errors():
            loc = [str(part) for part in item["loc"] if not str(part).startswith("condition:")]
            field = (
                "_".join(loc[:2]) if loc and loc[0] in TEXT_FIELDS else (loc[0] if loc else "id")
            )
            errors.setdefault(field if field in values else "id", _field_message(field))
        return _page(
            request,
            session,
            user,
            content,
            organisation_id,
            values=values,
            errors=errors,
            status_code=400,
        )
    problems = check_template(template, values.get("area", ""), content)
    if problems:
        return _page(
            request,
            session,
            user,
            content,
            organisation_id,
            values=values,
            errors={"id": "; ".join(problems)},
            status_code=400,
        )
    save_template(session, organisation_id, user, template, values["area"])
    return RedirectResponse(f"/organisations/{organisation_id}/templates", status_code=303)


def _field_message(field: str) -> str:
    if field == "id":
        return gettext_(
            "The id is a prefix of 2–6 capital letters, a hyphen and three digits, like EGEN-001."
        )
    return gettext_("Fill in this field.")


@router.post("/{organisation_id}/templates/import", include_in_schema=False)
async def import_organisation_templates(
    request: Request,
    organisation_id: int,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
) -> Response:
    _membership(session, user, organisation_id, owner=True)
    form = await request.form()
    upload = form.get("templates_file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _page(
            request,
            session,
            user,
            content,
            organisation_id,
            status_code=400,
            import_errors=[gettext_("Choose a YAML file to import.")],
        )
    data = await upload.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        return _page(
            request,
            session,
            user,
            content,
            organisation_id,
            status_code=400,
            import_errors=[gettext_("The file is larger than 1 MB.")],
        )
    try:
        import_templates(
            session,
            organisation_id,
            user,
            data.decode("utf-8", "replace"),
            upload.filename,
            content,
        )
    except OrganisationTemplateError as error:
        return _page(
            request,
            session,
            user,
            content,
            organisation_id,
            status_code=400,
            import_errors=error.messages,
        )
    return RedirectResponse(f"/organisations/{organisation_id}/templates", status_code=303)


@router.post("/{organisation_id}/templates/{template_id}/delete", include_in_schema=False)
def remove_template(
    organisation_id: int, template_id: str, session: SessionDep, user: CurrentUser
) -> Response:
    _membership(session, user, organisation_id, owner=True)
    if not delete_template(session, organisation_id, template_id):
        raise HTTPException(status_code=404)
    return RedirectResponse(f"/organisations/{organisation_id}/templates", status_code=303)
