"""The facts stage: `mentions`, `quotes` and `entities` (who is named, who said what, resolved to
canonical ids) and `figures` (numeric facts, money converted to USD at the ECB reference rate)."""

import contextlib
from functools import partial

import dagster as dg
import polars as pl
from dagster import AssetExecutionContext

from assets.metadata import percent, table_metadata
from assets.order import step_tags
from assets.settings import NewsfactsSettings
from newsfacts.crosssource.embeddings import EmbeddingCache, model_version, semantic_available
from newsfacts.crosssource.quote_clusters import cluster_quotes
from newsfacts.facts.entities.mentions import MENTIONS_SCHEMA
from newsfacts.facts.entities.reference import load_reference, reference_version
from newsfacts.facts.entities.table import ENTITIES_SCHEMA, entities_frame
from newsfacts.facts.figures.currency import FxConverter
from newsfacts.facts.figures.currency_choice import load_places
from newsfacts.facts.figures.pricing import price_figures
from newsfacts.facts.figures.table import FIGURES_SCHEMA
from newsfacts.facts.per_document import (
    article_payloads,
    figure_rows,
    mention_payloads,
    mention_rows,
    quote_payloads,
    quote_rows,
)
from newsfacts.facts.quotes.table import QUOTE_ROWS_SCHEMA, speech_only
from newsfacts.runtime.nlp import model_version as nlp_model_version
from newsfacts.runtime.provenance import code_version
from newsfacts.runtime.stage_cache import StageCache, cached_map


def _cache_key() -> str:
    return f"{code_version()}-{reference_version()}"


@dg.asset(
    op_tags=step_tags("mentions"),
    description="Every mention of a person, organisation, place or group, with its canonical "
    "entity id (provisional `nf:` ids for people not in the reference file).",
)
def mentions(
    context: AssetExecutionContext, settings: NewsfactsSettings, articles: pl.DataFrame
) -> dg.Output[pl.DataFrame]:
    index = load_reference()
    cache = StageCache(settings.cache_path, "mentions", _cache_key(), MENTIONS_SCHEMA)
    with settings.synced(cache.folder):
        run = cached_map(
            cache, mention_payloads(articles), partial(mention_rows, index), settings.workers
        )
    frame = run.frame.sort("article_id", "start")
    held = settings.hold_back("mentions", run.failures, articles)
    unresolved = frame.filter(~pl.col("resolved"))["entity_id"].n_unique()
    context.log.info(f"mentions: {frame.height} rows, {unresolved} provisional entities")
    return dg.Output(
        frame,
        metadata=table_metadata(
            "mentions",
            frame,
            articles_processed=run.computed,
            articles_from_cache=run.reused,
            reference_version=reference_version(),
            provisional_entities=unresolved,
            documents_held_back=held,
        ),
    )


