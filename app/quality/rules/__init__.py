"""The sentence rules: one small function per rule, each returning the spans it objects to.

Spans are (start, end) offsets in the sentence's own text. The order in `check_sentence` matters:
later rules leave alone what earlier ones explain (a standard is no brand; "där så är lämpligt" is a
loophole, not a vague "lämpligt"; a vague word already tells why a performance word is unmeasured).
"""

from __future__ import annotations

import re
from functools import cached_property

from app.quality.lexicon import Lexicon
from app.quality.rules.brands import brand, find_standards
from app.quality.rules.compound import compound
from app.quality.rules.phrases import (
    is_superlative_form,
    loophole,
    open_ended,
    superlative,
    vague,
)
from app.quality.rules.solution import (
    performance_words,
    qualified_by,
    solution,
    unmeasurable,
    unmeasured_amounts,
)
from app.quality.rules.spans import Details, Span, merge, overlaps
from app.quality.text import Sentence

__all__ = ["SENTENCE_RULES", "Analysis", "Span", "check_sentence", "run_rule"]


# How many tokens before a vague word an absolute adverb makes it absolute ("alltid vara trevlig").
ABSOLUTE_REACH = 3

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


SAME_MAKER = re.compile(
    # "eller ha motsvarande utseende": the same look, not an equivalent product.
    r"\s+(?:utseende|design|formgivning|färg|look|appearance|colour|color)(?!\w)|"
    r"(?:\s+[\wåäö-]+){0,2}?\s+(?:från|av|hos|from|by|of)\s+(?:the\s+)?samma\s+"
    r"(?:tillverkare|fabrikat|märke|leverantör)|(?:\s+[\w-]+){0,2}?\s+(?:from|by|of)\s+the\s+"
    r"same\s+(?:manufacturer|maker|brand|make|supplier)",
    re.IGNORECASE,
)


INCLUDED = re.compile(
    r"(?:including|includes|inklusive|inkl\.|som\s+omfattar|som\s+innefattar|innefattande)\s*$",
    re.IGNORECASE,
)
# How far after "eller likvärdigt" the word of inclusion may reach the included standard.
INCLUDED_REACH = 40


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
        text = self.sentence.text
        for match in self.lexicon.equivalence.finditer(text):
            # "eller motsvarande modell från samma tillverkare": the same maker's, no
            # equivalent of another's.
            if SAME_MAKER.match(text, match.end()) is None:
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
        return [
            span
            for span in self.standards
            if self.last_equivalence < span[1] and not self._included_in_equivalent(span)
        ]

    def _included_in_equivalent(self, span: Span) -> bool:
        """ "EN 301 549 or equivalent, including WCAG 2.1 level AA": a standard the one with
        "or equivalent" includes is covered by that equivalent too."""
        if self.last_equivalence < 0:
            return False
        before = self.sentence.text[self.last_equivalence : span[0]]
        return INCLUDED.search(before) is not None and len(before) <= INCLUDED_REACH

    @cached_property
    def loophole(self) -> list[Span]:
        return loophole(self.sentence, self.lexicon)

    @cached_property
    def masked(self) -> list[Span]:
        return merge([*self.standards, *self.loophole])

    @cached_property
    def vague(self) -> list[Span]:
        return vague(self.sentence, self.lexicon, self.masked)

    @cached_property
    def superlative(self) -> list[Span]:
        # "i största möjliga mån", "to the greatest extent possible": a loophole that is a
        # superlative too is both; "efter bästa förmåga" stays the loophole it is.
        tokens = self.sentence.tokens
        mask = merge(
            [
                *self.standards,
                *(
                    span
                    for span in self.loophole
                    if not any(
                        token.lower in self.lexicon.superlative_without_value
                        or is_superlative_form(token, self.lexicon)
                        for token in tokens[
                            self.sentence.token_at(span[0]) : self.sentence.token_at(span[1])
                        ]
                    )
                ),
            ]
        )
        spans = superlative(self.sentence, self.lexicon, mask)
        if self.vague and self.sentence.has_word(self.lexicon.absolute_adverbs):
            spans = merge([*spans, *self._absolute_qualities()])
        absolutes = self.lexicon.superlative_absolutes
        for span in spans:
            # "alltid vara tillgänglig", "zero downtime": an absolute, explained as one.
            if absolutes.search(self.sentence.text, span[0], span[1]) or (
                self.lexicon.superlative_zero.search(self.sentence.text, span[0], span[1])
            ):
                self.details[("superlative", span)] = {"kind": "absolute"}
        return spans

    def _absolute_qualities(self) -> list[Span]:
        """ "ska alltid vara trevlig", "shall never be noisy": an absolute adverb a few words
        before a vague word promises the quality without exception."""
        tokens = self.sentence.tokens
        found: list[Span] = []
        for span in self.vague:
            first = self.sentence.token_at(span[0])
            for index in range(max(0, first - ABSOLUTE_REACH), first):
                if tokens[index].lower in self.lexicon.absolute_adverbs:
                    found.append((tokens[index].start, span[1]))
                    self.details[("superlative", found[-1])] = {"kind": "absolute"}
                    break
        return found

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
        # "subject to availability": the loophole's words are not a performance left unmeasured.
        spans = [
            span
            for span in unmeasurable(self.sentence, self.lexicon)
            if not overlaps(span, self.loophole)
        ]
        if not spans and self.vague and self.sentence.has_word(self.lexicon.obligation_words):
            # "… i 14 förvaltningar, ha hög tillgänglighet": a number elsewhere in the sentence
            # measures something else; the vague word before the performance has no value of
            # its own (the vague rule found none near it).
            spans = [
                span
                for span in performance_words(self.sentence, self.lexicon)
                if qualified_by(self.sentence, span, self.vague)
                and not overlaps(span, self.loophole)
            ]
        if spans and (self.vague or self.superlative):
            # "acceptabel ljudnivå", "reasonable delivery times": the vague word says why the
            # performance has no value, but the performance word is what needs one. A time
            # promised without a value ("skyndsamt", "promptly") is both.
            spans = [
                span
                for span in spans
                if qualified_by(self.sentence, span, self.vague) or overlaps(span, self.vague)
            ]
        if self.superlative:
            # "så hög som möjligt": the superlative finding already asks for the level.
            return spans
        # "inom rimlig tid", "ladda snabbt", "kort varsel": a vague amount is an unmeasured
        # performance too, whatever it qualifies.
        # "så långt tiden medger": a loophole's words are no amount left unmeasured either.
        amounts = [
            span
            for span in unmeasured_amounts(self.sentence, self.lexicon, self.vague)
            if not overlaps(span, self.loophole)
        ]
        if not amounts:
            return spans
        return merge([*spans, *(span for span in amounts if not overlaps(span, spans))])
