"""Names of products, bodies, laws and places, looked up token by token in a sentence."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Kinds of names in the name index.
NOT_BRAND = "not-brand"
BRAND = "brand"
BRAND_MID_SENTENCE = "brand-mid-sentence"


class NameIndex:
    """Case-sensitive names of one or more words in kinds ("brand", "not-brand", ...), looked up
    token by token: much faster than a regex with hundreds of alternatives."""

    def __init__(self, kinds: dict[str, Iterable[str]]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._priority: dict[str, int] = {}
        for priority, (kind, names) in enumerate(kinds.items()):
            for name in names:
                words = tuple(_name_tokens(name))
                if words:
                    self._by_first.setdefault(words[0], []).append((words, kind))
                    self._priority[kind] = priority
        for candidates in self._by_first.values():
            # Longest name first; for the same length, the kind listed first wins.
            candidates.sort(key=lambda entry: (-len(entry[0]), self._priority[entry[1]]))
        self._lowercase = frozenset(key for key in self._by_first if key.islower())

    def match_at(self, words: list[str], index: int, skip: str = "") -> tuple[int, str, str]:
        """(number of words, kind, first word as listed) of the known name at `index`, or
        (0, "", ""). The first word may sit inside a longer one: "Lenovos", "Jabra-högtalare"."""
        word = words[index]
        if word.islower() and word not in self._lowercase:
            return 0, "", ""
        for key in _lookup_keys(word):
            for candidate, kind in self._by_first.get(key, ()):
                size = len(candidate)
                if kind != skip and tuple(words[index + 1 : index + size]) == candidate[1:]:
                    return size, kind, key
        return 0, "", ""

    def __contains__(self, word: object) -> bool:
        return any(len(candidate) == 1 for candidate, _kind in self._by_first.get(str(word), ()))


NAME_TOKEN = re.compile(r"\w+(?:[-'’:.&+]\w+)*|[^\w\s]")


def _name_tokens(text: str) -> list[str]:
    return NAME_TOKEN.findall(text)


def _lookup_keys(word: str) -> tuple[str, ...]:
    # "Lenovos", "ILO:s", "Dell's", "Jabra-högtalare": the name without genitive or compound tail.
    keys = [word]
    for suffix in (":s", "'s", "’s"):
        if word.endswith(suffix):
            keys.append(word[: -len(suffix)])
    if word.endswith("s") and len(word) > 3:
        keys.append(word[:-1])
    if "-" in word:
        keys.append(word.split("-", 1)[0])
    return tuple(keys)
