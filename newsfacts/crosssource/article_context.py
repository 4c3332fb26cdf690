"""What grouping across sources needs to know of an article: when it appeared and who
published it.

Quote clusters and claims both span articles by date and count outlets; reading both from one
frame keeps them agreeing on what an article's date and outlet are.
"""

from __future__ import annotations

import polars as pl


def article_context(articles: pl.DataFrame) -> pl.DataFrame:
    """article_id, published_at, first_seen_at and ``outlet_label``: the outlet, or the
    article's ``source_file`` when the outlet is unknown, so articles of unknown outlets stay
    distinguishable instead of collapsing into one null outlet. Columns the frame lacks are
    null, so hand-made frames need only the ones a test is about."""
    columns = articles.columns

    def column(name: str, dtype: pl.DataType) -> pl.Expr:
        return pl.col(name).cast(dtype) if name in columns else pl.lit(None, dtype)

    return articles.select(
        pl.col("article_id"),
        column("published_at", pl.Date()).alias("published_at"),
        column("first_seen_at", pl.Date()).alias("first_seen_at"),
        pl.coalesce(column("outlet", pl.String()), column("source_file", pl.String())).alias(
            "outlet_label"
        ),
    ).unique("article_id", keep="first", maintain_order=True)
