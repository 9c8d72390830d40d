"""The sentence rules: one small function per rule, each returning the spans it objects to.

Spans are (start, end) offsets in the sentence's own text. The order in `check_sentence` matters:
later rules leave alone what earlier ones explain (a standard is no brand; "där så är lämpligt" is a
loophole, not a vague "lämpligt"; a vague word already tells why a performance word is unmeasured).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from functools import cached_property

from app.quality.lexicon import BRAND_MID_SENTENCE, NOT_BRAND, CompiledArea, Lexicon
from app.quality.text import Sentence, Token
from app.quality.vocabulary import compound_head, is_participle, is_verb, is_word

Span = tuple[int, int]

# The lookbehind starts a name only where one begins, and the possessive quantifier never gives
# back: each character is read once (a plain `[\w.+-]+\s?[™®]` is quadratic on a long word).
TRADEMARK = re.compile(r"(?<![\w.+-])([\w.+-]++)\s?[™®]")
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


Details = dict[str, str]


def run_rule(rule: str, sentence: Sentence, lexicon: Lexicon) -> list[Span]:
    """One rule on its own, with whatever it needs computed first (for tests and the bench)."""
    if rule not in SENTENCE_RULES:
        raise ValueError(f"unknown sentence rule: {rule}")
    return getattr(Analysis(sentence, lexicon), rule.replace("-", "_"))


def check_sentence(sentence: Sentence, lexicon: Lexicon) -> list[tuple[str, Span, Details]]:
    """Every (rule, span, details) the sentence rules find, in rule order. Details explain a
    finding beyond its words: the demands of a compound, the area of a solution, the evidence
    for a product name."""
    analysis = Analysis(sentence, lexicon)
    return [
        (rule, span, analysis.details.get((rule, span), {}))
        for rule in SENTENCE_RULES
        for span in getattr(analysis, rule.replace("-", "_"))
    ]


class Analysis:
    """One sentence and what the rules found in it, each part computed once when first asked."""

    def __init__(self, sentence: Sentence, lexicon: Lexicon) -> None:
        self.sentence = sentence
        self.lexicon = lexicon
        self.details: dict[tuple[str, Span], Details] = {}

    @cached_property
    def last_equivalence(self) -> int:
        """Where the last "eller likvärdigt" starts (-1 if none): a name before it is accepted.
        Found once per sentence, so that many names do not make the rule quadratic."""
        last = -1
        for match in self.lexicon.equivalence.finditer(self.sentence.text):
            last = match.start()
        return last

    @cached_property
    def required_by_law(self) -> bool:
        return self.lexicon.law_phrases.search(self.sentence.text) is not None

    @cached_property
    def standards(self) -> list[Span]:
        return find_standards(self.sentence, self.lexicon)

    @cached_property
    def brand(self) -> list[Span]:
        return brand(self, self.standards)

    @cached_property
    def standard_equivalent(self) -> list[Span]:
        if self.required_by_law:
            return []
        return [span for span in self.standards if self.last_equivalence < span[1]]

    @cached_property
    def loophole(self) -> list[Span]:
        return loophole(self.sentence, self.lexicon)

    @cached_property
    def masked(self) -> list[Span]:
        return _merge([*self.standards, *self.loophole])

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
        return compound(self)

    @cached_property
    def solution(self) -> list[Span]:
        return solution(self, self.brand)

    @cached_property
    def unmeasurable(self) -> list[Span]:
        spans = unmeasurable(self.sentence, self.lexicon)
        if not spans or not (self.vague or self.superlative):
            return spans
        # "acceptabel ljudnivå", "reasonable delivery times": the vague word says why the
        # performance has no value, but the performance word is what needs one.
        return [span for span in spans if _qualified_by(self.sentence, span, self.vague)]


# --- standards and brands ---------------------------------------------------------------------


def find_standards(sentence: Sentence, lexicon: Lexicon) -> list[Span]:
    """Every standard citation and label, with or without "or equivalent": the listed ones,
    and certifications, labels and ratings known from how they are asked for."""
    spans = [match.span() for match in lexicon.standards.finditer(sentence.text)]
    spans += [
        match.span()
        for match in lexicon.label_patterns.finditer(sentence.text)
        if match.end() > match.start()
    ]
    return _merge(spans)


def brand(analysis: Analysis, standards: list[Span]) -> list[Span]:
    sentence, lexicon = analysis.sentence, analysis.lexicon
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
    found += _product_words(analysis, not_brand)
    for index, token in enumerate(tokens):
        if not token.is_word:
            continue
        if _is_product_case(token, lexicon) or (
            _is_unlisted_name(tokens, index, lexicon)
            and (lexicon.capitalised_words or _names_goods(tokens, index, lexicon))
        ):
            found.append((token.start, token.end))
    not_brand = _merge(not_brand)
    return [
        span
        for span in _merge(found)
        if not _overlaps(span, not_brand) and analysis.last_equivalence < span[1]
    ]


def _product_words(analysis: Analysis, not_brand: list[Span]) -> list[Span]:
    """Product names beyond the lexicon of capitalised names: a brand word in lower case or
    inside a compound ("zoomlänk", "a slack channel"), and a word that is no word of Swedish or
    English ("chromebook", "Lumatab")."""
    sentence, lexicon = analysis.sentence, analysis.lexicon
    tokens = sentence.tokens
    spans: list[Span] = []
    for index, token in enumerate(tokens):
        if not token.is_word or len(token.text) < 3:
            continue
        evidence = _brand_word(tokens, index, lexicon) or _unknown_word(tokens, index, lexicon)
        if evidence:
            span = (token.start, token.end)
            spans.append(span)
            analysis.details[("brand", span)] = {"evidence": evidence}
    return spans


def _brand_word(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> str:
    lower = tokens[index].lower
    # Capitalised names are the lexicon's ("Tesla" may be a unit; the lexicon knows when).
    if len(lower) > 40 or not tokens[index].text[:1].islower():
        return ""
    following = _next_word(tokens, index)
    context = following is not None and following.lower in lexicon.context_nouns
    for word, alone in lexicon.brand_words.items():
        if not lower.startswith(word):
            continue
        rest = lower[len(word) :].lstrip("-")
        if not rest:
            if alone or context:
                return "brand-word"
            continue
        # "zoomlänk", "teamsmöte", "excelfiler": the brand word, then a word of the language.
        if rest in {"s", "en", "et", "ar", "er"}:
            if alone:
                return "brand-word"
            continue
        if len(rest) >= 3 and (is_word(rest, lexicon.known_words) or rest in lexicon.context_nouns):
            return "brand-compound"
    return ""


def _unknown_word(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> str:
    token = tokens[index]
    text = token.text
    if len(text) < 4 or not text.replace("-", "").isalpha() or text.isupper():
        return ""
    if any(character.isupper() for character in text[1:]):
        return ""  # mixed case has its own rule
    if lexicon.names.match_at([text], 0)[0] or text in lexicon.units_named_after_people:
        return ""
    if token.lower in lexicon.known_words or is_word(token.lower, lexicon.known_words):
        return ""
    # Proper names of places and bodies are no words of the dictionary either: a capitalised
    # unknown word is left to the rules that see it beside goods or after "modell".
    if text[0].isupper():
        return ""
    # Rare technical words keep the endings of the language ("tankning", "reflektans").
    if token.lower.endswith(lexicon.word_endings):
        return ""
    return "unknown-word"


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
            or _bound_value(sentence, lexicon, span)
        ):
            continue
        spans.append(span)
    return _merge(spans)


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


def compound(analysis: Analysis) -> list[Span]:
    """Several demands in one sentence: two modal clauses, or coordinated verb phrases after one
    modal ("leverera X, installera Y och utbilda Z"), or a list of deliverables after "ansvarar
    för", "omfatta", "provide" (with "samt"/"as well as", or of pieces of work)."""
    sentence, lexicon = analysis.sentence, analysis.lexicon
    spans = _modal_clauses(sentence, lexicon)
    if not spans:
        spans = _coordinated_demands(analysis)
    return spans


