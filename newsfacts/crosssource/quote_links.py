"""Candidate links between quotes: which two renderings may be the same utterance.

A wrong link puts words in a speaker's mouth, so the tests are conservative; a missed one only
splits a count. ``quote_clusters`` joins the links into clusters.

* Candidates: same speaker, different articles, publication dates at most ``window_days``
  apart (an undated article is a candidate for every date). No step compares all pairs: exact
  matches are a sort, containment candidates come from a join on each quote's rarest words
  (prefix filtering), and cosines are matrix products over date-sorted tiles of a speaker's
  quotes, so 100k quotes take seconds (embedding aside).
* Lexical: the texts are equal after normalising case, punctuation, brackets and quote marks
  (identical texts join within one article too: a repeated pull quote is one utterance); or
  the shorter (3-5 words) occurs word for word inside the longer; or, from 6 words, at least
  80% of the shorter's distinct words and half its word pairs occur in the longer (word pairs
  keep a long quote from swallowing a short one that merely shares common words).
* Semantic (only with an embedder): cosine of the ``quote_text`` vectors ≥ ``threshold``,
  both quotes having at least 5 words: embeddings of short fragments are too close to each
  other to mean anything. One- and two-word fragments ("naive") join on exact match only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import pairwise

import numpy as np
import polars as pl

Embedder = Callable[[list[str], list[str]], np.ndarray]
"""(quote ids, texts) -> one unit vector per text; e.g. ``EmbeddingCache(root).get_or_embed``."""

EXACT_ONLY_BELOW = 3  # words: shorter quotes join on exact match only
SUBSTRING_BELOW = 6  # words: shorter quotes must occur verbatim in the longer
CONTAINMENT = 0.8
BIGRAM_CONTAINMENT = 0.5
SEMANTIC_MIN_WORDS = 5
_TILE = 512


def _partner_ranges(frame: pl.DataFrame, window_days: int) -> tuple[np.ndarray, np.ndarray]:
    """Row i's candidate partners are rows ``first[i] .. first[i] + count[i] - 1``.

    ``frame`` is sorted by speaker, then date with undated rows last. A dated row pairs with
    the later rows of its speaker up to ``window_days`` on, found by binary search over a
    (speaker, day) key; an undated row pairs with every earlier row of its speaker. Each
    unordered pair thus appears once.
    """
    n = frame.height
    speaker = frame["_speaker"].to_numpy().astype(np.int64)
    day_series = frame["published_at"].cast(pl.Int32)
    dated = day_series.is_not_null().to_numpy()
    day = day_series.fill_null(0).to_numpy().astype(np.int64)
    low = int(day[dated].min()) if dated.any() else 0
    span = int(day[dated].max()) - low if dated.any() else 0
    stride = span + window_days + 2
    key = speaker * stride + np.where(dated, day - low, stride - 1)
    index = np.arange(n)
    block_start = np.searchsorted(speaker, speaker, side="left")
    hi = np.searchsorted(key, key + window_days, side="right")
    first = np.where(dated, index + 1, block_start)
    count = np.where(dated, hi - index - 1, index - block_start)
    return first, count


def _tile_masks(
    frame: pl.DataFrame, window_days: int, roots: np.ndarray, long_enough: np.ndarray
) -> Iterator[tuple[int, int, np.ndarray]]:
    """(r0, c0, mask): mask[i, j] says rows r0+i and c0+j are a pair still to test
    semantically (candidates, different articles, both long enough, not yet joined).

    Tiles of ``_TILE`` rows against the span of their partners, so the cosines of a tile are
    one matrix product: a speaker quoted thousands of times in a few days costs a few BLAS
    calls instead of millions of Python-level pairs.
    """
    first, count = _partner_ranges(frame, window_days)
    article = frame["_article"].to_numpy()
    multi = frame["_multi"].to_numpy()
    for r0 in range(0, frame.height, _TILE):
        r1 = min(frame.height, r0 + _TILE)
        lo, n = first[r0:r1], count[r0:r1]
        live = (n > 0) & long_enough[r0:r1]
        if not live.any():
            continue
        c0, c1 = int(lo[live].min()), int((lo + n)[live].max())
        cols = np.arange(c0, c1)[None, :]
        mask = (cols >= lo[:, None]) & (cols < (lo + n)[:, None]) & live[:, None]
        mask &= long_enough[None, c0:c1]
        mask &= (
            (article[r0:r1, None] != article[None, c0:c1]) | multi[r0:r1, None] | multi[None, c0:c1]
        )
        mask &= roots[r0:r1, None] != roots[None, c0:c1]
        if mask.any():
            yield r0, c0, mask


def _exact_links(frame: pl.DataFrame, window_days: int) -> list[tuple[int, int]]:
    """Identical normalised texts of one speaker, without comparing all pairs: in date order,
    each dated quote links to the previous one when at most ``window_days`` apart (a run);
    undated quotes link to each other and to the first quote of every run, as all pairs
    would."""
    group = ["_speaker", "_norm_code"]
    rows = (
        frame.select("_i", *group, "published_at")
        .sort(*group, "published_at", "_i", nulls_last=True)
        .with_columns(
            _prev=pl.col("_i").shift(1),
            _same=(pl.col("_speaker") == pl.col("_speaker").shift(1))
            & (pl.col("_norm_code") == pl.col("_norm_code").shift(1)),
            _gap=(pl.col("published_at") - pl.col("published_at").shift(1)).dt.total_days(),
            _undated=pl.col("published_at").is_null(),
        )
    )
    chained = pl.col("_same") & (
        (pl.col("_gap") <= window_days)  # both dated
        | (pl.col("_undated") & pl.col("_prev").is_not_null() & pl.col("_gap").is_null())
    )
    runs = rows.filter(~pl.col("_undated") & ~chained.fill_null(False)).select("_i", *group)
    undated = rows.filter("_undated").group_by(group).agg(pl.col("_i").min().alias("_prev"))
    heads = runs.join(undated, on=group).select("_prev", "_i")
    links = rows.filter(chained.fill_null(False)).select("_prev", "_i")
    return list(pl.concat([links, heads]).iter_rows())


def _containment_candidates(frame: pl.DataFrame, window_days: int) -> pl.DataFrame:
    """Pairs (_a, _b) that may pass the containment tests, found by prefix filtering.

    If the shorter quote (n distinct words) may lack at most m of them in the longer (m = n -
    ⌈0.8·n⌉, or 0 for 3-5 word quotes, which must be contained whole), then of its m + 2
    rarest words (rarity counted within the speaker) at least 2 are in the longer. Joining
    those few rare words against all words of the speaker's quotes, and keeping pairs that
    meet often enough, finds every candidate without comparing all pairs.
    """
    bucket = (pl.col("published_at").cast(pl.Int64) // (window_days + 1)).alias("_bucket")
    distinct = pl.col("_norm").str.split(" ").list.unique()
    words = (
        frame.filter(pl.col("_words") >= EXACT_ONLY_BELOW)
        .select("_i", "_speaker", "_words", bucket, distinct.alias("_w"))
        .with_columns(_n=pl.col("_w").list.len())
        .explode("_w")
        .with_columns(pl.col("_w").hash())  # verification below is exact, so ids suffice
    )
    df = words.group_by("_speaker", "_w").agg(pl.len().alias("_df")).filter(pl.col("_df") > 1)
    # A word no other quote of the speaker has links nothing: the inner join drops it.
    words = words.join(df, on=["_speaker", "_w"])
    missing = (
        pl.when(pl.col("_words") < SUBSTRING_BELOW)
        .then(0)
        .otherwise(pl.col("_n") - (pl.col("_n") * 4 + 4) // 5)
    )
    size = pl.min_horizontal(pl.col("_n"), missing + 2)
    # Rarest first; words dropped above (df 1) still count in ``_n`` and in the rank: they
    # are among the words a containing quote lacks. Rows are grouped by quote after the sort,
    # so a word's rank is its distance from the group's first row.
    words = words.sort("_i", "_df", "_w")
    quote = words["_i"].to_numpy()
    start = np.searchsorted(quote, quote, side="left")
    kept = np.searchsorted(quote, quote, side="right") - start
    dropped = words["_n"].to_numpy() - kept  # df-1 words: the rarest, so ranked first
    rank = pl.Series(np.arange(len(quote)) - start + dropped, dtype=pl.Int64)
    prefix = words.filter(rank < size).select(
        "_i", "_speaker", "_w", "_words", "_bucket", (size - missing).alias("_need")
    )
    probe = words.select(
        pl.col("_i").alias("_j"), "_speaker", "_w", "_bucket", pl.col("_words").alias("_words_j")
    )
    # Dates in the window fall in the same or a neighbouring bucket of window_days + 1 days,
    # so dated quotes only meet the probes of three buckets, not the speaker's whole history.
    dated_probe = pl.concat(
        [
            probe.filter(pl.col("_bucket").is_not_null()).with_columns(pl.col("_bucket") + shift)
            for shift in (-1, 0, 1)
        ]
    )
    key = ["_speaker", "_w"]
    dated = prefix.filter(pl.col("_bucket").is_not_null())
    met = pl.concat(
        [
            dated.join(dated_probe, on=[*key, "_bucket"]),
            dated.join(probe.filter(pl.col("_bucket").is_null()).drop("_bucket"), on=key),
            prefix.filter(pl.col("_bucket").is_null()).drop("_bucket").join(probe, on=key),
        ],
        how="diagonal",
    )
    context = frame.select("_i", "_article", "_multi", "published_at")
    pairs = (
        met.filter((pl.col("_i") != pl.col("_j")) & (pl.col("_words") <= pl.col("_words_j")))
        .group_by("_i", "_j")
        .agg(pl.len().alias("_met"), pl.col("_need").first())
        .filter(pl.col("_met") >= pl.col("_need"))
        .select(
            pl.min_horizontal("_i", "_j").alias("_a"), pl.max_horizontal("_i", "_j").alias("_b")
        )
        .unique()
        .join(context.rename(_suffixed(context, "_a")), on="_a")
        .join(context.rename(_suffixed(context, "_b")), on="_b")
    )
    gap = (pl.col("published_at_a") - pl.col("published_at_b")).dt.total_days().abs()
    other_article = (
        (pl.col("_article_a") != pl.col("_article_b")) | pl.col("_multi_a") | pl.col("_multi_b")
    )
    return pairs.filter(other_article & (gap.is_null() | (gap <= window_days))).select("_a", "_b")


def _suffixed(context: pl.DataFrame, suffix: str) -> dict[str, str]:
    return {c: suffix if c == "_i" else f"{c}{suffix}" for c in context.columns}


class _Text:
    """A normalised text with its word set, computed once however many pairs it is in."""

    __slots__ = ("padded", "set", "words")

    def __init__(self, norm: str) -> None:
        self.words = norm.split(" ")
        self.set = frozenset(self.words)
        self.padded = f" {norm} "


def _lexically_same(one: _Text, other: _Text) -> bool:
    """Same utterance, one rendering possibly cut or lightly edited (see module docstring)."""
    short, long = (one, other) if len(one.words) <= len(other.words) else (other, one)
    if len(short.words) < EXACT_ONLY_BELOW:
        return False
    if len(short.words) < SUBSTRING_BELOW:
        return short.padded in long.padded
    if len(short.set & long.set) < CONTAINMENT * len(short.set):
        return False
    short_pairs = set(pairwise(short.words))
    shared = short_pairs & set(pairwise(long.words))
    return len(shared) >= BIGRAM_CONTAINMENT * len(short_pairs)


def _contained(frame: pl.DataFrame, window_days: int) -> list[tuple[int, int]]:
    """Candidate pairs passing ``_lexically_same``. The test depends on the two texts only, so
    it runs once per distinct pair of normalised texts: wire copy makes many pairs share one."""
    candidates = _containment_candidates(frame, window_days)
    a, b = candidates["_a"].to_numpy(), candidates["_b"].to_numpy()
    code = frame["_norm_code"].to_numpy()
    lo, hi = np.minimum(code[a], code[b]), np.maximum(code[a], code[b])
    differ = lo != hi
    a, b, lo, hi = a[differ], b[differ], lo[differ], hi[differ]
    key = lo * (int(code.max()) + 1) + hi if len(code) else lo
    norms = dict(frame.select("_norm_code", "_norm").unique("_norm_code").iter_rows())
    texts: dict[int, _Text] = {}

    def text(code: int) -> _Text:
        if code not in texts:
            texts[code] = _Text(norms[code])
        return texts[code]

    distinct, first = np.unique(key, return_index=True)
    passed = [
        k
        for k, i in zip(distinct.tolist(), first.tolist(), strict=True)
        if _lexically_same(text(int(lo[i])), text(int(hi[i])))
    ]
    same = np.isin(key, np.array(passed, dtype=key.dtype))
    return list(zip(a[same].tolist(), b[same].tolist(), strict=True))


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


def _semantic_links(
    frame: pl.DataFrame, window_days: int, roots: np.ndarray, embedder: Embedder, threshold: float
) -> list[tuple[int, int]]:
    """Candidate pairs not already joined lexically whose vectors are close. A first pass
    finds the quotes in such a pair, the only ones embedded; the second runs on those."""
    long_enough = frame["_words"].to_numpy() >= SEMANTIC_MIN_WORDS
    needed = np.zeros(frame.height, dtype=bool)
    for r0, c0, mask in _tile_masks(frame, window_days, roots, long_enough):
        needed[r0 : r0 + mask.shape[0]] |= mask.any(axis=1)
        needed[c0 : c0 + mask.shape[1]] |= mask.any(axis=0)
    rows = np.flatnonzero(needed)
    if len(rows) == 0:
        return []
    subset = frame[rows]  # still sorted by speaker and date
    ids, texts = subset["quote_id"].to_list(), subset["quote_text"].to_list()
    unit = _unit(embedder(ids, texts))
    links: list[tuple[int, int]] = []
    sub_roots, sub_long = roots[rows], np.ones(len(rows), dtype=bool)
    for r0, c0, mask in _tile_masks(subset, window_days, sub_roots, sub_long):
        r1, c1 = r0 + mask.shape[0], c0 + mask.shape[1]
        close = mask & (unit[r0:r1] @ unit[c0:c1].T >= threshold)
        i, j = np.nonzero(close)
        links.extend(zip(rows[r0 + i].tolist(), rows[c0 + j].tolist(), strict=True))
    return links
