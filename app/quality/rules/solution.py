"""Solutions and performance words: a component named instead of a function, a level unset."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from app.quality.lexicon import SOLUTION_ENDINGS, CompiledArea, Lexicon
from app.quality.rules.spans import Span, is_value, merge, overlaps, tokens_before
from app.quality.text import Sentence, Token
from app.quality.vocabulary import compound_head, is_participle, is_verb

if TYPE_CHECKING:
    from app.quality.rules import Analysis


def solution(analysis: Analysis, brands: list[Span]) -> list[Span]:
    sentence, lexicon = analysis.sentence, analysis.lexicon
    spans: list[Span] = []
    for match in lexicon.solution.finditer(sentence.text):
        # Start after the modal verb: the words that prescribe are the finding.
        modal = re.match(r"\S+\s+", match.group())
        start = match.start() + (modal.end() if modal else 0)
        span = (start, match.end())
        if not overlaps(span, brands):
            spans.append(span)
    if spans or not sentence.has_word(lexicon.obligation_words):
        return spans
    if analysis.required_by_law:
        # "försett med brandsläckare enligt lag": the law chose the means, not the buyer.
        return spans
    components = list(_components(sentence, lexicon))
    if _has_service(sentence, lexicon, components):
        return spans
    # Whether an area's function is named is read once per area: components of one area may
    # come back many times in a long sentence.
    functions: dict[str, bool] = {}
    first_modal = next(
        (token.start for token in sentence.tokens if token.lower in lexicon.obligation_words),
        len(sentence.text),
    )
    # Without a level anywhere, a function named in the subject only ("Reservkraften ska säkras
    # med ett elverk") is the thing bought, not a performance the demand states.
    measured = any(token.is_number for token in sentence.tokens)
    demand = sentence if measured else _from(sentence, first_modal)
    for steered in CONTROLLED_BY.finditer(demand.text):
        # "CO2-controlled dampers", "närvarostyrd belysning": what steers the means is part of
        # the means, not a level it must reach.
        demand = _without(demand, steered.span(), demand.start)
    # "ska värmas med bergvärmepump så att 21 °C nås": the function given as the purpose of a
    # means prescribed before it still leaves the means prescribed.
    purpose = PURPOSE.search(sentence.text)
    plain = _demand_part(sentence, first_modal)
    for area, span in components:
        if area.id not in functions:
            functions[area.id] = _has_function(demand, area, lexicon)
        stated = functions[area.id]
        if stated and purpose is not None and first_modal < span[0] and span[1] <= purpose.start():
            stated = _has_function(_until(demand, sentence.start + purpose.start()), area, lexicon)
        if stated and purpose is not None and purpose.start() < first_modal < span[0]:
            # "För att klara slitaget ... ska golvet beläggas med gummimatta": the purpose
            # before the demand, the means in it.
            stated = _has_function(plain, area, lexicon)
        if stated and (_is_predicate(sentence, span, lexicon) or _given_as_means(sentence, span)):
            # "ska vara treglasfönster med ett U-värde om högst 1,0": the thing is to be the
            # means, whatever level it is also to reach.
            stated = False
        if stated or overlaps(span, brands) or _given_object(sentence, span, lexicon):
            continue
        if span[1] <= first_modal:
            # "Projektorerna ska vara ...", "The ventilation units shall be quiet": the subject
            # is what is bought, and the sentence says what it must be.
            continue
        spans.append(span)
        analysis.details[("solution", span)] = {"area": area.id}
        break
    # A means specified by a standard, a regulation or "eller likvärdigt" is specified enough.
    specified = (
        analysis.standards
        or analysis.required_by_law
        or analysis.last_equivalence >= 0
        or sentence.has_word(SPECIFYING_WORDS)
    )
    if not spans and not any(
        span[1] > first_modal and not _given_object(sentence, span, lexicon)
        for _area, span in components
    ):
        # "en skärm på 24 tum", "a 60 kVA generator": a size or rating of the thing itself,
        # where no function is named but as a purpose ("så att patienterna kan läsa").
        figure = _design_figure(sentence, lexicon)
        if figure is not None and not overlaps(figure[0], brands):
            span, unit = figure
            if not any(_has_function(plain, area, lexicon) for area in lexicon.solution_areas):
                spans.append(span)
                owner = next(
                    (area.id for area in lexicon.solution_areas if unit in area.design_units), None
                )
                if owner is not None:
                    analysis.details[("solution", span)] = {"area": owner}
    if not spans and not functions and not specified:
        means = _means(sentence, lexicon)
        if means is not None and not overlaps(means, brands):
            # A function in the subject ("Serverrummet ska kylas med ...") or as a purpose
            # names no level the means must reach.
            rest = _without(plain, means, sentence.start)
            if not any(_has_function(rest, area, lexicon) for area in lexicon.solution_areas):
                spans.append(means)
    if not spans and not specified and not any(functions.values()):
        # "ska vara utrustade med luftfjädring", "shall be made of moulded polypropylene": the
        # demand names what the thing has or is made of, and no function nor level of one.
        thing = _demanded_thing(sentence, lexicon)
        if thing is not None and not overlaps(thing, brands):
            # The subject names what is bought ("Trygghetslarmen ska använda ..."): a function
            # is looked for in the demand only.
            # A function word inside the thing itself ("controlled by CO2 sensors") names the
            # means, not what it must achieve.
            demand = _without(_from(sentence, first_modal), thing, sentence.start)
            if not any(_has_function(demand, area, lexicon) for area in lexicon.solution_areas):
                spans.append(thing)
    return spans


def _done_to(word: str, language: str) -> bool:
    """A past participle: "ploughed", "plogade", "sandad"."""
    if language == "en":
        return is_participle(word)
    for ending in ("ade", "ad", "at", "da", "de", "d", "t"):
        if word.endswith(ending) and is_verb(word[: -len(ending)] + "a", "sv"):
            return True
    return False


# Passives that name the means they are done with: "belysas med", "be lit with", "tändas
# ... av närvarogivare".
MEANS_PASSIVES = frozenset(
    "belysas värmas kylas ventileras drivas förses utrustas tändas släckas lit heated cooled "
    "ventilated powered fitted equipped switched".split()
)
# How far before the means its passive may stand ("tändas till 200 lux av närvarogivare").
MEANS_PASSIVE_REACH = 6


def _before_article(tokens: tuple[Token, ...], index: int) -> int:
    """The index of the word before the token at `index` and its indefinite article, if any."""
    before = index - 1
    while before >= 0 and tokens[before].lower in {"en", "ett", "a", "an"}:
        before -= 1
    return before


def _given_as_means(sentence: Sentence, span: Span) -> bool:
    """ "ska belysas med T5-lysrörsarmaturer dimensionerade för 500 lux": the means the thing is
    to be done with, whatever level it is also to reach."""
    tokens = sentence.tokens
    before = _before_article(tokens, sentence.token_at(span[0]))
    return (
        before >= 1
        and tokens[before].lower in {"med", "with", "av", "by"}
        and any(
            token.lower in MEANS_PASSIVES
            for token in tokens[max(0, before - MEANS_PASSIVE_REACH) : before]
        )
    )


def _demand_part(sentence: Sentence, first_modal: int) -> Sentence:
    """The words of the demand: from the first modal on, up to a purpose clause after it."""
    demand = _from(sentence, first_modal)
    purpose = PURPOSE.search(demand.text)
    if purpose is not None and purpose.start() > 0:
        demand = _until(demand, demand.start + purpose.start())
    return demand


def _is_predicate(sentence: Sentence, span: Span, lexicon: Lexicon) -> bool:
    """Whether the component at `span` is what the subject is to be: "ska vara
    treglasfönster", "shall be heat pumps", right after the modal and "vara"/"be"."""
    tokens = sentence.tokens
    index = sentence.token_at(span[0])
    if index < len(tokens) and _done_to(tokens[index].lower, lexicon.language):
        # "shall be ploughed", "ska vara sandade": what is done, not what the thing is.
        return False
    before = _before_article(tokens, index)
    if before >= 1 and tokens[before].lower in {"av", "of"}:
        # "ska utgöras av LED-armaturer", "shall consist of heat pumps".
        return tokens[before - 1].lower in CONSISTING_VERBS
    return (
        before >= 1
        and tokens[before].lower in {"vara", "be"}
        and tokens[before - 1].lower in lexicon.modals
    )


