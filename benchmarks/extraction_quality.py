"""How good is newsfacts' article text, measured against public gold rather than by eye?

Two corpora, each scored the way its upstream scores it, so our figures can be set next to the
published ones:

* article-extraction-benchmark (Scrapinghub): ``\\w+`` tokens, 4-token shingles, per-document
  TP/FP/FN normalised to sum to 1, precision and recall each averaged over documents, F1 the
  harmonic mean of those two averages, accuracy the share of documents whose token sequence
  equals the gold exactly, ± the standard deviation over 1000 bootstrap resamples.
* trafilatura-cache: hand-picked ``with`` segments that must appear and ``without`` segments
  that must not, matched as whitespace-normalised substrings and pooled over all pages.

A figure on its own says little, so the same pages also go through plain
``trafilatura.extract(html)`` with default settings; the ratio newsfacts / baseline is what the
README quotes.

Empty predictions follow upstream ``evaluate.py`` exactly: a document with no predicted shingles
has no precision (it is left out of the precision average) and recall 0. That rewards giving up
on hard pages, so the tables also count empty outputs.

Usage: ``python benchmarks/extraction_quality.py [--corpora PATH] [--limit N] [--json OUT]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trafilatura

from benchmarks.corpora import (
    DEFAULT_CORPORA,
    CorporaMissing,
    GoldPage,
    SegmentPage,
    gold_pages,
    segment_pages,
)
from newsfacts.extract.text import ExtractionError, extract_html

NGRAM = 4
N_BOOTSTRAP = 1000
SEED = 20240101
# Upstream compiles \w+ with UNICODE|MULTILINE|IGNORECASE|DOTALL; on str patterns none of
# those change what \w+ matches, so the plain pattern tokenises identically.
_TOKEN = re.compile(r"\w+")
_WHITESPACE = re.compile(r"\s+")


# --- article-extraction-benchmark scoring (upstream evaluate.py) ---------------------------


def tokenize(text: str | None) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str | None, n: int = NGRAM) -> Counter[tuple[str, ...]]:
    """Upstream quirk kept on purpose: a text shorter than n tokens is one short shingle, so a
    two-word prediction still counts as a (wrong) prediction rather than as empty."""
    tokens = tokenize(text)
    return Counter(
        shingle for i in range(max(1, len(tokens) - n + 1)) if (shingle := tuple(tokens[i : i + n]))
    )


@dataclass(frozen=True)
class ShingleScore:
    """One document's shingle TP/FP/FN, normalised to sum to 1 so long articles do not
    outweigh short ones in the averages."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float | None:
        """None when nothing was predicted: upstream leaves such documents out of the mean."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp > 0 else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn > 0 else None

    @property
    def f1(self) -> float:
        """Per-document F1, for ranking failures; the headline F1 is not the mean of these."""
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def score_document(gold: str, predicted: str | None, n: int = NGRAM) -> ShingleScore:
    true, pred = shingles(gold, n), shingles(predicted, n)
    tp = float(sum((true & pred).values()))
    fp = float(sum((pred - true).values()))
    fn = float(sum((true - pred).values()))
    total = tp + fp + fn
    return ShingleScore(tp / total, fp / total, fn / total) if total else ShingleScore(0, 0, 0)


def exact_match(gold: str, predicted: str | None) -> bool:
    return tokenize(gold) == tokenize(predicted)


def _mean(values: Iterable[float | None]) -> float:
    kept = [v for v in values if v is not None]
    return statistics.fmean(kept) if kept else float("nan")


def _harmonic(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def summarize(scores: Sequence[ShingleScore], exact: Sequence[bool]) -> dict[str, float]:
    """Upstream's headline metrics: F1 is computed from the two averages, not averaged."""
    precision = _mean(s.precision for s in scores)
    recall = _mean(s.recall for s in scores)
    return {
        "precision": precision,
        "recall": recall,
        "f1": _harmonic(precision, recall),
        "accuracy": statistics.fmean(exact) if exact else float("nan"),
    }


