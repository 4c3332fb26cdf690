"""Turn the per-page outputs into each corpus's figures and the Markdown tables.

Per-page scores are aggregated into upstream's headline metrics (with bootstrap spreads and the
newsfacts / baseline ratio) and kept per document too, so a regression can be traced to the
pages that caused it.
"""

from __future__ import annotations

import platform
import statistics
from collections.abc import Sequence
from importlib.metadata import version
from typing import Any

from benchmarks.corpora import GoldPage, SegmentPage
from benchmarks.extraction.extractors import BASELINE, EXTRACTORS, LABELS, PageRun
from benchmarks.extraction.scoring import (
    N_BOOTSTRAP,
    SEED,
    SegmentCounts,
    bootstrap_indices,
    bootstrap_ratio,
    bootstrap_std,
    exact_match,
    score_document,
    score_segments,
    summarize,
    tokenize,
)


def _pm(value: float, std: float) -> str:
    return f"{value:.3f} ± {std:.3f}"


def evaluate_gold(pages: Sequence[GoldPage], runs: Sequence[PageRun]) -> dict[str, Any]:
    resamples = bootstrap_indices(len(pages))
    scores = {
        name: [
            score_document(p.article_body, r.texts[name]) for p, r in zip(pages, runs, strict=True)
        ]
        for name in EXTRACTORS
    }
    result: dict[str, Any] = {"pages": len(pages), "extractors": {}, "documents": []}
    for name in EXTRACTORS:
        exact = [
            exact_match(p.article_body, r.texts[name]) for p, r in zip(pages, runs, strict=True)
        ]
        result["extractors"][name] = {
            **summarize(scores[name], exact),
            "std": bootstrap_std(scores[name], exact, resamples),
            "empty": sum(not tokenize(r.texts[name]) for r in runs),
            "errors": sum(name in r.errors for r in runs),
            "cpu_ms_per_page": 1000 * statistics.fmean(r.seconds[name] for r in runs),
        }
    ours, base = result["extractors"]["newsfacts"], result["extractors"][BASELINE]
    result["ratio"] = {
        m: {
            "value": ours[m] / base[m] if base[m] else float("nan"),
            "std": bootstrap_ratio(scores["newsfacts"], scores[BASELINE], resamples, m),
        }
        for m in ("precision", "recall", "f1")
    }
    for i, (page, run) in enumerate(zip(pages, runs, strict=True)):
        row: dict[str, Any] = {
            "id": page.id,
            "url": page.url,
            "gold_tokens": len(tokenize(page.article_body)),
        }
        for name in EXTRACTORS:
            s = scores[name][i]
            row[name] = {
                "precision": s.precision,
                "recall": s.recall,
                "f1": s.f1,
                "tokens": len(tokenize(run.texts[name])),
                "error": run.errors.get(name),
            }
        result["documents"].append(row)
    return result


def evaluate_segments(pages: Sequence[SegmentPage], runs: Sequence[PageRun]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "pages": len(pages),
        "with_segments": sum(len(p.with_) for p in pages),
        "without_segments": sum(len(p.without) for p in pages),
        "extractors": {},
        "documents": [],
    }
    per_page = {
        name: [
            score_segments(p.with_, p.without, r.texts[name])
            for p, r in zip(pages, runs, strict=True)
        ]
        for name in EXTRACTORS
    }
    for name in EXTRACTORS:
        pooled = sum(per_page[name], SegmentCounts())
        result["extractors"][name] = {
            **pooled.metrics(),
            "counts": vars(pooled),
            "empty": sum(not r.texts[name].strip() for r in runs),
            "errors": sum(name in r.errors for r in runs),
            "cpu_ms_per_page": 1000 * statistics.fmean(r.seconds[name] for r in runs),
        }
    for i, page in enumerate(pages):
        result["documents"].append(
            {"file": page.file, **{name: vars(per_page[name][i]) for name in EXTRACTORS}}
        )
    return result


def markdown(
    gold: dict[str, Any] | None, segments: dict[str, Any] | None, wall: float, workers: int
) -> str:
    lines: list[str] = []
    if gold:
        lines += [
            f"article-extraction-benchmark: {gold['pages']} pages, upstream evaluate.py "
            f"scoring (± = bootstrap std, {N_BOOTSTRAP} resamples, seed {SEED})",
            "",
            "| extractor | precision | recall | F1 | accuracy | empty | errors | CPU ms/page |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, m in gold["extractors"].items():
            s = m["std"]
            lines.append(
                f"| {LABELS[name]} | {_pm(m['precision'], s['precision'])} "
                f"| {_pm(m['recall'], s['recall'])} | {_pm(m['f1'], s['f1'])} "
                f"| {_pm(m['accuracy'], s['accuracy'])} | {m['empty']} | {m['errors']} "
                f"| {m['cpu_ms_per_page']:.0f} |"
            )
        r = gold["ratio"]
        lines.append(
            f"| newsfacts / baseline | {_pm(r['precision']['value'], r['precision']['std'])} "
            f"| {_pm(r['recall']['value'], r['recall']['std'])} "
            f"| {_pm(r['f1']['value'], r['f1']['std'])} | | | | |"
        )
        lines.append("")
    if segments:
        lines += [
            f"trafilatura-cache: {segments['pages']} pages, {segments['with_segments']} `with` + "
            f"{segments['without_segments']} `without` segments, pooled",
            "",
            "| extractor | precision | recall | F1 | accuracy | with found | without found "
            "| empty | CPU ms/page |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for name, m in segments["extractors"].items():
            c = m["counts"]
            lines.append(
                f"| {LABELS[name]} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} "
                f"| {m['accuracy']:.3f} | {c['tp']}/{c['tp'] + c['fn']} "
                f"| {c['fp']}/{c['fp'] + c['tn']} | {m['empty']} | {m['cpu_ms_per_page']:.0f} |"
            )
        lines.append("")
    lines.append(
        f"trafilatura {version('trafilatura')}, Python {platform.python_version()}, "
        f"{workers} worker process(es), wall time {wall:.1f} s"
    )
    return "\n".join(lines)
