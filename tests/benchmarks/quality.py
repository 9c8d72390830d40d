"""`python -m tests.benchmarks.quality`: how fast the requirement checker is, printed.

Times check_text over the labelled sample (when it is here) and every requirement template text of
the library with its defaults filled in (as `library list` shows them).
The goal is under 1 ms per requirement on average.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from app.config import PROJECT_ROOT
from app.content import load_content
from app.i18n_text import LOCALES
from app.library.stats import template_record
from app.quality import check_text

SAMPLE = Path(os.environ.get("KRAVLOTSEN_LINT_SAMPLE", "/work/shared/lint/sample.jsonl"))
REPEAT = 5


def requirement_texts() -> list[str]:
    texts: list[str] = []
    if SAMPLE.exists():
        lines = SAMPLE.read_text(encoding="utf-8").splitlines()
        texts += [json.loads(line)["text"] for line in lines if line.strip()]
    library = load_content(
        PROJECT_ROOT / "wizard_steps", PROJECT_ROOT / "requirement_library"
    ).library
    for template in library.templates:
        record = template_record(library, template)
        texts += [record["text"][locale] for locale in LOCALES if record["text"][locale].strip()]
    return texts


def bench_quality() -> None:
    texts = requirement_texts()
    check_text(texts[0])  # the rules files are read and compiled once, at the first call
    start = time.perf_counter()
    for _ in range(REPEAT):
        for text in texts:
            check_text(text)
    mean_ms = (time.perf_counter() - start) * 1000 / (REPEAT * len(texts))
    print(f"checker: {len(texts)} texts, mean {mean_ms:.2f} ms per requirement (goal < 1 ms)")


if __name__ == "__main__":
    bench_quality()