def _modal_clauses(sentence: Sentence, lexicon: Lexicon) -> list[Span]:
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


def _coordinated_demands(analysis: Analysis) -> list[Span]:
    sentence, lexicon = analysis.sentence, analysis.lexicon
    tokens = sentence.tokens
    start = _demand_start(sentence, lexicon)
    if start is None:
        return []
    index, kind = start
    capability = index > 0 and tokens[index - 1].lower in {"kunna", "able", "to"}
    conjuncts = _conjuncts(tokens, index, lexicon)
    if len(conjuncts) < 2:
        return []
    additive = any(
        lexicon.additive_joiners.match(sentence.text, tokens[last + 1].start) is not None
        for _first, last in conjuncts[:-1]
        if last + 1 < len(tokens)
    )
    if kind == "verb":
        # A verb with an object of its own is a demand of its own; "leverera, montera och
        # placera möblerna" shares one object and is one demand.
        participle = _is_participle_form(tokens[conjuncts[0][0]], lexicon)
        demands = [
            conjunct
            for position, conjunct in enumerate(conjuncts)
            if _is_infinitive(tokens, conjunct[0], lexicon, position > 0)
            # "be below 60 kg, calculated for ...": a participle after an infinitive is an
            # adverbial, not a second demand.
            and _is_participle_form(tokens[conjunct[0]], lexicon) == participle
            and conjunct[1] > conjunct[0]
            and not (position > 0 and tokens[conjunct[0]].lower in {"ha", "have", "vara", "be"})
        ]
        if not demands or demands[0] != conjuncts[0]:
            return []
        # "skapa rapporter och exportera dem": the second verb goes on with the first's object.
        if len(demands) == 2 and tokens[demands[1][0] + 1].lower in lexicon.chain_pronouns:
            return []
        # "ska kunna skicka larm och ge talkontakt": one capability unless "samt" adds one.
        if len(demands) < (2 if additive else 3) or (capability and not additive):
            return []
    else:
        additive = any(
            lexicon.additive_joiners.fullmatch(tokens[last + 1].lower) is not None
            for _first, last in conjuncts[:-1]
            if last + 1 < len(tokens)
        )
        work = [conjunct for conjunct in conjuncts if _is_piece_of_work(tokens, conjunct, lexicon)]
        scope = tokens[index - 1].lemma if index > 0 else ""
        listing_work = scope in {
            "omfatta",
            "inkludera",
            "innefatta",
            "include",
            "comprise",
            "cover",
        }
        if not (kind == "responsibility" or additive or (listing_work and len(work) >= 3)):
            return []
        demands = conjuncts
    parts = [
        " ".join(token.text for token in tokens[first : min(last, first + 3) + 1])
        for first, last in demands
    ]
    span = (tokens[demands[1][0] - 1].start, tokens[demands[-1][1]].end)
    analysis.details[("compound", span)] = {"parts": "; ".join(parts), "count": str(len(demands))}
    return [span]