CONSISTING_VERBS = frozenset("utgöras utgörs bestå består consist consists".split())


CONTROLLED_BY = re.compile(
    r"[\wåäö]+-?(?:controlled|styrd|styrda|styrt|styrning)(?!\w)", re.IGNORECASE
)
# A purpose given for the thing ("en kamera för att kunna delta i videomöten", "so that staff
# can join meetings") names the function it serves.
PURPOSE = re.compile(
    r"(?<!\w)(?:för\s+att|så\s+att|so\s+that|in\s+order\s+to|to\s+allow|to\s+enable)(?!\w)",
    re.IGNORECASE,
)
# How many words after a demand verb may hold the concrete thing ("elektriska höj- och
# sänkmotorer", "moulded polypropylene").
THING_WORDS = 5
# Units of a thickness that names the thing ("40 mm mineral-wool ceiling tiles").
THICKNESS_UNITS = frozenset({"mm", "cm"})


def _demanded_thing(sentence: Sentence, lexicon: Lexicon) -> Span | None:
    """The concrete thing after a verb of the demand of a thing's make-up ("ska ha elektriska
    sänkmotorer", "shall use lithium batteries"): a noun of `component_nouns` (in Swedish also
    as the head of a compound) or a component of an area, within the noun phrase. None where
    the sentence gives a level (a number): the thing is then sized, a performance of its own."""
    match = lexicon.demand_verbs.search(sentence.text)
    if match is None:
        return None
    tokens = sentence.tokens
    if PURPOSE.search(sentence.text):
        return None
    index = sentence.token_at(match.end())
    while index < len(tokens) and tokens[index].lower in MEANS_DETERMINERS:
        index += 1
    # A number is a level, but not a name ("CO2 sensors") nor the thickness of the thing named
    # ("40 mm mineral-wool ceiling tiles").
    thickness = (
        index + 1 < len(tokens)
        and tokens[index].is_number
        and tokens[index + 1].lower in THICKNESS_UNITS
    )
    if any(
        token.is_number
        and not any(letter.isalpha() for letter in token.text)
        and not (thickness and position == index)
        for position, token in enumerate(tokens)
    ):
        return None
    if thickness:
        index += 2
    compounds = lexicon.language == "sv"
    nouns = lexicon.component_nouns
    last = index
    while last < len(tokens) and last < index + THING_WORDS:
        token = tokens[last]
        if token.text == "-" and last > index:
            # "höj- och sänkmotorer": the first part of a shared compound.
            last += 1
            continue
        if not token.is_word or token.lower in lexicon.modals:
            return None
        if token.lower in MEANS_STOPS and tokens[last - 1].text != "-":
            return None
        if token.lower in lexicon.means_exceptions or token.lemma in lexicon.means_exceptions:
            return None
        concrete = (
            token.lower in nouns
            or token.lemma in nouns
            or (compounds and compound_head(token.lower, nouns, SOLUTION_ENDINGS) is not None)
            or (last + 1 < len(tokens) and f"{token.lower} {tokens[last + 1].lower}" in nouns)
            or bool(lexicon.component_heads.owners(token.lower, token.lemma, compounds))
        )
        if concrete:
            return (tokens[index].start, token.end)
        last += 1
    return None


