"""Revisions: the whole draft as it was at a submit, an approval or an export, kept as it
was; and what changed between two of them, down to the words of a changed text."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from app.content import Content
from app.document import TenderDraft
from app.drafts.store import record_event
from app.i18n import get_locale, gettext_
from app.models import Draft, Revision, User
from app.wizard.answers import display_value

REASONS = ("submitted", "approved", "exported")


def reason_name(reason: str) -> str:
    return {
        "submitted": gettext_("Submitted for review"),
        "approved": gettext_("Approved"),
        "exported": gettext_("Exported"),
    }.get(reason, reason)


def make_revision(
    session: Session, draft: Draft, user: User | None, document: TenderDraft, reason: str
) -> Revision:
    """Revision N+1 of the draft: the document as it is now. Never changed afterwards."""
    number = draft.revision + 1
    snapshot = document.model_dump(mode="json")
    snapshot["revision"] = number
    revision = Revision(
        draft_id=draft.id or 0,
        number=number,
        reason=reason,
        snapshot=snapshot,
        created_by_id=user.id if user else None,
    )
    draft.revision = number
    session.add(draft)
    session.add(revision)
    record_event(session, draft, user, "revision.created", revision=number, reason=reason)
    return revision


def revisions_of(session: Session, draft: Draft) -> list[tuple[Revision, User | None]]:
    """The draft's revisions, newest first, with who made each."""
    rows = session.exec(
        select(Revision, User)
        .join(User, User.id == Revision.created_by_id, isouter=True)  # type: ignore[arg-type]
        .where(Revision.draft_id == draft.id)
        .order_by(col(Revision.number).desc())
    ).all()
    return [(revision, person) for revision, person in rows]


def revision_of(session: Session, draft: Draft, number: int) -> Revision | None:
    return session.exec(
        select(Revision).where(Revision.draft_id == draft.id, Revision.number == number)
    ).first()


# A changed text, as runs of words: ("equal" | "insert" | "delete", text)
Words = list[tuple[str, str]]

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(before: str, after: str) -> Words:
    """The words removed and added between two texts; unchanged runs kept as they are. A
    change of several words with only spaces between them reads as one change."""
    old, new = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    codes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    runs: Words = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        if removed:
            runs.append(("delete", "".join(removed)))
        if added:
            runs.append(("insert", "".join(added)))
        removed.clear()
        added.clear()

    for index, (operation, a1, a2, b1, b2) in enumerate(codes):
        if operation == "equal":
            text = "".join(old[a1:a2])
            between = (removed or added) and index + 1 < len(codes) and not text.strip()
            if between:
                removed.append(text)
                added.append(text)
                continue
            flush()
            runs.append(("equal", text))
            continue
        removed.extend(old[a1:a2])
        added.extend(new[b1:b2])
    flush()
    return runs


@dataclass
class FieldChange:
    label: str
    before: str
    after: str

    @property
    def words(self) -> Words:
        return word_diff(self.before, self.after)


@dataclass
class ItemChange:
    """One need, goal, answer or requirement: added, removed or changed."""

    kind: str  # added | removed | changed
    label: str
    fields: list[FieldChange] = field(default_factory=list)
    # the item's text when it was added or removed
    text: str = ""


@dataclass
class Section:
    title: str
    items: list[ItemChange] = field(default_factory=list)


@dataclass
class RevisionDiff:
    before: int
    after: int
    sections: list[Section]

    @property
    def empty(self) -> bool:
        return not any(section.items for section in self.sections)

    def counts(self) -> dict[str, int]:
        found = {"added": 0, "removed": 0, "changed": 0}
        for section in self.sections:
            for item in section.items:
                found[item.kind] += 1
        return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, bool):
        return gettext_("Yes") if value else gettext_("No")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _group_text(question: Any, rows: Any) -> str:
    """A list answer (rows of fields) as lines of "label: value"."""
    if not isinstance(rows, list):
        return _text(rows)
    locale = get_locale()
    lines = []
    for row in rows:
        if not isinstance(row, dict):
            lines.append(_text(row))
            continue
        parts = [
            f"{field_.label.get(locale)}: {_text(row.get(field_.id))}"
            for field_ in question.fields
            if row.get(field_.id) not in (None, "", [])
        ]
        lines.append("; ".join(parts))
    return "\n".join(line for line in lines if line)


