"""Helpers shared by the draft pages: the procurement areas as forms and pages show them, and
the names of the people on the other side of a conflict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, select

from app.content import Content
from app.i18n import get_locale
from app.models import User


def area_ids(content: Content) -> list[str]:
    return [area.id for area in content.library.procurement_areas]


def area_names(content: Content) -> dict[str, str]:
    locale = get_locale()
    return {area.id: area.name.get(locale) for area in content.library.areas}


def people_named(session: Session, conflicts: Mapping[str, Any] | None) -> dict[int, str]:
    """The names of the people who made the other side of some conflicts."""
    ids = {item.changed_by_id for item in (conflicts or {}).values() if item.changed_by_id}
    if not ids:
        return {}
    users = session.exec(select(User).where(col(User.id).in_(sorted(ids)))).all()
    return {user.id or 0: user.name or user.email for user in users}
