"""The sentence rules: one small function per rule, each returning the spans it objects to.

Spans are (start, end) offsets in the sentence's own text. The order in `check_sentence` matters:
later rules leave alone what earlier ones explain (a standard is no brand; "där så är lämpligt" is a
loophole, not a vague "lämpligt"; a vague word already tells why a performance word is unmeasured).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property

from app.quality.lexicon import BRAND_MID_SENTENCE, NOT_BRAND, Lexicon
from app.quality.text import Sentence, Token

Span = tuple[int, int]

TRADEMARK = re.compile(r"([\w.+-]+)\s?[™®]")
TITLE_CASE = re.compile(r"[A-ZÅÄÖÉ][a-zåäöéèüæøß]+")
CAMEL_CASE = re.compile(r"[a-zåäöé][A-ZÅÄÖ]|^[a-z][A-Z]")
NAME_LIKE = re.compile(r"[A-ZÅÄÖ][\w.+&-]*|[a-z]+[A-Z][\w.+-]*")
EXPLAINING_MARKS = frozenset({":", "–", "—", "("})
LONG_COMPOUND = 14


# The rules run on one sentence, in the order `check_sentence` reports them.
SENTENCE_RULES: tuple[str, ...] = (
    "brand",
    "standard-equivalent",
    "vague",
    "loophole",
    "open-ended",
    "superlative",
    "compound",
    "solution",
    "unmeasurable",
)


def run_rule(rule: str, sentence: Sentence, lexicon: Lexicon) -> list[Span]:
    """One rule on its own, with whatever it needs computed first (for tests and the bench)."""
    if rule not in SENTENCE_RULES:
        raise ValueError(f"unknown sentence rule: {rule}")
    return getattr(Analysis(sentence, lexicon), rule.replace("-", "_"))


def check_sentence(sentence: Sentence, lexicon: Lexicon) -> list[tuple[str, Span]]:
    """Every (rule, span) the sentence rules find, in rule order."""
    analysis = Analysis(sentence, lexicon)
    return [
        (rule, span)
        for rule in SENTENCE_RULES
        for span in getattr(analysis, rule.replace("-", "_"))
    ]


class Analysis:
    """One sentence and what the rules found in it, each part computed once when first asked."""

    def __init__(self, sentence: Sentence, lexicon: Lexicon) -> None:
        self.sentence = sentence
        self.lexicon = lexicon

    @cached_property
    def standards(self) -> list[Span]:
        return find_standards(self.sentence, self.lexicon)

    @cached_property
    def brand(self) -> list[Span]:
        return brand(self.sentence, self.lexicon, self.standards)

    @cached_property
    def standard_equivalent(self) -> list[Span]:
        return standard_equivalent(self.sentence, self.lexicon, self.standards)

    @cached_property
    def loophole(self) -> list[Span]:
        return loophole(self.sentence, self.lexicon)

    @cached_property
    def masked(self) -> list[Span]:
        return [*self.standards, *self.loophole]

    @cached_property
    def vague(self) -> list[Span]:
        return vague(self.sentence, self.lexicon, self.masked)

    @cached_property
    def superlative(self) -> list[Span]:
        return superlative(self.sentence, self.lexicon, self.masked)

    @cached_property
    def open_ended(self) -> list[Span]:
        return open_ended(self.sentence, self.lexicon)

    @cached_property
    def compound(self) -> list[Span]:
        return compound(self.sentence, self.lexicon)

    @cached_property
    def solution(self) -> list[Span]:
        return solution(self.sentence, self.lexicon, self.brand)

    @cached_property
    def unmeasurable(self) -> list[Span]:
        if self.vague or self.superlative:
            return []
        return unmeasurable(self.sentence, self.lexicon)


# --- standards and brands ---------------------------------------------------------------------


def find_standards(sentence: Sentence, lexicon: Lexicon) -> list[Span]:
    """Every standard citation and label, with or without "or equivalent"."""
    return [match.span() for match in lexicon.standards.finditer(sentence.text)]


def standard_equivalent(sentence: Sentence, lexicon: Lexicon, standards: list[Span]) -> list[Span]:
    return [span for span in standards if not _equivalent_follows(sentence, lexicon, span[1])]


def _equivalent_follows(sentence: Sentence, lexicon: Lexicon, offset: int) -> bool:
    return lexicon.equivalence.search(sentence.text, offset) is not None


def brand(sentence: Sentence, lexicon: Lexicon, standards: list[Span]) -> list[Span]:
    tokens = sentence.tokens
    words = sentence.words
    found: list[Span] = []
    not_brand: list[Span] = list(standards)
    index = 0
    while index < len(tokens):
        # "Word", "Teams", "Visa" are brands only inside a sentence.
        skip = BRAND_MID_SENTENCE if tokens[index].opens_sentence else ""
        size, kind, first_word = lexicon.names.match_at(words, index, skip)
        if not size:
            index += 1
            continue
        # The name itself, without a genitive or the rest of a compound ("Jabra-högtalare").
        end = tokens[index].start + len(first_word) if size == 1 else tokens[index + size - 1].end
        span = (tokens[index].start, end)
        if kind == NOT_BRAND:
            not_brand.append(span)
        elif not _is_unit(tokens, index, lexicon):
            found.append(span)
        index += size
    found += _trademarks(sentence)
    found += _marked_names(sentence, lexicon)
    for index, token in enumerate(tokens):
        if not token.is_word:
            continue
        if _is_product_case(token, lexicon) or (
            _is_unlisted_name(tokens, index, lexicon)
            and (lexicon.capitalised_words or _names_goods(tokens, index, lexicon))
        ):
            found.append((token.start, token.end))
    return [
        span
        for span in _merge(found)
        if not _overlaps(span, not_brand) and not _equivalent_follows(sentence, lexicon, span[1])
    ]


def _is_unit(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> bool:
    # "0,5 Tesla", "20 grader Celsius": a unit named after a person, not the company.
    if tokens[index].text not in lexicon.units_named_after_people or index == 0:
        return False
    previous = tokens[index - 1]
    return previous.is_number or previous.lower in lexicon.unit_words


def _trademarks(sentence: Sentence) -> list[Span]:
    return [match.span(1) for match in TRADEMARK.finditer(sentence.text)]


def _marked_names(sentence: Sentence, lexicon: Lexicon) -> list[Span]:
    """The name after "av märket", "fabrikat", "modell", "typ", "brand", "make", "model"."""
    spans: list[Span] = []
    tokens = sentence.tokens
    for match in lexicon.brand_markers.finditer(sentence.text):
        index = sentence.token_at(match.end())
        if index >= len(tokens) or not _looks_like_name(tokens[index].text):
            continue
        last = index
        # "Volvo XC40", "Ergolux 300", "Toyota Proace": a model code or second name word.
        if last + 1 < len(tokens) and (
            tokens[last + 1].is_number or _looks_like_name(tokens[last + 1].text)
        ):
            last += 1
        spans.append((tokens[index].start, tokens[last].end))
    return spans


def _looks_like_name(word: str) -> bool:
    if len(word) < 2 or word.isdigit() or re.match(r"^[A-Z]-", word):
        return False
    return NAME_LIKE.fullmatch(word) is not None


def _is_product_case(token: Token, lexicon: Lexicon) -> bool:
    """Mixed case inside a word ("SharePoint", "iPad", "PowerBI"): a product name."""
    for part in token.text.split("-"):
        if part in lexicon.mixed_case_terms or part.rstrip("s") in lexicon.mixed_case_terms:
            continue
        if CAMEL_CASE.search(part):
            return True
    return False


def _names_goods(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> bool:
    """A name right before a kind of goods, or one word before it ("Duralex plates", "a Rational
    combi oven"), or after goods and "from"/"by" ("software from Skyresponse")."""
    previous = _previous_word(tokens, index)
    if previous is not None and previous.lower in lexicon.maker_prepositions:
        goods = _previous_word(tokens, index - 1)
        if goods is not None and goods.lower in lexicon.product_nouns:
            return True
    following = _next_word(tokens, index)
    if following is None:
        return False
    if following.lower in lexicon.product_nouns:
        return True
    after = _next_word(tokens, index + 1)
    return following.text.islower() and after is not None and after.lower in lexicon.product_nouns


def _is_unlisted_name(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> bool:
    """A capitalised word inside a sentence that is no place, body, law, unit or defined term."""
    token = tokens[index]
    if token.opens_sentence:
        return False
    head = token.text.split("-", 1)[0].split(":", 1)[0]
    if not TITLE_CASE.fullmatch(head):
        return False
    # A long capitalised word is a Swedish compound ("Konsumentprisindex"), seldom a brand.
    if len(head) >= LONG_COMPOUND:
        return False
    bare = head[:-1] if head.endswith("s") and len(head) > 4 else head
    if head in lexicon.names or bare in lexicon.names:
        return False
    if bare in lexicon.units_named_after_people or head in lexicon.units_named_after_people:
        return False
    forms = (head.lower(), bare.lower())
    if any(form.endswith(lexicon.name_endings) for form in forms):
        return False
    return not _is_place(tokens, index, forms, lexicon)


def _is_place(
    tokens: tuple[Token, ...], index: int, forms: tuple[str, ...], lexicon: Lexicon
) -> bool:
    if any(form.endswith(lexicon.place_endings) for form in forms):
        return True
    following = _next_word(tokens, index)
    if following is not None and following.lower in lexicon.place_words:
        return True
    previous = _previous_word(tokens, index)
    if previous is not None and previous.text in lexicon.place_prefixes:
        return True
    # "Västra Götaland", "Norra Djurgården": the prefix itself.
    return (
        tokens[index].text in lexicon.place_prefixes
        and following is not None
        and TITLE_CASE.match(following.text) is not None
    )


# --- wording rules ------------------------------------------------------------------------------


def loophole(sentence: Sentence, lexicon: Lexicon) -> list[Span]:
    text = sentence.text
    exceptions = [match.span() for match in lexicon.loophole_exceptions.finditer(text)]
    spans = [
        match.span()
        for match in lexicon.loophole.finditer(text)
        if not _overlaps(match.span(), exceptions)
    ]
    # "normalt", "usually": a loophole only where it softens the obligation ("ska normalt ske"),
    # not as an adjective ("normalt brukande").
    neighbours = lexicon.modals | lexicon.loophole_neighbours
    tokens = sentence.tokens
    for index, token in enumerate(tokens):
        if token.lower not in lexicon.loophole_modal_bound:
            continue
        previous = _previous_word(tokens, index)
        following = _next_word(tokens, index)
        if (
            token.opens_sentence
            or (previous is not None and previous.lower in neighbours)
            or (following is not None and following.lower in neighbours)
        ):
            spans.append((token.start, token.end))
    return _merge(spans)


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
        if not _overlaps(span, masked)
        and not _overlaps(span, exceptions)
        and not _has_value_near(sentence, lexicon, span)
    ]
    return _merge(spans)


def superlative(sentence: Sentence, lexicon: Lexicon, masked: list[Span]) -> list[Span]:
    text = sentence.text
    exceptions = [match.span() for match in lexicon.superlative_exceptions.finditer(text)]
    candidates = [match.span() for match in lexicon.superlative_phrases.finditer(text)]
    candidates += [
        (token.start, token.end)
        for token in sentence.tokens
        if token.lower in lexicon.superlative_words
    ]
    spans = [
        span
        for span in candidates
        if not _overlaps(span, masked) and not _overlaps(span, exceptions)
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
            or _overlaps(span, masked)
            or _overlaps(span, exceptions)
            or _has_value_near(sentence, lexicon, span)
        ):
            continue
        spans.append(span)
    return _merge(spans)


def open_ended(sentence: Sentence, lexicon: Lexicon) -> list[Span]:
    text = sentence.text
    spans = [match.span() for match in lexicon.open_ended.finditer(text)]
    tokens = sentence.tokens
    for index, token in enumerate(tokens):
        # "mm" as "med mera", not millimetres after a number.
        if token.lower == "mm" and index > 0 and not tokens[index - 1].is_number:
            spans.append((token.start, token.end))
    # "t.ex.", "such as": open when the examples run to the end of the sentence, outside brackets.
    for match in lexicon.example_markers.finditer(text):
        if text.count("(", 0, match.start()) > text.count(")", 0, match.start()):
            continue
        # "ska t.ex. ges på svenska": an example of how, not a list of what.
        before = sentence.token_at(match.start()) - 1
        if before >= 0 and tokens[before].lower in lexicon.obligation_words:
            continue
        rest = sentence.tokens[sentence.token_at(match.end()) :]
        if not rest or any(token.lower in lexicon.modals or token.text == ")" for token in rest):
            continue
        if any(token.lower in lexicon.list_joiners for token in rest):
            spans.append(match.span())
    return _merge(spans)


def compound(sentence: Sentence, lexicon: Lexicon) -> list[Span]:
    """Two modal clauses joined by "och"/"and"/a comma: two requirements in one sentence."""
    tokens = sentence.tokens
    modal_indexes = [index for index, token in enumerate(tokens) if token.lower in lexicon.modals]
    spans: list[Span] = []
    for first, second in zip(modal_indexes, modal_indexes[1:], strict=False):
        joiner = _last_joiner(tokens, first, second, lexicon)
        if joiner is None:
            continue
        between = tokens[joiner + 1 : second]
        if any(token.lower in lexicon.subordinators for token in between):
            continue
        if sum(token.is_word for token in between) > 4:
            continue
        spans.append((tokens[joiner].start, tokens[second].end))
    return spans


def _last_joiner(
    tokens: tuple[Token, ...], first: int, second: int, lexicon: Lexicon
) -> int | None:
    for index in range(second - 1, first, -1):
        if tokens[index].lower in lexicon.coordinators:
            return index
    return None


def solution(sentence: Sentence, lexicon: Lexicon, brands: list[Span]) -> list[Span]:
    spans: list[Span] = []
    for match in lexicon.solution.finditer(sentence.text):
        # Start after the modal verb: the words that prescribe are the finding.
        modal = re.match(r"\S+\s+", match.group())
        start = match.start() + (modal.end() if modal else 0)
        span = (start, match.end())
        if not _overlaps(span, brands):
            spans.append(span)
    return spans


def unmeasurable(sentence: Sentence, lexicon: Lexicon) -> list[Span]:
    text = sentence.text
    if not sentence.has_word(lexicon.obligation_words):
        return []
    if sentence.has_word(lexicon.reporting_verbs):
        return []
    if any(token.is_number or token.lower in lexicon.number_words for token in sentence.tokens):
        return []
    if lexicon.reference.search(text) or lexicon.performance_exceptions.search(text):
        return []
    return [match.span() for match in lexicon.performance.finditer(text)]


# --- helpers ------------------------------------------------------------------------------------


def _has_value_near(sentence: Sentence, lexicon: Lexicon, span: Span) -> bool:
    """A number (or a reference to where the value is) a few words after or before the span:
    "snabb: inom 2 sekunder", "fast, within 2 seconds", "30 procent lägre"."""
    tokens = sentence.tokens
    first = sentence.token_at(span[0])
    last = sentence.token_at(span[1])
    # After a colon or a dash the value explains the word, even in a clause of its own:
    # "snabbt: sidor ska laddas inom 2 sekunder".
    explained = last < len(tokens) and tokens[last].text in EXPLAINING_MARKS
    if _window_has_value(tokens[last:], lexicon, lexicon.value_window_after, explained):
        return True
    if _window_has_value(tokens[:first][::-1], lexicon, lexicon.value_window_before):
        return True
    if not tokens:
        return False
    window_end = max(tokens[min(len(tokens), last + lexicon.value_window_after) - 1].end, span[1])
    return lexicon.reference.search(sentence.text, span[1], window_end) is not None


def _window_has_value(
    tokens: Iterable[Token], lexicon: Lexicon, size: int, explained: bool = False
) -> bool:
    seen = 0
    for token in tokens:
        if token.lower in lexicon.clause_breaks or (
            token.lower in lexicon.modals and not explained
        ):
            return False
        if token.is_number or token.lower in lexicon.number_words:
            return True
        if token.is_word:
            seen += 1
            if seen >= size:
                return False
    return False


def _previous_word(tokens: tuple[Token, ...], index: int) -> Token | None:
    return tokens[index - 1] if index > 0 and tokens[index - 1].is_word else None


def _next_word(tokens: tuple[Token, ...], index: int) -> Token | None:
    return tokens[index + 1] if index + 1 < len(tokens) and tokens[index + 1].is_word else None


def _overlaps(span: Span, others: Iterable[Span]) -> bool:
    return any(span[0] < other[1] and other[0] < span[1] for other in others)


def _merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted, with overlapping spans joined."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