def _has_service(
    sentence: Sentence, lexicon: Lexicon, components: list[tuple[CompiledArea, Span]]
) -> bool:
    """Whether a verb of service on what is there is in the sentence ("ska märka kärlen"); not
    one that fits a means ("ska märkas med RFID-taggar")."""
    if not sentence.has_word(lexicon.service_verbs):
        return False
    tokens = sentence.tokens
    # "SOAP web services", "steam cleaning": a word of service inside a component names it;
    # "the home care service" in the subject is what is bought, not a service demanded.
    named = merge(span for _area, span in components)
    first_modal = next(
        (token.start for token in tokens if token.lower in lexicon.obligation_words), 0
    )
    return any(
        (token.lower in lexicon.service_verbs or token.lemma in lexicon.service_verbs)
        and not (index + 1 < len(tokens) and tokens[index + 1].lower in MEANS_PREPOSITIONS)
        and not overlaps((token.start, token.end), named)
        and token.start >= first_modal
        for index, token in enumerate(tokens)
    )


# "märkas med RFID-taggar", "bytas till LED-armaturer", "be replaced with LED luminaires":
# the verb fits a means named after it.
MEANS_PREPOSITIONS = frozenset({"med", "with", "till", "by"})
SPECIFYING_WORDS = frozenset({"enligt", "according", "compliant", "complying"})
# A means named after a means verb: how many words of it the finding covers.
MEANS_WORDS = 3


