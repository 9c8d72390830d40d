"""The schema of the checker's wording files (app/quality/wording/*.yaml), as pydantic models."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

# Where a solution pattern names the technologies of common.yaml.
TECHNOLOGY_PLACEHOLDER = "{technology}"


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern.replace(TECHNOLOGY_PLACEHOLDER, "x"))
    except re.error as error:
        raise ValueError(f"is not a valid regular expression ({error})") from error
    return pattern


Word = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Pattern = Annotated[str, StringConstraints(min_length=1), AfterValidator(_compiles)]


class _DataModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CommonWording(_DataModel):
    brands: list[Word]
    brands_mid_sentence: list[Word]
    units_named_after_people: list[Word]
    unit_words: list[Word]
    mixed_case_terms: list[Word]
    public_bodies: list[Word]
    public_body_endings: list[Word]
    organisations: list[Word]
    laws: list[Word]
    law_endings: list[Word]
    places: list[Word]
    not_brands: list[Word]
    technologies: list[Word]
    standard_prefixes: list[Word]
    labels: list[Pattern]


class BrandWording(_DataModel):
    capitalised_words: bool
    markers: list[Pattern]
    place_words: list[Word]
    place_prefixes: list[Word]
    place_endings: list[Word]
    annex_words: list[Word]
    noun_endings: list[Word]
    product_nouns: list[Word]
    maker_prepositions: list[Word]
    month_and_day_names: list[Word]


class VagueWording(_DataModel):
    adjectives: list[Word]
    words: list[Word]
    phrases: list[Pattern]
    exceptions: list[Pattern]
    # Compounds ending in one of these are vague ("barnvänlig", "child-friendly"), unless listed
    # in compound_exceptions ("rättssäker", "waterproof").
    compound_heads: list[Word] = []
    compound_exceptions: list[Word] = []
    # A whole word of this form is vague ("lättrengjord", "lättlärd"): matched on the lower case.
    easy_prefix: Pattern = "(?!)"
    value_window_after: int = Field(ge=1, le=20)
    value_window_before: int = Field(ge=0, le=20)


class LoopholeWording(_DataModel):
    phrases: list[Pattern]
    modal_bound: list[Word]
    modal_bound_neighbours: list[Word]
    exceptions: list[Pattern]


class OpenEndedWording(_DataModel):
    phrases: list[Pattern]
    symbols: list[Word]
    example_markers: list[Pattern]
    list_joiners: list[Word]


class SuperlativeWording(_DataModel):
    phrases: list[Pattern]
    words_without_value: list[Word]
    exceptions: list[Pattern]
    # Promises with no exception ("alltid vara tillgänglig", "never fail"): superlative unless a
    # value is given beside them ("always available within 30 minutes").
    absolutes: list[Pattern] = []
    # Adverbs that make a vague quality a few words after them absolute ("alltid vara trevlig").
    absolute_adverbs: list[Word] = []
    # Absolutes that carry their own figure ("100 % felfri", "100% accuracy"): found as phrases
    # and explained as absolutes.
    absolute_phrases: list[Pattern] = []
    # Words in a superlative form that name the last, nearest or first of something, not its
    # best ("senaste", "nearest"); any other superlative form of a word is a superlative.
    form_exceptions: list[Word] = []
    # Verbs that make a sentence a demand besides the modals ("Uppdraget kräver ...").
    demand_words: list[Word] = []
    # The award's terms ("lägsta pris", "lowest price"), no superlatives in a sentence about the
    # award (one with an award word), but a demand elsewhere ("delivered at the lowest cost").
    award_exceptions: list[Pattern] = []
    award_words: list[Word] = []


class UnmeasurableWording(_DataModel):
    performance_words: list[Pattern]
    # Heads of compounds that name a performance ("ljudnivå", "bullernivå" end in "nivå").
    performance_heads: list[Word] = []
    exceptions: list[Pattern]
    # Vague words that ask for an amount ("rimlig", "snabb", "sufficient"): without a value
    # they leave a performance unmeasured too, whatever noun they qualify ("inom rimlig tid").
    dimension_words: list[Word] = []
    # Adjectives of length that are words of another kind too ("kort" is a card): a dimension
    # only before a noun ("kort varsel", "long range").
    length_words: list[Word] = []
    # The nouns a word of length leaves unmeasured: times, notice, range, life ("kort
    # beskrivning" asks for a short text, not a level). Swedish compounds ending in one too.
    length_nouns: list[Word] = []
    # Properties that are a performance only with a vague word before them ("gott
    # inomhusklimat", "a good indoor climate"); on their own they are often defined elsewhere.
    qualified_properties: list[Word] = []


class SolutionWording(_DataModel):
    patterns: list[Pattern]
    # Verbs that maintain or repair what is there: "ska serva värmepumpen" asks for a service.
    service_verbs: list[Word] = []
    # Verbs that fit a thing with a means ("förses med", "be fitted with"): what follows is a
    # component or material chosen for the supplier, unless a function of an area is named.
    means_verbs: list[Pattern] = []
    # Objects after a means verb that name no solution ("förses med skyltar om ...").
    means_exceptions: list[Word] = []
    # Verbs of the demand that say what a thing has, is made of or uses ("ska vara utrustad med",
    # "ska bestå av", "shall be made of", "shall use"): what follows is a possible solution only
    # when it is a concrete thing, a word of `component_nouns` (in Swedish also as the head of a
    # compound: "luftfjädring", "sänkmotorer") or a component of an area.
    demand_verbs: list[Pattern] = []
    component_nouns: list[Word] = []


class CompoundWording(_DataModel):
    """How a sentence holds several demands without a second modal verb."""

    # "ansvarar för", "is responsible for": every item in the list after it is a deliverable.
    responsibility: list[Pattern]
    # Verbs whose list of objects is a list of deliverables ("omfatta", "provide").
    scope_verbs: list[Word]
    # Verbs of handing in documents ("bifoga", "submit"): three or more items after one, each
    # of several words ("a project plan, CVs for all key personnel and a risk analysis"), are
    # documents to be checked one by one.
    submission_verbs: list[Word] = []
    # Joiners that add a demand rather than an item ("samt", "as well as").
    additive_joiners: list[Pattern]
    # Words that join items of one list.
    list_joiners: list[Word]
    # Words that stand between a joiner and the next verb ("och även utbilda", "and then").
    fillers: list[Word]
    # A second verb whose object is one of these continues the first ("skapa rapporter och
    # exportera dem"): one demand.
    chain_pronouns: list[Word]
    # Verbs that carry another verb and are not a demand of their own ("ska kunna").
    auxiliaries: list[Word]
    # Endings and words of nouns that name a piece of work ("städning", "installation").
    action_noun_endings: list[Word]
    action_nouns: list[Word]
    # Two verbs joined by "och"/"and" are two demands when each has an object of its own and
    # the second does not go on with the first's ("leverera datorerna och utbilda personalen").
    # An object starts after these (skipped) and not at these (no object: "lämnas i tid").
    # English verbs that are seldom nouns: after a joiner they start a demand whatever follows
    # ("and deliver clean uniforms"); other words need an object start after them.
    coordinated_verbs: list[Word] = []
    object_determiners: list[Word] = []
    verb_particles: list[Word] = []
    prepositions: list[Word] = []


class StandardWording(_DataModel):
    """Standards, ratings and labels beyond the listed ones, and standards the law requires."""

    # Certifications and labels named by their context: "certifierad enligt X", "X-märkt".
    label_patterns: list[Pattern]
    # A standard or regulation the law makes mandatory needs no "or equivalent".
    law_phrases: list[Pattern]


class BoundWording(_DataModel):
    """Words that make a superlative or a performance word a measured bound."""

    # "det vill säga", "that is", "mätt som": the measure after it defines the word before.
    definition_markers: list[Pattern]
    # Verbs between a bound word and its value: "högsta tillåtna temperatur är 24 °C".
    linking_verbs: list[Word]
    # Words of a bound: "minst", "högst", "at least" ("least"), "maximum".
    bound_words: list[Word] = []
    # Units of a design figure: a size or rating of the thing itself ("24 tum", "60 kVA",
    # "150 hk"), not of what it must achieve.
    design_units: list[Word] = []


class LanguageWording(_DataModel):
    language: Literal["sv", "en"]
    function_words: list[Word]
    modals: list[Word]
    obligation_words: list[Word]
    coordinators: list[Word]
    subordinators: list[Word]
    abbreviations: list[Word]
    number_words: list[Word]
    equivalence: list[Pattern]
    reference_phrases: list[Pattern]
    reporting_verbs: list[Word]
    brand: BrandWording
    vague: VagueWording
    loophole: LoopholeWording
    open_ended: OpenEndedWording
    superlative: SuperlativeWording
    unmeasurable: UnmeasurableWording
    solution: SolutionWording
    compound: CompoundWording
    standard: StandardWording
    bound: BoundWording


class LocalText(_DataModel):
    sv: Word
    en: Word


class SolutionArea(_DataModel):
    """Components, materials and mechanisms of one area, and the function terms that show the
    requirement states the need; the suggestion names the function to state instead."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z-]*$")]
    function: LocalText
    measure: LocalText
    components: dict[Literal["sv", "en"], list[Word]]
    functions: dict[Literal["sv", "en"], list[Word]]
    # A bound ("minst 16 GB arbetsminne", "at least 512 GB") states a floor the supplier may
    # meet as it likes: for this area a level, not a prescribed component.
    bound_states_function: bool = False
    # Components that name the thing only as a whole word, not as the end of a compound:
    # "fiber" (not "kostfiber"), "bok" (not "loggbok").
    whole_words: dict[Literal["sv", "en"], list[Word]] = {}
    # Units of the area's design figures ("tum" for screens, "kVA" for generators): a figure in
    # one names the area the suggestion speaks of.
    design_units: dict[Literal["sv", "en"], list[Word]] = {}


