"""Compound requirements: several demands in one sentence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.quality.lexicon import Lexicon
from app.quality.rules.spans import Details, Span, next_word
from app.quality.text import Sentence, Token
from app.quality.vocabulary import compound_head, is_participle, is_verb

if TYPE_CHECKING:
    from app.quality.rules import Analysis


def compound(analysis: Analysis) -> list[Span]:
    """Several demands in one sentence: two modal clauses, or coordinated verb phrases after one
    modal ("leverera X, installera Y och utbilda Z"), or a list of deliverables after "ansvarar
    för", "omfatta", "provide" (with "samt"/"as well as", or of pieces of work), or two
    that-clauses joined after one modal ("se till att X samt att Y")."""
    sentence, lexicon = analysis.sentence, analysis.lexicon
    spans = _modal_clauses(sentence, lexicon, analysis.details)
    if not spans:
        spans = _coordinated_demands(analysis)
    if not spans:
        spans = _joined_that_clauses(sentence, lexicon)
    if not spans:
        spans = _elided_clause(sentence, lexicon, analysis.details)
    if not spans:
        spans = _possessions_added(sentence, lexicon)
    return spans


# Verbs of what the subject holds ("ha körkort", "hold a licence").
HOLDING_VERBS = frozenset({"ha", "inneha", "have", "hold", "possess"})
# What the held thing shows or contains ("en märkning med tillverkare, modell samt år").
CONTENT_PREPOSITIONS = frozenset({"med", "with", "innehållande", "containing", "showing"})


def _possessions_added(sentence: Sentence, lexicon: Lexicon) -> list[Span]:
    """ "ska ha giltigt körkort samt ett utdrag ur belastningsregistret", "shall hold a licence
    and have completed first aid training": after a verb of holding, what an additive joiner
    adds, or a second "have" with a participle, is a qualification of its own to show. Not
    "ha 16 GB minne och en SSD om 512 GB": properties joined by "och" are one specification.
    Nor "ha en märkning med tillverkare, modell samt år": a list after "med" is what the held
    thing shows."""
    tokens = sentence.tokens
    modal = next(
        (index for index, token in enumerate(tokens) if token.lower in lexicon.modals), None
    )
    if modal is None or modal + 2 >= len(tokens) or tokens[modal + 1].lower not in HOLDING_VERBS:
        return []
    start = modal + 1
    contents = listed = False
    # "ha minst fem års erfarenhet och underteckna ...": something held, not "have installed".
    held_only = tokens[start + 1].lower in lexicon.object_determiners or not (
        _is_participle_form(tokens[start + 1], lexicon)
    )
    for index in range(start + 2, len(tokens) - 1):
        token = tokens[index]
        if token.lower in lexicon.modals or token.lower in {"som", "that", "which", "who"}:
            return []
        if token.lower in CONTENT_PREPOSITIONS:
            contents = True
        elif contents and token.text == ",":
            listed = True
        added = lexicon.additive_joiners.match(sentence.text, token.start)
        if added is not None and not listed:
            following = sentence.token_at(added.end())
            if (
                following < len(tokens)
                and tokens[following].is_word
                and not _is_infinitive(tokens, following, lexicon, True)
            ):
                return [(tokens[start].start, tokens[-1].end)]
        if (
            token.lower in {"och", "and"}
            and tokens[index + 1].lower in {"ha", "have"}
            and index + 2 < len(tokens)
            and _is_participle_form(tokens[index + 2], lexicon)
        ):
            return [(tokens[start].start, tokens[-1].end)]
        if token.lower in lexicon.subordinators or token.lower in {"vilket", "vilka"}:
            # "vilket styrks med CV och två referensuppdrag": what follows belongs to a clause.
            held_only = False
        if (
            held_only
            and token.lower in {"och", "and"}
            and tokens[index + 1].lower not in HOLDING_VERBS
            and tokens[index + 1].lower not in lexicon.number_words
            and tokens[index + 1].lower not in lexicon.auxiliaries
            and tokens[index + 1].lower not in {"vara", "be"}
            and _is_infinitive(tokens, index + 1, lexicon, True)
            and bool(_object_of(tokens, index + 1, lexicon))
        ):
            # "have two years' experience and sign a confidentiality undertaking": something
            # held, then something to do.
            return [(tokens[start].start, tokens[-1].end)]
        if (
            token.lower in {"och", "and"}
            and tokens[index + 1].lower in HOLDING_VERBS
            and tokens[index + 1].lower != tokens[start].lower
            and index + 2 < len(tokens)
            and tokens[index + 2].is_word
        ):
            # "hold a master's degree and have five years of experience": a second verb of
            # holding, something else held.
            return [(tokens[start].start, tokens[-1].end)]
    return []


# How many words the subject of an elided clause may have ("och menyn skickas ut").
SUBJECT_TOKENS = 3
CLAUSE_JOINERS = frozenset({"och", "samt", ","})


def _elided_clause(
    sentence: Sentence, lexicon: Lexicon, details: dict[tuple[str, Span], dict[str, str]]
) -> list[Span]:
    """ "ska vara näringsberäknad och menyn skickas ut ...", "... och larmsamtal besvaras inom
    60 sekunder", "... och garantin gälla i fem år": after the first demand, a joiner, a subject
    of its own and a verb with the modal left out (a passive in -s or a bare infinitive) are a
    second demand. Swedish only: English keeps its modal or repeats the subject's verb form."""
    if lexicon.language != "sv":
        return []
    tokens = sentence.tokens
    modal = next((i for i, token in enumerate(tokens) if token.lower in lexicon.modals), None)
    if modal is None or modal + 1 >= len(tokens):
        return []
    # "Om elförsörjningen bryts ska utrustningen och larmen ha ström": the modal's own subject
    # after it is no first demand.
    first_verb = tokens[modal + 1].lower
    if not (first_verb in lexicon.auxiliaries or first_verb in {"ha", "vara", "bli"}) and not (
        is_verb(first_verb, "sv")
    ):
        return []
    for index in range(modal + 3, len(tokens) - 2):
        token = tokens[index]
        if token.lower in lexicon.subordinators or token.lower in QUESTION_WORDS:
            # "se till att papper och kartong tas om hand": a clause of the first demand.
            return []
        if token.lower in lexicon.modals:
            return []
        if token.lower not in CLAUSE_JOINERS:
            continue
        definition = lexicon.definition_markers.match(sentence.text, tokens[index + 1].start)
        if definition is not None:
            # ", det vill säga visa sökresultat inom 2 sekunder": the measure of the first.
            return []
        subject = index + 1
        if tokens[subject].lower in lexicon.object_determiners:
            subject += 1
        for verb in range(subject + 1, min(len(tokens), subject + SUBJECT_TOKENS + 1)):
            words = tokens[subject:verb]
            if not all(
                word.is_word
                and word.text.islower()
                and not is_verb(word.lower, "sv")
                and word.lower not in lexicon.prepositions
                and word.lower not in lexicon.function_words
                and word.lower not in lexicon.subordinators
                for word in words
            ):
                break
            candidate = tokens[verb].lower
            if (
                candidate.endswith(("as", "s", "a"))
                and is_verb(candidate, "sv")
                and candidate not in lexicon.auxiliaries
                and verb + 1 < len(tokens)
                and tokens[verb + 1].is_word
            ):
                span = (token.start, tokens[-1].end if tokens[-1].is_word else tokens[-2].end)
                first = _excerpt(sentence, modal + 1, index - 1, PART_TOKENS)
                second = _excerpt(sentence, index + 1, len(tokens) - 2, PART_TOKENS)
                details[("compound", span)] = {
                    "parts": f"{first}; {second}",
                    "count": "2",
                    "requirements": "\n".join(
                        [
                            _capitalised(_excerpt(sentence, 0, index - 1)),
                            _capitalised(_excerpt(sentence, index + 1, len(tokens) - 2)),
                        ]
                    ),
                }
                return [span]
    return []


