"""Wording that leaves a requirement open: vague words, loopholes, open lists and superlatives."""

from __future__ import annotations

from app.quality.lexicon import Lexicon
from app.quality.rules.spans import Span, has_value_near, merge, next_word, overlaps, previous_word
from app.quality.text import Sentence, Token


def loophole(sentence: Sentence, lexicon: Lexicon) -> list[Span]:
    text = sentence.text
    exceptions = [match.span() for match in lexicon.loophole_exceptions.finditer(text)]
    spans = [
        match.span()
        for match in lexicon.loophole.finditer(text)
        if not overlaps(match.span(), exceptions)
    ]
    # "normalt", "usually": a loophole only where it softens the obligation ("ska normalt ske"),
    # not as an adjective ("normalt brukande").
    neighbours = lexicon.modals | lexicon.loophole_neighbours
    tokens = sentence.tokens
    for index, token in enumerate(tokens):
        if token.lower not in lexicon.loophole_modal_bound:
            continue
        previous = previous_word(tokens, index)
        following = next_word(tokens, index)
        if (
            token.opens_sentence
            or (previous is not None and previous.lower in neighbours)
            or (following is not None and following.lower in neighbours)
        ):
            spans.append((token.start, token.end))
    return merge(spans)


def vague(sentence: Sentence, lexicon: Lexicon, masked: list[Span]) -> list[Span]:
    text = sentence.text
    exceptions = [match.span() for match in lexicon.vague_exceptions.finditer(text)]
    candidates = [match.span() for match in lexicon.vague_phrases.finditer(text)]
    candidates += [
        (token.start, token.end) for token in sentence.tokens if token.lower in lexicon.vague_words
    ]
    spans = [
        span
        for span in candidates
        if not overlaps(span, masked)
        and not overlaps(span, exceptions)
        and not has_value_near(sentence, lexicon, span)
        and not _defined(sentence, lexicon, span)
    ]
    return merge(spans)


# How far after a vague word (in characters) a definition of it may start.
DEFINITION_REACH = 6


def _defined(sentence: Sentence, lexicon: Lexicon, span: Span) -> bool:
    """ "snabb, det vill säga svar inom 60 sekunder", "fast, meaning that ... within 60
    seconds": a definition marker right after the word, and a value after the marker."""
    match = lexicon.definition_markers.search(
        sentence.text, span[1], span[1] + DEFINITION_REACH + 30
    )
    if match is None or match.start() > span[1] + DEFINITION_REACH:
        return False
    tokens = sentence.tokens
    return any(
        token.is_number or token.lower in lexicon.number_words
        for token in tokens[sentence.token_at(match.end()) :]
    )


def superlative(sentence: Sentence, lexicon: Lexicon, masked: list[Span]) -> list[Span]:
    text = sentence.text
    exceptions = [match.span() for match in lexicon.superlative_exceptions.finditer(text)]
    candidates = [match.span() for match in lexicon.superlative_phrases.finditer(text)]
    candidates += [
        (token.start, token.end)
        for token in sentence.tokens
        if token.lower in lexicon.superlative_words
    ]
    if not sentence.has_word(lexicon.obligation_words):
        return []
    spans = [
        span for span in candidates if not overlaps(span, masked) and not overlaps(span, exceptions)
    ]
    # "högsta", "maximum": superlative only without a value ("högsta 40 dB", "maximum 150 kg")
    # and not when the tenderer is asked to state one ("state the maximum number").
    asks_for_information = sentence.has_word(lexicon.reporting_verbs)
    for token in sentence.tokens:
        if token.lower not in lexicon.superlative_without_value:
            continue
        span = (token.start, token.end)
        if (
            asks_for_information
            or overlaps(span, masked)
            or overlaps(span, exceptions)
            or has_value_near(sentence, lexicon, span)
            or _bound_value(sentence, lexicon, span)
        ):
            continue
        spans.append(span)
    return merge(spans)


BOUND_REACH = 15


