"""Claims: one quantity (a death toll, a sum, a distance) as reported by several articles.

The point is to surface disagreement: 21, 23 and 25 killed in reports of one strike is a
story, and so is everyone agreeing. A false merge invents a conflict, so the rules are
conservative; a missed merge only loses one.

Figures about the same quantity must share:

* ``kind``, ``unit`` and ``subject`` (see ``claim_subjects``);
* an event window: within one (kind, subject, unit), article dates are sorted and a window
  runs from its first date up to ``window_days`` later; the next date opens the next window.
  Anchored rather than chained, so a subject reported daily does not become one endless
  claim. An article's date is its publication date, else the day it was first taken in (see
  ``claim_subjects``); ``claim_figures`` records which.
* context: two names in common between their sentences (see ``claim_links``). Claims are the
  connected components of those links.

Per article one value: the largest, because a later figure for one quantity in one article
is usually an updated toll ("rose to 25"). A range counts as its low end (``value``). A claim
needs at least two articles.

Known limit: names tell stories apart, not incidents. In coverage dominated by one war, two
strikes reported on the same days can share "Russian" and "Ukraine" and merge into one
claim; ``claim_figures`` keeps every figure so an analyst can check a conflict's sources.
A first-seen day is only as near the event as the collecting was: an archive taken in at
once shares one day, so its windows part stories by context alone.
"""

from __future__ import annotations

import hashlib
from datetime import date

import polars as pl

from newsfacts.crosssource.claim_links import _links
from newsfacts.crosssource.claim_subjects import _candidates

CLAIMS_SCHEMA: dict[str, pl.DataType] = {
    "claim_id": pl.String(),
    "kind": pl.String(),
    "subject": pl.String(),
    "unit": pl.String(),
    "window_start": pl.Date(),
    "window_end": pl.Date(),
    "article_count": pl.Int64(),
    "outlet_count": pl.Int64(),
    "values": pl.List(pl.Float64()),
    "outlets": pl.List(pl.String()),
    "figure_ids": pl.List(pl.String()),
    "min_value": pl.Float64(),
    "max_value": pl.Float64(),
    "distinct_values": pl.Int64(),
    "conflict": pl.Boolean(),
    "spread": pl.Float64(),
}

CLAIM_FIGURES_SCHEMA: dict[str, pl.DataType] = {
    "claim_id": pl.String(),
    "figure_id": pl.String(),
    "article_id": pl.String(),
    "outlet": pl.String(),
    "value": pl.Float64(),
    "selected": pl.Boolean(),
    "article_date": pl.Date(),
    "article_date_source": pl.String(),
}
"""Every figure of every claim; ``selected`` marks the one value counted for its article, and
``article_date`` the date that placed it in the claim's window, from its publication date
(``article_date_source`` "published") or, lacking one, the day it was first taken in
("first_seen"), so an analyst can tell a window built on stated dates from one built on
arrival days."""


def _windows(frame: pl.DataFrame, window_days: int) -> pl.DataFrame:
    """Adds an integer ``_block`` per (kind, subject, unit, window). A loop over distinct
    (kind, subject, unit, date) rows, which are few."""
    keys = ["kind", "subject", "unit"]
    dates = frame.select(*keys, "article_date").unique().sort(*keys, "article_date")
    starts: list[date] = []
    previous: tuple[object, ...] | None = None
    start: date | None = None
    for kind, subject, unit, day in dates.iter_rows():
        if (kind, subject, unit) != previous or start is None or (day - start).days > window_days:
            start, previous = day, (kind, subject, unit)
        starts.append(start)
    windows = dates.with_columns(window_start=pl.Series(starts, dtype=pl.Date))
    windows = windows.with_columns(
        _block=pl.struct(*keys, "window_start").rank("dense").cast(pl.Int64)
    )
    return frame.join(windows, on=[*keys, "article_date"], how="left", nulls_equal=True)


def _components(size: int, links: list[tuple[int, int]]) -> list[int]:
    parent = list(range(size))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(size)]


