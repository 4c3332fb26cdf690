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

The scoring, the extractor runs and the report live in ``benchmarks/extraction/``.

Usage: ``python benchmarks/extraction_quality.py [--corpora PATH] [--limit N] [--json OUT]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpora import (
    DEFAULT_CORPORA,
    CorporaMissing,
    gold_pages,
    segment_pages,
)
from benchmarks.extraction.extractors import run_pages
from benchmarks.extraction.report import evaluate_gold, evaluate_segments, markdown
from benchmarks.extraction.scoring import N_BOOTSTRAP, SEED


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
