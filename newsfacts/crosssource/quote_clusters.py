"""Quote clusters: one utterance as reported by several articles.

Outlets quote the same sentence with small differences (a bracketed insertion, an ellipsis,
US spelling) or paraphrase it inside quote marks. Clustering lets analysts count how widely a
statement travelled and compare renderings, without double counting it as several quotes.

Rules (conservative: a wrong merge puts words in a speaker's mouth, a missed one only splits
a count):

* Only speech clusters: quotes with ``attribution`` "none" (terms, headline restatements) and
  quotes without a resolved ``speaker_entity_id`` are singletons.
* Two quotes link when ``quote_links`` finds them the same utterance: same speaker, dates
  close, and the texts equal, contained in one another or (with an embedder) close in meaning.
* Clusters are the connected components (union-find) of those links; ``quote_cluster_id`` is
  "qc:" + the smallest ``quote_id`` in it, so ids are stable across runs that see the same
  quotes.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from newsfacts.crosssource.article_context import article_context
from newsfacts.crosssource.quote_links import (
    Embedder,
    _contained,
    _exact_links,
    _semantic_links,
)

QUOTE_CLUSTERS_SCHEMA: dict[str, pl.DataType] = {
    "quote_cluster_id": pl.String(),
    "speaker_entity_id": pl.String(),
    "speaker_name": pl.String(),
    "canonical_text": pl.String(),
    "quote_count": pl.Int64(),
    "article_count": pl.Int64(),
    "outlets": pl.List(pl.String()),
    "article_ids": pl.List(pl.String()),
    "first_seen": pl.Date(),
    "method": pl.String(),
}


def normalised(expr: pl.Expr) -> pl.Expr:
    """Words only: "(Russian President Vladimir) Putin is…" and "Russian President Vladimir
    Putin is" compare equal; apostrophes are dropped rather than split ("it’s" -> "its")."""
    return (
        expr.fill_null("")
        .str.to_lowercase()
        .str.replace_all(r"[’‘'`´]", "")
        .str.replace_all(r"[^\w\s]|_", " ")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, x: int, y: int) -> bool:
        rx, ry = self.find(x), self.find(y)
        if rx == ry:
            return False
        self.parent[max(rx, ry)] = min(rx, ry)
        return True