def _means(sentence: Sentence, lexicon: Lexicon) -> Span | None:
    """The thing after the first means verb ("förses med en komprimator", "be fitted with
    acoustic tiles"), when it is a noun phrase of its own: not a number, a pronoun or a clause."""
    match = lexicon.means_verbs.search(sentence.text)
    if match is None:
        return None
    tokens = sentence.tokens
    index = sentence.token_at(match.end())
    while index < len(tokens) and tokens[index].lower in MEANS_DETERMINERS:
        index += 1
    if index >= len(tokens) or not tokens[index].is_word or tokens[index].is_number:
        return None
    last = index
    while (
        last + 1 < len(tokens)
        and last + 1 < index + MEANS_WORDS
        and tokens[last + 1].is_word
        and not tokens[last + 1].is_number
        and tokens[last + 1].lower not in MEANS_STOPS
        and tokens[last + 1].lower not in lexicon.modals
    ):
        last += 1
    words = {token.lemma for token in tokens[index : last + 1]} | {
        token.lower for token in tokens[index : last + 1]
    }
    if not words.isdisjoint(lexicon.means_exceptions):
        return None
    return (tokens[index].start, tokens[last].end)


def _design_figure(sentence: Sentence, lexicon: Lexicon) -> tuple[Span, str] | None:
    """A number in a unit of design ("24 tum", "60 kVA", "150 hk", "a 75-inch screen"), with the
    words of the thing it sizes after it, if any; and the unit."""
    tokens = sentence.tokens
    for index, token in enumerate(tokens):
        if not token.is_number:
            continue
        unit = index + 1
        # "75-inch": the number and the unit in one token.
        joined = token.lower.split("-", 1)
        if len(joined) == 2 and joined[1] in lexicon.design_units:
            unit, name = index, joined[1]
        elif unit < len(tokens) and tokens[unit].lower in lexicon.design_units:
            name = tokens[unit].lower
        else:
            continue
        last = unit
        while (
            last + 1 < len(tokens)
            and last + 1 <= unit + MEANS_WORDS
            and tokens[last + 1].is_word
            and not tokens[last + 1].is_number
            and tokens[last + 1].lower not in MEANS_STOPS
            and tokens[last + 1].lower not in lexicon.modals
        ):
            last += 1
        return (token.start, tokens[last].end), name
    return None


MEANS_DETERMINERS = frozenset(
    "en ett ett de den det nya ny nytt egen eget egna a an the new some".split()
)
# Words that end the noun phrase after a means verb: prepositions, joiners, clause words.
MEANS_STOPS = frozenset(
    "i på av för med till vid under över som att och eller samt så när där om enligt från "
    "in on of for with to at under over that which and or so when where if from by as per "
    "within inom minst högst at".split()
)


def _components(sentence: Sentence, lexicon: Lexicon) -> Iterable[tuple[CompiledArea, Span]]:
    """The components named in the sentence, with their area, in the order of the tokens and
    then of the areas: one lookup per token for all areas."""
    tokens = sentence.tokens
    lemmas = [token.lemma for token in tokens]
    lowers = [token.lower for token in tokens]
    areas = lexicon.solution_areas
    compounds = lexicon.language == "sv"
    for index, token in enumerate(tokens):
        if not token.is_word:
            continue
        found: list[tuple[int, int, Span]] = []
        for word in {token.lemma, token.lower}:
            for position, phrase in lexicon.component_phrases.get(word, ()):
                end = index + len(phrase)
                if tuple(lemmas[index:end]) == phrase or tuple(lowers[index:end]) == phrase:
                    found.append((position, 0, (token.start, tokens[end - 1].end)))
        for position in lexicon.component_heads.owners(token.lower, token.lemma, compounds):
            found.append((position, 1, (token.start, token.end)))
        for position, _kind, span in sorted(set(found)):
            yield areas[position], span


# "install the solar panels": a determiner that points at components already chosen.
GIVEN_DETERMINERS = frozenset({"the", "these", "those", "its", "their", "existing"})


