"""Repeatable groups of a draft: needs and effect goals (own tables) and list answers.

Every group is handled through the same row interface, so pages, autosave, the plain form post
and imports treat them alike whatever store keeps them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from app.drafts import (
    add_need,
    answers_of,
    audit,
    goals_of,
    needs_of,
    next_key,
    now,
    remove_need,
    save_answer,
    touch,
    update_need,
)
from app.models import Draft, EffectGoal, Need, User
from app.wizard.schema import Question

NEED_FIELDS = ("who", "what", "why")
GOAL_FIELDS = {
    "goal": "goal",
    "indicator": "indicator",
    "baseline": "baseline",
    "target": "target",
    "needs": "need_keys",
}
ROW_ID = "_id"


@dataclass
class GroupRow:
    """One row of a repeatable group, whatever store keeps it."""

    id: str
    key: str
    values: dict[str, Any] = field(default_factory=dict)
    needs_review: bool = False


def _need_row(need: Need) -> GroupRow:
    return GroupRow(
        id=str(need.id),
        key=need.key,
        values={name: getattr(need, name) for name in NEED_FIELDS},
        needs_review=need.needs_review,
    )


def _goal_row(goal: EffectGoal) -> GroupRow:
    return GroupRow(
        id=str(goal.id),
        key=goal.key,
        values={name: getattr(goal, attribute) for name, attribute in GOAL_FIELDS.items()},
        needs_review=goal.needs_review,
    )


def _list_rows(group: Question, answers: dict[str, Any]) -> list[GroupRow]:
    stored = answers.get(group.id)
    items = stored if isinstance(stored, list) else []
    return [
        GroupRow(
            id=str(item.get(ROW_ID, index)),
            key=str(index),
            values={key: value for key, value in item.items() if key != ROW_ID},
        )
        for index, item in enumerate(items, start=1)
        if isinstance(item, dict)
    ]


def rows_of(
    session: Session, draft: Draft, group: Question, answers: dict[str, Any] | None = None
) -> list[GroupRow]:
    if group.store == "needs":
        return [_need_row(need) for need in needs_of(session, draft)]
    if group.store == "effect_goals":
        return [_goal_row(goal) for goal in goals_of(session, draft)]
    return _list_rows(group, answers if answers is not None else answers_of(session, draft))


def add_row(session: Session, draft: Draft, user: User | None, group: Question) -> GroupRow:
    if group.store == "needs":
        return _need_row(add_need(session, draft, user))
    if group.store == "effect_goals":
        goals = goals_of(session, draft)
        goal = EffectGoal(
            draft_id=draft.id or 0,
            position=len(goals),
            key=next_key("E", [item.key for item in goals]),
        )
        session.add(goal)
        touch(draft)
        session.add(draft)
        session.flush()
        audit(session, draft, user, "effect_goal.added", goal=goal.key)
        session.commit()
        session.refresh(goal)
        return _goal_row(goal)
    items = _list_items(session, draft, group)
    item = {ROW_ID: secrets.token_hex(4)}
    save_answer(session, draft, user, group.id, [*items, item])
    return GroupRow(id=item[ROW_ID], key=str(len(items) + 1))


def _list_items(session: Session, draft: Draft, group: Question) -> list[dict[str, Any]]:
    stored = answers_of(session, draft).get(group.id)
    return (
        [dict(item) for item in stored if isinstance(item, dict)]
        if isinstance(stored, list)
        else []
    )


class RowNotFound(LookupError):
    """No row with that id in the group (or it belongs to another draft)."""


def update_row(
    session: Session,
    draft: Draft,
    user: User | None,
    group: Question,
    row_id: str,
    values: dict[str, Any],
) -> GroupRow:
    """Store changed field values of one row; fields not in `values` stay as they are."""
    if group.store == "needs":
        need = _find(needs_of(session, draft), row_id)
        changed = {name: str(value or "") for name, value in values.items() if name in NEED_FIELDS}
        if changed:
            need = update_need(session, draft, user, need, **changed)
        return _need_row(need)
    if group.store == "effect_goals":
        goal = _find(goals_of(session, draft), row_id)
        for name, value in values.items():
            if name in GOAL_FIELDS:
                default: Any = [] if name == "needs" else ""
                setattr(goal, GOAL_FIELDS[name], value if value is not None else default)
        goal.updated_at = now()
        session.add(goal)
        touch(draft)
        session.add(draft)
        audit(session, draft, user, "effect_goal.updated", goal=goal.key, fields=sorted(values))
        session.commit()
        session.refresh(goal)
        return _goal_row(goal)
    items = _list_items(session, draft, group)
    for index, item in enumerate(items):
        if str(item.get(ROW_ID)) == row_id:
            item.update({name: value for name, value in values.items() if name != ROW_ID})
            save_answer(session, draft, user, group.id, items)
            return _list_rows(group, {group.id: items})[index]
    raise RowNotFound(row_id)


def remove_row(
    session: Session, draft: Draft, user: User | None, group: Question, row_id: str
) -> None:
    if group.store == "needs":
        remove_need(session, draft, user, _find(needs_of(session, draft), row_id))
        return
    if group.store == "effect_goals":
        goal = _find(goals_of(session, draft), row_id)
        audit(session, draft, user, "effect_goal.removed", goal=goal.key)
        session.delete(goal)
        touch(draft)
        session.add(draft)
        session.commit()
        return
    items = _list_items(session, draft, group)
    kept = [item for item in items if str(item.get(ROW_ID)) != row_id]
    if len(kept) == len(items):
        raise RowNotFound(row_id)
    save_answer(session, draft, user, group.id, kept)


def confirm_row(
    session: Session, draft: Draft, user: User | None, group: Question, row_id: str
) -> None:
    """The officer has re-examined a need or goal that came from an earlier procurement."""
    if group.store == "needs":
        record: Need | EffectGoal = _find(needs_of(session, draft), row_id)
    elif group.store == "effect_goals":
        record = _find(goals_of(session, draft), row_id)
    else:
        raise RowNotFound(row_id)
    record.needs_review = False
    session.add(record)
    touch(draft)
    session.add(draft)
    audit(session, draft, user, "row.confirmed", group=group.id, key=record.key)
    session.commit()


def _find(records: list[Any], row_id: str) -> Any:
    for record in records:
        if str(record.id) == row_id:
            return record
    raise RowNotFound(row_id)
