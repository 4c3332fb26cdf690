"""`mentions`, `quotes` and `entities`: who is named, who said what, resolved to canonical ids."""

from functools import partial

import dagster as dg
import polars as pl
from dagster import AssetExecutionContext

from assets.metadata import table_metadata
from newsfacts.cache import StageCache, cached_map
from newsfacts.entities import (
    ENTITIES_SCHEMA,
    MENTIONS_SCHEMA,
    entities_frame,
    load_reference,
    reference_version,
)
from newsfacts.provenance import code_version
from newsfacts.quotes import QUOTES_SCHEMA
from newsfacts.stages import mention_payloads, mention_rows, quote_payloads, quote_rows
from pipelines.resources import NewsfactsSettings


def _cache_key() -> str:
    return f"{code_version()}-{reference_version()}"


@dg.asset(
    group_name="newsfacts",
    description="Every mention of a person, organisation, place or group, with its canonical "
    "entity id (provisional `nf:` ids for people not in the reference file).",
)
def mentions(
    context: AssetExecutionContext, settings: NewsfactsSettings, articles: pl.DataFrame
) -> dg.Output[pl.DataFrame]:
    index = load_reference()
    cache = StageCache(settings.cache_path, "mentions", _cache_key(), MENTIONS_SCHEMA)
    run = cached_map(
        cache, mention_payloads(articles), partial(mention_rows, index), settings.workers
    )
    frame = run.frame.sort("article_id", "start")
    unresolved = frame.filter(~pl.col("resolved"))["entity_id"].n_unique()
    context.log.info(f"mentions: {frame.height} rows, {unresolved} provisional entities")
    return dg.Output(
        frame,
        metadata=table_metadata(
            frame,
            articles_processed=run.computed,
            articles_from_cache=run.reused,
            reference_version=reference_version(),
            provisional_entities=unresolved,
        ),
    )


@dg.asset(
    group_name="newsfacts",
    description="Every direct quotation with its speaker resolved to a canonical entity.",
)
def quotes(
    context: AssetExecutionContext,
    settings: NewsfactsSettings,
    articles: pl.DataFrame,
    mentions: pl.DataFrame,
) -> dg.Output[pl.DataFrame]:
    index = load_reference()
    cache = StageCache(settings.cache_path, "quotes", _cache_key(), QUOTES_SCHEMA)
    payloads = quote_payloads(articles, mentions)
    run = cached_map(cache, payloads, partial(quote_rows, index), settings.workers)
    frame = run.frame.sort("article_id", "start")
    spoken = frame.filter(pl.col("attribution") != "none")
    resolved_share = spoken["speaker_entity_id"].is_not_null().mean() if spoken.height else None
    return dg.Output(
        frame,
        metadata=table_metadata(
            frame,
            articles_processed=run.computed,
            articles_from_cache=run.reused,
            share_with_resolved_speaker=float(resolved_share or 0.0),
        ),
    )


@dg.asset(
    group_name="newsfacts",
    description="One row per canonical entity seen in the articles, with article and mention "
    "counts; `resolved = false` marks provisional ids to grow the reference file from.",
)
def entities(mentions: pl.DataFrame, quotes: pl.DataFrame) -> dg.Output[pl.DataFrame]:
    frame = entities_frame(mentions, load_reference(), quotes).cast(ENTITIES_SCHEMA)
    frame = frame.sort("mention_count", "entity_id", descending=[True, False])
    return dg.Output(
        frame,
        metadata=table_metadata(frame, provisional=frame.filter(~pl.col("resolved")).height),
    )
