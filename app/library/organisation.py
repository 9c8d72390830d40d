"""Organisation templates: an organisation's own requirement templates beside the curated ones.

They use the library's schema, are stored per organisation and are seen by that organisation
only. A draft's suggestions come from the curated library plus its organisation's templates."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, func, select

from app.content import Content
from app.data.conditions import questions_referenced
from app.data.files import DataFileError, parse_yaml_text, validate_data
from app.library.loader import Library
from app.library.schema import LibraryFile, Template
from app.models import OrganisationTemplate, User, utcnow


class OrganisationTemplateError(ValueError):
    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("; ".join(messages))


def templates_of(session: Session, organisation_id: int) -> list[OrganisationTemplate]:
    return list(
        session.exec(
            select(OrganisationTemplate)
            .where(OrganisationTemplate.organisation_id == organisation_id)
            .order_by(col(OrganisationTemplate.template_id))
        ).all()
    )


def templates_revision(organisation_id: Any) -> tuple[Any, Any]:
    """How many templates of its own an organisation has and when one last changed: what
    tells whether its merged library is still the one kept. Two scalar subqueries, so that
    the draft access query can carry them (see app.accounts.draft_access)."""
    mine = OrganisationTemplate.organisation_id == organisation_id
    return (
        select(func.count(col(OrganisationTemplate.id))).where(mine).scalar_subquery(),
        select(func.max(OrganisationTemplate.updated_at)).where(mine).scalar_subquery(),
    )


def library_for(
    session: Session,
    organisation_id: int,
    content: Content,
    revision: tuple[int, Any] | None = None,
) -> Library:
    """The curated library with the organisation's own templates added.

    The merged library is kept while the organisation's templates are unchanged, so they are
    read and validated, and the library's indexes built, only when one changes. `revision`,
    when the caller has read it, saves a query."""
    if revision is None:
        count, newest = session.exec(select(*templates_revision(organisation_id))).one()
        revision = (count, newest)
    if not revision[0]:
        return content.library
    cached = content.organisation_libraries.get(organisation_id)
    if cached is not None and cached[0] == revision:
        return cached[1]
    library = _merged(content, templates_of(session, organisation_id), (organisation_id, revision))
    content.organisation_libraries[organisation_id] = (revision, library)
    return library


def _merged(content: Content, rows: list[OrganisationTemplate], revision: Any) -> Library:
    templates = list(content.library.templates)
    areas = dict(content.library.area_by_template)
    own: set[str] = set()
    for row in rows:
        try:
            template = Template.model_validate(row.data)
        except ValidationError:
            continue  # stored before a schema change; shown as invalid on the templates page
        templates.append(template)
        areas[template.id] = row.area
        own.add(template.id)
    return replace(
        content.library,
        templates=templates,
        by_id={template.id: template for template in templates},
        area_by_template=areas,
        own_ids=frozenset(own),
        revision=revision,
    )


def check_template(template: Template, area: str, content: Content) -> list[str]:
    """What stops a template from being used: unknown area, clashing id, unknown questions."""
    errors = []
    if content.library.area(area) is None:
        errors.append(f"{template.id}: unknown area '{area}'")
    if template.id in content.library.by_id:
        errors.append(f"{template.id}: the id is used by a curated template")
    unknown = questions_referenced(template.triggers) - set(content.wizard.questions)
    if unknown:
        errors.append(f"{template.id}: triggers use unknown questions {sorted(unknown)}")
    for parameter in template.parameters:
        if parameter.question and parameter.question not in content.wizard.questions:
            errors.append(f"{template.id}: parameter {parameter.name} uses an unknown question")
    return errors


def import_templates(
    session: Session,
    organisation_id: int,
    user: User | None,
    text: str,
    name: str,
    content: Content,
) -> list[OrganisationTemplate]:
    """Add or replace templates from a YAML file in the library file format."""
    try:
        data, node = parse_yaml_text(text, name)
        library_file = validate_data(LibraryFile, data, node, name)
    except DataFileError as error:
        raise OrganisationTemplateError([str(error)]) from error
    errors: list[str] = []
    for template in library_file.templates:
        errors.extend(check_template(template, library_file.area, content))
    if errors:
        raise OrganisationTemplateError(errors)
    return [
        save_template(session, organisation_id, user, template, library_file.area)
        for template in library_file.templates
    ]


def save_template(
    session: Session, organisation_id: int, user: User | None, template: Template, area: str
) -> OrganisationTemplate:
    row = session.exec(
        select(OrganisationTemplate).where(
            OrganisationTemplate.organisation_id == organisation_id,
            OrganisationTemplate.template_id == template.id,
        )
    ).first()
    data: dict[str, Any] = template.model_dump(mode="json", by_alias=True, exclude_none=True)
    if row is None:
        row = OrganisationTemplate(
            organisation_id=organisation_id,
            template_id=template.id,
            area=area,
            created_by_id=user.id if user else None,
        )
    else:
        # A changed template is a new version, so drafts that use it are told.
        previous = row.data.get("version", 1)
        if row.data != data:
            data["version"] = max(int(previous) + 1, template.version)
    row.area = area
    row.data = data
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return row


def delete_template(session: Session, organisation_id: int, template_id: str) -> bool:
    row = session.exec(
        select(OrganisationTemplate).where(
            OrganisationTemplate.organisation_id == organisation_id,
            OrganisationTemplate.template_id == template_id,
        )
    ).first()
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True