THAT_WORDS = frozenset({"att", "that"})


def _joined_that_clauses(sentence: Sentence, lexicon: Lexicon) -> list[Span]:
    """ "ansvara för att larmen fungerar samt att personalen är utbildad", "ensure that X and
    that Y": a second that-clause joined to the first after the modal is a second demand."""
    tokens = sentence.tokens
    seen_modal = seen_that = False
    for index, token in enumerate(tokens):
        if token.lower in lexicon.modals:
            seen_modal = True
        elif seen_modal and token.lower in THAT_WORDS:
            if seen_that and index > 0:
                joiner = index - 1
                following = tokens[index + 1].lower if index + 1 < len(tokens) else ""
                if (
                    tokens[joiner].lower in lexicon.compound_joiners | {"samt"}
                    and tokens[joiner].text != ","
                    # "rätt att använda ... och att låta": "att" before an infinitive is "to",
                    # the parts of one right.
                    and not is_verb(following, lexicon.language)
                ):
                    return [(tokens[joiner].start, token.end)]
            seen_that = True
    return []


def _modal_clauses(
    sentence: Sentence, lexicon: Lexicon, details: dict[tuple[str, Span], Details]
) -> list[Span]:
    tokens = sentence.tokens
    modal_indexes = [index for index, token in enumerate(tokens) if token.lower in lexicon.modals]
    spans: list[Span] = []
    clause_start = 0
    for first, second in zip(modal_indexes, modal_indexes[1:], strict=False):
        joiner = _last_joiner(tokens, first, second, lexicon)
        if joiner is None:
            continue
        between = tokens[joiner + 1 : second]
        if any(token.lower in lexicon.subordinators for token in between):
            continue
        # "ska vara snabb, det vill säga ska svara inom 1 sekund": the second clause defines
        # the first.
        if lexicon.definition_markers.search(
            sentence.text, tokens[first].end, tokens[second].start
        ):
            continue
        if sum(token.is_word for token in between) > 4:
            continue
        span = (tokens[joiner].start, tokens[second].end)
        spans.append(span)
        # The requirements the sentence should be: the clause up to the joiner, and the next.
        requirements = (
            _capitalised(_excerpt(sentence, clause_start, joiner - 1)),
            _capitalised(_excerpt(sentence, joiner + 1, len(tokens) - 1)),
        )
        details[("compound", span)] = {"requirements": "\n".join(requirements)}
        clause_start = joiner + 1
    return spans


