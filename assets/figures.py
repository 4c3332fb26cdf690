"""`figures`: numeric facts per article, money converted to USD at the ECB reference rate."""

import hashlib
from functools import partial

import dagster as dg
import polars as pl
from dagster import AssetExecutionContext

from assets.metadata import table_metadata
from assets.order import step_tags
from newsfacts.cache import StageCache, cached_map
from newsfacts.currency import FxConverter
from newsfacts.figures import FIGURES_SCHEMA
from newsfacts.provenance import code_version
from newsfacts.stages import article_payloads, figure_rows
from pipelines.resources import NewsfactsSettings


def fx_converter(settings: NewsfactsSettings) -> FxConverter:
    return FxConverter(
        history_file=settings.fx_history_file,
        asof=settings.asof_date,
        store=settings.cache_path / "fx",
    )


@dg.asset(
    group_name="newsfacts",
    op_tags=step_tags("figures"),
    description="Every numeric fact: money (with USD at the ECB rate of the publication date), "
    "casualties, troops, distances, durations, percentages, counts.",
)
def figures(
    context: AssetExecutionContext, settings: NewsfactsSettings, articles: pl.DataFrame
) -> dg.Output[pl.DataFrame]:
    fx = fx_converter(settings)
    key_parts = f"{code_version()}|{fx.rates_version()}|{settings.asof_date}"
    key = hashlib.sha256(key_parts.encode()).hexdigest()[:12]
    cache = StageCache(settings.cache_path, "figures", key, FIGURES_SCHEMA)
    with settings.synced(cache.folder):
        run = cached_map(
            cache, article_payloads(articles), partial(figure_rows, fx), settings.workers
        )
    frame = run.frame.sort("article_id", "start")
    money = frame.filter(pl.col("kind") == "money")
    context.log.info(f"figures: {frame.height} rows ({run.computed} articles processed)")
    return dg.Output(
        frame,
        metadata=table_metadata(
            frame,
            articles_processed=run.computed,
            articles_from_cache=run.reused,
            fx_rates=fx.rates_version(),
            money_rows=money.height,
            money_without_usd=money.filter(pl.col("amount_usd").is_null()).height,
        ),
    )
