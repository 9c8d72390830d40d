"""check_text: split a requirement text into sentences and run every sentence rule on them."""

from __future__ import annotations

from dataclasses import replace

from app.quality.findings import RULES, Finding, make_finding
from app.quality.lexicon import LANGUAGES, lexicons
from app.quality.rules import check_sentence
from app.quality.text import detect_language, split_sentences


def check_text(text: str, lang: str = "auto") -> list[Finding]:
    """Findings for `text` (one or more sentences), offsets into `text`, messages in the current
    locale, ordered by position and then by rule."""
    language = detect_language(text) if lang == "auto" else lang
    if language not in LANGUAGES:
        raise ValueError(f"lang must be 'auto' or one of {', '.join(LANGUAGES)}, not {lang!r}")
    lexicon = lexicons()[language]
    findings: list[Finding] = []
    for sentence in split_sentences(text, lexicon):
        for rule, (start, end), details in check_sentence(sentence, lexicon):
            absolute_start = sentence.start + start
            absolute_end = sentence.start + end
            findings.append(
                make_finding(
                    rule, absolute_start, absolute_end, text[absolute_start:absolute_end], details
                )
            )
    order = {rule: position for position, rule in enumerate(RULES)}
    findings.sort(key=lambda finding: (finding.start, order[finding.rule], finding.end))
    return _merged(findings)


# A rule whose finding on the words of another's is shown inside that one: the vague word's
# message and suggestion ("give a measurable value instead of ...") already ask for the level.
MERGED_INTO = {"unmeasurable": "vague"}


def _merged(findings: list[Finding]) -> list[Finding]:
    """The findings with one box per word: a finding of a rule in MERGED_INTO whose words lie
    within a finding of the rule it merges into is dropped, and its rule id kept in `also`."""
    if not any(finding.rule in MERGED_INTO for finding in findings):
        return findings
    kept: list[Finding] = []
    merged: dict[int, list[str]] = {}
    for finding in findings:
        host = MERGED_INTO.get(finding.rule)
        target = next(
            (
                position
                for position in range(len(kept) - 1, -1, -1)
                if kept[position].rule == host
                and kept[position].start <= finding.start
                and finding.end <= kept[position].end
            ),
            None,
        )
        if target is None:
            kept.append(finding)
        elif finding.rule not in merged.setdefault(target, []):
            merged[target].append(finding.rule)
    return [
        replace(finding, also=(*finding.also, *merged[position])) if position in merged else finding
        for position, finding in enumerate(kept)
    ]