def _by(items: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {str(item.get(key)): item for item in items if item.get(key) is not None}


def _compare(
    title: str,
    before: dict[str, dict[str, Any]],
    after: dict[str, dict[str, Any]],
    fields: list[tuple[str, str]],
    label_of: Any,
) -> Section:
    section = Section(title)
    for key in list(before) + [key for key in after if key not in before]:
        old, new = before.get(key), after.get(key)
        if old is None and new is not None:
            text = " · ".join(_text(new.get(name)) for name, _ in fields if new.get(name))
            section.items.append(ItemChange("added", label_of(new), text=text))
        elif new is None and old is not None:
            text = " · ".join(_text(old.get(name)) for name, _ in fields if old.get(name))
            section.items.append(ItemChange("removed", label_of(old), text=text))
        elif old is not None and new is not None:
            changes = [
                FieldChange(label, _text(old.get(name)), _text(new.get(name)))
                for name, label in fields
                if _text(old.get(name)) != _text(new.get(name))
            ]
            if changes:
                section.items.append(ItemChange("changed", label_of(new), changes))
    return section


def diff_snapshots(
    content: Content, before: dict[str, Any], after: dict[str, Any], a: int, b: int
) -> RevisionDiff:
    """What changed from revision a to revision b: needs and goals by their key, answers by
    question, requirements by their row (so a renumbered requirement is the same one)."""
    locale = get_locale()
    need_fields = [
        ("who", gettext_("Who has the need")),
        ("what", gettext_("What must change")),
        ("why", gettext_("Why it matters")),
        ("kinds", gettext_("Kinds")),
    ]
    goal_fields = [
        ("goal", gettext_("Effect goal")),
        ("indicator", gettext_("Indicator")),
        ("baseline", gettext_("Baseline")),
        ("target", gettext_("Target")),
        ("needs", gettext_("Needs served")),
    ]
    requirement_fields = [
        ("title", gettext_("Title")),
        ("text", gettext_("Requirement")),
        ("motive", gettext_("Motive")),
        ("verification", gettext_("Verification")),
        ("obligation", gettext_("Mandatory or scored")),
        ("weight", gettext_("Weight")),
        ("status", gettext_("Status")),
        ("needs", gettext_("Needs served")),
    ]
    sections = [
        _compare(
            gettext_("Needs"),
            _by(before.get("needs", []), "key"),
            _by(after.get("needs", []), "key"),
            need_fields,
            lambda item: gettext_("Need %(key)s", key=item.get("key")),
        ),
        _compare(
            gettext_("Effect goals"),
            _by(before.get("effect_goals", []), "key"),
            _by(after.get("effect_goals", []), "key"),
            goal_fields,
            lambda item: gettext_("Effect goal %(key)s", key=item.get("key")),
        ),
    ]
    # Answers: by question, shown as the wizard shows them.
    answers = Section(gettext_("Answers"))
    old_answers, new_answers = before.get("answers", {}), after.get("answers", {})
    area_names = {area.id: area.name.get(locale) for area in content.library.areas}
    for question_id in list(old_answers) + [q for q in new_answers if q not in old_answers]:
        question = content.wizard.questions.get(question_id)
        old, new = old_answers.get(question_id), new_answers.get(question_id)
        if question is None:
            old_text, new_text, label = _text(old), _text(new), question_id
        elif question.is_group:
            old_text, new_text = _group_text(question, old), _group_text(question, new)
            label = question.label.get(locale)
        else:
            old_text = display_value(question, old, locale, area_names) if old is not None else ""
            new_text = display_value(question, new, locale, area_names) if new is not None else ""
            label = question.label.get(locale)
        if old_text == new_text:
            continue
        if not old_text:
            answers.items.append(ItemChange("added", label, text=new_text))
        elif not new_text:
            answers.items.append(ItemChange("removed", label, text=old_text))
        else:
            answers.items.append(
                ItemChange("changed", label, [FieldChange(gettext_("Answer"), old_text, new_text)])
            )
    sections.append(answers)
    status_names = {
        "suggested": gettext_("Suggested"),
        "accepted": gettext_("Accepted"),
        "rejected": gettext_("Rejected"),
    }

    def requirements(snapshot: dict[str, Any]) -> dict[str, dict[str, Any]]:
        found = {}
        for item in snapshot.get("requirements", []):
            row = dict(item)
            row["status"] = status_names.get(row.get("status", ""), row.get("status"))
            row["obligation"] = {"ska": gettext_("Mandatory"), "bor": gettext_("Scored")}.get(
                row.get("obligation", ""), row.get("obligation")
            )
            found[str(row.get("id") or row.get("number"))] = row
        return found

    sections.append(
        _compare(
            gettext_("Requirements"),
            requirements(before),
            requirements(after),
            requirement_fields,
            lambda item: f"{item.get('number')} {item.get('title')}",
        )
    )
    if _text(before.get("title")) != _text(after.get("title")):
        sections.insert(
            0,
            Section(
                gettext_("Title"),
                [
                    ItemChange(
                        "changed",
                        gettext_("Title"),
                        [FieldChange(gettext_("Title"), before["title"], after["title"])],
                    )
                ],
            ),
        )
    return RevisionDiff(a, b, sections)


def diff_revisions(
    content: Content, session: Session, draft: Draft, a: int, b: int
) -> RevisionDiff | None:
    first, second = revision_of(session, draft, a), revision_of(session, draft, b)
    if first is None or second is None:
        return None
    return diff_snapshots(content, first.snapshot, second.snapshot, a, b)