def _coordinated_demands(analysis: Analysis) -> list[Span]:
    sentence, lexicon = analysis.sentence, analysis.lexicon
    tokens = sentence.tokens
    start = _demand_start(sentence, lexicon)
    if start is None:
        return []
    index, kind = start
    # "ska kunna", "shall be able to": what one capability takes ("skicka larm och ge
    # talkontakt") is one demand.
    capability = tokens[index].lower in {"kunna", "able"} if index < len(tokens) else False
    capability = capability or (index > 0 and tokens[index - 1].lower in {"kunna", "able", "to"})
    conjuncts = _conjuncts(tokens, index, lexicon)
    if kind == "scope" and any(
        _is_infinitive(tokens, first, lexicon, True) for first, _last in conjuncts[1:]
    ):
        # "tillhandahålla förbrukningsmaterial, ha rutiner ... och genomföra egenkontroller":
        # verbs of their own after the list, so the scope verb is the first of several demands.
        index, kind = index - 1, "verb"
        if index > 0 and tokens[index - 1].lower in lexicon.auxiliaries:
            # "vara försedda med alkolås samt ha ...": "vara" is the first verb.
            index -= 1
        conjuncts = _conjuncts(tokens, index, lexicon)
    if len(conjuncts) < 2:
        return []
    additive = any(_additive_after(sentence, last, lexicon) for _first, last in conjuncts[:-1])
    if kind == "verb" and (
        _documents_handed_in(tokens, conjuncts, lexicon)
        or _functions_supported(tokens, conjuncts, lexicon)
        or _delivered_in_states(tokens, conjuncts, lexicon)
        or _scheduled_passives(tokens, conjuncts, lexicon)
    ):
        demands = conjuncts
    elif kind == "verb":
        # A verb with an object of its own is a demand of its own; "leverera, montera och
        # placera möblerna" shares one object and is one demand.
        first = conjuncts[0][0]
        participle = _is_participle_form(tokens[first], lexicon)
        # "be cleaned weekly, serviced ... and inspected ...": a list of passive participles.
        passive = _is_passive(tokens, first, lexicon)
        demands = [
            conjunct
            for position, conjunct in enumerate(conjuncts)
            if (position == 0 and passive)
            or (
                _is_infinitive(tokens, conjunct[0], lexicon, position > 0)
                # "be below 60 kg, calculated for ...": a participle after an infinitive is an
                # adverbial, not a second demand.
                and _is_participle_form(tokens[conjunct[0]], lexicon) == (participle or passive)
                and (
                    conjunct[1] > conjunct[0]
                    # "replaced when damaged": a participle with a condition of its own.
                    or (passive and _ends_in_clause(tokens, conjunct[1], lexicon))
                    # "och säkerställa att underleverantörerna ...": a that-clause is the
                    # verb's object.
                    or (position > 0 and _that_clause_after(tokens, conjunct[1]))
                )
                # "vara skyddade", "have passed the test": a state the first demand leaves,
                # not a demand of its own; "ha tio års garanti" is one.
                and not (position > 0 and _is_state(tokens, conjunct[0], lexicon))
            )
        ]
        serviced = False
        paired = _state_and_possession(tokens, conjuncts, lexicon)
        if paired:
            # "vara certifierad enligt ISO 14001 och ha en miljöplan": what the subject is and
            # what it has are two demands, a participle in the first or not.
            demands = conjuncts
        elif (
            lexicon.language == "sv"
            and len(conjuncts) >= 3
            and tokens[first].lower == "vara"
            and first + 1 < len(tokens)
            and _plural_participle(tokens[first + 1], lexicon)
            and all(_plural_participle(tokens[start], lexicon) for start, _last in conjuncts[1:])
        ):
            # "vara märkta med allergener, portionsförpackade samt levererade före kl. 11":
            # three states of the thing, each to check.
            demands = conjuncts
        elif (
            (passive or _s_passive(tokens[first], lexicon))
            and _passive_then_state(tokens, conjuncts, lexicon)
        ) or _state_then_passive(tokens, conjuncts, lexicon):
            # "levereras med laddare och vara märkta med inventarienummer": what is done to
            # the thing, then a state of it with an object of its own, two things to check.
            demands = conjuncts
            paired = True
        elif _delivery_and_service(tokens, conjuncts, lexicon):
            # "leverera, montera och underhålla möblerna": one object, but a delivery and a
            # service through the contract are two things to answer yes or no to.
            demands = conjuncts
            capability = False
        elif not passive and (not demands or demands[0] != conjuncts[0]):
            # "installera, konfigurera och underhålla skrivarna samt utbilda personalen": bare
            # verbs share the object of the verb after them; each group is one demand.
            demands = _verb_groups(tokens, conjuncts, lexicon)
        elif (
            len(conjuncts) >= 3
            and len(demands) < len(conjuncts)
            and all(last > first for first, last in conjuncts)
            and all(
                _same_kind_of_verb(tokens, conjuncts, position, lexicon)
                for position in range(len(conjuncts))
            )
        ):
            # "levereras med vinterdäck, registreras i kommunens namn och vara besiktigade":
            # three verb phrases, a state among them, are three things to answer.
            demands = conjuncts
        if not demands or demands[0][0] != conjuncts[0][0]:
            return []
        if len(demands) == 2 and tokens[demands[1][0] + 1].lower in lexicon.chain_pronouns:
            # "skapa rapporter och exportera dem": the second verb goes on with the first's
            # object; "install the chargers and maintain them" adds a service through the
            # contract to a delivery.
            # "train the staff and also support them": an additive joiner adds a demand.
            if (
                not additive
                and not _service_after_delivery(tokens, demands, lexicon)
                and not _new_referent(tokens, demands[1][0] + 1, lexicon)
                # "and wash them once a month": the last demand's schedule may stand after
                # a word the list stops at ("once").
                and not (
                    _has_frequency(tokens, *demands[0])
                    and _has_frequency(tokens, demands[1][0], len(tokens) - 1)
                )
            ):
                return []
            serviced = True
        # "ska kunna skicka larm och ge talkontakt": one capability unless "samt" adds one, or
        # three or more functions each with an object of its own ("boka tider, skicka
        # påminnelser och ta emot betalningar").
        if capability and not additive and not _separate_functions(tokens, demands, lexicon):
            return []
        if (
            len(demands) < (2 if additive else 3)
            and not serviced
            and not _two_deliverables(tokens, demands, lexicon)
            and not _active_then_passive(tokens, demands, lexicon)
            and not _scheduled_passives(tokens, demands, lexicon)
            and not (paired or _state_and_possession(tokens, demands, lexicon))
        ):
            return []
    else:
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
        if listing_work and _priced_subject(tokens, index, lexicon):
            # "Priset ska inkludera frakt samt emballage": what a price covers is one demand.
            return []
        if not additive and any(
            token.text == ":" for token in tokens[conjuncts[0][0] : conjuncts[0][1] + 1]
        ):
            # "omfatta tömning av fyra fraktioner: restavfall, matavfall, ...": the list after
            # the colon spells out one thing of the first item.
            return []
        demands = conjuncts
    parts = [_excerpt(sentence, first, last, PART_TOKENS) for first, last in demands]
    span = (tokens[demands[1][0] - 1].start, tokens[demands[-1][1]].end)
    # One requirement per demand: what comes before the first ("Leverantören ska", "The
    # contractor is responsible for"), then the demand.
    # "ska kunna boka tider, skicka ...": the auxiliary belongs to every demand's lead.
    lead_end = demands[0][0]
    if tokens[lead_end].lower == "kunna" and demands[0][1] > lead_end:
        demands = [(lead_end + 1, demands[0][1]), *demands[1:]]
    lead = _excerpt(sentence, max(0, lead_end - LEAD_TOKENS), demands[0][0] - 1)
    if lead_end > LEAD_TOKENS:
        lead = "… " + lead
    requirements = [
        _capitalised(f"{lead} {_excerpt(sentence, first, last)}")
        for first, last in demands[:MOST_LISTED]
    ]
    if len(demands) > MOST_LISTED:
        requirements.append("…")
    analysis.details[("compound", span)] = {
        "parts": "; ".join(parts),
        "count": str(len(demands)),
        "requirements": "\n".join(requirements),
    }
    return [span]


# How much of a sentence a suggested requirement repeats: the words before the first demand,
# the words of one demand, and how many demands are written out.
LEAD_TOKENS = 6
DEMAND_TOKENS = 8
MOST_LISTED = 5
# The message names each demand by its first words.
PART_TOKENS = 4


# What a price is ("priset", "anbudspriset", "the fee"): a list of what it covers is one demand.
PRICE_WORDS = frozenset(
    {"pris", "avgift", "kostnad", "ersättning", "arvode", "price", "fee", "cost", "rate", "charge"}
)


