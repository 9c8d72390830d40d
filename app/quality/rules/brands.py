"""Brands, product names and standards: names a requirement may not use without "or equivalent"."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from app.quality.lexicon import BRAND_MID_SENTENCE, BRAND_WORD_START, NOT_BRAND, Lexicon
from app.quality.rules.spans import Span, merge, next_word, overlaps, previous_word
from app.quality.text import Sentence, Token
from app.quality.vocabulary import in_dictionary, is_word

if TYPE_CHECKING:
    from app.quality.rules import Analysis

# The lookbehind starts a name only where one begins, and the possessive quantifier never gives
# back: each character is read once (a plain `[\w.+-]+\s?[™®]` is quadratic on a long word).
TRADEMARK = re.compile(r"(?<![\w.+-])([\w.+-]++)\s?[™®]")
TITLE_CASE = re.compile(r"[A-ZÅÄÖÉ][a-zåäöéèüæøß]+")
CAMEL_CASE = re.compile(r"[a-zåäöé][A-ZÅÄÖ]|^[a-z][A-Z]")
NAME_LIKE = re.compile(r"[A-ZÅÄÖ][\w.+&-]*|[a-z]+[A-Z][\w.+-]*")
LONG_COMPOUND = 14
# A model code: letters and digits in one word ("xc40", "m404dn", "i7-1355u").
MODEL_CODE = re.compile(r"(?=[\w-]*\d)(?=[\w-]*[a-zåäö])[a-zåäö\d][\w-]*", re.IGNORECASE)
# Prefixes that negate a word of the language: "o" + "bestruket", "un" + "branded".
NEGATING_PREFIXES = {"sv": ("o",), "en": ("un", "non")}


def find_standards(sentence: Sentence, lexicon: Lexicon) -> list[Span]:
    """Every standard citation and label, with or without "or equivalent": the listed ones,
    and certifications, labels and ratings known from how they are asked for."""
    spans = [match.span() for match in lexicon.standards.finditer(sentence.text)]
    spans += [
        match.span()
        for match in lexicon.label_patterns.finditer(sentence.text)
        if match.end() > match.start()
    ]
    return merge(spans)


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
    found += _capitals_after_maker(sentence, lexicon)
    found += _product_words(analysis, not_brand)
    for index, token in enumerate(tokens):
        if not token.is_word:
            continue
        if _is_product_case(token, lexicon) or (
            _is_unlisted_name(tokens, index, lexicon)
            and (lexicon.capitalised_words or _names_goods(tokens, index, lexicon))
        ):
            found.append((token.start, token.end))
    not_brand = merge(not_brand)
    return [
        span
        for span in merge(found)
        if not overlaps(span, not_brand) and analysis.last_equivalence < span[1]
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
    if len(lower) > 40:
        return ""
    # Capitalised names are the lexicon's ("Tesla" may be a unit; the lexicon knows when); a
    # capitalised compound inside the sentence ("Kinnarpsstolar") is read as one of a brand.
    capitalised = not tokens[index].text[:1].islower()
    if capitalised and (tokens[index].opens_sentence or not lower.isalpha()):
        return ""
    following = next_word(tokens, index)
    context = (following is not None and following.lower in lexicon.context_nouns) or (
        _ends_clause_after_preposition(tokens, index, lexicon)
    )
    for word, alone in lexicon.brand_words_by_start.get(lower[:BRAND_WORD_START], ()):
        if not lower.startswith(word):
            continue
        rest = lower[len(word) :].lstrip("-")
        if capitalised and len(rest) < 3:
            continue
        if not rest:
            if alone or context:
                return "brand-word"
            continue
        # "zoomlänk", "teamsmöte", "excelfiler": the brand word, then a word of the language.
        if rest in {"s", "en", "et", "ar", "er"}:
            if alone:
                return "brand-word"
            continue
        if (
            len(rest) >= 3
            and (is_word(rest, lexicon.known_words) or rest in lexicon.context_nouns)
            # "rationalisering", "excellent": a word of the language that begins like a brand.
            and not in_dictionary(lower)
        ):
            return "brand-compound"
    return ""


def _ends_clause_after_preposition(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> bool:
    """A tool named after a preposition, ending a clause: "recorded in zoom", "via meet, then"."""
    if tokens[index].lower not in lexicon.brand_words_after_preposition:
        return False
    previous = previous_word(tokens, index)
    if previous is None or previous.lower not in lexicon.product_prepositions:
        return False
    # "över zoom varje vecka": a determiner or an adverb of time may follow the tool's name.
    return (
        index + 1 >= len(tokens)
        or not tokens[index + 1].is_word
        or tokens[index + 1].lower in TIME_WORDS
    )


# Words that may follow a tool named after a preposition: "via zoom varje vecka", "in meet
# every week".
TIME_WORDS = frozenset(
    "varje varannan en ett två dagligen veckovis månadsvis minst efter före under med och "
    "every each once twice daily weekly monthly at least after before during with and "
    "utan without direkt directly".split()
)


SWEDISH_PARTICLES = (
    "i",
    "in",
    "ut",
    "upp",
    "av",
    "på",
    "till",
    "över",
    "om",
    "bort",
    "fram",
    "ner",
)


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
    # "obestruket", "unbranded": a negated word of the language.
    for prefix in NEGATING_PREFIXES.get(lexicon.language, ()):
        rest = token.lower.removeprefix(prefix)
        if rest != token.lower and len(rest) >= 4 and is_word(rest, lexicon.known_words):
            return ""
    # "ifyllda", "påbörjade", "utskrivna": a participle with its verb's particle in front.
    if lexicon.language == "sv":
        for particle in SWEDISH_PARTICLES:
            rest = token.lower.removeprefix(particle)
            if rest != token.lower and len(rest) >= 4 and is_word(rest, lexicon.known_words):
                return ""
    # "kylbafflar", "kombiugnar": a component of a solution area is a word of the trade.
    if lexicon.component_heads.owners(token.lower, token.lemma, lexicon.language == "sv"):
        return ""
    # Proper names of places and bodies are no words of the dictionary either: a capitalised
    # unknown word is left to the rules that see it beside goods or after "modell".
    if text[0].isupper():
        return ""
    # Rare technical words keep the endings of the language ("tankning", "reflektans").
    if token.lower.endswith(lexicon.word_endings):
        return ""
    if previous_word(tokens, index) is not None and _is_taxon(tokens, index - 1):
        return ""  # the epithet of a species' scientific name
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
        if index >= len(tokens):
            continue
        # "modellen xc40", "model laserjet m404": a model code, or a word before one, in lower
        # case. After "typ", "type" a code is as often a standard kind ("typ cat6a", "type 2").
        model = "model" in match.group().lower()
        code_follows = (
            model
            and index + 1 < len(tokens)
            and MODEL_CODE.fullmatch(tokens[index + 1].text) is not None
        )
        if not (
            _looks_like_name(tokens[index].text)
            or (model and MODEL_CODE.fullmatch(tokens[index].text))
            or (code_follows and tokens[index].is_word)
        ):
            continue
        last = index
        # "Volvo XC40", "Ergolux 300", "Toyota Proace": a model code or second name word.
        if last + 1 < len(tokens) and (
            tokens[last + 1].is_number or _looks_like_name(tokens[last + 1].text) or code_follows
        ):
            last += 1
        spans.append((tokens[index].start, tokens[last].end))
    # "of the Liko brand", "the Volvo make": the name stands before the word.
    spans += [
        match.span(1) if match.group(1) else match.span(2)
        for match in NAME_BEFORE_BRAND.finditer(sentence.text)
    ]
    return spans


NAME_BEFORE_BRAND = re.compile(
    r"(?<!\w)the\s+([A-ZÅÄÖ][\w-]+)\s+(?:brand|make)(?!\w)"
    # "a Junckers-type sprung floor", "golv av Junckerstyp": a kind named after a maker.
    r"|(?<![\w-])([A-ZÅÄÖ][a-zåäöéü]+)-(?:type|typ)(?!\w)"
)


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


# How short a word of an all-capitals name may be ("ASSA ABLOY", "HID GLOBAL").
CAPITALS_WORD = 3


def _capitals_after_maker(sentence: Sentence, lexicon: Lexicon) -> list[Span]:
    """ "vara från ASSA ABLOY", "supplied by HID GLOBAL": two or more words in capitals after
    "från", "from" or "by" name a maker. One word in capitals is an acronym ("från MSB"), and a
    known body, law or standard is no maker."""
    tokens = sentence.tokens
    words = sentence.words
    spans: list[Span] = []
    index = 0
    while index < len(tokens):
        if tokens[index].lower not in lexicon.maker_prepositions:
            index += 1
            continue
        end = index + 1
        while end < len(tokens) and _capitals_word(tokens[end], words, end, lexicon):
            end += 1
        if end - index > 2:
            spans.append((tokens[index + 1].start, tokens[end - 1].end))
        index = end
    return spans


def _capitals_word(token: Token, words: list[str], index: int, lexicon: Lexicon) -> bool:
    text = token.text
    return (
        len(text) >= CAPITALS_WORD
        and text.isalpha()
        and text.isupper()
        and lexicon.names.match_at(words, index)[1] != NOT_BRAND
    )


def _names_goods(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> bool:
    """A name right before a kind of goods, or one word before it ("Duralex plates", "a Rational
    combi oven"), or after goods and "from"/"by" ("software from Skyresponse")."""
    previous = previous_word(tokens, index)
    if previous is not None and previous.lower in lexicon.maker_prepositions:
        goods = previous_word(tokens, index - 1)
        if goods is not None and goods.lower in lexicon.product_nouns:
            return True
    following = next_word(tokens, index)
    if following is None:
        return False
    if following.lower in lexicon.product_nouns:
        return True
    after = next_word(tokens, index + 1)
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
    if _is_taxon(tokens, index):
        return False
    return not _is_place(tokens, index, forms, lexicon)


# Endings of the Latin epithet after a genus ("Heracleum mantegazzianum", "Reynoutria japonica"):
# these mark it whatever the dictionaries say; the weak ones only in a word they lack ("Duralex
# plates" is a brand before goods).
LATIN_ENDINGS = (
    "ica", "icum", "icus", "ensis", "oides", "ii", "ae", "us", "um", "osa", "osum", "ata",
    "atum", "alis", "aris", "ina", "iana", "ianum",
)  # fmt: skip
WEAK_LATIN_ENDINGS = ("a", "is", "i", "es")


def _is_taxon(tokens: tuple[Token, ...], index: int) -> bool:
    """A genus and its epithet, the scientific name of a species: a capitalised word, then a
    lower-case word of Latin form that is in neither language's dictionary."""
    following = next_word(tokens, index)
    if following is None or not following.text.isalpha() or not following.text.islower():
        return False
    epithet = following.lower
    genus = tokens[index].text
    return (
        len(epithet) >= 5
        and (
            epithet.endswith(LATIN_ENDINGS)
            or (epithet.endswith(WEAK_LATIN_ENDINGS) and not in_dictionary(epithet))
        )
        and TITLE_CASE.fullmatch(genus) is not None
        and not in_dictionary(genus.lower())
    )


def _is_place(
    tokens: tuple[Token, ...], index: int, forms: tuple[str, ...], lexicon: Lexicon
) -> bool:
    if any(form.endswith(lexicon.place_endings) for form in forms):
        return True
    following = next_word(tokens, index)
    if following is not None and following.lower in lexicon.place_words:
        return True
    previous = previous_word(tokens, index)
    if previous is not None and previous.text in lexicon.place_prefixes:
        return True
    # "Västra Götaland", "Norra Djurgården", "Östra skolans": the prefix itself, before a name
    # or the noun of a place or building.
    return (
        tokens[index].text in lexicon.place_prefixes
        and following is not None
        and (TITLE_CASE.match(following.text) is not None or following.text.islower())
    )