def bootstrap_indices(
    n_docs: int, n_resamples: int = N_BOOTSTRAP, seed: int = SEED
) -> list[list[int]]:
    """Fixed-seed resamples, shared by every extractor so their differences are paired."""
    rng = random.Random(seed)
    return [[rng.randrange(n_docs) for _ in range(n_docs)] for _ in range(n_resamples)]


def bootstrap_std(
    scores: Sequence[ShingleScore], exact: Sequence[bool], resamples: Sequence[Sequence[int]]
) -> dict[str, float]:
    """Standard deviation of each headline metric over the resamples (upstream reports the
    std, not a confidence interval)."""
    values: dict[str, list[float]] = {}
    for idx in resamples:
        metrics = summarize([scores[i] for i in idx], [exact[i] for i in idx])
        for key, value in metrics.items():
            values.setdefault(key, []).append(value)
    return {key: statistics.stdev(v) if len(v) > 1 else 0.0 for key, v in values.items()}


def bootstrap_ratio(
    ours: Sequence[ShingleScore],
    base: Sequence[ShingleScore],
    resamples: Sequence[Sequence[int]],
    metric: str = "f1",
) -> float:
    """Std of ours/baseline over the same resamples: the ratio's own uncertainty, smaller
    than the two separate ± because both extractors see the same hard pages."""
    ratios = []
    no_exact: list[bool] = []
    for idx in resamples:
        a = summarize([ours[i] for i in idx], no_exact)[metric]
        b = summarize([base[i] for i in idx], no_exact)[metric]
        if b:
            ratios.append(a / b)
    return statistics.stdev(ratios) if len(ratios) > 1 else 0.0


# --- trafilatura-cache scoring (upstream tests/eval_common.py) -----------------------------


def normalize_whitespace(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class SegmentCounts:
    """Pooled confusion counts: found ``with`` = tp, missing ``with`` = fn, found ``without``
    = fp, absent ``without`` = tn."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def __add__(self, other: SegmentCounts) -> SegmentCounts:
        return SegmentCounts(
            self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.tn + other.tn
        )

    def metrics(self) -> dict[str, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        total = self.tp + self.fp + self.fn + self.tn
        return {
            "precision": precision,
            "recall": recall,
            "accuracy": (self.tp + self.tn) / total if total else 0.0,
            "f1": _harmonic(precision, recall),
        }


def score_segments(with_: Sequence[str], without: Sequence[str], text: str | None) -> SegmentCounts:
    found = normalize_whitespace(text or "")
    tp = sum(normalize_whitespace(s) in found for s in with_)
    fp = sum(normalize_whitespace(s) in found for s in without)
    return SegmentCounts(tp=tp, fp=fp, fn=len(with_) - tp, tn=len(without) - fp)


# --- extractors -----------------------------------------------------------------------------


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


# --- report -------------------------------------------------------------------------------


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpora", type=Path, default=DEFAULT_CORPORA, help=f"default: {DEFAULT_CORPORA}"
    )
    parser.add_argument("--limit", type=int, help="score only the first N pages of each corpus")
    parser.add_argument("--json", type=Path, help="also write all figures and per-page scores")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)

    try:
        gold = gold_pages(args.corpora, args.limit)
        segs = segment_pages(args.corpora, args.limit)
    except CorporaMissing as exc:
        parser.exit(2, f"extraction_quality: {exc}\n")

    start = time.perf_counter()
    runs = run_pages([*gold, *segs], args.workers)
    wall = time.perf_counter() - start
    gold_result = evaluate_gold(gold, runs[: len(gold)])
    seg_result = evaluate_segments(segs, runs[len(gold) :])
    print(markdown(gold_result, seg_result, wall, args.workers))

    if args.json:
        report = {
            "command": " ".join([Path(sys.argv[0]).name, *(argv or sys.argv[1:])]),
            "trafilatura_version": version("trafilatura"),
            "python": platform.python_version(),
            "workers": args.workers,
            "wall_seconds": wall,
            "bootstrap": {"resamples": N_BOOTSTRAP, "seed": SEED},
            "article_extraction_benchmark": gold_result,
            "trafilatura_cache": seg_result,
        }
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
