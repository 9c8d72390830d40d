"""`make bench`: speed figures, printed. Suggestions for one draft with a library grown to
1,000 templates (the goal is under 5 ms a draft); the tender PDF (tests/benchmarks/pdf.py)."""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import replace

import yaml

from app.config import PROJECT_ROOT
from app.content import load_content
from app.data.files import load_model
from app.drafts.answers_file import AnswersFile, document_from_answers_file
from app.library.engine import suggest
from app.library.loader import Library
from tests.benchmarks.load import bench_load, print_load
from tests.benchmarks.pdf import bench_pdf
from tests.benchmarks.quality import bench_quality
from tests.benchmarks.requests import bench_requests, print_requests
from tests.benchmarks.worker import bench_worker, print_worker

TARGET_TEMPLATES = 1000


def grown_library(library: Library, size: int) -> Library:
    """The real library copied until it holds `size` templates (new ids, same triggers)."""
    templates = list(library.templates)
    areas = dict(library.area_by_template)
    copy = 0
    while len(templates) < size:
        copy += 1
        for template in library.templates:
            if len(templates) >= size:
                break
            prefix = f"X{copy:03d}"[:6]
            clone = template.model_copy(update={"id": f"{prefix}-{template.id[-3:]}"})
            templates.append(clone)
            areas[clone.id] = library.area_of(template.id)
    return replace(
        library,
        templates=templates,
        by_id={template.id: template for template in templates},
        area_by_template=areas,
    )


def time_it(function, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def content_figures() -> dict[str, float]:
    """Loading every data file (parse, validate, cross-check) against parsing the same files once
    with yaml.CSafeLoader, the floor no loader can beat; medians of a few runs."""
    files = [
        *sorted((PROJECT_ROOT / "wizard_steps").rglob("*.yaml")),
        *sorted((PROJECT_ROOT / "requirement_library").glob("*.yaml")),
    ]
    texts = [path.read_text(encoding="utf-8") for path in files]

    def parse_floor() -> None:
        for text in texts:
            yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506 - the C safe loader

    def load() -> None:
        load_content(PROJECT_ROOT / "wizard_steps", PROJECT_ROOT / "requirement_library")

    floors: list[float] = []
    loads: list[float] = []
    for _ in range(7):  # in turn, so that both meet the same load on the machine
        floors += time_it(parse_floor, 1)
        loads += time_it(load, 1)
    floor = statistics.median(floors)
    loaded = statistics.median(loads)
    return {
        "content_files": len(files),
        "content_load_ms": round(loaded, 1),
        "content_parse_floor_ms": round(floor, 1),
        "content_load_ratio": round(loaded / floor, 2),
    }


def main() -> dict[str, float]:
    figures: dict[str, float] = {}
    content_load = content_figures()
    print(
        f"content: {content_load['content_files']} data files loaded in "
        f"{content_load['content_load_ms']} ms; parsing them once with CSafeLoader takes "
        f"{content_load['content_parse_floor_ms']} ms: ratio {content_load['content_load_ratio']}"
        " (goal <= 1.5)"
    )
    figures |= content_load
    content = load_content(PROJECT_ROOT / "wizard_steps", PROJECT_ROOT / "requirement_library")
    library = grown_library(content.library, TARGET_TEMPLATES)
    print(
        f"library: {len(content.library.templates)} curated templates, grown to "
        f"{len(library.templates)} for the benchmark"
    )
    worst_median = 0.0
    for path in sorted((PROJECT_ROOT / "examples").glob("*.yaml")):
        answers_file = load_model(AnswersFile, path)
        document = document_from_answers_file(answers_file, content)
        answers, needs = document.answers, document.needs
        found = suggest(library, answers, needs)
        timings = time_it(lambda a=answers, n=needs: suggest(library, a, n), 200)
        median = statistics.median(timings)
        worst_median = max(worst_median, median)
        print(
            f"suggest {path.stem:<28} {len(found):4d} suggestions  "
            f"median {median:6.2f} ms  "
            f"p95 {sorted(timings)[int(len(timings) * 0.95)]:6.2f} ms  (goal < 5 ms)"
        )
    figures["suggest_worst_median_ms"] = round(worst_median, 2)
    requests = bench_requests(content)
    print_requests(requests)
    figures |= requests
    quality = bench_quality()
    if isinstance(quality, dict):
        figures |= quality
    figures |= bench_pdf()
    worker = bench_worker(content)
    print_worker(worker)
    figures |= worker
    load = bench_load(content)
    print_load(load)
    figures |= load
    return figures


if __name__ == "__main__":
    print(json.dumps(main()))
