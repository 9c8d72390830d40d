"""Repeatable groups of a draft: needs and effect goals (tables of their own) and list answers
(rows kept in one answer). Each store answers the same protocol, so pages, autosave, the plain
form post and imports treat every group alike, whatever keeps its rows."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlmodel import Session, col, select

from app.document import TenderDraft
from app.drafts.store import answers_of, logged, next_key, now, record_change, save_answer
from app.models import Draft, EffectGoal, Need, User
from app.wizard.schema import Question

# The id of a row of a list answer, stored inside the row.
ROW_ID = "_id"


@dataclass
class GroupRow:
    """One row of a repeatable group, whatever store keeps it."""

    id: str
    key: str
    values: dict[str, Any] = field(default_factory=dict)
    needs_review: bool = False


class RowNotFound(LookupError):
    """No row with that id in the group (or it belongs to another draft)."""


class RowStore(Protocol):
    """Where the rows of one group live."""

    def rows(self) -> list[GroupRow]: ...

    def add(self) -> GroupRow: ...

    def update(self, row_id: str, values: dict[str, Any]) -> GroupRow:
        """Store changed field values of one row; fields not in `values` stay as they are."""
        ...

    def remove(self, row_id: str) -> None: ...

    def confirm(self, row_id: str) -> None:
        """The officer has re-examined a row that came from an earlier procurement."""
        ...


class _TableStore:
    """Rows in a table of their own (needs, effect goals), with a key like B1 or E1."""

    record_type: type[Need] | type[EffectGoal]
    prefix: str
    # audit events are "<noun>.added" and so on, with the row's key as "<detail>"
    noun: str
    detail: str
    # group field id -> attribute of the record
    fields: dict[str, str]

    def __init__(
        self, session: Session, draft: Draft, user: User | None, group: Question | None = None
    ):
        self.session, self.draft, self.user = session, draft, user
        # the wizard's group, when the rows are worked on from its questions
        self.group_id = group.id if group is not None else self.noun

    def records(self) -> list[Any]:
        record_type: Any = self.record_type
        return list(
            self.session.exec(
                select(record_type)
                .where(record_type.draft_id == self.draft.id)
                .order_by(col(record_type.position), col(record_type.id))
            ).all()
        )

    def _row(self, record: Any) -> GroupRow:
        return GroupRow(
            id=str(record.id),
            key=record.key,
            values={name: getattr(record, attribute) for name, attribute in self.fields.items()},
            needs_review=record.needs_review,
        )

    def _find(self, row_id: str) -> Any:
        for record in self.records():
            if str(record.id) == row_id:
                return record
        raise RowNotFound(row_id)

    def rows(self) -> list[GroupRow]:
        return [self._row(record) for record in self.records()]

    def add(self, **values: Any) -> GroupRow:
        existing = self.records()
        record = self.record_type(
            draft_id=self.draft.id or 0,
            position=len(existing),
            key=next_key(self.prefix, [item.key for item in existing]),
            **{self.fields[name]: value for name, value in values.items()},
        )
        self.session.add(record)
        self.session.flush()
        record_change(
            self.session, self.draft, self.user, f"{self.noun}.added", **{self.detail: record.key}
        )
        return self._row(record)

    def update(self, row_id: str, values: dict[str, Any]) -> GroupRow:
        record = self._find(row_id)
        changed = sorted(name for name in values if name in self.fields)
        before = {name: logged(getattr(record, self.fields[name])) for name in changed}
        for name in changed:
            setattr(record, self.fields[name], self.stored(name, values[name]))
        if changed:
            record.updated_at = now()
            self.session.add(record)
            record_change(
                self.session,
                self.draft,
                self.user,
                f"{self.noun}.updated",
                **{self.detail: record.key},
                fields=changed,
                before=before,
                after={name: logged(getattr(record, self.fields[name])) for name in changed},
            )
        return self._row(record)

    def stored(self, name: str, value: Any) -> Any:
        return "" if value is None else str(value)

    def remove(self, row_id: str) -> None:
        record = self._find(row_id)
        record_change(
            self.session,
            self.draft,
            self.user,
            f"{self.noun}.removed",
            **{self.detail: record.key},
        )
        self.session.delete(record)
        self.session.flush()

    def confirm(self, row_id: str) -> None:
        record = self._find(row_id)
        record.needs_review = False
        self.session.add(record)
        record_change(
            self.session,
            self.draft,
            self.user,
            "row.confirmed",
            group=self.group_id,
            key=record.key,
        )


class NeedStore(_TableStore):
    record_type = Need
    prefix = "B"
    noun = detail = "need"
    fields = {"who": "who", "what": "what", "why": "why", "kinds": "kinds"}

    def stored(self, name: str, value: Any) -> Any:
        if name == "kinds":
            return list(value or [])
        return super().stored(name, value)


class GoalStore(_TableStore):
    record_type = EffectGoal
    prefix = "E"
    noun, detail = "effect_goal", "goal"
    fields = {
        "goal": "goal",
        "indicator": "indicator",
        "baseline": "baseline",
        "target": "target",
        "needs": "need_keys",
        "kinds": "kinds",
    }

    def stored(self, name: str, value: Any) -> Any:
        if name in ("needs", "kinds"):
            return list(value or [])
        return super().stored(name, value)


class ListStore:
    """Rows kept as one answer: a JSON list of mappings, each with its own id."""

    def __init__(
        self,
        session: Session,
        draft: Draft,
        user: User | None,
        group: Question,
        answers: dict[str, Any] | None = None,
    ):
        self.session, self.draft, self.user, self.group = session, draft, user, group
        self._answers = answers

    def items(self) -> list[dict[str, Any]]:
        answers = (
            self._answers if self._answers is not None else answers_of(self.session, self.draft)
        )
        stored = answers.get(self.group.id)
        if not isinstance(stored, list):
            return []
        return [dict(item) for item in stored if isinstance(item, dict)]

    @staticmethod
    def rows_of(stored: Any) -> list[GroupRow]:
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

    def rows(self) -> list[GroupRow]:
        return self.rows_of(self.items())

    def _save(self, items: list[dict[str, Any]]) -> None:
        save_answer(self.session, self.draft, self.user, self.group.id, items)
        if self._answers is not None:
            self._answers[self.group.id] = items

    def add(self) -> GroupRow:
        items = self.items()
        item = {ROW_ID: secrets.token_hex(4)}
        self._save([*items, item])
        return GroupRow(id=item[ROW_ID], key=str(len(items) + 1))

    def update(self, row_id: str, values: dict[str, Any]) -> GroupRow:
        items = self.items()
        for index, item in enumerate(items):
            if str(item.get(ROW_ID)) == row_id:
                item.update({name: value for name, value in values.items() if name != ROW_ID})
                self._save(items)
                return self.rows_of(items)[index]
        raise RowNotFound(row_id)

    def remove(self, row_id: str) -> None:
        items = self.items()
        kept = [item for item in items if str(item.get(ROW_ID)) != row_id]
        if len(kept) == len(items):
            raise RowNotFound(row_id)
        self._save(kept)

    def confirm(self, row_id: str) -> None:
        raise RowNotFound(row_id)  # list rows are not re-examined


def store_for(
    session: Session,
    draft: Draft,
    user: User | None,
    group: Question,
    answers: dict[str, Any] | None = None,
) -> RowStore:
    """The store of a group's rows. `answers`, when the caller has read them, saves a query."""
    if group.store == "needs":
        return NeedStore(session, draft, user, group)
    if group.store == "effect_goals":
        return GoalStore(session, draft, user, group)
    return ListStore(session, draft, user, group, answers)


def rows_in_document(group: Question, document: TenderDraft) -> list[GroupRow]:
    """The rows of a group as a document already holds them (no query)."""
    if group.store == "needs":
        return [
            GroupRow(
                id=str(need.id),
                key=need.key,
                values={name: getattr(need, name) for name in NeedStore.fields},
                needs_review=need.needs_review,
            )
            for need in document.needs
        ]
    if group.store == "effect_goals":
        return [
            GroupRow(
                id=str(goal.id),
                key=goal.key,
                values={name: getattr(goal, name) for name in GoalStore.fields},
                needs_review=goal.needs_review,
            )
            for goal in document.effect_goals
        ]
    return ListStore.rows_of(document.answers.get(group.id))
