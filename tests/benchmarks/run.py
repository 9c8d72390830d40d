"""`make bench`: speed figures, printed. Suggestions for one draft with a library grown to
1,000 templates (the goal is under 5 ms a draft)."""

from __future__ import annotations

import statistics
import time
from dataclasses import replace

from app.drafts.answers_file import AnswersFile
from app.config import PROJECT_ROOT
from app.content import load_content
from app.data.files import load_model
from app.drafts.answers_file import document_from_answers_file
from app.library.engine import suggest
from app.library.loader import Library

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


def main() -> None:
    content = load_content(PROJECT_ROOT / "wizard_steps", PROJECT_ROOT / "requirement_library")
    library = grown_library(content.library, TARGET_TEMPLATES)
    print(
        f"library: {len(content.library.templates)} curated templates, grown to "
        f"{len(library.templates)} for the benchmark"
    )
    for path in sorted((PROJECT_ROOT / "examples").glob("*.yaml")):
        answers_file = load_model(AnswersFile, path)
        document = document_from_answers_file(answers_file, content)
        answers, needs = document.answers, document.needs
        found = suggest(library, answers, needs)
        timings = time_it(lambda a=answers, n=needs: suggest(library, a, n), 200)
        print(
            f"suggest {path.stem:<28} {len(found):4d} suggestions  "
            f"median {statistics.median(timings):6.2f} ms  "
            f"p95 {sorted(timings)[int(len(timings) * 0.95)]:6.2f} ms  (goal < 5 ms)"
        )


if __name__ == "__main__":
    main()
    from tests.benchmarks.quality import bench_quality

    bench_quality()
