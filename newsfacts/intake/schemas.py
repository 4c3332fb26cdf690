"""Column names and types of the intake tables (documents, rejects, the manifest).

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
    "first_seen_at": pl.Date(),
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


def empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)
