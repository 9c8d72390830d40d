"""No silent overwrite. A form carries, for each field, a fingerprint of the value it was shown
with (its base). On save, a field the user did not change is left alone, whatever someone else
did meanwhile; a field the user changed is saved unless someone else changed it too: then the
user is shown both versions and chooses."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

# The name of the hidden field that carries a field's base.
BASE_PREFIX = "__base__"
# The name of the radio buttons with which a user resolves a conflict on a field.
RESOLVE_PREFIX = "__resolve__"

Outcome = Literal["unchanged", "save", "same", "conflict"]


def fingerprint(value: Any) -> str:
    """A short fingerprint of a stored value (text, number, list, nothing)."""
    if value in (None, "", []):
        value = None
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def base_name(field: str) -> str:
    return BASE_PREFIX + field


def resolve_name(field: str) -> str:
    return RESOLVE_PREFIX + field


def outcome(base: str | None, submitted: Any, current: Any) -> Outcome:
    """What to do with one field. Without a base (an old form, a client that sends none) the
    submitted value counts as a change made on the current value."""
    mine = fingerprint(submitted)
    theirs = fingerprint(current)
    if base is None:
        base = theirs
    if mine == base:
        return "unchanged"
    if theirs == base:
        return "save"
    return "same" if mine == theirs else "conflict"


@dataclass(frozen=True)
class FieldConflict:
    """One field two people changed at once: what the user typed and what was saved."""

    field: str
    label: str
    mine: Any
    theirs: Any
    changed_by_id: int | None = None
    changed_at: datetime | None = None

    @property
    def theirs_base(self) -> str:
        """The base the form carries once the conflict is shown: saving again keeps mine."""
        return fingerprint(self.theirs)


def merge_fields(
    submitted: dict[str, Any],
    current: dict[str, Any],
    bases: dict[str, str | None],
    labels: dict[str, str],
    take_theirs: set[str],
) -> tuple[dict[str, Any], dict[str, FieldConflict]]:
    """A whole form against what is stored: the values to save (the user's where they changed
    a field, what is stored where they did not) and the fields both changed."""
    merged: dict[str, Any] = {}
    conflicts: dict[str, FieldConflict] = {}
    for name, mine in submitted.items():
        theirs = current.get(name)
        if name in take_theirs:
            merged[name] = theirs
            continue
        result = outcome(bases.get(name), mine, theirs)
        merged[name] = theirs if result == "unchanged" else mine
        if result == "conflict":
            conflicts[name] = FieldConflict(name, labels.get(name, name), mine, theirs)
    return merged, conflicts
