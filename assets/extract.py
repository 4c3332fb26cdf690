"""`articles`: clean text and metadata per document, extracted once per content hash."""

from functools import partial

import dagster as dg
import polars as pl
from dagster import AssetExecutionContext

from assets.metadata import table_metadata
from assets.order import step_tags
from assets.settings import NewsfactsSettings
from newsfacts.extract.articles import (
    EXTRACTED_SCHEMA,
    assemble_articles,
    extract_rows,
    extraction_items,
)
from newsfacts.runtime.provenance import code_version
from newsfacts.runtime.stage_cache import StageCache, cached_map


@dg.multi_asset(
    outs={
        "articles": dg.AssetOut(
            description="One row per document: clean body text, title, outlet, url, language, "
            "publication date (with its source), content hash."
        ),
        "rejects": dg.AssetOut(description="Every file or manifest row left out, with the reason."),
    },
    op_tags=step_tags("articles"),
)
def articles(
    context: AssetExecutionContext,
    settings: NewsfactsSettings,
    documents: pl.DataFrame,
    intake_rejects: pl.DataFrame,
) -> tuple[dg.Output[pl.DataFrame], dg.Output[pl.DataFrame]]:
    settings.sync_inbox()
    cache = StageCache(settings.cache_path, "extract", code_version(), EXTRACTED_SCHEMA)
    items = extraction_items(documents)
    with settings.synced(cache.folder):
        run = cached_map(
            cache,
            [(item[0], item) for item in items],
            partial(extract_rows, settings.cache_path / "langid"),
            settings.workers,
            batched=True,
        )
    # A document whose extraction raised or overran its budget is a reject with the reason;
    # it is not cached, so the next build tries it again.
    failed = pl.DataFrame(
        {"article_id": [aid for aid, _, _ in run.failures],
         "error": [f"extraction {kind}: {message}" for _, kind, message in run.failures]},
        schema={"article_id": pl.String(), "error": pl.String()},
    )  # fmt: skip
    extracted = pl.concat([run.frame, failed], how="diagonal_relaxed")
    frame, extraction_rejects = assemble_articles(documents, extracted)
    rejects = pl.concat([intake_rejects, extraction_rejects], how="vertical_relaxed")
    context.log.info(
        f"articles: extracted {run.computed} documents, reused {run.reused} from cache"
    )
    return (
        dg.Output(
            frame,
            metadata=table_metadata(
                "articles",
                frame,
                documents_extracted=run.computed,
                documents_from_cache=run.reused,
            ),
        ),
        dg.Output(rejects, metadata=table_metadata("rejects", rejects)),
    )