def _bound_value(sentence: Sentence, lexicon: Lexicon, span: Span) -> bool:
    """A bound stated as a definition: "högsta tillåtna temperatur är 24 °C", "the maximum time
    to repair is 8 hours". A linking verb after the word, then a value right after it."""
    tokens = sentence.tokens
    index = sentence.token_at(span[1])
    for position in range(index, min(len(tokens), index + BOUND_REACH)):
        token = tokens[position]
        if token.lower in lexicon.modals and token.lower not in lexicon.linking_verbs:
            return False
        if token.lower in lexicon.linking_verbs:
            after = tokens[position + 1 : position + 4]
            if any(other.is_number or other.lower in lexicon.number_words for other in after):
                return True
    return False


def open_ended(sentence: Sentence, lexicon: Lexicon) -> list[Span]:
    text = sentence.text
    tokens = sentence.tokens
    spans = [
        match.span()
        for match in lexicon.open_ended.finditer(text)
        if not _single_aside(sentence, match.start(), match.end(), match.group().lower())
    ]
    for index, token in enumerate(tokens):
        # "mm" as "med mera", not millimetres after a number.
        if token.lower == "mm" and index > 0 and not tokens[index - 1].is_number:
            spans.append((token.start, token.end))
    # "t.ex.", "such as": open when the examples run to the end of the sentence, outside brackets.
    # Brackets are counted and the rest of the sentence read once for all markers: per marker,
    # a long sentence would make the rule quadratic.
    opened = closed = counted_to = 0
    last_stop = last_joiner = -1
    markers = list(lexicon.example_markers.finditer(text))
    if markers:
        for index, token in enumerate(tokens):
            if token.lower in lexicon.modals or token.text == ")":
                last_stop = index
            if token.lower in lexicon.list_joiners:
                last_joiner = index
    for match in markers:
        opened += text.count("(", counted_to, match.start())
        closed += text.count(")", counted_to, match.start())
        counted_to = match.start()
        if opened > closed:
            continue
        # "ska t.ex. ges på svenska": an example of how, not a list of what.
        before = sentence.token_at(match.start()) - 1
        if before >= 0 and tokens[before].lower in lexicon.obligation_words:
            continue
        rest = sentence.token_at(match.end())
        if rest >= len(tokens) or last_stop >= rest:
            continue
        if last_joiner >= rest and not _closed_aside(tokens, before, rest, lexicon):
            spans.append(match.span())
    return merge(spans)


# How far (in tokens) an aside of examples may run before the comma that closes it.
ASIDE_TOKENS = 30


def _closed_aside(tokens: tuple[Token, ...], before: int, rest: int, lexicon: Lexicon) -> bool:
    """ "anmäla avvikelser, t.ex. uteblivna besök, till beställaren": examples set off by commas,
    after which the sentence goes on with a preposition, a verb or a clause; the list is
    closed."""
    if before < 0 or tokens[before].text != ",":
        return False
    for index in range(rest, min(len(tokens) - 1, rest + ASIDE_TOKENS)):
        if tokens[index].text != ",":
            continue
        following = tokens[index + 1].lower
        # "t.ex. telefon och webbformulär, vilket kontrolleras ...": a clause of its own; "e.g.
        # questions, answers and scores, to a CSV file": the commas of the list are passed.
        if (
            following in lexicon.prepositions - {",", ".", ";", ":", "och", "and", "or"}
            or following in lexicon.modals
            or following in lexicon.subordinators - {"så", "so", "as"}
        ):
            return True
    return False


# Markers of examples that open an aside of their own ("ska, bl.a. vid driftstörningar, kunna").
ASIDE_STARTS = ("bl", "bland", "among", "inter")


def _single_aside(sentence: Sentence, start: int, end: int, marker: str) -> bool:
    """ "ska, bl.a. vid driftstörningar, kunna nås": one example set off by commas in the middle
    of a sentence, with no list in it, is a closed aside, not an open list."""
    if not marker.startswith(ASIDE_STARTS):
        return False
    tokens = sentence.tokens
    before = sentence.token_at(start) - 1
    if before < 0 or tokens[before].text != ",":
        return False
    rest = sentence.token_at(end)
    for index in range(rest, min(len(tokens) - 1, rest + ASIDE_TOKENS)):
        token = tokens[index]
        if token.lower in ("och", "eller", "samt", "and", "or"):
            return False
        if token.text == ",":
            return index > rest
    return False