def _given_object(sentence: Sentence, span: Span, lexicon: Lexicon) -> bool:
    """Whether the component is the given object of the work ("install the solar panels and
    connect them", "connect the existing pumps"): an active verb, then a determiner of things
    already chosen. Work on something the tender document has decided is no prescribed
    solution; "be heated with a heat pump" and "install a heat pump" still are."""
    tokens = sentence.tokens
    index = sentence.token_at(span[0])
    if lexicon.language == "sv":
        return _given_in_swedish(tokens, index, lexicon)
    if index < 2 or tokens[index - 1].lower not in GIVEN_DETERMINERS:
        return False
    verb = tokens[index - 2]
    return (tokens[index - 3].lower in lexicon.modals if index >= 3 else False) and is_verb(
        verb.lower, "en"
    )


SWEDISH_DEFINITE_ENDINGS = ("arna", "erna", "orna", "na", "en", "et")


def _given_in_swedish(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> bool:
    """ "fylla på dosetterna", "byta armaturerna": an active verb, then the component in its
    definite form, is work on things already there, as "the" marks them in English."""
    token = tokens[index]
    if not token.lower.endswith(SWEDISH_DEFINITE_ENDINGS):
        return False
    # A word the dictionary lacks shows its definite form only in the plural ("dosetterna"):
    # "-en", "-et" end many indefinite words too ("parkett").
    if token.lower == token.lemma and not token.lower.endswith(SWEDISH_DEFINITE_ENDINGS[:4]):
        return False
    verb = index - 1
    # "fylla på", "byta ut", "ta bort": a particle of the verb.
    while verb > 0 and (tokens[verb].lower in lexicon.verb_particles or tokens[verb].lower == "på"):
        verb -= 1
    if verb < 1 or tokens[verb].lower.endswith("s"):
        return False
    return is_verb(tokens[verb].lower, "sv") and any(
        other.lower in lexicon.modals for other in tokens[max(0, verb - 3) : verb]
    )


def _from(sentence: Sentence, start: int) -> Sentence:
    """The sentence from the token at offset `start` on, its offsets its own."""
    index = sentence.token_at(start)
    if start <= 0 or index >= len(sentence.tokens):
        return sentence
    offset = sentence.tokens[index].start
    tokens = tuple(
        token._replace(start=token.start - offset, end=token.end - offset)
        for token in sentence.tokens[index:]
    )
    return Sentence(sentence.start + offset, sentence.text[offset:], tokens)


def _until(sentence: Sentence, end: int) -> Sentence:
    """The sentence up to offset `end` of the whole text, its offsets kept."""
    cut = max(0, end - sentence.start)
    tokens = tuple(token for token in sentence.tokens if token.end <= cut)
    return Sentence(sentence.start, sentence.text[:cut], tokens)


def _without(sentence: Sentence, span: Span, origin: int) -> Sentence:
    """The sentence with the words of `span` (offsets within the sentence that starts at
    `origin`) blanked out, its offsets kept."""
    start = span[0] + origin - sentence.start
    end = span[1] + origin - sentence.start
    if end <= 0 or start >= len(sentence.text):
        return sentence
    start, end = max(0, start), min(len(sentence.text), end)
    text = sentence.text[:start] + " " * (end - start) + sentence.text[end:]
    tokens = tuple(token for token in sentence.tokens if token.end <= start or token.start >= end)
    return Sentence(sentence.start, text, tokens)


def _has_function(sentence: Sentence, area: CompiledArea, lexicon: Lexicon) -> bool:
    if sentence.has_word(area.functions):
        return True
    if area.bound_states_function and sentence.has_word(lexicon.bound_words):
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


def without_measure(sentence: Sentence, lexicon: Lexicon) -> bool:
    """Whether the sentence demands something and gives no value, no reference to one and asks
    the tenderer for none: where a performance word or an amount word stays unmeasured."""
    text = sentence.text
    if not sentence.has_word(lexicon.obligation_words):
        return False
    tokens = sentence.tokens
    first_modal = next(
        (index for index, token in enumerate(tokens) if token.lower in lexicon.obligation_words),
        len(tokens),
    )
    if sentence.has_word(lexicon.reporting_verbs) and any(
        (token.lower in lexicon.reporting_verbs or token.lemma in lexicon.reporting_verbs)
        # "incidents reported by the authority": who reported, no report asked for.
        # "incidents reported by the authority", "faults reported outside office hours": a
        # participle of the subject tells which, no report is asked for.
        and not (
            token.lower.endswith(("ed", "ad", "at", "ade", "de", "da"))
            and (
                (index + 1 < len(tokens) and tokens[index + 1].lower in {"by", "av"})
                or index < first_modal
            )
        )
        for index, token in enumerate(tokens)
    ):
        return False
    if any(is_value(tokens, index, lexicon) for index in range(len(tokens))):
        return False
    if lexicon.performance_exceptions.search(text):
        return False
    # "i enlighet med den eskaleringsrutin som beskrivs i bilaga 3": a reference to how the work
    # is done gives no level.
    return not any(
        not _refers_to_a_procedure(sentence, match.start())
        for match in lexicon.reference.finditer(text)
    )


# What a reference may give instead of a level: "den eskaleringsrutin som beskrivs i bilaga 3"
# says how, not how fast.
PROCEDURE_NOUNS = ("rutin", "rutinen", "process", "processen", "arbetssätt", "arbetssättet",
                   "routine", "procedure", "process")  # fmt: skip
PROCEDURE_REACH = 4


def _refers_to_a_procedure(sentence: Sentence, start: int) -> bool:
    return any(
        token.lower.endswith(PROCEDURE_NOUNS)
        for token in tokens_before(sentence, start, PROCEDURE_REACH)
    )


def unmeasurable(sentence: Sentence, lexicon: Lexicon) -> list[Span]:
    if not without_measure(sentence, lexicon):
        return []
    return performance_words(sentence, lexicon)


def performance_words(sentence: Sentence, lexicon: Lexicon) -> list[Span]:
    """Every word of a performance that needs a level ("tillgänglighet", "response times")."""
    spans = [match.span() for match in lexicon.performance.finditer(sentence.text)]
    for token in sentence.tokens:
        if token.is_word and compound_head(
            token.lower, lexicon.performance_heads, SOLUTION_ENDINGS
        ):
            spans.append((token.start, token.end))
    return merge(spans)


def qualified_by(sentence: Sentence, span: Span, vague_spans: list[Span]) -> bool:
    """Whether a vague word stands right before the performance word ("låg ljudnivå")."""
    index = sentence.token_at(span[0])
    for previous in range(max(0, index - 2), index):
        token = sentence.tokens[previous]
        if overlaps((token.start, token.end), vague_spans):
            return True
    return False


def unmeasured_amounts(sentence: Sentence, lexicon: Lexicon, vague_spans: list[Span]) -> list[Span]:
    """Amounts asked for without a value: a vague word of amount ("inom rimlig tid", "ladda
    snabbt", "sufficient lighting"), or a word of length before a noun ("kort varsel", "a long
    range"). Only where the sentence gives no measure at all (`without_measure`)."""
    if not without_measure(sentence, lexicon):
        return []
    spans: list[Span] = []
    tokens = sentence.tokens
    for index, token in enumerate(tokens):
        if not token.is_word:
            continue
        span = (token.start, token.end)
        # "gott inomhusklimat", "a good indoor climate": a property a vague word qualifies.
        if _is_qualified_property(token, lexicon) and qualified_by(sentence, span, vague_spans):
            spans.append(span)
            continue
        if token.lower in lexicon.dimension_words or token.lemma in lexicon.dimension_words:
            if overlaps(span, vague_spans):
                spans.append(span)
                continue
        if token.lower in lexicon.length_words and index + 1 < len(tokens):
            following = tokens[index + 1]
            if following.is_word and _names_a_length(following, lexicon):
                spans.append((token.start, following.end))
    return merge(spans)


def _names_a_length(token: Token, lexicon: Lexicon) -> bool:
    """ "varsel", "range", "leveranstid": a noun whose length is a level to set."""
    nouns = lexicon.length_nouns
    if token.lower in nouns or token.lemma in nouns:
        return True
    if lexicon.language == "sv" and compound_head(token.lower, nouns, SOLUTION_ENDINGS):
        return True
    return lexicon.performance.match(token.text) is not None


def _is_qualified_property(token: Token, lexicon: Lexicon) -> bool:
    properties = lexicon.qualified_properties
    if token.lower in properties or token.lemma in properties:
        return True
    return lexicon.language == "sv" and (
        compound_head(token.lower, properties, SOLUTION_ENDINGS) is not None
    )