@dg.multi_asset(
    outs={
        "quotes": dg.AssetOut(
            description="Every direct quotation with its speaker resolved to a canonical "
            "entity, and the cluster of renderings of the same utterance it belongs to."
        ),
        "quote_clusters": dg.AssetOut(
            description="One row per utterance: speaker, canonical wording, outlets quoting it."
        ),
    },
    # Clusters are built from the quotes (and their articles' dates and outlets), in the same
    # step; saying so lets column lineage and staleness follow quotes into quote_clusters.
    internal_asset_deps={
        "quotes": {dg.AssetKey("articles"), dg.AssetKey("mentions")},
        "quote_clusters": {dg.AssetKey("quotes"), dg.AssetKey("articles")},
    },
    op_tags=step_tags("quotes"),
)
def quotes(
    context: AssetExecutionContext,
    settings: NewsfactsSettings,
    articles: pl.DataFrame,
    mentions: pl.DataFrame,
) -> tuple[dg.Output[pl.DataFrame], dg.Output[pl.DataFrame]]:
    index = load_reference()
    key = f"{_cache_key()}-{nlp_model_version()}"
    cache = StageCache(settings.cache_path, "quotes", key, QUOTE_ROWS_SCHEMA)
    payloads, with_mentions = quote_payloads(articles, mentions)
    with settings.synced(cache.folder):
        # In this process, not the pool: the trained model pulls in torch (spaCy's thinc
        # imports it), which the sentence encoder below loads here anyway; one copy instead of
        # one per worker kept the build's peak memory where it was (benchmarks/RESULTS.md).
        run = cached_map(cache, payloads, partial(quote_rows, index), 1, prepare=with_mentions)
    held = settings.hold_back("quotes", run.failures, articles)
    embeddings = EmbeddingCache(settings.cache_path) if semantic_available() else None
    with (
        settings.synced(embeddings.folder)
        if embeddings
        else contextlib.nullcontext(settings.cache_path)
    ):
        speech, left_out = speech_only(run.frame.sort("article_id", "start"))
        frame, clusters = cluster_quotes(
            speech,
            articles,
            embeddings.get_or_embed if embeddings else None,
        )
    spoken = frame.filter(pl.col("attribution") != "none")
    resolved_share = spoken["speaker_entity_id"].is_not_null().mean() if spoken.height else None
    shared = clusters.filter(pl.col("article_count") > 1)
    return (
        dg.Output(
            frame,
            metadata=table_metadata(
                "quotes",
                frame,
                articles_processed=run.computed,
                articles_from_cache=run.reused,
                resolved_speaker_percent=percent(resolved_share),
                utterances=frame["utterance_id"].n_unique(),
                documents_held_back=held,
                left_out_as_not_speech=sum(left_out.values()),
                **{f"left_out_{why}": n for why, n in sorted(left_out.items())},
            ),
        ),
        dg.Output(
            clusters,
            metadata=table_metadata(
                "quote_clusters",
                clusters,
                preview=shared.sort("article_count", descending=True),
                clustering="semantic + lexical" if embeddings else "lexical only",
                embedding_model=model_version() if embeddings else "none",
                quotes_embedded=embeddings.embedded if embeddings else 0,
                embeddings_reused=embeddings.reused if embeddings else 0,
                clusters_across_articles=shared.height,
            ),
        ),
    )


@dg.asset(
    op_tags=step_tags("entities"),
    description="One row per canonical entity seen in the articles, with article and mention "
    "counts; `resolved = false` marks provisional ids to grow the reference file from.",
)
def entities(mentions: pl.DataFrame, quotes: pl.DataFrame) -> dg.Output[pl.DataFrame]:
    frame = entities_frame(mentions, load_reference(), quotes).cast(ENTITIES_SCHEMA)
    frame = frame.sort("mention_count", "entity_id", descending=[True, False])
    return dg.Output(
        frame,
        metadata=table_metadata(
            "entities", frame, provisional=frame.filter(~pl.col("resolved")).height
        ),
    )


def fx_converter(settings: NewsfactsSettings) -> FxConverter:
    return FxConverter(
        history_file=settings.fx_history_file,
        asof=settings.asof_date,
        store=settings.cache_path / "fx",
    )


@dg.asset(
    op_tags=step_tags("figures"),
    description="Every numeric fact: money (with USD at the ECB rate of the publication date), "
    "casualties, troops, distances, durations, percentages, counts.",
)
def figures(
    context: AssetExecutionContext, settings: NewsfactsSettings, articles: pl.DataFrame
) -> dg.Output[pl.DataFrame]:
    fx = fx_converter(settings)
    places = load_places()
    cache = StageCache(settings.cache_path, "figures", code_version(), FIGURES_SCHEMA)
    with settings.synced(cache.folder):
        run = cached_map(cache, article_payloads(articles), figure_rows, settings.workers)
    frame = price_figures(run.frame, articles, fx, places).sort("article_id", "start")
    held = settings.hold_back("figures", run.failures, articles)
    money = frame.filter(pl.col("kind") == "money")
    context.log.info(f"figures: {frame.height} rows ({run.computed} articles processed)")
    return dg.Output(
        frame,
        metadata=table_metadata(
            "figures",
            frame,
            articles_processed=run.computed,
            articles_from_cache=run.reused,
            fx_rates=fx.rates_version(),
            currency_reference=places.version,
            money_rows=money.height,
            money_without_usd=money.filter(pl.col("amount_usd").is_null()).height,
            documents_held_back=held,
        ),
    )
