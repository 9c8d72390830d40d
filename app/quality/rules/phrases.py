"""Wording that leaves a requirement open: vague words, loopholes, open lists and superlatives."""

from __future__ import annotations

import re
from functools import lru_cache

from app.quality.lexicon import Lexicon, inflect
from app.quality.rules.spans import (
    Span,
    has_value_near,
    merge,
    next_word,
    overlaps,
    previous_word,
    tokens_before,
)
from app.quality.text import Sentence, Token
from app.quality.vocabulary import is_verb


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
    # "ska vägarna normalt vara plogade": before the verb of the demand, in any word order.
    neighbours = (
        lexicon.modals | lexicon.loophole_neighbours | lexicon.auxiliaries | {"be", "ha", "have"}
    )
    tokens = sentence.tokens
    for index, token in enumerate(tokens):
        if token.lower not in lexicon.loophole_modal_bound:
            continue
        previous = previous_word(tokens, index)
        following = next_word(tokens, index)
        if (
            (token.opens_sentence and _adverb_at_start(tokens, index, lexicon))
            or (previous is not None and previous.lower in neighbours)
            or (following is not None and following.lower in neighbours)
        ):
            spans.append((token.start, token.end))
    return merge(spans)


def _adverb_at_start(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> bool:
    """ "Normalt sker leverans ...", "Usually, ...": the word opens the sentence as an adverb.
    In Swedish it may be an adjective too ("Normalt slitage omfattas inte"): an adverb there is
    followed by a verb (the word order puts it second), a modal or a comma."""
    if lexicon.language != "sv":
        return True
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if following is None or not following.is_word:
        return True
    return (
        following.lower in lexicon.obligation_words
        or following.lower in lexicon.loophole_neighbours
        or (following.lemma != following.lower and following.lower.endswith(("r", "s")))
    )


def vague(sentence: Sentence, lexicon: Lexicon, masked: list[Span]) -> list[Span]:
    text = sentence.text
    exceptions = [match.span() for match in lexicon.vague_exceptions.finditer(text)]
    candidates = [match.span() for match in lexicon.vague_phrases.finditer(text)]
    candidates += [
        (token.start, token.end) for token in sentence.tokens if _vague_word(token, lexicon)
    ]
    if not candidates:
        return []
    # Where the last value and the last reference are, found once per sentence: read per vague
    # word, the rest of a long sentence would make the rule quadratic.
    last_value = max(
        (
            index
            for index, token in enumerate(sentence.tokens)
            if token.is_number or token.lower in lexicon.number_words
        ),
        default=-1,
    )
    last_reference = max((match.start() for match in lexicon.reference.finditer(text)), default=-1)
    spans = [
        span
        for span in candidates
        if not overlaps(span, masked)
        and not overlaps(span, exceptions)
        and not has_value_near(sentence, lexicon, span, masked)
        and not _defined(sentence, lexicon, span, last_value, last_reference)
    ]
    return merge(spans)


# A compound is read for a vague head only from this length ("vänlig" alone is a word of its own).
SHORTEST_COMPOUND_PART = 3


IRREGULAR_SUPERLATIVE_ENDINGS = ("st", "sta", "ste")


def _vague_word(token: Token, lexicon: Lexicon) -> bool:
    """A vague word as listed or inflected ("flexibla", "beprövade"), a compound ending in a
    vague head ("barnvänliga", "child-friendly"), or "lätt-" before a participle ("lättrengjord");
    not a superlative form, which the superlative rule reads."""
    lower = token.lower
    if lower in lexicon.vague_words:
        return True
    if not token.is_word or lower in lexicon.bound_words:
        return False
    if (
        # English forms are all made by the loader; a Swedish lemma may be of another form
        # ("beprövade", "välutbildat").
        lexicon.language == "sv"
        and token.lemma in lexicon.vague_lemmas
        and lower not in lexicon.superlative_without_value
        and lower not in lexicon.superlative_words
        # "högst", "bästa", "finest": a superlative or a bound, not a vague word.
        and not lower.endswith(IRREGULAR_SUPERLATIVE_ENDINGS)
    ):
        return True
    if lower in lexicon.vague_head_exceptions or token.lemma in lexicon.vague_head_exceptions:
        return False
    if any(
        lower.endswith(head) and len(lower) >= len(head) + SHORTEST_COMPOUND_PART
        for head in lexicon.vague_heads
    ):
        return True
    return lexicon.easy_prefix.fullmatch(lower) is not None


# How far after a vague word (in characters) a definition of it may start.
DEFINITION_REACH = 6


def _defined(
    sentence: Sentence, lexicon: Lexicon, span: Span, last_value: int, last_reference: int
) -> bool:
    """ "snabb, det vill säga svar inom 60 sekunder", "fast, meaning that ... within 60
    seconds": a definition marker right after the word, and a value (or a reference to where it
    is set) after the marker. The marker may follow the word the vague one qualifies
    ("ergonomiskt anpassningsbara, det vill säga ..."). `last_value` is the index of the
    sentence's last value token, `last_reference` where its last reference starts (-1 if
    none)."""
    match = _definition_marker(sentence, lexicon, span[1])
    if match is None:
        following = sentence.token_at(span[1])
        tokens = sentence.tokens
        if following >= len(tokens) or not tokens[following].is_word:
            return False
        if tokens[following].lower in lexicon.modals:
            return False
        match = _definition_marker(sentence, lexicon, tokens[following].end)
        if match is None:
            return False
    # The measure is a value, or a reference to where it is set ("mätt med de frågor som anges i
    # förfrågningsunderlaget").
    return last_value >= sentence.token_at(match.end()) or last_reference >= match.end()


def _definition_marker(sentence: Sentence, lexicon: Lexicon, end: int) -> re.Match[str] | None:
    """A definition marker starting within DEFINITION_REACH characters of `end`."""
    match = lexicon.definition_markers.search(sentence.text, end, end + DEFINITION_REACH + 30)
    if match is None or match.start() > end + DEFINITION_REACH:
        return None
    return match


def superlative(sentence: Sentence, lexicon: Lexicon, masked: list[Span]) -> list[Span]:
    text = sentence.text
    exceptions = [match.span() for match in lexicon.superlative_exceptions.finditer(text)]
    # "lägsta pris", "lowest price": the award's terms, where the sentence is about the award.
    if sentence.has_word(lexicon.award_words):
        exceptions = merge(
            [*exceptions, *(match.span() for match in lexicon.award_exceptions.finditer(text))]
        )
    candidates = [match.span() for match in lexicon.superlative_phrases.finditer(text)]
    if not sentence.has_word(lexicon.superlative_demands):
        return []
    spans = [
        span for span in candidates if not overlaps(span, masked) and not overlaps(span, exceptions)
    ]
    # "alltid vara tillgänglig", "never fail": an absolute, unless a value bounds it ("always
    # available within 30 minutes").
    spans += [
        match.span()
        for match in lexicon.superlative_absolutes.finditer(text)
        if not overlaps(match.span(), masked)
        and not overlaps(match.span(), exceptions)
        and not has_value_near(sentence, lexicon, match.span())
    ]
    # "högsta", "maximum", and any superlative form of a word ("skickligaste", "finest"):
    # superlative only without a value ("högsta 40 dB", "maximum 150 kg") and not when the
    # tenderer is asked to state one ("state the maximum number").
    asks_for_information = sentence.has_word(lexicon.reporting_verbs)
    for token in sentence.tokens:
        if (
            token.lower not in lexicon.superlative_without_value
            and token.lower not in lexicon.superlative_words
            and not is_superlative_form(token, lexicon)
        ):
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
# How many tokens after a linking verb a bound word and its value may take ("not fall below 20").
BOUND_VERB_REACH = 6


def _is_bound_word(token: Token, lexicon: Lexicon) -> bool:
    return token.lower in lexicon.bound_words or token.lemma in lexicon.bound_words


SUPERLATIVE_ENDINGS = {"sv": ("ast", "aste"), "en": ("est",)}


def is_superlative_form(token: Token, lexicon: Lexicon) -> bool:
    """Whether the token is the superlative of its lemma ("skickligaste" of "skicklig",
    "quietest" of "quiet"), and not one of the words that name the last or nearest."""
    lower = token.lower
    if (
        not lower.endswith(SUPERLATIVE_ENDINGS.get(lexicon.language, ()))
        or token.lemma == lower
        or lower in lexicon.superlative_form_exceptions
        or token.lemma in lexicon.superlative_form_exceptions
    ):
        return False
    return lower in _superlatives_of(token.lemma, lexicon.language)


@lru_cache(maxsize=20_000)
def _superlatives_of(word: str, language: str) -> frozenset[str]:
    forms = set(inflect(word, language)[1])
    if language == "en" and word[-1:].isalpha():
        # "hot" -> "hottest", "big" -> "biggest"
        forms.add(word + word[-1] + "est")
    return frozenset(forms)


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
            # "shall not fall below 20 °C", "får inte understiga 20 °C": a bound word, then the
            # value.
            after = tokens[position + 1 : position + 1 + BOUND_VERB_REACH]
            bound = next(
                (place for place, other in enumerate(after) if _is_bound_word(other, lexicon)),
                None,
            )
            if bound is not None and any(
                other.is_number or other.lower in lexicon.number_words for other in after[bound:]
            ):
                return True
    return False


def open_ended(sentence: Sentence, lexicon: Lexicon) -> list[Span]:
    text = sentence.text
    tokens = sentence.tokens
    # "bl.a. vid skolor ... enligt turlistan i bilaga 2": the whole list is given elsewhere.
    # Where the last reference starts is found once, so that many markers stay linear.
    last_reference = -1
    for reference in lexicon.reference.finditer(text):
        if not _refers_to_a_property(sentence, reference.start()):
            last_reference = reference.start()
    # "kursen ”Upphandling i praktiken – bl.a. LOU och LUF”": a marker inside quotation marks
    # belongs to a quoted title or name, not to the requirement's own list.
    quoted = [match.span() for match in QUOTED.finditer(text)] if QUOTE_MARKS & set(text) else []
    spans = [
        match.span()
        for match in lexicon.open_ended.finditer(text)
        if not _single_aside(sentence, match.start(), match.end(), match.group().lower(), lexicon)
        and not last_reference >= match.end()
        and not overlaps(match.span(), quoted)
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
        if overlaps(match.span(), quoted):
            continue
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
        if rest >= len(tokens) or last_stop >= rest or last_reference >= match.end():
            continue
        # "e.g. via a control panel": an example of how, not a list of what.
        if tokens[rest].lower in EXAMPLES_OF_HOW:
            continue
        if last_joiner >= rest and not _closed_aside(tokens, before, rest, lexicon):
            spans.append(match.span())
    return merge(spans)


# What a reference may give instead of the list: "enligt den frekvens som anges i bilaga 3"
# gives how often, not which rooms.
PROPERTY_NOUNS = frozenset(
    "frekvens frekvensen intervall intervallet metod metoden nivå nivån tider tiderna "
    "frequency interval method level times schedule".split()
)
PROPERTY_REACH = 4


def _refers_to_a_property(sentence: Sentence, start: int) -> bool:
    return any(
        token.lower in PROPERTY_NOUNS for token in tokens_before(sentence, start, PROPERTY_REACH)
    )


# A quotation: a title or a name in quotation marks, up to a bounded length so that an unclosed
# mark does not swallow the rest of the sentence.
QUOTE_MARKS = frozenset('"”“«»')
QUOTED = re.compile(r'["”“«][^"”“«»\n]{1,200}["”»]')
# Words after "t.ex." or "e.g." that make it an example of how something is done.
EXAMPLES_OF_HOW = frozenset({"via", "genom", "by", "through", "using"})
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


def _single_aside(sentence: Sentence, start: int, end: int, marker: str, lexicon: Lexicon) -> bool:
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
            # "ska, bl.a. vid driftstörningar, kunna nås": the sentence goes on after the
            # aside; "among others mileage, fuel use and idle time": the list goes on.
            following = tokens[index + 1].lower if index + 1 < len(tokens) else ""
            return index > rest and (
                following in lexicon.modals
                or following in lexicon.auxiliaries
                or following in lexicon.obligation_words
                # An English verb is often a noun of a list too ("fuel use").
                or (lexicon.language == "sv" and is_verb(following, "sv"))
            )
    return False