def _demand_start(sentence: Sentence, lexicon: Lexicon) -> tuple[int, str] | None:
    """Where the demanded thing starts: (token index, "verb" | "responsibility" | "scope")."""
    tokens = sentence.tokens
    match = lexicon.responsibility.search(sentence.text)
    if match:
        index = sentence.token_at(match.end())
        if index < len(tokens) and tokens[index].lower in {"att", "to"}:
            return index + 1, "verb"
        return index, "responsibility"
    for index, token in enumerate(tokens):
        if token.lower not in lexicon.modals:
            continue
        following = index + 1
        # "ska kunna", "ska även", "shall be able to": to the verb that carries the demand.
        while following < len(tokens) and (
            tokens[following].lower in lexicon.auxiliaries
            or tokens[following].lower in lexicon.fillers
            or tokens[following].lower in {"inte", "not", "to", ","}
        ):
            following += 1
        if following < len(tokens) and tokens[following].lemma in lexicon.scope_verbs:
            return following + 1, "scope"
        if following > index + 1 and tokens[following - 1].lower in lexicon.auxiliaries:
            # "ska vara eldrivna, ha ...": the auxiliary is the first verb.
            return following - 1, "verb"
        return following, "verb"
    return None


def _conjuncts(tokens: tuple[Token, ...], start: int, lexicon: Lexicon) -> list[tuple[int, int]]:
    """(first, last) token indexes of the items of the top-level list that starts at `start`,
    up to a subordinate clause, a bracket or the end of the sentence."""
    conjuncts: list[tuple[int, int]] = []
    first = start
    index = start
    depth = 0
    while index < len(tokens):
        token = tokens[index]
        if token.text in "([":
            depth += 1
        elif token.text in ")]":
            depth = max(0, depth - 1)
        elif (
            depth == 0
            and (token.lower in lexicon.subordinators or token.lower in lexicon.modals)
            and not _joiner_length(tokens, index, lexicon)
        ):
            break
        elif depth == 0 and token.lower in lexicon.compound_joiners | {"samt", "as"}:
            joined = _joiner_length(tokens, index, lexicon)
            if joined:
                if index > first:
                    conjuncts.append((first, index - 1))
                index += joined
                while index < len(tokens) and tokens[index].lower in lexicon.fillers:
                    index += 1
                first = index
                continue
        index += 1
    if first < min(index, len(tokens)):
        conjuncts.append((first, min(index, len(tokens)) - 1))
    return [(first, last) for first, last in conjuncts if tokens[first].is_word]


