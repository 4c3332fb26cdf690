"""The per-document chain of a build, one stage at a time, on one text.

Calls the same functions the build's workers call (extraction, language, signature, mentions,
quotes, figures), so a stage whose time grows faster than the text shows here without
Dagster, the pool or the cache in the way. Each stage's rows are kept, so two versions of
the code can be compared row for row.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from newsfacts.extract.duplicates import signature
from newsfacts.extract.language import detect_language
from newsfacts.extract.text import extract
from newsfacts.facts.entities.reference import EntityIndex, load_reference
from newsfacts.facts.per_document import figure_rows, mention_rows, quote_rows

STAGES = ("extract", "language", "signature", "mentions", "quotes", "figures")


@dataclass
class ChainRun:
    """Seconds per stage, and each table stage's rows."""

    seconds: dict[str, float] = field(default_factory=dict)
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    profiles: dict[str, str] = field(default_factory=dict)


def _timed(run: ChainRun, name: str, fn: Callable[[], Any], profile: bool) -> Any:
    profiler = cProfile.Profile() if profile else None
    t0 = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    out = fn()
    if profiler is not None:
        profiler.disable()
    run.seconds[name] = time.perf_counter() - t0
    if profiler is not None:
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).sort_stats("cumulative").print_stats(25)
        run.profiles[name] = buf.getvalue()
    return out


def run_chain(
    raw: str,
    fmt: str = "txt",
    article_id: str = "dense",
    index: EntityIndex | None = None,
    profile: bool = False,
) -> ChainRun:
    """Every per-document stage on one raw document, in the build's order."""
    index = index or load_reference()
    run = ChainRun()
    extracted = _timed(run, "extract", lambda: extract(raw, fmt), profile)
    text = extracted.text
    language = _timed(run, "language", lambda: detect_language(text), profile) or (
        extracted.language
    )
    _timed(run, "signature", lambda: signature(text), profile)
    payload = (article_id, text, language)
    mentions = _timed(run, "mentions", lambda: mention_rows(index, payload), profile)
    quotes = _timed(run, "quotes", lambda: quote_rows(index, (*payload, mentions)), profile)
    figures = _timed(run, "figures", lambda: figure_rows(payload), profile)
    run.rows = {"mentions": mentions, "quotes": quotes, "figures": figures}
    return run
