"""Words of the language: lemmas, and whether a token is a Swedish or English word at all.

Lemmas and the dictionaries come from simplemma (Swedish and English dictionaries shipped in the
package, read once; no download). A Swedish compound is a word when it splits into known words
("fiberanslutning" = "fiber" + "anslutning", "rivningsmassor" with a linking s). A token that is
no word of either language, nor a number, unit, standard or abbreviation, may be a product name.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache

import simplemma
from simplemma.strategies import DEFAULT_DICTIONARY_FACTORY

# A token longer than this is no word of any language: it is not looked up, which keeps the work
# per token bounded (a megabyte of one letter is one "word").
LONGEST_WORD = 40
# The shortest first part of a compound ("el" in "elbil", "ek" in "ekbord").
SHORTEST_PART = 2
# Endings a Swedish noun, adjective or verb takes that simplemma may not list for a compound.
SWEDISH_ENDINGS = (
    "arnas", "ernas", "ornas", "arna", "erna", "orna", "ende", "ande", "ens", "ets", "ans",
    "are", "ast", "ade", "ad", "at", "ar", "er", "or", "en", "et", "na", "an", "as", "es",
    "a", "e", "n", "t", "s", "r",
)  # fmt: skip
ENGLISH_ENDINGS = ("ies", "ing", "ed", "es", "s", "'s", "’s")


@cache
def _forms(language: str) -> dict[bytes, bytes]:
    """simplemma's form -> lemma table for `language` (bytes keys, as the package keeps them).
    The very table its lemmatizer reads: a factory of our own would hold a second copy of each
    dictionary (about 110 MB for Swedish and English) and read it again."""
    dictionary = DEFAULT_DICTIONARY_FACTORY.get_dictionary(language)
    return getattr(dictionary, "_dict", {}) or {
        key.encode(): value.encode() for key, value in dictionary.items()
    }


def load(languages: tuple[str, ...]) -> None:
    """Read the dictionaries now (start-up), not at the first requirement checked."""
    for language in languages:
        _forms(language)
        simplemma.lemmatize("x", lang=language)


@lru_cache(maxsize=200_000)
def lemma(word: str, language: str) -> str:
    """The dictionary form of a lower-case word: "temperaturer" -> "temperatur"."""
    if len(word) > LONGEST_WORD or not word[:1].isalpha():
        return word
    return simplemma.lemmatize(word, lang=language).lower()


def _known(word: str, language: str) -> bool:
    return word.encode() in _forms(language)


def _known_with_ending(word: str, language: str) -> bool:
    if _known(word, language):
        return True
    endings = SWEDISH_ENDINGS if language == "sv" else ENGLISH_ENDINGS
    return any(
        word.endswith(ending)
        and len(word) - len(ending) >= 3
        and _known(word[: -len(ending)], language)
        for ending in endings
    )


def is_word_of(word: str, language: str) -> bool:
    """Whether a lower-case word is a word of one language: in its dictionary (less a common
    ending) or, in Swedish, a compound of its words."""
    if len(word) > LONGEST_WORD:
        return False
    if _known_with_ending(word, language):
        return True
    return language == "sv" and _is_compound(word, frozenset())


def in_dictionary(word: str) -> bool:
    """Whether a lower-case word (less a common ending) is in the Swedish or English dictionary
    itself, not only as a compound of its words: "excellent" is, "revitmodeller" is not."""
    if len(word) > LONGEST_WORD:
        return False
    return _known_with_ending(word, "sv") or _known_with_ending(word, "en")


@lru_cache(maxsize=200_000)
def is_word(word: str, extra: frozenset[str] = frozenset()) -> bool:
    """Whether a lower-case token is a Swedish or English word (or a compound of Swedish words,
    or listed in `extra`). Hyphenated tokens are words when every part is."""
    if not word or len(word) > LONGEST_WORD:
        return False
    parts = [part for part in word.replace("’", "'").split("-") if part]
    return bool(parts) and all(_is_part_word(part, extra) for part in parts)


def _is_part_word(part: str, extra: frozenset[str]) -> bool:
    if part in extra or not part.isalpha() or len(part) == 1:
        return part in extra or len(part) == 1 or not part.isalpha()
    if _known_with_ending(part, "sv") or _known_with_ending(part, "en"):
        return True
    return _is_compound(part, extra)


@lru_cache(maxsize=200_000)
def _is_compound(word: str, extra: frozenset[str]) -> bool:
    """Swedish compounds: a known first part, an optional linking "s", then a word or compound.
    At most LONGEST_WORD characters, so the work is bounded per token."""
    for split in range(len(word) - 3, SHORTEST_PART - 1, -1):
        head, tail = word[:split], word[split:]
        if not _is_first_part(head, extra):
            continue
        for rest in (tail, tail[1:] if tail.startswith("s") else ""):
            if len(rest) >= 3 and (
                rest in extra or _known_with_ending(rest, "sv") or _is_compound(rest, extra)
            ):
                return True
    return False


def _is_first_part(head: str, extra: frozenset[str]) -> bool:
    # "skol" in "skolmat", "pump" in "pumpstation": a word or a word less its final vowel.
    if head in extra or _known(head, "sv"):
        return True
    return len(head) >= 3 and (_known(head + "a", "sv") or _known(head + "e", "sv"))


@lru_cache(maxsize=200_000)
def compound_head(word: str, terms: frozenset[str], endings: tuple[str, ...]) -> str | None:
    """The listed term that a lower-case word ends with, less its ending: "bergvärmepumpen" ->
    "värmepump" when "värmepump" is listed; None when no term ends the word."""
    if len(word) > LONGEST_WORD:
        return None
    for candidate in _without_endings(word, endings):
        for start in range(len(candidate) - 1):
            piece = candidate[start:]
            if piece in terms and (start == 0 or len(piece) >= 3):
                return piece
    return None


def _without_endings(word: str, endings: tuple[str, ...]) -> list[str]:
    return [word, *(word[: -len(ending)] for ending in endings if word.endswith(ending))]


class HeadIndex:
    """Terms of several owners (the solution areas) that may end a word as the head of a
    compound: one pass over a word's endings answers for every owner at once, and the answer is
    kept per word, since the same words come back in requirement after requirement."""

    def __init__(
        self,
        terms_by_owner: Iterable[frozenset[str]],
        endings: tuple[str, ...],
        whole_words: frozenset[str] = frozenset(),
    ) -> None:
        # Terms that name the thing only as a whole word: "fiber" is, "kostfiber" is not.
        self._whole_words = whole_words
        owners: dict[str, list[int]] = {}
        for owner, terms in enumerate(terms_by_owner):
            for term in terms:
                owners.setdefault(term, []).append(owner)
        self._owners = {term: tuple(listed) for term, listed in owners.items()}
        self._endings = endings
        self._known: dict[tuple[str, str, bool], tuple[int, ...]] = {}

    def owners(self, lower: str, lemma_form: str, compounds: bool) -> tuple[int, ...]:
        """The owners, in order, that list the word or its lemma, or (with `compounds`) a term
        that ends the word, as `compound_head` finds it."""
        key = (lower, lemma_form, compounds)
        found = self._known.get(key)
        if found is None:
            found = self._find(lower, lemma_form, compounds)
            if len(self._known) >= 200_000:
                self._known.clear()
            self._known[key] = found
        return found

    def _find(self, lower: str, lemma_form: str, compounds: bool) -> tuple[int, ...]:
        owners = set(self._owners.get(lower, ())) | set(self._owners.get(lemma_form, ()))
        if compounds and len(lower) <= LONGEST_WORD:
            for candidate in _without_endings(lower, self._endings):
                for start in range(len(candidate) - 1):
                    piece = candidate[start:]
                    if (
                        start == 0 or (len(piece) >= 3 and piece not in self._whole_words)
                    ) and piece in self._owners:
                        owners.update(self._owners[piece])
        return tuple(sorted(owners))


@lru_cache(maxsize=100_000)
def is_verb(word: str, language: str) -> bool:
    """Whether a lower-case word is the infinitive (or, in Swedish, the passive infinitive) of a
    verb: its dictionary lists present or past forms that lead back to it ("leverera" has
    "levererar", "loggas" is "logga" + s, "install" has "installing")."""
    if len(word) > LONGEST_WORD or not word.isalpha():
        return False
    if language == "sv":
        # "loggas", "dammsugas": the passive of a verb.
        return _swedish_verb_or_compound(word) or (
            word.endswith("s") and _swedish_verb_or_compound(word[:-1])
        )
    if word in ENGLISH_IRREGULAR_VERBS:
        return True
    forms = (
        word + "ing", word[:-1] + "ing", word + word[-1:] + "ing",
        word + "ed", word + "d", word[:-1] + "ied", word + word[-1:] + "ed",
    )  # fmt: skip
    return any(_leads_to(form, word, "en") for form in forms)


def _swedish_verb_or_compound(word: str) -> bool:
    if _swedish_verb(word):
        return True
    # "driftsätta", "återställa", "kartlägga": a verb at the end of a compound; "föreslå",
    # "anta", "inse": a short strong verb after a prefix of the verb.
    return any(
        _swedish_verb(word[start:]) for start in range(1, len(word) - 3) if len(word[start:]) >= 4
    ) or any(
        word[start:] in SWEDISH_IRREGULAR_VERBS and word[:start] in SWEDISH_VERB_PREFIXES
        for start in range(2, min(len(word) - 1, 7))
    )


# Prefixes a short strong verb takes ("föreslå", "överta", "uppge").
SWEDISH_VERB_PREFIXES = frozenset(
    "före för över upp till an av in ut om på fram under be med efter bort ned ner åter "
    "genom".split()
)


# Verbs whose -ing and past forms do not lead back to them in the dictionary.
ENGLISH_IRREGULAR_VERBS = frozenset(
    "be bring build buy draw drive find get give go have hold keep lay lead leave let make meet "
    "pay put read run say see sell send set show speak spend stand take teach tell think wear "
    "win write".split()
)


# Swedish verbs whose forms the test below does not find (strong and short verbs).
SWEDISH_IRREGULAR_VERBS = frozenset(
    "gå ta stå få se ge dra slå bli ha vara göra ligga sitta sätta hålla låta gälla följa välja "
    "säga veta bära skriva driva bjuda hjälpa ringa springa finna finnas lägga suga riva slita "
    "stiga vrida skjuta bryta frysa sova sjunga binda hugga sälja förse tillse förstå stödja "
    "dölja vänja skilja".split()
)


def _swedish_verb(word: str) -> bool:
    """A present and a past (or supine) form that lead back to the word: nouns ending in -a
    have neither ("skola" has "skolor", not "skolar" and "skolade")."""
    if word in SWEDISH_IRREGULAR_VERBS:
        return True
    if not word.endswith(("a", "å", "e", "o", "y")) or not _known(word, "sv"):
        return False
    stem = word[:-1]
    present = (word + "r", stem + "er", stem)
    past = (word + "de", stem + "de", stem + "te", word + "t", stem + "t", word + "dde")
    # "tecknar" may lead to the agent noun "tecknare" and "tecknat" to the participle
    # "tecknad": forms of the verb all the same.
    return any(
        _leads_to(form, word, "sv") or _leads_to(form, word + "re", "sv")
        for form in present
        if form != word
    ) and any(_leads_to(form, word, "sv") or _leads_to(form, word + "d", "sv") for form in past)


def _leads_to(form: str, lemma_form: str, language: str) -> bool:
    value = _forms(language).get(form.encode())
    return value is not None and value.decode().lower() == lemma_form


ENGLISH_IRREGULAR_PARTICIPLES = frozenset(
    "kept held sent written done made given taken built bought drawn driven found got laid "
    "led left paid put read run said seen sold set shown spoken spent stood taught told worn "
    "won".split()
)


def is_participle(word: str) -> bool:
    """An English past participle of a verb: "cleaned", "serviced", "kept"."""
    if word in ENGLISH_IRREGULAR_PARTICIPLES:
        return True
    if not word.endswith("ed") or len(word) < 5:
        return False
    stems = (word[:-2], word[:-1], word[:-3] + "y" if word.endswith("ied") else "", word[:-3])
    return any(stem and is_verb(stem, "en") for stem in stems)