class SolutionAreas(_DataModel):
    areas: list[SolutionArea]


class BrandWord(_DataModel):
    """A product name written in lower case or inside a compound ("zoomlänk", "a slack
    channel"). `alone`: a brand also on its own; otherwise only inside a compound or before one
    of the context nouns."""

    # At least three letters: the lexicon finds a brand word by its first three.
    word: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3)]
    alone: bool = True
    # Languages in which the word is no word of its own, so a product name also alone:
    # "outlook" and "teams" are English words but no Swedish ones ("bokas i outlook").
    alone_in: list[Literal["sv", "en"]] = []
    # A product name also alone when it ends a clause after one of the product prepositions:
    # "recorded in zoom", "held over zoom." ("in teams" stays an ordinary phrase).
    after_preposition: bool = False


class ProductWords(_DataModel):
    brand_words: list[BrandWord]
    # Prepositions that put a tool before the end of a clause: "via", "over", "in".
    product_prepositions: list[Word] = []
    # Nouns after an ambiguous brand word that make it the product: "slack channel".
    context_nouns: list[Word]
    # Words of the language that simplemma's dictionaries lack, so that they are never taken
    # for product names ("reflektans", "polyfluorerade").
    known_words: list[Word]
    # Endings of derived words ("-ning", "-tion"): a lower-case word with one is a rare word of
    # the language, not a product name.
    word_endings: list[Word]
