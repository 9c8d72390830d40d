"""Sentences, words and language of a requirement text, with character offsets kept."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import NamedTuple

from app.quality.lexicon import Lexicon, lexicons
from app.quality.vocabulary import lemma

# A word may hold inner hyphens, apostrophes, colons and full stops: "e-post", "ILO:s", "t.ex",
# "E.ON", "99.5". Anything else that is not a space is a token of its own.
TOKEN = re.compile(r"\w+(?:[-'’:.&+]\w+)*|[^\w\s]")
# A full stop, question or exclamation mark (with closing quotes or brackets) before a space,
# or a line break.
# Possessive and guarded by a lookbehind, so that a long run of full stops is read once.
SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]++[\"”’)\]]*+(?=\s)|\n")
NEXT_VISIBLE = re.compile(r"\s*+(\S)")
WORD_BEFORE = re.compile(r"(\S{1,40})\Z")
SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖ]")
# Abbreviations that may end a sentence: a capital letter after them starts a new one.
CLOSING_ABBREVIATIONS = frozenset(
    {"etc", "osv", "o.s.v", "m.m", "m.fl", "mm", "mfl", "bl.a", "e.g", "i.e", "usw"}
)
# After these a capitalised word is the first word of a sentence, a list item or a title.
OPENING_MARKS = frozenset({":", "(", "[", '"', "“", "”", "„", "«", "»", "•", "–", "—", "*", ";"})


class Token(NamedTuple):
    # A tuple rather than a dataclass: a text has hundreds of tokens and this is the hot path.
    start: int
    end: int
    text: str
    lower: str
    is_word: bool
    opens_sentence: bool
    # The dictionary form: "temperaturer" -> "temperatur", "snabbaste" -> "snabb".
    lemma: str

    @property
    def is_number(self) -> bool:
        return any(character.isdigit() for character in self.text)


@dataclass(frozen=True)
class Sentence:
    """One sentence; `start` is its offset in the whole text, token offsets are its own."""

    start: int
    text: str
    tokens: tuple[Token, ...]
    _ends: list[int] = field(init=False, repr=False, compare=False)
    _lowers: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_ends", [token.end for token in self.tokens])
        object.__setattr__(
            self,
            "_lowers",
            frozenset(token.lower for token in self.tokens)
            | frozenset(token.lemma for token in self.tokens),
        )

    @property
    def words(self) -> list[str]:
        return [token.text for token in self.tokens]

    def token_at(self, offset: int) -> int:
        """Index of the first token that ends after `offset` (a binary search: rules call this
        for every candidate, and a long sentence must not make that quadratic)."""
        return bisect_right(self._ends, offset)

    def has_word(self, words: Collection[str]) -> bool:
        """Whether any token, or its lemma, is one of `words` (lower case)."""
        return not self._lowers.isdisjoint(words)


def tokenize(text: str, language: str = "sv") -> tuple[Token, ...]:
    tokens: list[Token] = []
    seen_word = False
    previous = ""
    for match in TOKEN.finditer(text):
        word = match.group()
        lower = word.lower()
        is_word = word[0].isalpha() or (word[0].isdigit() and any(c.isalpha() for c in word))
        opens = is_word and (not seen_word or previous in OPENING_MARKS)
        tokens.append(
            Token(
                match.start(),
                match.end(),
                word,
                lower,
                is_word,
                opens,
                lemma(lower, language) if is_word else lower,
            )
        )
        seen_word = seen_word or is_word
        previous = word
    return tuple(tokens)


def split_sentences(text: str, lexicon: Lexicon) -> list[Sentence]:
    """Sentences with their offsets; abbreviations such as "t.ex." or "kl." do not end one."""
    sentences: list[Sentence] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        if match.group() != "\n" and not _ends_sentence(text, match, lexicon):
            continue
        _append(sentences, text, start, match.end(), lexicon.language)
        start = match.end()
    _append(sentences, text, start, len(text), lexicon.language)
    return sentences


def _ends_sentence(text: str, match: re.Match[str], lexicon: Lexicon) -> bool:
    if not match.group().startswith("."):
        return True
    # Only the few characters around the mark are read: copying the text before or after it
    # would make a text of many sentences quadratic.
    before = WORD_BEFORE.search(text, max(0, match.start() - 40), match.start())
    previous_word = before.group(1).lower() if before else ""
    following = NEXT_VISIBLE.match(text, match.end())
    next_character = following.group(1) if following else ""
    if previous_word in lexicon.abbreviations:
        return False
    if previous_word in CLOSING_ABBREVIATIONS:
        return next_character.isupper()
    # "Rev. 1", "nr. 5", "Fig. 3": a short word and a number belong together.
    if next_character.isdigit() and len(previous_word) <= 4 and previous_word.isalpha():
        return False
    return not next_character.islower()


def _append(sentences: list[Sentence], text: str, start: int, end: int, language: str) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    offset = start + (len(chunk) - len(chunk.lstrip()))
    sentences.append(Sentence(offset, stripped, tokenize(stripped, language)))


def detect_language(text: str) -> str:
    """Return "sv" or "en": Swedish letters and function words against English ones (a tie is
    Swedish, the product's default)."""
    swedish = lexicons()["sv"].function_words
    english = lexicons()["en"].function_words
    swedish_score = 0
    english_score = 0
    for word in TOKEN.findall(text.lower()):
        if word in swedish:
            swedish_score += 1
        elif word in english:
            english_score += 1
        if SWEDISH_LETTERS.search(word):
            swedish_score += 1
    return "en" if english_score > swedish_score else "sv"
