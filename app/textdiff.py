"""Word differences between two texts, for showing what an edit changed against a template."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class DiffPart:
    kind: Literal["same", "added", "removed"]
    text: str


def word_diff(before: str, after: str) -> list[DiffPart]:
    old = TOKEN.findall(before or "")
    new = TOKEN.findall(after or "")
    parts: list[DiffPart] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            parts.append(DiffPart("same", "".join(old[old_start:old_end])))
            continue
        if operation in ("delete", "replace"):
            parts.append(DiffPart("removed", "".join(old[old_start:old_end])))
        if operation in ("insert", "replace"):
            parts.append(DiffPart("added", "".join(new[new_start:new_end])))
    return parts


def has_changes(parts: list[DiffPart]) -> bool:
    return any(part.kind != "same" for part in parts)
