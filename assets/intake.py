"""`documents`: the inventory of the inbox, with intake rejects kept apart."""

from datetime import UTC, datetime

import dagster as dg
import polars as pl
from dagster import AssetExecutionContext

from assets.metadata import table_metadata
from assets.order import step_tags
from assets.settings import NewsfactsSettings
from newsfacts.intake.first_seen import first_seen_dates, load_first_seen, save_first_seen
from newsfacts.intake.inbox import documents_frame, read_inbox, reject_row, rejects_frame
from newsfacts.intake.manifest import read_manifest
from newsfacts.runtime.stat_cache import StatCache


@dg.multi_asset(
    outs={
        "documents": dg.AssetOut(description="Every readable inbox file: hash, format, encoding."),
        "intake_rejects": dg.AssetOut(
            description="Files and manifest rows that could not be taken in, with reasons."
        ),
    },
    op_tags=step_tags("documents"),
)
def documents(
    context: AssetExecutionContext, settings: NewsfactsSettings
) -> tuple[dg.Output[pl.DataFrame], dg.Output[pl.DataFrame]]:
    settings.sync_inbox()
    manifest_path = settings.manifest_path
    manifest, manifest_rejects = read_manifest(manifest_path)
    exclude = (manifest_path,) if manifest_path else ()
    known = StatCache(settings.cache_path / "intake_stat.json")
    docs, file_rejects = read_inbox(
        settings.inbox_path, settings.max_document_bytes, exclude, known, settings.workers
    )
    known.save()
    ledger = settings.state_path / "first_seen.json"
    settings.pull(ledger)
    first_seen = first_seen_dates(
        load_first_seen(ledger), (d.content_sha256 for d in docs), datetime.now(UTC).date()
    )
    if save_first_seen(ledger, first_seen):
        settings.push(ledger)
    frame = documents_frame(docs, manifest, first_seen)
    seen = {d.source_file for d in docs} | {str(r["source_file"]) for r in file_rejects}
    orphans = [
        reject_row(name, "manifest", "manifest row names a file that is not in the inbox")
        for name in manifest["source_file"].to_list()
        if name not in seen
    ]
    rejects = rejects_frame(file_rejects + manifest_rejects + orphans)
    context.log.info(
        f"documents: {frame.height} readable, {rejects.height} rejected from {settings.inbox_path}"
    )
    return (
        dg.Output(
            frame,
            metadata=table_metadata(
                "documents",
                frame,
                inbox=dg.MetadataValue.path(str(settings.inbox_path)),
                manifest=str(manifest_path) if manifest_path else "none",
            ),
        ),
        dg.Output(rejects, metadata=table_metadata("intake_rejects", rejects)),
    )
