"""check_text: split a requirement text into sentences and run every sentence rule on them."""

from __future__ import annotations

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
    return sorted(findings, key=lambda finding: (finding.start, order[finding.rule], finding.end))
