"""Run every extractor under comparison over the corpus pages, timing each.

newsfacts' extractor and plain trafilatura see the very same HTML string, and a crash on one
page is recorded rather than raised, so a long run over hundreds of pages always completes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial

import trafilatura

from benchmarks.corpora import GoldPage, SegmentPage
from newsfacts.extract.text import ExtractionError, extract_html


def run_newsfacts(html: str) -> str:
    """The pipeline's extractor; a reject (ExtractionError) is an empty prediction."""
    try:
        return extract_html(html).text
    except ExtractionError:
        return ""


def run_baseline(html: str) -> str:
    """True defaults (comments included), i.e. what "just use trafilatura" gives; upstream's
    own trafilatura runner passes include_comments=False, so its published row differs."""
    return trafilatura.extract(html) or ""


EXTRACTORS: dict[str, Callable[[str], str]] = {
    "newsfacts": run_newsfacts,
    "trafilatura": run_baseline,
}
BASELINE = "trafilatura"
LABELS = {"newsfacts": "newsfacts `extract_html`", "trafilatura": "`trafilatura.extract` defaults"}


@dataclass
class PageRun:
    """Every extractor's output for one page; a crash other than ExtractionError is kept as
    an error string (and an empty prediction) so one bad page cannot abort a long run."""

    key: str
    texts: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def run_page(page: GoldPage | SegmentPage, names: Sequence[str] = tuple(EXTRACTORS)) -> PageRun:
    html = page.html()
    run = PageRun(key=page.id if isinstance(page, GoldPage) else page.file)
    for name in names:
        # CPU time, not wall time: other work on the machine then barely moves the figure.
        start = time.process_time()
        try:
            run.texts[name] = EXTRACTORS[name](html)
        except Exception as exc:  # reported per page, see PageRun
            run.texts[name] = ""
            run.errors[name] = f"{type(exc).__name__}: {exc}"
        run.seconds[name] = time.process_time() - start
    return run


def run_pages(
    pages: Sequence[GoldPage | SegmentPage],
    workers: int,
    names: Sequence[str] = tuple(EXTRACTORS),
) -> list[PageRun]:
    """trafilatura is pure-Python CPU work (~30 ms/page), so processes, not threads."""
    if workers <= 1:
        return [run_page(p, names) for p in pages]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(partial(run_page, names=tuple(names)), pages, chunksize=4))
