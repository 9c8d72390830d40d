"""`python -m tests.benchmarks.quality`: how fast the requirement checker is, printed.

Two figures. The mean time per requirement over the labelled sample (when it is here), the
checker's own evaluation sets and every requirement template text of the library with its defaults
filled in (goal: under 1 ms on average). And the time of each rule on long adversarial inputs (one
character repeated, and mixed requirement text with and without sentence ends), per 100 kB and on
1 MB: every rule must be linear in the length of its input, so the two agree.

`python -m tests.benchmarks.quality --linear SIZE [NAME ...]` runs every rule once on every input
of SIZE characters (or the inputs whose names start with a NAME) and prints a line before each
run; tests/test_quality.py runs it in a subprocess with a time limit a linear rule cannot come
near. The bench takes a few minutes: it runs every rule on every input at 100 kB and at 1 MB.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from app.quality import check_text
from app.quality.lexicon import LANGUAGES, lexicons
from app.quality.rules import SENTENCE_RULES, run_rule
from app.quality.text import split_sentences

SAMPLE = Path(os.environ.get("KRAVLOTSEN_LINT_SAMPLE", "/work/shared/lint/sample.jsonl"))
TESTS = Path(__file__).resolve().parent.parent
EVALUATION_SETS = [
    TESTS / name
    for name in (
        "quality_cases.jsonl",
        "quality_dev.jsonl",
        "quality_heldout.jsonl",
        "quality_tuning.jsonl",
        "quality_fresh.jsonl",
        "quality_dev2.jsonl",
        "quality_dev3.jsonl",
        "quality_dev4.jsonl",
        "quality_blind3.jsonl",
        "quality_dev5.jsonl",
        "quality_dev6.jsonl",
        "quality_blind6.jsonl",
        "quality_blind7.jsonl",
        "quality_blind9.jsonl",
        "quality_blind10.jsonl",
        "quality_blind11.jsonl",
        "quality_blind12.jsonl",
        "quality_blind13.jsonl",
        "quality_blind14.jsonl",
        "quality_blind15.jsonl",
        "quality_blind16.jsonl",
        "quality_blind17.jsonl",
        "quality_blind18.jsonl",
        "quality_blind19.jsonl",
        "quality_blind20.jsonl",
        "quality_blind21.jsonl",
    )
]
REPEAT = 5
KILOBYTES_100 = 100_000
MEGABYTE = 1_000_000

# Characters that a careless pattern backtracks on: word characters, digits, marks that join or
# end words and sentences, brackets, the trademark sign, spaces and line breaks.
ONE_CHARACTERS = ("a", "Å", "7", ".", ",", "-", "(", "™", " ", "\n")
# Words that wake every rule: brands, standards, vague words, loopholes, open lists, superlatives,
# modal verbs and joiners, components with figures, performance words.
MIXED_WORDS = {
    "sv": (
        "Leverantören ska skall bör och samt eller , ; : ( ) t.ex. bl.a. m.fl. osv. m.m. etc. "
        "användarvänligt snabbt hög kvalitet om möjligt i första hand så långt det går vid behov "
        "bästa möjliga högsta högst minst 24 °C 4 timmar 99,5 procent SS-EN 301 549 ISO 9001 "
        "ISO/IEC 27001:2022 Svanenmärkta eller likvärdigt Lenovo iPad® SharePoint zoomlänk "
        "modellen typ Kassaflex värmepump fiberanslutning 24 tum pekskärm svarstid ljudnivå "
        "acceptabel ansvarar för leverans installation utbildning av märket enligt bilaga 2 "
        "som att när där normalt ... – 1.5 NovaCase™ a-b-c x.y.z ren, mätt med alltid aldrig "
        "tillgänglig felfri noll fel skickligaste ledande såvida inte annat överenskommits "
        "lättrengjord barnvänlig väl synliga extremt marknadens lägsta pris Möbelfaktamärkta "
        "såsom och övriga artiklar från ASSA ABLOY ansvarar under hela renoveringen helt fri "
        "från säkerhetsbrister utan onödigt dröjsmål och mer för i den mån vädret tillåter vara "
        "ha det vill säga Östra"
    ),
    "en": (
        "The supplier shall should must and as well as or , ; : ( ) e.g. i.e. etc. such as "
        "user-friendly fast high quality where possible as far as possible if needed best "
        "possible highest at most at least 24 °C 4 hours 99.5 percent EN 301 549 ISO 9001 "
        "ISO/IEC 27001:2022 TCO Certified or equivalent Dell iPad® SharePoint slack channel "
        "model type Kassaflex heat pump fibre connection 24-inch touch screen response time "
        "noise level reasonable responsible for delivery installation training brand according "
        "to annex 2 that which when where normally ... – 1.5 NovaCase™ a-b-c x.y.z clean, "
        "measured by always never available error-free zero downtime finest leading subject "
        "to availability child-friendly well documented lowest cost Cyber Essentials Plus "
        "accreditation including but not restricted to and more for and other items from HID "
        "GLOBAL no outages ever uninterrupted weather permitting to the extent the supplier "
        "considers equivalent label verifying be have"
    ),
}


def adversarial_inputs(language: str, size: int) -> Iterator[tuple[str, str]]:
    """(name, text of `size` characters): each character repeated, then mixed requirement text
    with sentence ends and as one endless sentence."""
    for character in ONE_CHARACTERS:
        yield f"{character!r} x {size}", character * size
    words = MIXED_WORDS[language].split(" ")
    chooser = random.Random(14)
    parts: list[str] = []
    length = 0
    while length < size:
        word = chooser.choice(words)
        parts.append(word)
        length += len(word) + 1
    endless = " ".join(parts)[:size]
    yield "mixed text, one sentence", endless.replace(". ", ", ")
    sentences = " ".join(
        f"{word}." if index % 12 == 11 else word for index, word in enumerate(parts)
    )
    yield "mixed text, sentences", sentences[:size]


def rule_timings(size: int, verbose: bool = False, only: tuple[str, ...] = ()) -> dict[str, float]:
    """CPU seconds each stage (sentence splitting, then every rule) takes on its slowest input
    (all inputs, or those whose names start with one of `only`): CPU time of this process, which
    other work on the machine does not inflate."""
    worst: dict[str, float] = {}
    for language in LANGUAGES:
        lexicon = lexicons()[language]
        for name, text in adversarial_inputs(language, size):
            if only and not name.startswith(only):
                continue
            if verbose:
                print(f"{language} {name}: sentences", flush=True)
            start = time.process_time()
            sentences = split_sentences(text, lexicon)
            _keep_worst(worst, "sentences", time.process_time() - start)
            for rule in SENTENCE_RULES:
                if verbose:
                    print(f"{language} {name}: {rule}", flush=True)
                start = time.process_time()
                for sentence in sentences:
                    run_rule(rule, sentence, lexicon)
                _keep_worst(worst, rule, time.process_time() - start)
    return worst


def _keep_worst(worst: dict[str, float], stage: str, seconds: float) -> None:
    worst[stage] = max(worst.get(stage, 0.0), seconds)


def requirement_texts() -> list[str]:
    texts: list[str] = []
    for path in [SAMPLE, *EVALUATION_SETS]:
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()
            texts += [json.loads(line)["text"] for line in lines if line.strip()]
    # The library is read only here: the linearity run in a subprocess needs no content.
    from app.config import PROJECT_ROOT
    from app.content import load_content
    from app.i18n import LOCALES
    from app.library.stats import template_record

    library = load_content(
        PROJECT_ROOT / "wizard_steps", PROJECT_ROOT / "requirement_library"
    ).library
    for template in library.templates:
        record = template_record(library, template)
        texts += [record["text"][locale] for locale in LOCALES if record["text"][locale].strip()]
    return texts


def bench_quality() -> dict[str, float | str]:
    """Print the checker's figures and return them for the JSON line of `make bench`.

    The mean is CPU time of this process per requirement (the goal: under 1 ms), over every
    round, the first one included, when the words of the texts are not yet known; wall time is
    printed beside it, since other work on the machine inflates it."""
    texts = requirement_texts()
    start_cpu = time.process_time()
    check_text(texts[0])  # the rules files and dictionaries are read once, at the first call
    first_use_s = time.process_time() - start_cpu
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    for _ in range(REPEAT):
        for text in texts:
            check_text(text)
    mean_ms = (time.process_time() - start_cpu) * 1000 / (REPEAT * len(texts))
    wall_ms = (time.perf_counter() - start_wall) * 1000 / (REPEAT * len(texts))
    print(
        f"checker: {len(texts)} texts, mean {mean_ms:.3f} ms CPU per requirement (goal < 1 ms), "
        f"{wall_ms:.3f} ms wall; first use {first_use_s:.2f} s CPU"
    )
    per_100_kb = rule_timings(KILOBYTES_100)
    per_megabyte = rule_timings(MEGABYTE)
    for stage, seconds in per_100_kb.items():
        print(
            f"checker {stage:<20} worst input: {seconds * 1000:8.1f} ms CPU per 100 kB, "
            f"{per_megabyte[stage] * 1000:8.1f} ms on 1 MB"
        )
    slowest = max(SENTENCE_RULES, key=per_100_kb.__getitem__)
    print(
        f"checker worst rule: {slowest}, {per_100_kb[slowest] * 1000:.1f} ms CPU per 100 kB, "
        f"{per_megabyte[slowest] * 1000:.1f} ms on 1 MB (linear: about ten times as long)"
    )
    growth = max(per_megabyte[stage] / per_100_kb[stage] for stage in per_100_kb)
    return {
        "checker_texts": len(texts),
        "checker_mean_ms": round(mean_ms, 3),
        "checker_mean_wall_ms": round(wall_ms, 3),
        "checker_first_use_s": round(first_use_s, 2),
        "checker_worst_rule": slowest,
        "checker_worst_ms_per_100kb": round(per_100_kb[slowest] * 1000, 1),
        "checker_worst_ms_per_mb": round(per_megabyte[slowest] * 1000, 1),
        "checker_sentences_ms_per_100kb": round(per_100_kb["sentences"] * 1000, 1),
        # 1 MB against 100 kB for the stage that grows most: about 10 when every rule is linear.
        "checker_worst_growth_100kb_to_mb": round(growth, 1),
    }


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--linear":
        rule_timings(int(sys.argv[2]), verbose=True, only=tuple(sys.argv[3:]))
        print("done", flush=True)
    else:
        bench_quality()
