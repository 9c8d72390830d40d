"""The checker's wording compiled per language: word sets, patterns and indexes, built once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from app.data.files import DataFileError, load_model
from app.quality.names import BRAND, BRAND_MID_SENTENCE, NOT_BRAND, NameIndex
from app.quality.schema import (
    TECHNOLOGY_PLACEHOLDER,
    CommonWording,
    LanguageWording,
    LocalText,
    ProductWords,
    SolutionArea,
    SolutionAreas,
)
from app.quality.vocabulary import HeadIndex, is_word_of, lemma
from app.quality.vocabulary import load as load_dictionaries

__all__ = [
    "BRAND",
    "BRAND_MID_SENTENCE",
    "LANGUAGES",
    "NOT_BRAND",
    "SOLUTION_ENDINGS",
    "WORDING_DIR",
    "CompiledArea",
    "Lexicon",
    "SolutionArea",
    "compile_lexicon",
    "lexicons",
    "load_solution_areas",
    "load_wording",
]

WORDING_DIR = Path(__file__).resolve().parent / "wording"
LANGUAGES = ("sv", "en")
# Endings of a Swedish noun after the head of a compound: "värmepumparna" ends in "värmepump".
SOLUTION_ENDINGS = ("arna", "erna", "orna", "ar", "er", "or", "en", "et", "n", "na")
# Every brand word is at least this long ("zoom", "lego").
BRAND_WORD_START = 3
# A brand of the lexicon is looked for in lower case and in compounds from this length: shorter
# names begin too many words ("Axis", "Sony").
LEXICON_BRAND_WORD = 5


@dataclass(frozen=True)
class Lexicon:
    """Everything one language needs, compiled."""

    language: str
    function_words: frozenset[str]
    modals: frozenset[str]
    obligation_words: frozenset[str]
    coordinators: frozenset[str]
    # Where a clause ends: a value after it belongs to another word.
    clause_breaks: frozenset[str]
    subordinators: frozenset[str]
    abbreviations: frozenset[str]
    number_words: frozenset[str]
    reporting_verbs: frozenset[str]
    equivalence: re.Pattern[str]
    reference: re.Pattern[str]
    # brand
    names: NameIndex
    units_named_after_people: frozenset[str]
    unit_words: frozenset[str]
    mixed_case_terms: frozenset[str]
    name_endings: tuple[str, ...]
    place_endings: tuple[str, ...]
    place_words: frozenset[str]
    place_prefixes: frozenset[str]
    capitalised_words: bool
    product_nouns: frozenset[str]
    maker_prepositions: frozenset[str]
    brand_markers: re.Pattern[str]
    standards: re.Pattern[str]
    # wording rules
    vague_phrases: re.Pattern[str]
    vague_words: frozenset[str]
    vague_exceptions: re.Pattern[str]
    value_window_after: int
    value_window_before: int
    loophole: re.Pattern[str]
    loophole_modal_bound: frozenset[str]
    loophole_neighbours: frozenset[str]
    loophole_exceptions: re.Pattern[str]
    open_ended: re.Pattern[str]
    example_markers: re.Pattern[str]
    list_joiners: frozenset[str]
    superlative_phrases: re.Pattern[str]
    superlative_words: frozenset[str]
    superlative_without_value: frozenset[str]
    superlative_exceptions: re.Pattern[str]
    performance: re.Pattern[str]
    performance_exceptions: re.Pattern[str]
    solution: re.Pattern[str]
    # sentence structure, bounds, generalised rules
    performance_heads: frozenset[str] = frozenset()
    dimension_words: frozenset[str] = frozenset()
    length_words: frozenset[str] = frozenset()
    length_nouns: frozenset[str] = frozenset()
    qualified_properties: frozenset[str] = frozenset()
    service_verbs: frozenset[str] = frozenset()
    means_verbs: re.Pattern[str] = re.compile("(?!)")
    means_exceptions: frozenset[str] = frozenset()
    demand_verbs: re.Pattern[str] = re.compile("(?!)")
    component_nouns: frozenset[str] = frozenset()
    responsibility: re.Pattern[str] = re.compile("(?!)")
    scope_verbs: frozenset[str] = frozenset()
    submission_verbs: frozenset[str] = frozenset()
    additive_joiners: re.Pattern[str] = re.compile("(?!)")
    compound_joiners: frozenset[str] = frozenset()
    fillers: frozenset[str] = frozenset()
    chain_pronouns: frozenset[str] = frozenset()
    object_determiners: frozenset[str] = frozenset()
    coordinated_verbs: frozenset[str] = frozenset()
    verb_particles: frozenset[str] = frozenset()
    prepositions: frozenset[str] = frozenset()
    auxiliaries: frozenset[str] = frozenset()
    action_noun_endings: tuple[str, ...] = ()
    action_nouns: frozenset[str] = frozenset()
    label_patterns: re.Pattern[str] = re.compile("(?!)")
    law_phrases: re.Pattern[str] = re.compile("(?!)")
    definition_markers: re.Pattern[str] = re.compile("(?!)")
    linking_verbs: frozenset[str] = frozenset()
    bound_words: frozenset[str] = frozenset()
    design_units: frozenset[str] = frozenset()
    solution_areas: tuple[CompiledArea, ...] = ()
    # The areas' single-word components, and their phrases by first word: a token is looked up
    # once for all areas rather than once per area.
    component_heads: HeadIndex = field(default_factory=lambda: HeadIndex((), ()))
    component_phrases: dict[str, tuple[tuple[int, tuple[str, ...]], ...]] = field(
        default_factory=dict
    )
    brand_words: dict[str, bool] = field(default_factory=dict)
    # The brand words by their first three letters: the few a token may start with.
    brand_words_by_start: dict[str, tuple[tuple[str, bool], ...]] = field(default_factory=dict)
    context_nouns: frozenset[str] = frozenset()
    # Brand words that are a product name at the end of a clause after one of these.
    brand_words_after_preposition: frozenset[str] = frozenset()
    product_prepositions: frozenset[str] = frozenset()
    known_words: frozenset[str] = frozenset()
    word_endings: tuple[str, ...] = ()
    # The vague adjectives as listed: an inflection simplemma knows counts too ("beprövade").
    vague_lemmas: frozenset[str] = frozenset()
    vague_heads: tuple[str, ...] = ()
    vague_head_exceptions: frozenset[str] = frozenset()
    easy_prefix: re.Pattern[str] = re.compile("(?!)")
    superlative_absolutes: re.Pattern[str] = re.compile("(?!)")
    superlative_form_exceptions: frozenset[str] = frozenset()
    # The forms the loader makes of the vague adjectives (-ast, -aste, -est): a superlative form
    # of another word is one whose lemma makes it.
    superlative_forms: frozenset[str] = frozenset()
    superlative_demands: frozenset[str] = frozenset()
    superlative_zero: re.Pattern[str] = re.compile("(?!)")
    award_exceptions: re.Pattern[str] = re.compile("(?!)")
    award_words: frozenset[str] = frozenset()
    absolute_adverbs: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CompiledArea:
    """One solution area for one language: single-word components are looked up as the head of
    a compound ("bergvärmepump" ends in "värmepump"), several-word ones as lemma sequences."""

    id: str
    function: LocalText
    measure: LocalText
    component_heads: frozenset[str]
    component_phrases: tuple[tuple[str, ...], ...]
    functions: frozenset[str]
    function_phrases: tuple[tuple[str, ...], ...]
    bound_states_function: bool = False
    whole_words: frozenset[str] = frozenset()
    design_units: frozenset[str] = frozenset()


def _alternation(patterns: Iterable[str]) -> str:
    parts = [pattern for pattern in patterns if pattern]
    return "|".join(parts) if parts else "(?!)"


def _escaped_words(words: Iterable[str]) -> list[str]:
    # Longest first: the regex engine takes the first alternative that matches.
    return [
        re.escape(word).replace(r"\ ", r"\s+") for word in sorted(set(words), key=len, reverse=True)
    ]


def _whole_words(alternatives: Iterable[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    # Not inside a word nor a hyphenated compound: "high" is not found in "high-risk".
    return re.compile(rf"(?<!\w)(?<!\w-)(?:{_alternation(alternatives)})(?!\w|-\w)", flags)


def inflect(adjective: str, language: str) -> tuple[list[str], list[str]]:
    """The forms of an adjective: (plain and comparative forms, superlative forms)."""
    base = adjective.lower()
    if language == "sv":
        # enkel -> enkla, säker -> säkra, gedigen -> gedigna; modern keeps its e.
        stem = base[:-2] + base[-1] if re.search(r"[^aeiouyåäö][eE][lrn]$", base) else base
        neuter = base if base.endswith("t") else base + "t"
        forms = [base, neuter, stem + "a", base + "e", stem + "are"]
        return forms, [stem + "ast", stem + "aste"]
    if base.endswith("y"):
        root = base[:-1] + "i"
        return [base, root + "er", root + "ly"], [root + "est"]
    if base.endswith("le"):
        return [base, base + "r", base[:-1] + "y"], [base + "st"]
    if base.endswith("ic"):
        return [base, base + "ally"], []
    if base.endswith("e"):
        return [base, base + "r", base + "ly"], [base + "st"]
    return [base, base + "er", base + "ly"], [base + "est"]


def _standards_pattern(common: CommonWording) -> re.Pattern[str]:
    prefixes = _alternation(_escaped_words(common.standard_prefixes))
    # "SS-EN 301 549 V3.2.1", "ISO/IEC 27001:2022", "SS 91 42 21", "IEC 60068-2-31", "WCAG 2.1"
    number = (
        r"\d+(?:[.:/-]\d+)*(?:\s\d{2,3}(?![\d,.]\d))*(?:\s?V\d+(?:\.\d+)*)?(?:\s+Rev\.?\s?\d+)?"
    )
    citation = rf"(?<![\w/-])(?:{prefixes})\s?{number}"
    label = rf"(?<![\w-])(?:{_alternation(common.labels)})(?!\w)"
    return re.compile(f"{citation}|{label}")


def _technology_pattern(technologies: Iterable[str]) -> str:
    names = sorted(set(technologies), key=len, reverse=True)
    exact = _alternation(re.escape(name) for name in names if name != name.lower())
    lower = _alternation(
        re.escape(name).replace(r"\ ", r"\s+") for name in names if name == name.lower()
    )
    return rf"(?:(?-i:{exact})|{lower})(?![\w#])"


def _phrases(
    words: Iterable[str], language: str
) -> tuple[frozenset[str], tuple[tuple[str, ...], ...]]:
    """Single words (lower case, as listed) and several-word phrases (as lemma tuples)."""
    single: set[str] = set()
    several: list[tuple[str, ...]] = []
    for entry in words:
        parts = tuple(
            lemma(part, language) if " " in entry else part for part in entry.lower().split()
        )
        if len(parts) == 1:
            single.add(parts[0])
        else:
            several.append(parts)
    return frozenset(single), tuple(several)


def compile_areas(areas: SolutionAreas, language: Literal["sv", "en"]) -> tuple[CompiledArea, ...]:
    compiled: list[CompiledArea] = []
    for area in areas.areas:
        heads, component_phrases = _phrases(area.components.get(language, []), language)
        functions, function_phrases = _phrases(area.functions.get(language, []), language)
        compiled.append(
            CompiledArea(
                id=area.id,
                function=area.function,
                measure=area.measure,
                component_heads=heads,
                component_phrases=component_phrases,
                functions=functions,
                function_phrases=function_phrases,
                bound_states_function=area.bound_states_function,
                whole_words=frozenset(word.lower() for word in area.whole_words.get(language, [])),
                design_units=frozenset(
                    word.lower() for word in area.design_units.get(language, [])
                ),
            )
        )
    return tuple(compiled)


def _phrases_by_first_word(
    areas: tuple[CompiledArea, ...],
) -> dict[str, tuple[tuple[int, tuple[str, ...]], ...]]:
    starts: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for position, area in enumerate(areas):
        for phrase in area.component_phrases:
            starts.setdefault(phrase[0], []).append((position, phrase))
    return {word: tuple(phrases) for word, phrases in starts.items()}


def _by_start(words: dict[str, bool]) -> dict[str, tuple[tuple[str, bool], ...]]:
    starts: dict[str, list[tuple[str, bool]]] = {}
    for word, alone in words.items():
        starts.setdefault(word[:BRAND_WORD_START], []).append((word, alone))
    return {start: tuple(entries) for start, entries in starts.items()}


def compile_lexicon(
    common: CommonWording,
    wording: LanguageWording,
    areas: SolutionAreas | None = None,
    products: ProductWords | None = None,
) -> Lexicon:
    language = wording.language
    vague_forms: list[str] = [word.lower() for word in wording.vague.words]
    superlative_forms: list[str] = []
    for adjective in wording.vague.adjectives:
        forms, superlatives = inflect(adjective, language)
        vague_forms += forms
        superlative_forms += superlatives
    not_brand_names = [
        *common.public_bodies,
        *common.organisations,
        *common.laws,
        *common.places,
        *common.not_brands,
        *common.technologies,
        *wording.brand.annex_words,
        *wording.brand.month_and_day_names,
    ]
    technology = _technology_pattern(common.technologies)
    solution_areas = compile_areas(areas, language) if areas else ()
    brand_words = (
        {
            entry.word.lower(): entry.alone or language in entry.alone_in
            for entry in products.brand_words
        }
        if products
        else {}
    )
    # The lexicon's one-word brands in lower case and inside compounds too ("autocadritningar",
    # "lenovodatorer"): a product name on its own where it is no word of the text's language
    # ("göras i photoshop"; "an oracle" is English).
    for name in common.brands:
        lower = name.lower()
        if len(lower) >= LEXICON_BRAND_WORD and lower.isalpha() and lower not in brand_words:
            brand_words[lower] = not is_word_of(lower, language)
    return Lexicon(
        language=language,
        function_words=frozenset(word.lower() for word in wording.function_words),
        modals=frozenset(wording.modals),
        obligation_words=frozenset(wording.obligation_words),
        coordinators=frozenset(wording.coordinators),
        clause_breaks=frozenset(wording.coordinators) - {","},
        subordinators=frozenset(wording.subordinators),
        abbreviations=frozenset(wording.abbreviations),
        number_words=frozenset(wording.number_words),
        reporting_verbs=frozenset(wording.reporting_verbs),
        equivalence=_whole_words(wording.equivalence),
        reference=_whole_words(wording.reference_phrases),
        names=NameIndex(
            {
                NOT_BRAND: not_brand_names,
                BRAND: common.brands,
                BRAND_MID_SENTENCE: common.brands_mid_sentence,
            }
        ),
        units_named_after_people=frozenset(common.units_named_after_people),
        unit_words=frozenset(common.unit_words),
        mixed_case_terms=frozenset([*common.mixed_case_terms, *common.technologies, *common.laws]),
        name_endings=tuple(
            ending
            for ending in (
                *common.public_body_endings,
                *common.law_endings,
                *wording.brand.noun_endings,
            )
        ),
        place_endings=tuple(wording.brand.place_endings),
        place_words=frozenset(wording.brand.place_words),
        place_prefixes=frozenset(wording.brand.place_prefixes),
        capitalised_words=wording.brand.capitalised_words,
        product_nouns=frozenset(wording.brand.product_nouns),
        maker_prepositions=frozenset(wording.brand.maker_prepositions),
        brand_markers=re.compile(
            rf"(?<!\w)(?:{_alternation(wording.brand.markers)})\s+(?=\S)", re.IGNORECASE
        ),
        standards=_standards_pattern(common),
        vague_phrases=_whole_words(wording.vague.phrases),
        vague_words=frozenset(vague_forms),
        vague_exceptions=_whole_words(wording.vague.exceptions),
        value_window_after=wording.vague.value_window_after,
        value_window_before=wording.vague.value_window_before,
        vague_lemmas=frozenset(adjective.lower() for adjective in wording.vague.adjectives),
        vague_heads=tuple(head.lower() for head in wording.vague.compound_heads),
        vague_head_exceptions=frozenset(word.lower() for word in wording.vague.compound_exceptions),
        easy_prefix=re.compile(wording.vague.easy_prefix),
        loophole=_whole_words(wording.loophole.phrases),
        loophole_modal_bound=frozenset(wording.loophole.modal_bound),
        loophole_neighbours=frozenset(wording.loophole.modal_bound_neighbours),
        loophole_exceptions=_whole_words(wording.loophole.exceptions),
        open_ended=re.compile(
            rf"(?<!\w)(?:{_alternation(wording.open_ended.phrases)})(?!\w)"
            rf"|{_alternation(_escaped_words(wording.open_ended.symbols))}",
            re.IGNORECASE,
        ),
        example_markers=_whole_words(wording.open_ended.example_markers),
        list_joiners=frozenset(wording.open_ended.list_joiners),
        superlative_phrases=_whole_words(
            [*wording.superlative.phrases, *wording.superlative.absolute_phrases]
        ),
        # "highest", "largest" need the check for a value beside them, so they are not here.
        superlative_words=frozenset(superlative_forms)
        - set(wording.superlative.words_without_value),
        superlative_without_value=frozenset(wording.superlative.words_without_value),
        superlative_exceptions=_whole_words(wording.superlative.exceptions),
        superlative_absolutes=_whole_words(wording.superlative.absolutes),
        superlative_zero=_whole_words(wording.superlative.absolute_phrases),
        award_exceptions=_whole_words(wording.superlative.award_exceptions),
        award_words=frozenset(word.lower() for word in wording.superlative.award_words),
        absolute_adverbs=frozenset(word.lower() for word in wording.superlative.absolute_adverbs),
        superlative_form_exceptions=frozenset(
            word.lower() for word in wording.superlative.form_exceptions
        ),
        superlative_forms=frozenset(superlative_forms),
        superlative_demands=frozenset(wording.obligation_words)
        | frozenset(word.lower() for word in wording.superlative.demand_words),
        performance=_whole_words(wording.unmeasurable.performance_words),
        performance_exceptions=_whole_words(wording.unmeasurable.exceptions),
        solution=re.compile(
            _alternation(
                pattern.replace(TECHNOLOGY_PLACEHOLDER, technology)
                for pattern in wording.solution.patterns
            ),
            re.IGNORECASE,
        ),
        performance_heads=frozenset(wording.unmeasurable.performance_heads),
        dimension_words=frozenset(wording.unmeasurable.dimension_words),
        length_words=frozenset(wording.unmeasurable.length_words),
        length_nouns=frozenset(wording.unmeasurable.length_nouns),
        qualified_properties=frozenset(wording.unmeasurable.qualified_properties),
        service_verbs=frozenset(wording.solution.service_verbs),
        means_verbs=_whole_words(wording.solution.means_verbs),
        means_exceptions=frozenset(wording.solution.means_exceptions),
        demand_verbs=_whole_words(wording.solution.demand_verbs),
        component_nouns=frozenset(wording.solution.component_nouns),
        responsibility=_whole_words(wording.compound.responsibility),
        scope_verbs=frozenset(wording.compound.scope_verbs),
        submission_verbs=frozenset(wording.compound.submission_verbs),
        additive_joiners=_whole_words(wording.compound.additive_joiners),
        compound_joiners=frozenset(wording.compound.list_joiners),
        fillers=frozenset(wording.compound.fillers),
        chain_pronouns=frozenset(wording.compound.chain_pronouns),
        object_determiners=frozenset(wording.compound.object_determiners),
        coordinated_verbs=frozenset(wording.compound.coordinated_verbs),
        verb_particles=frozenset(wording.compound.verb_particles),
        prepositions=frozenset(wording.compound.prepositions),
        auxiliaries=frozenset(wording.compound.auxiliaries),
        action_noun_endings=tuple(wording.compound.action_noun_endings),
        action_nouns=frozenset(wording.compound.action_nouns),
        label_patterns=re.compile(_alternation(wording.standard.label_patterns)),
        law_phrases=_whole_words(wording.standard.law_phrases),
        definition_markers=_whole_words(wording.bound.definition_markers),
        linking_verbs=frozenset(wording.bound.linking_verbs),
        bound_words=frozenset(wording.bound.bound_words),
        design_units=frozenset(wording.bound.design_units).union(
            *(area.design_units for area in solution_areas)
        ),
        solution_areas=solution_areas,
        component_heads=HeadIndex(
            (area.component_heads | area.whole_words for area in solution_areas),
            SOLUTION_ENDINGS,
            frozenset(word for area in solution_areas for word in area.whole_words),
        ),
        component_phrases=_phrases_by_first_word(solution_areas),
        brand_words=brand_words,
        brand_words_by_start=_by_start(brand_words),
        context_nouns=frozenset(products.context_nouns) if products else frozenset(),
        brand_words_after_preposition=frozenset(
            entry.word.lower() for entry in products.brand_words if entry.after_preposition
        )
        if products
        else frozenset(),
        product_prepositions=frozenset(products.product_prepositions) if products else frozenset(),
        known_words=frozenset(word.lower() for word in products.known_words)
        if products
        else frozenset(),
        word_endings=tuple(products.word_endings) if products else (),
    )


def load_wording(directory: Path = WORDING_DIR) -> dict[str, Lexicon]:
    """Read and validate common.yaml and one file per language. Raises DataFileError."""
    common = load_model(CommonWording, directory / "common.yaml")
    areas = load_model(SolutionAreas, directory / "solutions.yaml")
    products = load_model(ProductWords, directory / "products.yaml")
    lexicons: dict[str, Lexicon] = {}
    for language in LANGUAGES:
        path = directory / f"{language}.yaml"
        wording = load_model(LanguageWording, path)
        if wording.language != language:
            raise DataFileError(path, None, "language", f"must be '{language}' in {path.name}")
        lexicons[language] = compile_lexicon(common, wording, areas, products)
    return lexicons


@cache
def lexicons() -> dict[str, Lexicon]:
    """The wording of every language and the dictionaries, read once per process."""
    load_dictionaries(LANGUAGES)
    return load_wording()


@cache
def load_solution_areas() -> SolutionAreas:
    """The solution areas with their function texts in both languages, for the suggestions."""
    return load_model(SolutionAreas, WORDING_DIR / "solutions.yaml")
