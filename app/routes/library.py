"""The library browser: search and filter the templates, read one, add it to a draft."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from app.accounts import memberships_of, visible_drafts
from app.deps import ContentDep, CurrentUser, SessionDep, require_draft
from app.drafts.suggestions import add_from_template
from app.library.engine import fill_text
from app.library.loader import Library
from app.library.organisation import library_for
from app.library.schema import KINDS, LEVELS, TYPES
from app.library.search import LibraryFilters, search
from app.pages import render
from app.wizard.describe import describe_condition

router = APIRouter(prefix="/library", tags=["library"])

PAGE_SIZE = 50


def user_library(session: SessionDep, user: CurrentUser, content: ContentDep) -> Library:
    """The curated library plus the templates of every organisation the user belongs to."""
    library = content.library
    for _membership, organisation in memberships_of(session, user):
        own = library_for(session, organisation.id or 0, content)
        if own is not library:
            extra = [t for t in own.templates if own.is_own(t.id)]
            library = replace(
                library,
                templates=[*library.templates, *extra],
                by_id={**library.by_id, **{t.id: t for t in extra}},
                area_by_template={**library.area_by_template, **own.area_by_template},
                own_ids=library.own_ids | own.own_ids,
            )
    return library


@router.get("", include_in_schema=False)
def library_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
    q: str = "",
    area: str = "",
    type: str = "",
    level: str = "",
    kind: str = "",
    draft: int | None = None,
    page: int = 1,
) -> Response:
    library = user_library(session, user, content)
    filters = LibraryFilters(q.strip()[:200], area, type, level, kind)
    found = search(library, filters)
    page = max(page, 1)
    return render(
        request,
        "library/index.html",
        {
            "library": library,
            "filters": filters,
            "results": found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
            "total": len(found),
            "page": page,
            "pages": max((len(found) + PAGE_SIZE - 1) // PAGE_SIZE, 1),
            "draft_id": draft,
            "kinds": KINDS,
            "types": TYPES,
            "levels": LEVELS,
        },
        block="results",
    )


@router.get("/{template_id}", include_in_schema=False)
def template_page(
    request: Request,
    template_id: str,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
    draft: int | None = None,
) -> Response:
    library = user_library(session, user, content)
    template = library.by_id.get(template_id)
    if template is None:
        raise HTTPException(status_code=404)
    locale = request.state.locale
    defaults = {parameter.name: parameter.default for parameter in template.parameters}
    return render(
        request,
        "library/template.html",
        {
            "library": library,
            "template": template,
            "filled": fill_text(template, defaults, locale),
            "area": library.area(library.area_of(template.id)),
            "trigger_text": describe_condition(
                template.triggers,
                content.wizard.questions,
                {area.id: area.name.get(locale) for area in library.areas},
                locale,
            ),
            "drafts": visible_drafts(session, user, editable=True),
            "draft_id": draft,
        },
    )


@router.post("/{template_id}/add", include_in_schema=False)
def add_to_draft(
    template_id: str,
    session: SessionDep,
    user: CurrentUser,
    content: ContentDep,
    draft_choice: Annotated[str, Form()] = "",
) -> Response:
    if not draft_choice.isdigit():
        raise HTTPException(status_code=400)
    access = require_draft(session, user, int(draft_choice), edit=True)
    library = library_for(session, access.draft.organisation_id, content, access.templates_revision)
    if template_id not in library.by_id:
        raise HTTPException(status_code=404)
    row = add_from_template(session, access.draft, user, library, template_id)
    return RedirectResponse(
        f"/drafts/{access.draft.id}/requirements#requirement-{row.id}", status_code=303
    )