def _joiner_length(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> int:
    lower = tokens[index].lower
    if lower == "as":
        words = [token.lower for token in tokens[index : index + 3]]
        return 3 if words == ["as", "well", "as"] else 0
    if lower not in lexicon.compound_joiners and lower != "samt":
        return 0
    if lower == ",":
        following = _next_word(tokens, index)
        # "och," "and,": the word after the comma decides.
        return 2 if following is not None and following.lower in lexicon.compound_joiners else 1
    return 1


def _is_participle_form(token: Token, lexicon: Lexicon) -> bool:
    lower = token.lower
    if lexicon.language == "en":
        return lower.endswith(("ed", "ing")) or lower in {"kept", "held", "sent", "written"}
    return lower.endswith(("ad", "at", "ade", "ande", "ende", "d", "t"))


ENGLISH_OBJECT_STARTS = frozenset(
    "the a an all every each any its their them it this these those his her our to of in on at "
    "for with from up out back off down by over into before after".split()
)


def _is_infinitive(
    tokens: tuple[Token, ...], index: int, lexicon: Lexicon, coordinated: bool
) -> bool:
    token = tokens[index]
    if not token.is_word or token.is_number:
        return False
    if token.lower in lexicon.auxiliaries or token.lower in {"ha", "have", "vara", "be"}:
        return True
    if lexicon.language == "en" and coordinated and not is_participle(token.lower):
        # English nouns are verbs too ("plate waste", "change"): a verb after a joiner is one
        # only when an object or an adverbial follows it ("collect the packaging").
        following = tokens[index + 1].lower if index + 1 < len(tokens) else ""
        if following not in ENGLISH_OBJECT_STARTS and not following.endswith("ly"):
            return False
    return is_verb(token.lower, lexicon.language) or (
        lexicon.language == "en" and is_participle(token.lower)
    )


def _is_piece_of_work(
    tokens: tuple[Token, ...], conjunct: tuple[int, int], lexicon: Lexicon
) -> bool:
    """An item that names work ("städning", "installation", "support") rather than a thing."""
    for token in tokens[conjunct[0] : min(conjunct[1], conjunct[0] + 3) + 1]:
        if not token.is_word or len(token.lower) > 40:
            continue
        if token.lemma in lexicon.action_nouns or token.lower in lexicon.action_nouns:
            return True
        if compound_head(token.lower, lexicon.action_nouns, ()) is not None:
            return True
        if len(token.lower) > 5 and token.lower.endswith(lexicon.action_noun_endings):
            return True
    return False


def _last_joiner(
    tokens: tuple[Token, ...], first: int, second: int, lexicon: Lexicon
) -> int | None:
    for index in range(second - 1, first, -1):
        if tokens[index].lower in lexicon.coordinators:
            return index
    return None


def solution(analysis: Analysis, brands: list[Span]) -> list[Span]:
    sentence, lexicon = analysis.sentence, analysis.lexicon
    spans: list[Span] = []
    for match in lexicon.solution.finditer(sentence.text):
        # Start after the modal verb: the words that prescribe are the finding.
        modal = re.match(r"\S+\s+", match.group())
        start = match.start() + (modal.end() if modal else 0)
        span = (start, match.end())
        if not _overlaps(span, brands):
            spans.append(span)
    if spans or not sentence.has_word(lexicon.obligation_words):
        return spans
    if sentence.has_word(lexicon.service_verbs):
        return spans
    for area, span in _components(sentence, lexicon):
        if _has_function(sentence, area) or _overlaps(span, brands):
            continue
        spans.append(span)
        analysis.details[("solution", span)] = {"area": area.id}
        break
    return spans


def _components(sentence: Sentence, lexicon: Lexicon) -> Iterable[tuple[CompiledArea, Span]]:
    """The components named in the sentence, with their area: a few lookups per token."""
    tokens = sentence.tokens
    lemmas = [token.lemma for token in tokens]
    lowers = [token.lower for token in tokens]
    for index, token in enumerate(tokens):
        if not token.is_word:
            continue
        for area in lexicon.solution_areas:
            for phrase in area.component_phrases:
                if phrase[0] not in (token.lemma, token.lower):
                    continue
                end = index + len(phrase)
                if tuple(lemmas[index:end]) == phrase or tuple(lowers[index:end]) == phrase:
                    yield area, (token.start, tokens[end - 1].end)
            if token.lower in area.component_heads or token.lemma in area.component_heads:
                yield area, (token.start, token.end)
            elif lexicon.language == "sv" and (
                compound_head(token.lower, area.component_heads, SOLUTION_ENDINGS) is not None
            ):
                yield area, (token.start, token.end)


SOLUTION_ENDINGS = ("arna", "erna", "orna", "ar", "er", "or", "en", "et", "n", "na")


def _has_function(sentence: Sentence, area: CompiledArea) -> bool:
    if sentence.has_word(area.functions):
        return True
    lower = sentence.text.lower()
    if any(term in lower for term in area.functions if not term.isalpha()):
        return True
    for token in sentence.tokens:
        if token.is_word and compound_head(token.lower, area.functions, SOLUTION_ENDINGS):
            return True
    lemmas = [token.lemma for token in sentence.tokens]
    starts = {phrase[0] for phrase in area.function_phrases}
    return any(
        tuple(lemmas[index : index + len(phrase)]) == phrase
        for index, word in enumerate(lemmas)
        if word in starts
        for phrase in area.function_phrases
        if phrase[0] == word
    )


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
    spans = [match.span() for match in lexicon.performance.finditer(text)]
    for token in sentence.tokens:
        if token.is_word and compound_head(
            token.lower, lexicon.performance_heads, SOLUTION_ENDINGS
        ):
            spans.append((token.start, token.end))
    return _merge(spans)


def _qualified_by(sentence: Sentence, span: Span, vague_spans: list[Span]) -> bool:
    """Whether a vague word stands right before the performance word ("låg ljudnivå")."""
    index = sentence.token_at(span[0])
    for previous in range(max(0, index - 2), index):
        token = sentence.tokens[previous]
        if _overlaps((token.start, token.end), vague_spans):
            return True
    return False


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


def _overlaps(span: Span, others: list[Span]) -> bool:
    """Whether `span` overlaps any of `others`, which `_merge` has sorted and joined: a binary
    search, so that checking every candidate against every mask stays linear in practice."""
    if len(others) < 8:
        return any(span[0] < other[1] and other[0] < span[1] for other in others)
    position = bisect_left(others, (span[1], -1)) - 1
    return position >= 0 and others[position][1] > span[0]


def _merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted, with overlapping spans joined."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
