"""Column names and types of every table: the analysts' contract, in one place.

Empty frames are built from these schemas so that a run with no rows still publishes tables
with the right columns and types.
"""

from __future__ import annotations

import polars as pl

DOCUMENTS_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.String(),
    "source_file": pl.String(),
    "content_sha256": pl.String(),
    "format": pl.String(),
    "encoding": pl.String(),
    "size_bytes": pl.Int64(),
    "path": pl.String(),
    "manifest_outlet": pl.String(),
    "manifest_url": pl.String(),
    "manifest_published_at": pl.Date(),
    "manifest_title": pl.String(),
}

REJECTS_SCHEMA: dict[str, pl.DataType] = {
    "source_file": pl.String(),
    "stage": pl.String(),
    "reason": pl.String(),
    "content_sha256": pl.String(),
    "size_bytes": pl.Int64(),
}

MANIFEST_SCHEMA: dict[str, pl.DataType] = {
    "source_file": pl.String(),
    "outlet": pl.String(),
    "url": pl.String(),
    "published_at": pl.Date(),
    "title": pl.String(),
}

ARTICLES_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.String(),
    "source_file": pl.String(),
    "content_sha256": pl.String(),
    "format": pl.String(),
    "encoding": pl.String(),
    "outlet": pl.String(),
    "outlet_source": pl.String(),
    "url": pl.String(),
    "title": pl.String(),
    "published_at": pl.Date(),
    "published_at_source": pl.String(),
    "language": pl.String(),
    "text": pl.String(),
    "word_count": pl.Int64(),
    "text_sha256": pl.String(),
    "dup_group_id": pl.String(),
    "dup_group_size": pl.Int64(),
}


def empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)