def _representatives(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per (speaker, normalised text, date), in ``frame``'s order, with ``_orig`` its
    first row in ``frame``. Exact links have already joined each such group, and the other
    tests depend on the text only, so they run on these rows: a wire story syndicated by 300
    outlets gives one row per quote, not 300 (all pairs of copies would be 90,000 pairs per
    shared word). ``_multi`` marks groups spanning several articles: such a group has a row
    in another article than any given quote, so "different articles" holds for its pairs."""
    return (
        frame.group_by("_speaker", "_norm_code", "published_at", maintain_order=True)
        .agg(
            pl.col("_i").first().alias("_orig"),
            pl.col("_article").min(),
            (pl.col("_article").n_unique() > 1).alias("_multi"),
            pl.col("quote_id", "quote_text", "_norm", "_words").first(),
        )
        .sort("_orig")
        .with_row_index("_i")
        .with_columns(pl.col("_i").cast(pl.Int64))
    )


def _link(
    frame: pl.DataFrame, window_days: int, embedder: Embedder | None, threshold: float
) -> tuple[list[int], set[int]]:
    """Root of every row of ``frame`` (eligible quotes) and the roots joined semantically."""
    uf = _UnionFind(frame.height)
    for x, y in _exact_links(frame, window_days):
        uf.union(x, y)
    reps = _representatives(frame)
    orig = reps["_orig"].to_numpy()
    for x, y in _contained(reps, window_days):
        uf.union(int(orig[x]), int(orig[y]))
    semantic: list[int] = []
    if embedder is not None:
        roots = np.array([uf.find(int(i)) for i in orig], dtype=np.int64)
        for x, y in _semantic_links(reps, window_days, roots, embedder, threshold):
            if uf.union(int(orig[x]), int(orig[y])):
                semantic.append(int(orig[x]))
    roots = [uf.find(i) for i in range(frame.height)]
    return roots, {roots[x] for x in semantic}


def _prepare(quotes: pl.DataFrame, context: pl.DataFrame) -> pl.DataFrame:
    frame = (
        quotes.select("quote_id", "article_id", "quote_text", "speaker_entity_id", "attribution")
        .with_row_index("_row")
        .join(context.select("article_id", "published_at"), on="article_id", how="left")
        .with_columns(_norm=normalised(pl.col("quote_text")))
        .with_columns(
            _words=pl.when(pl.col("_norm") == "")
            .then(0)
            .otherwise(pl.col("_norm").str.count_matches(" ") + 1)
        )
    )
    eligible = (
        (pl.col("attribution").fill_null("none") != "none")
        & pl.col("speaker_entity_id").is_not_null()
        & (pl.col("_words") > 0)
    )
    return (
        frame.filter(eligible)
        .sort("speaker_entity_id", "published_at", "quote_id", nulls_last=True)
        .with_columns(
            _speaker=pl.col("speaker_entity_id").rank("dense").cast(pl.Int64),
            _article=pl.col("article_id").rank("dense").cast(pl.Int64),
            _norm_code=pl.col("_norm").rank("dense").cast(pl.Int64),
        )
        .with_row_index("_i")
        .with_columns(pl.col("_i").cast(pl.Int64))
    )


def cluster_quotes(
    quotes: pl.DataFrame,
    articles: pl.DataFrame,
    embedder: Embedder | None,
    window_days: int = 2,
    threshold: float = 0.8,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``quotes`` (same rows, same order) plus ``quote_cluster_id`` and ``cluster_method``,
    and the ``quote_clusters`` table (``QUOTE_CLUSTERS_SCHEMA``), one row per cluster,
    singletons included so every ``quote_cluster_id`` joins.

    ``embedder`` None clusters lexically only. ``cluster_method`` is the cluster's
    ``method``: "single", "lexical", or "semantic" when at least one semantic link was
    needed to build it.
    """
    quotes = quotes.drop("quote_cluster_id", "cluster_method", strict=False)
    context = article_context(articles)
    eligible = _prepare(quotes, context)
    roots, semantic_roots = _link(eligible, window_days, embedder, threshold)
    linked = (
        eligible.select("_row", "quote_id")
        .with_columns(
            _root=pl.Series(roots, dtype=pl.Int64),
            _semantic=pl.Series([r in semantic_roots for r in roots], dtype=pl.Boolean),
        )
        .with_columns(
            _cluster=pl.col("quote_id").min().over("_root"),
            _size=pl.len().over("_root"),
        )
        .select(
            "_row",
            ("qc:" + pl.col("_cluster")).alias("quote_cluster_id"),
            pl.when(pl.col("_semantic"))
            .then(pl.lit("semantic"))
            .when(pl.col("_size") > 1)
            .then(pl.lit("lexical"))
            .otherwise(pl.lit("single"))
            .alias("cluster_method"),
        )
    )
    clustered = (
        quotes.with_row_index("_row")
        .join(linked, on="_row", how="left")
        .with_columns(
            pl.col("quote_cluster_id").fill_null("qc:" + pl.col("quote_id")),
            pl.col("cluster_method").fill_null("single"),
        )
        .sort("_row")
        .drop("_row")
    )
    return clustered, _cluster_table(clustered, context)


def _cluster_table(clustered: pl.DataFrame, context: pl.DataFrame) -> pl.DataFrame:
    """One row per cluster; ``outlets`` are ``article_context`` labels (outlet, else the
    article's source_file)."""
    if clustered.height == 0:
        return pl.DataFrame(schema=QUOTE_CLUSTERS_SCHEMA)
    longest_first = [pl.col("quote_text").str.len_chars().fill_null(0), pl.col("quote_id")]
    table = (
        clustered.join(context, on="article_id", how="left")
        .group_by("quote_cluster_id")
        .agg(
            pl.col("speaker_entity_id").drop_nulls().first(),
            pl.col("speaker_name").drop_nulls().mode().sort().first(),
            pl.col("quote_text")
            .sort_by(longest_first, descending=[True, False])
            .first()
            .alias("canonical_text"),
            pl.len().cast(pl.Int64).alias("quote_count"),
            pl.col("article_id").n_unique().cast(pl.Int64).alias("article_count"),
            pl.col("outlet_label").drop_nulls().unique().sort().alias("outlets"),
            pl.col("article_id").unique().sort().alias("article_ids"),
            pl.col("published_at").min().alias("first_seen"),
            pl.col("cluster_method").first().alias("method"),
        )
        .sort("quote_cluster_id")
    )
    return table.select(list(QUOTE_CLUSTERS_SCHEMA)).cast(QUOTE_CLUSTERS_SCHEMA)