def _claim_id(kind: str, subject: str | None, unit: str | None, start: date, first: str) -> str:
    """Stable for the same figures; the earliest figure tells apart claims that share kind,
    subject, unit and first date but not context."""
    key = f"{kind}|{subject or ''}|{unit or ''}|{start.isoformat()}|{first}"
    return "cl:" + hashlib.sha256(key.encode()).hexdigest()[:16]


def build_claims(
    figures: pl.DataFrame,
    articles: pl.DataFrame,
    window_days: int = 2,
    tolerance: float = 0.02,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(claims, claim_figures), typed by ``CLAIMS_SCHEMA`` and ``CLAIM_FIGURES_SCHEMA``.

    ``values``, ``outlets`` and ``figure_ids`` are aligned, one entry per article in
    date order (then article_id); ``window_start``/``window_end`` are the first and last
    article dates of the claim's articles. Outlets are the article's outlet, or its
    source_file when the outlet is unknown, so ``outlet_count`` counts each unknown-outlet
    article as its own outlet. ``conflict``: max - min > ``tolerance`` × |min|;
    ``spread`` = max/min - 1 (null unless min > 0).
    """
    frame = _candidates(figures, articles)
    if frame.height == 0:
        return pl.DataFrame(schema=CLAIMS_SCHEMA), pl.DataFrame(schema=CLAIM_FIGURES_SCHEMA)
    frame = (
        _windows(frame, window_days)
        .sort("_block", "article_date", "article_id", "figure_id")
        .with_row_index("_idx")
        .with_columns(pl.col("_idx").cast(pl.Int64))
    )
    roots = _components(frame.height, _links(frame))
    frame = (
        frame.with_columns(_root=pl.Series(roots, dtype=pl.Int64))
        .filter(pl.col("article_id").n_unique().over("_root") >= 2)
        .with_columns(
            _selected=pl.col("figure_id")
            == pl.col("figure_id")
            .sort_by(["value", "figure_id"], descending=[True, False])
            .first()
            .over("_root", "article_id")
        )
    )
    if frame.height == 0:
        return pl.DataFrame(schema=CLAIMS_SCHEMA), pl.DataFrame(schema=CLAIM_FIGURES_SCHEMA)
    frame = frame.with_columns(
        window_start=pl.col("article_date").min().over("_root"),
        window_end=pl.col("article_date").max().over("_root"),
    )
    ids = frame.group_by("_root").agg(
        pl.col("kind", "subject", "unit", "window_start").first(),
        pl.col("figure_id").first().alias("_first"),  # frame is in date order
    )
    ids = ids.select(
        "_root",
        pl.struct("kind", "subject", "unit", "window_start", "_first")
        .map_elements(lambda s: _claim_id(*s.values()), return_dtype=pl.String)
        .alias("claim_id"),
    )
    frame = frame.join(ids, on="_root", how="left")
    chosen = frame.filter(pl.col("_selected")).sort("_root", "article_date", "article_id")
    low, high = pl.col("values").list.min(), pl.col("values").list.max()
    claims = (
        chosen.group_by("claim_id", maintain_order=True)
        .agg(
            pl.col("kind", "subject", "unit", "window_start", "window_end").first(),
            pl.len().cast(pl.Int64).alias("article_count"),
            pl.col("outlet").n_unique().cast(pl.Int64).alias("outlet_count"),
            pl.col("value").alias("values"),
            pl.col("outlet").alias("outlets"),
            pl.col("figure_id").alias("figure_ids"),
        )
        .with_columns(
            min_value=low,
            max_value=high,
            distinct_values=pl.col("values").list.n_unique().cast(pl.Int64),
            conflict=(high - low) > tolerance * low.abs(),
            spread=pl.when(low > 0).then(high / low - 1),
        )
        .sort("kind", "subject", "window_start", "claim_id", nulls_last=True)
    )
    claim_figures = frame.sort("claim_id", "article_date", "article_id", "figure_id").select(
        "claim_id",
        "figure_id",
        "article_id",
        "outlet",
        "value",
        pl.col("_selected").alias("selected"),
        "article_date",
        "article_date_source",
    )
    return (
        claims.select(list(CLAIMS_SCHEMA)).cast(CLAIMS_SCHEMA),
        claim_figures.cast(CLAIM_FIGURES_SCHEMA),
    )
