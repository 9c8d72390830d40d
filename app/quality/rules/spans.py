"""Spans of a sentence and what every rule shares: merging, overlaps, neighbours, nearby values."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from app.quality.lexicon import Lexicon
from app.quality.text import Sentence, Token

Span = tuple[int, int]
# What a finding explains beyond its words: the demands of a compound, a solution's area.
Details = dict[str, str]

EXPLAINING_MARKS = frozenset({":", "–", "—", "("})
# A window of N words reads at most this many tokens per word: marks and brackets between words.
WINDOW_TOKENS_PER_WORD = 4


def has_value_near(
    sentence: Sentence, lexicon: Lexicon, span: Span, not_values: list[Span] | None = None
) -> bool:
    """A number (or a reference to where the value is) a few words after or before the span:
    "snabb: inom 2 sekunder", "fast, within 2 seconds", "30 procent lägre". Numbers inside
    `not_values` (merged spans: a standard's citation, "ISO 9001") are no value."""
    tokens = sentence.tokens
    first = sentence.token_at(span[0])
    last = sentence.token_at(span[1])
    # After a colon or a dash the value explains the word, even in a clause of its own:
    # "snabbt: sidor ska laddas inom 2 sekunder".
    explained = last < len(tokens) and tokens[last].text in EXPLAINING_MARKS
    after = range(last, len(tokens))
    skipped = not_values or []
    if _window_has_value(tokens, after, lexicon, lexicon.value_window_after, explained, skipped):
        return True
    before = range(first - 1, -1, -1)
    # "… i 14 förvaltningar, ha hög tillgänglighet": a number in a clause of its own before a
    # comma measures something else.
    if _window_has_value(
        tokens, before, lexicon, lexicon.value_window_before, False, skipped, stop=","
    ):
        return True
    if not tokens:
        return False
    window_end = max(tokens[min(len(tokens), last + lexicon.value_window_after) - 1].end, span[1])
    return lexicon.reference.search(sentence.text, span[1], window_end) is not None


# Nouns a number names one of ("linje 4", "line 4", "bilaga 2"): the number is a name, not a
# level of what is demanded.
DESIGNATIONS = frozenset(
    "linje linjen line route rutt zon zone hus building byggnad bilaga bilagan appendix annex "
    "avsnitt section kapitel chapter etapp phase delområde lot område våning floor plan "
    "nr no. number nummer skola school entré entrance".split()
)


def is_designation(tokens: tuple[Token, ...], index: int) -> bool:
    """Whether the number at `index` names one of a kind ("linje 4") rather than a level."""
    return index > 0 and tokens[index - 1].lower in DESIGNATIONS


def is_value(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> bool:
    """Whether the token at `index` gives a value: a number that is no name ("linje 4"), or a
    number word ("två", "zero")."""
    token = tokens[index]
    return (token.is_number and not is_designation(tokens, index)) or (
        token.lower in lexicon.number_words
    )


def _window_has_value(
    tokens: tuple[Token, ...],
    indexes: range,
    lexicon: Lexicon,
    size: int,
    explained: bool = False,
    skipped: list[Span] | None = None,
    stop: str = "",
) -> bool:
    """Whether a number comes within `size` words, read in the order of `indexes` (indexes, not
    a slice: a copy of the rest of a long sentence per candidate word would be quadratic), and
    within a bounded number of tokens, so that a run of marks is not read to its end either."""
    seen = 0
    for index in indexes[: size * WINDOW_TOKENS_PER_WORD]:
        token = tokens[index]
        if token.text == stop:
            return False
        if token.lower in lexicon.clause_breaks or (
            token.lower in lexicon.modals and not explained
        ):
            return False
        if is_value(tokens, index, lexicon) and not (
            skipped and overlaps((token.start, token.end), skipped)
        ):
            return True
        if token.is_word:
            seen += 1
            if seen >= size:
                return False
    return False


def tokens_before(sentence: Sentence, offset: int, reach: int) -> tuple[Token, ...]:
    """The `reach` tokens before the one at `offset`."""
    index = sentence.token_at(offset)
    return sentence.tokens[max(0, index - reach) : index]


def previous_word(tokens: tuple[Token, ...], index: int) -> Token | None:
    return tokens[index - 1] if index > 0 and tokens[index - 1].is_word else None


def next_word(tokens: tuple[Token, ...], index: int) -> Token | None:
    return tokens[index + 1] if index + 1 < len(tokens) and tokens[index + 1].is_word else None


def overlaps(span: Span, others: list[Span]) -> bool:
    """Whether `span` overlaps any of `others`, which `merge` has sorted and joined: a binary
    search, so that checking every candidate against every mask stays linear in practice."""
    if len(others) < 8:
        return any(span[0] < other[1] and other[0] < span[1] for other in others)
    position = bisect_left(others, (span[1], -1)) - 1
    return position >= 0 and others[position][1] > span[0]


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted, with overlapping spans joined."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
