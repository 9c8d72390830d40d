"""Organisation templates: owners add their own requirement templates (form or YAML import)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from app.content import Content, need_kinds
from app.data import limits
from app.deps import ContentDep, CurrentUser, MemberOrganisation, OwnedOrganisation, SessionDep
from app.i18n import gettext_
from app.library.organisation import (
    OrganisationTemplateError,
    check_template,
    delete_template,
    import_templates,
    save_template,
    templates_of,
)
from app.library.schema import KINDS, LEVELS, TYPES, Template
from app.models import Membership, Organisation, Role
from app.pages import render
from app.templating import format_datetime

router = APIRouter(prefix="/organisations", tags=["organisation templates"])

TEXT_FIELDS = ("title", "text", "motive", "verification")
MAX_IMPORT_BYTES = 1024 * 1024


class TemplateForm(BaseModel):
    """An organisation template as the form posts it, in both languages."""

    id: str = ""
    area: str = ""
    obligation: str = ""
    kind: str = ""
    type: str = ""
    level: str = ""
    need_keywords: str = ""
    # the kinds of need it serves (the needs step's kinds): the needs it is linked to
    serves: list[str] = []
    title_sv: str = ""
    title_en: str = ""
    text_sv: str = ""
    text_en: str = ""
    motive_sv: str = ""
    motive_en: str = ""
    verification_sv: str = ""
    verification_en: str = ""
    # the version of a template of the same id the user chose to replace, if any
    base_version: str = ""

    def values(self) -> dict[str, Any]:
        return {
            name: value.strip() if isinstance(value, str) else value
            for name, value in self.model_dump().items()
        }


def _page(
    request: Request,
    session: Session,
    content: Content,
    membership: tuple[Membership, Organisation],
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    import_errors: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    member, organisation = membership
    return render(
        request,
        "library/organisation_templates.html",
        {
            "organisation": organisation,
            "is_owner": member.role == Role.owner,
            "rows": templates_of(session, organisation.id or 0),
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
            "need_kinds": need_kind_options(content),
            "types": TYPES,
            "levels": LEVELS,
        },
        status_code=status_code,
    )


def need_kind_options(content: Content) -> list[tuple[str, Any]]:
    """The needs step's kinds with their labels, for the form's checkboxes."""
    needs = content.wizard.group("needs")
    field = next((item for item in needs.fields if item.id == "kinds"), None) if needs else None
    return [(option.value, option.label) for option in field.options] if field else []


@router.get("/{organisation_id}/templates", include_in_schema=False)
def templates_page(
    request: Request,
    membership: MemberOrganisation,
    session: SessionDep,
    content: ContentDep,
) -> Response:
    return _page(request, session, content, membership)


def _template_from_form(values: dict[str, Any], kinds_of_need: list[str]) -> Template:
    """A template suggested in every draft of its area: answers decide, not words. It is
    linked to the needs of the kinds it serves; without kinds, to needs that use its words."""
    keywords = [word.strip() for word in str(values.get("need_keywords", "")).split(",")]
    words = [word for word in keywords if word]
    serves = [kind for kind in values.get("serves") or [] if kind in kinds_of_need]
    trigger: dict[str, Any] = {"equals": {"question": "area", "value": values.get("area")}}
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
            "serves": serves,
            "need_keywords": words,
        }
    )


@router.post("/{organisation_id}/templates", include_in_schema=False)
def add_template(
    request: Request,
    organisation: OwnedOrganisation,
    membership: MemberOrganisation,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
    form: Annotated[TemplateForm, Form()],
) -> Response:
    values = form.values()
    errors: dict[str, str] = {}
    try:
        template = _template_from_form(values, need_kinds(content.wizard))
    except ValidationError as error:
        for item in error.errors():
            loc = [str(part) for part in item["loc"] if not str(part).startswith("condition:")]
            field = (
                "_".join(loc[:2]) if loc and loc[0] in TEXT_FIELDS else (loc[0] if loc else "id")
            )
            message = (
                gettext_("This can be at most %(limit)s characters.", limit=limits.TEXT)
                if item["type"] == "string_too_long"
                else _field_message(field)
            )
            errors.setdefault(field if field in values else "id", message)
        return _page(
            request, session, content, membership, values=values, errors=errors, status_code=400
        )
    problems = check_template(template, values["area"], content)
    if problems:
        return _page(
            request,
            session,
            content,
            membership,
            values=values,
            errors={"id": "; ".join(problems)},
            status_code=400,
        )
    existing = next(
        (
            row
            for row in templates_of(session, organisation.id or 0)
            if row.template_id == template.id
        ),
        None,
    )
    if existing is not None and values["base_version"] != str(existing.data.get("version", 1)):
        # Never replaced unseen: the user is told it exists and saves again to replace it.
        return _page(
            request,
            session,
            content,
            membership,
            values={**values, "base_version": str(existing.data.get("version", 1))},
            errors={
                "id": gettext_(
                    "Your organisation already has a template %(id)s (version %(version)s, "
                    "changed %(changed)s). Save again to replace it with this one.",
                    id=template.id,
                    version=existing.data.get("version", 1),
                    changed=format_datetime(existing.updated_at, "short"),
                )
            },
            status_code=409,
        )
    save_template(session, organisation.id or 0, user, template, values["area"])
    return RedirectResponse(f"/organisations/{organisation.id}/templates", status_code=303)


def _field_message(field: str) -> str:
    if field == "id":
        return gettext_(
            "The id is a prefix of 2–6 capital letters, a hyphen and three digits, like EGEN-001."
        )
    return gettext_("Fill in this field.")


@router.post("/{organisation_id}/templates/import", include_in_schema=False)
def import_organisation_templates(
    request: Request,
    organisation: OwnedOrganisation,
    membership: MemberOrganisation,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
    templates_file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    if templates_file is None or not templates_file.filename:
        return _page(
            request,
            session,
            content,
            membership,
            status_code=400,
            import_errors=[gettext_("Choose a YAML file to import.")],
        )
    data = templates_file.file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        return _page(
            request,
            session,
            content,
            membership,
            status_code=400,
            import_errors=[gettext_("The file is larger than 1 MB.")],
        )
    try:
        import_templates(
            session,
            organisation.id or 0,
            user,
            data.decode("utf-8", "replace"),
            templates_file.filename,
            content,
        )
    except OrganisationTemplateError as error:
        return _page(
            request,
            session,
            content,
            membership,
            status_code=400,
            import_errors=error.messages,
        )
    return RedirectResponse(f"/organisations/{organisation.id}/templates", status_code=303)


@router.post("/{organisation_id}/templates/{template_id}/delete", include_in_schema=False)
def remove_template(
    template_id: str, organisation: OwnedOrganisation, session: SessionDep
) -> Response:
    if not delete_template(session, organisation.id or 0, template_id):
        raise HTTPException(status_code=404)
    return RedirectResponse(f"/organisations/{organisation.id}/templates", status_code=303)