def _priced_subject(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> bool:
    """Whether the subject before the modal that leads to token `index` names a price."""
    modal = next(
        (at for at in range(index - 1, -1, -1) if tokens[at].lower in lexicon.modals), None
    )
    if modal is None:
        return False
    return any(
        token.lemma in PRICE_WORDS
        or token.lower in PRICE_WORDS
        or (lexicon.language == "sv" and token.lower.endswith(("priset", "priserna")))
        for token in tokens[:modal]
    )


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _excerpt(sentence: Sentence, first: int, last: int, limit: int = DEMAND_TOKENS) -> str:
    """The text of tokens `first` to `last`, without marks at its end, cut after `limit` tokens
    (and then ending in "…"), so that a long sentence gives a short suggestion."""
    tokens = sentence.tokens
    while last > first and tokens[last].text in ",;:.!?":
        last -= 1
    if last < first:
        return ""
    cut = last >= first + limit
    last = min(last, first + limit - 1)
    text = sentence.text[tokens[first].start : tokens[last].end]
    return f"{text} …" if cut else text


def _is_state(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> bool:
    word = tokens[index].lower
    if word in {"vara", "be"}:
        return True
    return (
        word in {"ha", "have"}
        and index + 1 < len(tokens)
        and _is_participle_form(tokens[index + 1], lexicon)
        # "ha genomgått en introduktionsutbildning": a qualification of its own to show, not
        # a state the first demand leaves ("have passed the test").
        and not (index + 2 < len(tokens) and tokens[index + 2].lower in {"en", "ett", "a", "an"})
    )


# Prepositions that give a state an object of its own ("märkta med", "connected to").
STATE_OBJECT_PREPOSITIONS = frozenset("med till i på mot enligt with to in on into".split())


def _s_passive(token: Token, lexicon: Lexicon) -> bool:
    """ "levereras", "märks": a Swedish verb in its s-passive."""
    return lexicon.language == "sv" and token.lower.endswith("s") and is_verb(token.lower, "sv")


def _passive_then_state(
    tokens: tuple[Token, ...], conjuncts: list[tuple[int, int]], lexicon: Lexicon
) -> bool:
    """A passive with what comes with the thing ("levereras med laddare", "be delivered with a
    charger"), then "och vara"/"and be" with a participle and an object of its own ("märkta
    med inventarienummer", "connected to the network"). Not "installeras och vara klar senast
    1 maj": the state there is the end of the same work."""
    if len(conjuncts) != 2:
        return False
    (first, first_last), (second, second_last) = conjuncts
    if first_last < first + 2 or tokens[second].lower not in STATE_VERBS:
        return False
    # "levereras med", "be delivered with": the first demand names what comes with the thing;
    # "sparas i 24 månader och vara skyddade mot ändring" keeps one thing in one state.
    verb = first + 1 if tokens[first].lower in STATE_VERBS else first
    if verb + 1 >= second or tokens[verb + 1].lower not in {"med", "with"}:
        return False
    if tokens[second - 1].lower not in {"och", "samt", "and"}:
        return False
    participle = second + 1
    return (
        participle + 2 <= second_last
        and (
            _is_participle_form(tokens[participle], lexicon)
            or (lexicon.language == "sv" and _plural_participle(tokens[participle], lexicon))
            # "anslutna", "inskrivna": the plural of a participle in "-en".
            or (lexicon.language == "sv" and tokens[participle].lower.endswith("na"))
        )
        and tokens[participle + 1].lower in STATE_OBJECT_PREPOSITIONS
        and tokens[participle + 2].is_word
    )


def _state_then_passive(
    tokens: tuple[Token, ...], conjuncts: list[tuple[int, int]], lexicon: Lexicon
) -> bool:
    """ "vara höj- och sänkbara mellan 580 och 760 mm och levereras med tio års garanti": a state
    with a complement of its own, then a passive with what comes with the thing: two things to
    check. Swedish: the passive in "-s"; English: "and be delivered with"."""
    if len(conjuncts) != 2:
        return False
    (first, first_last), (second, second_last) = conjuncts
    if tokens[first].lower not in STATE_VERBS or first_last < first + 2:
        return False
    if tokens[second - 1].lower not in {"och", "samt", "and"}:
        return False
    verb = second
    if lexicon.language == "en":
        if tokens[second].lower != "be" or second + 1 > second_last:
            return False
        verb = second + 1
        if not _is_participle_form(tokens[verb], lexicon):
            return False
    elif not _s_passive(tokens[verb], lexicon):
        return False
    return (
        verb + 2 <= second_last
        and tokens[verb + 1].lower in {"med", "with"}
        and tokens[verb + 2].is_word
    )


def _active_then_passive(
    tokens: tuple[Token, ...], demands: list[tuple[int, int]], lexicon: Lexicon
) -> bool:
    """ "ha vinterdäck monterade vid leverans och levereras med fulladdat batteri": an active
    verb with an object, then a passive with a complement of its own; the subject does one and
    undergoes the other, two demands."""
    if lexicon.language != "sv" or len(demands) != 2:
        return False
    (first, first_last), (second, second_last) = demands
    active, passive = tokens[first].lower, tokens[second].lower
    return (
        first_last > first + 1
        and second_last > second
        # "..., och för varje helt år ..., minskas priset": a clause of its own, no demand.
        and tokens[second - 1].lower in {"och", "samt"}
        and active not in {"vara", "bli"}
        and active not in lexicon.auxiliaries
        and not active.endswith("s")
        and passive.endswith("s")
        and is_verb(passive, "sv")
        and is_verb(passive[:-1], "sv")
    )


def _that_clause_after(tokens: tuple[Token, ...], last: int) -> bool:
    return last + 2 < len(tokens) and tokens[last + 1].lower in {"att", "that"}


def _ends_in_clause(tokens: tuple[Token, ...], last: int, lexicon: Lexicon) -> bool:
    return last + 1 < len(tokens) and tokens[last + 1].lower in lexicon.subordinators


def _is_passive(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> bool:
    """ "be cleaned", "vara monterade": a form of "be" and a participle, the first of a list."""
    return (
        tokens[index].lower in {"be", "vara", "bli"}
        and index + 1 < len(tokens)
        and _is_participle_form(tokens[index + 1], lexicon)
        and (lexicon.language == "sv" or is_participle(tokens[index + 1].lower))
    )


def _delivery_and_service(
    tokens: tuple[Token, ...], conjuncts: list[tuple[int, int]], lexicon: Lexicon
) -> bool:
    """A list of bare verbs that share one object, mixing a service verb ("underhålla",
    "maintain") with others ("leverera", "montera")."""
    if len(conjuncts) < 2 or any(first != last for first, last in conjuncts[:-1]):
        return False
    verbs = [tokens[first] for first, _last in conjuncts]
    if not all(is_verb(verb.lower, lexicon.language) for verb in verbs):
        return False
    service = [
        verb.lower in lexicon.service_verbs or verb.lemma in lexicon.service_verbs for verb in verbs
    ]
    return any(service) and not all(service)


def _additive_after(sentence: Sentence, last: int, lexicon: Lexicon) -> bool:
    """Whether the joiner after token `last` adds a demand ("samt", "as well as"), also after a
    comma (", samt även")."""
    tokens = sentence.tokens
    for following in (last + 1, last + 2):
        if following >= len(tokens):
            return False
        if lexicon.additive_joiners.match(sentence.text, tokens[following].start) is not None:
            return True
        # After a comma only a joiner of a list adds (", samt även", ", as well as"), not
        # ", together with [a partner]".
        if tokens[following].text != "," or (
            following + 1 < len(tokens)
            and tokens[following + 1].lower not in lexicon.compound_joiners | {"samt", "as"}
        ):
            return False
    return False


# How long a single word must be to name a document of its own: a compound noun.
DOCUMENT_WORD_LENGTH = 12


EVERYTHING_WORDS = frozenset("all allt alla samtliga every".split())
DELIVERING_VERBS = frozenset({"leverera", "deliver", "provide", "tillhandahålla", "redovisa"})
# Words that name a document to deliver; a Swedish compound by its end ("kostnadskalkyl").
DOCUMENT_NOUNS = frozenset(
    "studie kalkyl förslag analys plan rapport specifikation utredning beskrivning underlag "
    "sammanställning strategi utkast promemoria tidplan "
    "study estimate proposal analysis plan report specification assessment description "
    "strategy draft memo memorandum schedule".split()
)


def _names_document(tokens: tuple[Token, ...], start: int, last: int) -> bool:
    """Whether the item's head (its first noun, within three words) names a document."""
    for token in tokens[start : min(last, start + 2) + 1]:
        if not token.is_word:
            continue
        lower = token.lower
        if lower in DOCUMENT_NOUNS or token.lemma in DOCUMENT_NOUNS:
            return True
        if compound_head(lower, DOCUMENT_NOUNS, ("en", "et", "er", "erna", "na")) is not None:
            return True
    return False


def _documents_handed_in(
    tokens: tuple[Token, ...], conjuncts: list[tuple[int, int]], lexicon: Lexicon
) -> bool:
    """ "submit a project plan, CVs for all key personnel and a risk analysis", "bifoga en
    tidplan, en organisationsplan och en riskanalys": three or more items of several words each
    after a verb of handing in, none of them a verb of its own, are documents to check one by
    one. Not a list of single words ("name, address and telephone number"), one form's fields."""
    verb = conjuncts[0][0]
    produced = (
        tokens[verb].lemma == "ta" and verb + 1 < len(tokens) and tokens[verb + 1].lower == "fram"
    ) or (
        # "leverera en förstudie, en kostnadskalkyl och ett förslag": documents delivered.
        tokens[verb].lemma in DELIVERING_VERBS
        and sum(_names_document(tokens, start, last) for start, last in conjuncts[1:])
        >= len(conjuncts) - 1
    )
    if len(conjuncts) < 3 or not (produced or tokens[verb].lemma in lexicon.submission_verbs):
        return False
    first = verb + 1
    if first < len(tokens) and tokens[first].lower in lexicon.verb_particles:
        first += 1
    if first < len(tokens) and tokens[first].lower in EVERYTHING_WORDS:
        # "lämna över all dokumentation, arbetsmaterial och åtkomstuppgifter": everything
        # handed over in one go, not documents checked one by one.
        return False
    items = [(first, conjuncts[0][1]), *conjuncts[1:]]
    # "submit a report with the number of alarms, the times ... and ...": a preposition in the
    # first item makes the list the contents of one document.
    if any(
        token.is_word and token.lower in lexicon.prepositions
        for token in tokens[first : conjuncts[0][1] + 1]
    ):
        return False
    # A Swedish compound names a document in one word ("registreringsbevis, en
    # kreditupplysning ... och två referensuppdrag"); a field of a form is a short word.
    return all(
        last > start or len(tokens[start].text) >= DOCUMENT_WORD_LENGTH for start, last in items
    ) and not any(_is_infinitive(tokens, start, lexicon, True) for start, _last in conjuncts[1:])


# Verbs whose object is a list of functions a system or service must have ("stödja inloggning
# med e-legitimation, loggning av ... och export av ...").
SUPPORT_VERBS = frozenset(
    "stödja stöder stödjer erbjuda möjliggöra hantera support supports offer provide enable "
    "handle".split()
)
# Verbs of delivery that a list of states may follow ("levereras katalogiserade, plastade och
# sorterade").
DELIVERY_VERBS = frozenset("levereras lämnas delivered supplied handed".split())


def _functions_supported(
    tokens: tuple[Token, ...], conjuncts: list[tuple[int, int]], lexicon: Lexicon
) -> bool:
    """Three or more functions of several words each after a verb of support: each one is a
    yes or no of its own. Not a list of single words ("support PDF, DOCX and XLSX")."""
    verb = conjuncts[0][0]
    if len(conjuncts) < 3 or tokens[verb].lower not in SUPPORT_VERBS:
        return False
    items = [(verb + 1, conjuncts[0][1]), *conjuncts[1:]]
    return all(last > start for start, last in items) and not any(
        _is_infinitive(tokens, start, lexicon, True) for start, _last in conjuncts[1:]
    )


def _delivered_in_states(
    tokens: tuple[Token, ...], conjuncts: list[tuple[int, int]], lexicon: Lexicon
) -> bool:
    """ "levereras katalogiserade, plastade och sorterade per filial", "be delivered assembled,
    labelled and cleaned": three or more states of the delivered thing, each to check."""
    first = conjuncts[0][0]
    if first < len(tokens) and tokens[first].lower in {"be", "vara"}:
        first += 1
    if len(conjuncts) < 3 or first >= len(tokens) or tokens[first].lower not in DELIVERY_VERBS:
        return False
    if first + 1 > conjuncts[0][1] or not _is_participle_form(tokens[first + 1], lexicon):
        return False
    return all(
        _is_participle_form(tokens[start], lexicon)
        # "märkta och rengjorda": the plural of a participle.
        or (lexicon.language == "sv" and _plural_participle(tokens[start], lexicon))
        or tokens[start].lower in {"med", "with"}
        for start, _last in conjuncts[1:]
    )


# Endings of a Swedish past participle, also in the plural ("märkta", "levererade",
# "rengjorda", "monterat"), long enough not to be a bound ("högst") or a short word.
PARTICIPLE_ENDINGS = ("ade", "ad", "at", "ede", "da", "ta", "dda", "tta", "dd", "tt")
SHORTEST_PARTICIPLE = 5


def _plural_participle(token: Token, lexicon: Lexicon) -> bool:
    """ "märkta", "levererade", "rengjorda": a Swedish participle, also in the plural."""
    lower = token.lower
    return (
        token.is_word
        and len(lower) >= SHORTEST_PARTICIPLE
        and lower.endswith(PARTICIPLE_ENDINGS)
        and lower not in lexicon.bound_words
    )


def _scheduled_passives(
    tokens: tuple[Token, ...], conjuncts: list[tuple[int, int]], lexicon: Lexicon
) -> bool:
    """ "tömmas varannan vecka och tvättas två gånger per år": verbs in the s-passive, each with
    a schedule of its own, are as many things to answer."""
    if lexicon.language != "sv" or len(conjuncts) < 2:
        return False
    return all(
        tokens[first].lower.endswith("as")
        and is_verb(tokens[first].lower, lexicon.language)
        and _has_frequency(tokens, first, last)
        for first, last in conjuncts
    )


def _verb_groups(
    tokens: tuple[Token, ...], conjuncts: list[tuple[int, int]], lexicon: Lexicon
) -> list[tuple[int, int]]:
    """The conjuncts with bare verbs joined to the verb phrase after them ("deliver, install
    and configure the screens" is one group), when every group is a verb with words after it;
    otherwise no groups."""
    groups: list[tuple[int, int]] = []
    group_start: int | None = None
    for position, (first, last) in enumerate(conjuncts):
        if not _same_kind_of_verb(tokens, conjuncts, position, lexicon):
            return []
        if group_start is None:
            group_start = first
        if last > first:
            groups.append((group_start, last))
            group_start = None
    if group_start is not None or len(groups) < 2:
        return []
    return groups


def _same_kind_of_verb(
    tokens: tuple[Token, ...], conjuncts: list[tuple[int, int]], position: int, lexicon: Lexicon
) -> bool:
    """Whether conjunct `position` starts with a verb of the same form as the first conjunct:
    "come from renewable sources, counted on the delivery" has a participle after an
    infinitive, an adverbial rather than a demand."""
    first = conjuncts[position][0]
    return _is_infinitive(tokens, first, lexicon, position > 0) and _is_participle_form(
        tokens[first], lexicon
    ) == _is_participle_form(tokens[conjuncts[0][0]], lexicon)


# How often something is done: a word of its own, or a count word before a unit of time.
FREQUENCY_WORDS = frozenset(
    "dagligen veckovis månadsvis årligen kvartalsvis daily weekly monthly yearly annually "
    "quarterly twice once".split()
)
COUNT_WORDS = frozenset("varje varannan vartannat per every each a gång gånger times".split())
TIME_UNITS = frozenset(
    "dag dygn vecka månad kvartal år termin natt kväll morgon day week month quarter year term "
    "night evening morning måndag tisdag onsdag torsdag fredag lördag söndag vardag helg monday "
    "tuesday wednesday thursday friday saturday sunday weekday weekend".split()
)


def _has_frequency(tokens: tuple[Token, ...], first: int, last: int) -> bool:
    """ "varje vecka", "två gånger per år", "weekly": the demand has a schedule of its own, so
    "tömma kärlen varje vecka och tvätta dem två gånger per år" is two things to answer."""
    for index in range(first, min(last, len(tokens) - 1) + 1):
        token = tokens[index]
        if token.lower in FREQUENCY_WORDS:
            return True
        if token.lower in COUNT_WORDS and index + 1 < len(tokens):
            following = tokens[index + 1]
            if following.lower in TIME_UNITS or following.lemma in TIME_UNITS:
                return True
    return False


def _service_after_delivery(
    tokens: tuple[Token, ...], demands: list[tuple[int, int]], lexicon: Lexicon
) -> bool:
    """ "install the chargers and maintain them": a service verb on what a verb of another
    kind delivered."""
    first, second = tokens[demands[0][0]], tokens[demands[1][0]]

    def service(token: Token) -> bool:
        return token.lower in lexicon.service_verbs or token.lemma in lexicon.service_verbs

    return service(second) and not service(first)


def _separate_functions(
    tokens: tuple[Token, ...], demands: list[tuple[int, int]], lexicon: Lexicon
) -> bool:
    if len(demands) < 3:
        return False
    # "at least 80 per cent should be able to raise an alarm, notice ... and cancel ...": steps
    # of one measured task, not functions of their own.
    if any(token.is_number or token.text == "{" for token in tokens):
        return False
    objects = [_object_of(tokens, first, lexicon) for first, _last in demands]
    return all(objects) and len(set(objects)) == len(objects)


def _two_deliverables(
    tokens: tuple[Token, ...], demands: list[tuple[int, int]], lexicon: Lexicon
) -> bool:
    """Two verbs joined by "och"/"and", each with an object of its own, the second not going on
    with the first's ("leverera datorerna och utbilda personalen"): two demands. Not "ta med
    emballaget och lämna det till återvinning", nor a verb of being ("vara", "ha")."""
    if len(demands) != 2:
        return False
    (first, _first_end), (second, second_end) = demands
    joiner = second - 1
    # "och därefter ta fram", "and then lay": the joiner before the fillers.
    while joiner > first and tokens[joiner].lower in lexicon.fillers:
        joiner -= 1
    if tokens[joiner].lower not in lexicon.compound_joiners - {","}:
        return False
    if tokens[first].lower in {"ha", "have", "vara", "be"} or tokens[second].lower in {
        "vara",
        "be",
    }:
        return False
    if tokens[second].lower in {"ha", "have"} and _is_state(tokens, second, lexicon):
        # "och ha dem monterade": a state the first demand leaves; "och ha genomgått en
        # utbildning" is a qualification of its own.
        return False
    if tokens[second].lower in {"ha", "have"} and not _is_participle_form(
        tokens[second + 1], lexicon
    ):
        return False
    # "deliver, install and configure the screens": the object follows the last bare verb.
    while first + 2 < second and tokens[first + 1].lower in lexicon.compound_joiners:
        first += 2
    objects = [_object_of(tokens, index, lexicon) for index in (first, second)]
    return all(objects) and objects[0] != objects[1]


STATE_VERBS = frozenset({"vara", "be"})
POSSESSION_VERBS = frozenset({"ha", "have"})


def _state_and_possession(
    tokens: tuple[Token, ...], demands: list[tuple[int, int]], lexicon: Lexicon
) -> bool:
    """ "vara ISO 9001-certifierad och ha en modern fordonsflotta", "be certified and have a
    fleet": what the subject is and what it has, each with words of its own, joined by
    "och"/"and", are two things to answer yes or no to. Not "ha ... monterade" (a state the
    first demand leaves) nor "vara och förbli" (no words of its own). So is what the subject is
    and what it does ("vara certifierad enligt ISO 45001 samt redovisa antalet olyckor")."""
    if len(demands) != 2:
        return False
    (first, first_end), (second, second_end) = demands
    if tokens[second - 1].lower not in lexicon.compound_joiners - {",", ";"}:
        return False
    if first_end <= first or second_end <= second + 1:
        return False
    if _state_and_action(tokens, first, first_end, second, lexicon):
        return True
    verbs = {tokens[first].lower, tokens[second].lower}
    if not (verbs & STATE_VERBS and verbs & POSSESSION_VERBS):
        return False
    # "ha en ...", "have a ...": a thing of its own, not a participle of the first.
    possession = first if tokens[first].lower in POSSESSION_VERBS else second
    return not _is_participle_form(tokens[possession + 1], lexicon) and not (
        tokens[possession + 1].is_number
    )


def _state_and_action(
    tokens: tuple[Token, ...], first: int, first_end: int, second: int, lexicon: Lexicon
) -> bool:
    """ "vara certifierad enligt ISO 45001 samt redovisa antalet olyckor": a state with a
    complement of its own ("vara" and a participle with words after it), then an active verb
    with an object of its own. Not "vara utformad och anpassad" (participles), nor "vara
    kopplad till larmcentralen och ge talkontakt" where "och" goes on with what the state
    does: the joiner must add ("samt", "as well as")."""
    if tokens[first].lower not in STATE_VERBS or first + 2 > first_end:
        return False
    if not _is_participle_form(tokens[first + 1], lexicon):
        return False
    verb = tokens[second]
    if verb.lower in STATE_VERBS | POSSESSION_VERBS or _is_participle_form(verb, lexicon):
        return False
    if not _is_infinitive(tokens, second, lexicon, True):
        return False
    # The joiner before the verb, of up to three words ("samt", "och även", "as well as").
    added = any(
        lexicon.additive_joiners.fullmatch(" ".join(token.text for token in tokens[start:second]))
        for start in range(max(0, second - 3), second)
    )
    return added and bool(_object_of(tokens, second, lexicon))


def _object_of(tokens: tuple[Token, ...], verb: int, lexicon: Lexicon) -> str:
    """The lemma of the verb's direct object, or "" when it has none of its own: a preposition,
    a number or nothing follows it ("lämnas i tid", "levereras inom 5 dagar"), it is passive
    ("installeras av ..."), or its object is a pronoun for the first verb's ("lämna tillbaka
    dem", "hand it in")."""
    word = tokens[verb].lower
    if lexicon.language == "sv" and word.endswith("s") and is_verb(word[:-1], "sv"):
        return ""
    index = verb + 1
    while index < len(tokens) and tokens[index].lower in lexicon.verb_particles:
        index += 1
    if (
        index + 1 < len(tokens)
        and tokens[index].lower in {"att", "to"}
        and is_verb(tokens[index + 1].lower, lexicon.language)
    ):
        # "fortsätta att fungera": an infinitive goes on with the verb, no object of its own.
        return ""
    if (
        index < len(tokens)
        and tokens[index].lower in lexicon.chain_pronouns
        and not _determines(tokens, index, lexicon)
        and not _new_referent(tokens, index, lexicon)
    ):
        return ""
    while index < len(tokens) and tokens[index].lower in lexicon.object_determiners:
        index += 1
    if index >= len(tokens):
        return ""
    token = tokens[index]
    if not token.is_word or token.is_number or token.lower in lexicon.prepositions:
        return ""
    return token.lemma


def _new_referent(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> bool:
    """ "replace those that cannot be repaired", "byta de som är trasiga": a pronoun that a
    relative clause makes a new object, not the first verb's."""
    return (
        index + 1 < len(tokens)
        and tokens[index].lower in lexicon.chain_pronouns
        and tokens[index + 1].lower in RELATIVE_WORDS
    )


RELATIVE_WORDS = frozenset({"that", "which", "who", "som"})


def _determines(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> bool:
    """ "det gamla förrådet": "det" before a word of a noun phrase is a determiner, not the
    pronoun of "lämna det till återvinning"."""
    if tokens[index].lower not in lexicon.object_determiners or index + 1 >= len(tokens):
        return False
    following = tokens[index + 1]
    return (
        following.is_word
        and not following.is_number
        and following.lower not in lexicon.prepositions
        and following.lower not in lexicon.compound_joiners
        and following.lower not in lexicon.modals
        and following.lower not in lexicon.subordinators
    )


def _demand_start(sentence: Sentence, lexicon: Lexicon) -> tuple[int, str] | None:
    """Where the demanded thing starts: (token index, "verb" | "responsibility" | "scope")."""
    tokens = sentence.tokens
    match = lexicon.responsibility.search(sentence.text)
    if match and _demand_before(sentence, match.start(), lexicon):
        # "ska installera larmen, utbilda personalen samt ansvara för service": the
        # responsibility is the last of the demands after the modal, not where they start.
        match = None
    if match and _in_subject_clause(sentence, match.start(), lexicon):
        # "Den person som ... ansvarar för A, B och C ska ha ...": what the subject answers
        # for describes who is meant; the demand comes after the modal.
        match = None
    if match:
        index = sentence.token_at(match.end())
        if index < len(tokens) and tokens[index].lower in {"att", "to"}:
            return index + 1, "verb"
        return index, "responsibility"
    for index, token in enumerate(tokens):
        if token.lower not in lexicon.modals:
            continue
        following = _after_aside(tokens, index + 1)
        # "ska kunna", "ska även", "shall be able to": to the verb that carries the demand.
        while following < len(tokens) and (
            tokens[following].lower in lexicon.auxiliaries
            or tokens[following].lower in lexicon.fillers
            or tokens[following].lower in {"inte", "not", "to", ","}
        ):
            following += 1
        following = _after_adverbial(
            tokens, _after_inverted_subject(tokens, following, lexicon), lexicon
        )
        if following < len(tokens) and tokens[following].lemma in lexicon.scope_verbs:
            return following + 1, "scope"
        if following > index + 1 and tokens[following - 1].lower in lexicon.auxiliaries:
            # "ska vara eldrivna, ha ...": the auxiliary is the first verb.
            return following - 1, "verb"
        return following, "verb"
    return None


# The longest subject after the modal in a Swedish inverted clause ("ska den nya leverantören").
INVERTED_SUBJECT_TOKENS = 3


def _after_inverted_subject(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> int:
    """ "Vid avtalets slut ska leverantören radera ...": in Swedish, a clause that starts with an
    adverbial puts the subject after the modal; the demand starts at the verb after it. The
    subject is a few lower-case words, none a verb, a preposition or a number."""
    if lexicon.language != "sv" or index >= len(tokens) or is_verb(tokens[index].lower, "sv"):
        return index
    for verb in range(index + 1, min(len(tokens), index + INVERTED_SUBJECT_TOKENS + 1)):
        words = tokens[index:verb]
        if not all(
            word.is_word
            and not word.is_number
            and word.lower not in lexicon.prepositions
            and word.lower not in lexicon.auxiliaries
            and not is_verb(word.lower, "sv")
            for word in words
        ):
            return index
        if words[-1].lower in lexicon.object_determiners:
            continue
        if not _names_subject(words[-1]):
            continue
        if is_verb(tokens[verb].lower, "sv") or tokens[verb].lower in lexicon.auxiliaries:
            return verb
    return index


def _after_adverbial(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> int:
    """ "ska på begäran redovisa", "ska vid behov byta": a short adverbial of a preposition and a
    word or two before the verb; the demand starts at the verb. Swedish only: an English noun
    after the preposition is often a verb too ("on request")."""
    if (
        lexicon.language != "sv"
        or index >= len(tokens)
        or not tokens[index].text.isalpha()
        or tokens[index].lower not in lexicon.prepositions
        or tokens[index].lower in {"och", "eller", "som", "så", "när", "där"}
    ):
        return index
    for verb in range(index + 2, min(len(tokens), index + ADVERBIAL_TOKENS + 1)):
        words = tokens[index + 1 : verb]
        # Words only: a number ("senast 20 arbetsdagar före ...") sets a deadline for all
        # that follows, and a joiner ("utan kostnad och utan ...") makes the adverbial two.
        if not all(
            word.is_word
            and not word.is_number
            and word.lower not in lexicon.compound_joiners
            and not is_verb(word.lower, "sv")
            for word in words
        ):
            return index
        if is_verb(tokens[verb].lower, "sv"):
            return verb
    return index


# The longest adverbial between the modal and the verb ("ska inom åtta veckor från avrop
# leverera").
ADVERBIAL_TOKENS = 6


SUBJECT_PRONOUNS = frozenset(
    "han hon den det de vi ni man denne dessa denna detta var och en".split()
)


def _names_subject(token: Token) -> bool:
    """Whether a Swedish word can end a subject: a pronoun, a name or a noun in its definite
    form ("leverantören", "fordonen"); not "bland annat", "även"."""
    lower = token.lower
    return (
        lower in SUBJECT_PRONOUNS
        or token.text[:1].isupper()
        or lower.endswith(("en", "et", "na", "rna"))
    )


def _in_subject_clause(sentence: Sentence, offset: int, lexicon: Lexicon) -> bool:
    """Whether `offset` is in a relative clause of the subject: after "som", "who", "that" or
    "which" and before the sentence's first modal."""
    relative = False
    for token in sentence.tokens:
        if token.start >= offset:
            break
        if token.lower in lexicon.modals:
            return False
        if token.lower in RELATIVE_WORDS:
            relative = True
    if not relative:
        return False
    return any(token.lower in lexicon.modals for token in sentence.tokens if token.start > offset)


# The longest aside between commas after the modal: "shall, where possible, deliver".
ASIDE_TOKENS = 8


def _after_aside(tokens: tuple[Token, ...], index: int) -> int:
    """The index after an aside set off by commas that starts at `index`, or `index`."""
    if index >= len(tokens) or tokens[index].text != ",":
        return index
    for closing in range(index + 1, min(len(tokens), index + ASIDE_TOKENS + 1)):
        if tokens[closing].text == ",":
            return closing + 1
    return index


def _demand_before(sentence: Sentence, offset: int, lexicon: Lexicon) -> bool:
    """Whether a verb of its own follows a modal before `offset` ("ska installera ..., samt
    ansvara för"), rather than the modal leading straight to the responsibility ("ska ansvara
    för", "är ansvarig för")."""
    tokens = sentence.tokens
    end = sentence.token_at(offset)
    for index in range(end):
        if tokens[index].lower not in lexicon.modals:
            continue
        following = index + 1
        while following < end and (
            tokens[following].lower in lexicon.auxiliaries
            or tokens[following].lower in lexicon.fillers
        ):
            following += 1
        return following < end and is_verb(tokens[following].lower, lexicon.language)
    return False


def _conjuncts(tokens: tuple[Token, ...], start: int, lexicon: Lexicon) -> list[tuple[int, int]]:
    """(first, last) token indexes of the items of the top-level list that starts at `start`,
    up to a subordinate clause, a bracket or the end of the sentence."""
    conjuncts: list[tuple[int, int]] = []
    first = start
    index = start
    depth = 0
    # Where a subordinate clause began inside the current item ("grit them when icy"): the list
    # goes on after it only at a joiner and an infinitive ("and log each visit").
    clause = -1
    while index < len(tokens):
        token = tokens[index]
        if clause >= 0:
            if token.lower in lexicon.modals or token.lower in lexicon.obligation_words:
                break
            joined = (
                _joiner_length(tokens, index, lexicon)
                if token.lower in lexicon.compound_joiners | {"samt", "as"}
                else 0
            )
            if (
                joined
                # "submit a plan before work starts, keep a log and ...": after a short
                # clause, a comma and a verb of the main list go on with the list.
                and (token.text != "," or lexicon.language == "en")
                and index - clause <= CLAUSE_TOKENS
                and (
                    _resumes_list(tokens, index + joined, lexicon)
                    # "bifoga A, en kreditupplysning som inte är äldre än tre månader och två
                    # referensuppdrag": after a relative clause in a list, a new item with a
                    # determiner or a count of its own.
                    or (
                        conjuncts
                        and tokens[clause].lower in RELATIVE_WORDS
                        and index + joined < len(tokens)
                        and tokens[index + joined].lower in NEW_ITEM_STARTS
                    )
                )
            ):
                conjuncts.append((first, index - 1))
                index += joined
                first = index
                clause = -1
                continue
            index += 1
            continue
        if token.text in "([":
            depth += 1
        elif token.text in ")]":
            depth = max(0, depth - 1)
        elif (
            depth == 0
            and (token.lower in lexicon.subordinators or token.lower in lexicon.modals)
            and not _joiner_length(tokens, index, lexicon)
            # "måla om fasaden": a particle of the verb before it, not "om" as "if".
            and not (index == first + 1 and token.lower in lexicon.verb_particles)
            # "informera anhöriga om hur de fungerar": a preposition before a question word.
            and not (
                index + 1 < len(tokens)
                and tokens[index + 1].lower in QUESTION_WORDS
                and token.lower in lexicon.prepositions
            )
        ):
            if token.lower in lexicon.modals or index == first:
                break
            clause = index
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
    end = clause if clause >= 0 else min(index, len(tokens))
    if first < end:
        conjuncts.append((first, end - 1))
    return [(first, last) for first, last in conjuncts if tokens[first].is_word]


# Words that begin a new noun phrase of a list: a determiner or a count.
NEW_ITEM_STARTS = frozenset(
    "en ett två tre fyra fem minst samtliga a an two three four five at all".split()
)
# The longest subordinate clause inside an item after which the list may go on.
CLAUSE_TOKENS = 8


def _resumes_list(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> bool:
    """Whether the words at `index`, after a subordinate clause and a joiner, are a verb of the
    main list: a Swedish infinitive ("och föra en logg"), an English bare verb that takes an
    object ("and log each visit"), not a finite verb of the clause ("och flyttar", "and
    moves")."""
    while index < len(tokens) and tokens[index].lower in lexicon.fillers:
        index += 1
    if index + 1 >= len(tokens):
        return False
    word = tokens[index].lower
    if not is_verb(word, lexicon.language):
        return False
    if lexicon.language == "sv":
        return word.endswith(("a", "as"))
    return tokens[index + 1].lower in ENGLISH_OBJECT_STARTS or word in lexicon.coordinated_verbs


# Question words after a preposition ("om hur", "about how"): an object, not a clause that ends
# the list.
QUESTION_WORDS = frozenset({"hur", "vad", "vilka", "vilken", "vilket", "var", "how", "what"})


RANGE_WORDS = frozenset({"mellan", "between"})


def _range_bound(tokens: tuple[Token, ...], index: int) -> bool:
    """Whether the joiner at `index` joins the two ends of a range after "mellan"/"between":
    a number (and perhaps its unit) before it, "mellan" before that."""
    if tokens[index].lower not in {"och", "and"} or index < 2:
        return False
    before = index - 1
    if not tokens[before].is_number and before > 0 and tokens[before - 1].is_number:
        before -= 1
    return tokens[before].is_number and before > 0 and tokens[before - 1].lower in RANGE_WORDS


def _joiner_length(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> int:
    lower = tokens[index].lower
    if lower == "as":
        words = [token.lower for token in tokens[index : index + 3]]
        return 3 if words == ["as", "well", "as"] else 0
    if lower not in lexicon.compound_joiners and lower != "samt":
        return 0
    if index > 0 and tokens[index - 1].text == "-":
        # "höj- och sänkbara", "barn- och ungdomsverksamhet": one word, its first part left out.
        return 0
    if _range_bound(tokens, index):
        # "mellan 580 och 760 mm", "between 18 and 22 °C": the ends of one range.
        return 0
    if lower == ",":
        following = next_word(tokens, index)
        # "och," "and,": the word after the comma decides.
        return 2 if following is not None and following.lower in lexicon.compound_joiners else 1
    if lower in {"och", "and"} and index + 1 < len(tokens) and tokens[index + 1].text == ",":
        # "och, om skadegörelse upptäcks, bevaka platsen": a condition set off by commas
        # between the joiner and the next demand.
        for close in range(index + 3, min(len(tokens) - 1, index + ASIDE_CLAUSE_TOKENS)):
            if tokens[close].text == ",":
                if _is_infinitive(tokens, close + 1, lexicon, True):
                    return close + 1 - index
                break
    return 1


# The longest condition set off by commas after a joiner ("och, om skadegörelse upptäcks,").
ASIDE_CLAUSE_TOKENS = 12


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
        if (
            following not in ENGLISH_OBJECT_STARTS
            and not following.endswith("ly")
            and token.lower not in lexicon.coordinated_verbs
        ):
            return False
    return (
        is_verb(token.lower, lexicon.language)
        or (lexicon.language == "en" and is_participle(token.lower))
        # "rondera", "kalibrera": the Swedish -era verbs, also those the dictionary lacks.
        or (lexicon.language == "sv" and len(token.lower) >= 7 and token.lower.endswith("era"))
        # "driftas", "hostas": a passive infinitive of a verb the dictionary lacks, right after
        # the modal or a joiner.
        or (
            lexicon.language == "sv"
            and len(token.lower) >= 7
            and token.lower.endswith("as")
            and token.text.islower()
            and index > 0
            and (
                tokens[index - 1].lower in lexicon.modals
                or tokens[index - 1].lower in lexicon.compound_joiners
            )
        )
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
