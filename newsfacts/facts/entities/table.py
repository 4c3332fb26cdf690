"""The entities table: one row per entity seen, so every mention and speaker id joins to a name
and a type, and analysts can tell reference entities from provisional people."""

from __future__ import annotations

import polars as pl

from newsfacts.facts.entities.reference import EntityIndex, entity_type

ENTITIES_SCHEMA: dict[str, pl.DataType] = {
    "entity_id": pl.String(),
    "name": pl.String(),
    "type": pl.String(),
    "wikidata_id": pl.String(),
    "article_count": pl.Int64(),
    "mention_count": pl.Int64(),
    "resolved": pl.Boolean(),
}


def entities_frame(
    mentions: pl.DataFrame, index: EntityIndex, quotes: pl.DataFrame | None = None
) -> pl.DataFrame:
    """One row per entity seen in these articles; quote speakers count even when the
    speaker was never matched as a mention, so every speaker id joins to a row."""
    parts = [
        mentions.select(
            "article_id", "entity_id", pl.col("entity_name").alias("name"),
            pl.lit(1, pl.Int64).alias("is_mention"),
        )
    ]  # fmt: skip
    if quotes is not None and quotes.height:
        parts.append(
            quotes.filter(pl.col("speaker_entity_id").is_not_null()).select(
                "article_id", pl.col("speaker_entity_id").alias("entity_id"),
                pl.col("speaker_name").alias("name"), pl.lit(0, pl.Int64).alias("is_mention"),
            )
        )  # fmt: skip
    seen = pl.concat(parts)
    if seen.height == 0:
        return pl.DataFrame(schema=ENTITIES_SCHEMA)
    grouped = seen.group_by("entity_id").agg(
        pl.col("name").drop_nulls().mode().sort().first().alias("name"),
        pl.col("article_id").n_unique().alias("article_count"),
        pl.col("is_mention").sum().alias("mention_count"),
    )
    rows = []
    for entity_id, name, article_count, mention_count in grouped.iter_rows():
        known = index.entities.get(entity_id)
        rows.append(
            (
                entity_id,
                known.name if known else name,
                entity_type(entity_id, index),
                known.wikidata_id if known else None,
                article_count,
                mention_count,
                known is not None,
            )
        )
    return pl.DataFrame(rows, schema=ENTITIES_SCHEMA, orient="row").sort(
        ["mention_count", "entity_id"], descending=[True, False]
    )
