"""Score extracted text exactly as each corpus's upstream does.

Our figures are only comparable with the published ones if the scoring is the upstream's own,
quirks included, so it is kept apart from running extractors and from the report; the corpus
tests use the same functions.
"""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
