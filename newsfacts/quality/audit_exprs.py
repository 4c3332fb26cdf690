"""Polars building blocks the audit rules share: typed id columns, the article each row points
at (its text and date joined in), and offsets checked against that text.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

Tables = Mapping[str, pl.DataFrame]


_ID_COLUMNS = frozenset(
    {"article_id", "figure_id", "equivalent_of", "entity_id", "speaker_entity_id", "quote_id"}
)


def _typed_ids(frame: pl.DataFrame) -> pl.LazyFrame:
    """Id columns as strings even when a frame built from all-None values typed them Null,
    so joins on them cannot fail on a dtype mismatch."""
    nulls = [c for c, t in frame.schema.items() if c in _ID_COLUMNS and t == pl.Null]
    return frame.lazy().with_columns(pl.col(c).cast(pl.String) for c in nulls)


def _has(columns: set[str], *names: str) -> bool:
    return all(n in columns for n in names)


def _unless_null(guard: pl.Expr, value: pl.Expr) -> pl.Expr:
    return pl.when(guard.is_null()).then(None).otherwise(value)


def _join_articles(
    lf: pl.LazyFrame, columns: set[str], tables: Tables
) -> tuple[pl.LazyFrame, bool]:
    """Left-join each row's article text and date (as ``__a_*``); False when impossible."""
    articles = tables.get("articles")
    if articles is None or "article_id" not in articles.columns or "article_id" not in columns:
        return lf, False
    present = [c for c in ("text", "published_at") if c in articles.columns]
    wanted = [pl.col(c).alias(f"__a_{c}") for c in present]
    if "text" in articles.columns:  # counted once per article, not once per joined row
        wanted.append(pl.col("text").str.len_chars().alias("__a_len"))
    right = (
        _typed_ids(articles)
        .select("article_id", *wanted)
        .unique("article_id", keep="first")  # a duplicate id is the articles suite's failure
        .with_columns(pl.lit(True).alias("__a_found"))
    )
    joined = lf.join(right, on="article_id", how="left", maintain_order="left")
    exists = _unless_null(pl.col("article_id"), pl.col("__a_found").is_not_null())
    return joined.with_columns(exists.alias("_audit_article_exists")), True


def _slice_matches(expected: str) -> pl.Expr:
    """``article_text[start:end] == expected`` with Python semantics (offsets in code points,
    which is also what polars' ``str.slice`` counts)."""
    text, start, end = pl.col("__a_text"), pl.col("start"), pl.col("end")
    in_bounds = (start >= 0) & (end >= start) & (end <= pl.col("__a_len"))
    piece = text.str.slice(start.clip(0), (end - start).clip(0))
    unknown = text.is_null() | start.is_null() | end.is_null() | pl.col(expected).is_null()
    same = in_bounds & (piece == pl.col(expected)).fill_null(False)
    return pl.when(unknown).then(None).otherwise(same).alias("_audit_slice_matches")


def _names(lf: pl.LazyFrame) -> list[str]:
    return lf.collect_schema().names()


def _drop_helpers(lf: pl.LazyFrame) -> pl.LazyFrame:
    return lf.drop([c for c in _names(lf) if c.startswith("__")])
