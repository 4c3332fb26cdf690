"""`published`: the publish step of write–audit–publish.

It runs only after every blocking check on the staged tables has passed (Dagster skips it
otherwise), copies exactly the audited files into a new immutable version and moves the
catalog to it.
"""

from pathlib import Path

import dagster as dg
import polars as pl
from dagster import AssetExecutionContext

from assets.defaults import DEFAULT_DOCS_PORT
from assets.metadata import version_metadata
from assets.quality import (
    audit_record_path,
    prefetch_data_docs,
    read_audit,
    write_run_data_docs,
)
from assets.settings import NewsfactsSettings
from newsfacts.quality.quarantine import quarantine_path, raised_path
from newsfacts.runtime.files import sha256_file
from newsfacts.runtime.provenance import code_version, reference_version
from newsfacts.store.admitted import admitted_files
from newsfacts.store.publish import (
    apply_retention,
    data_dir_lock,
    fingerprint,
    publish,
    staged_path,
)
from newsfacts.store.remote_publish import pull_versions, push_version, remove_versions

# Steps that hold back a document they cannot process (see newsfacts.runtime.guard); the
# articles step lists its own in rejects.
GUARDED_STAGES: tuple[str, ...] = ("mentions", "quotes", "figures")
PUBLISHED_TABLES: tuple[str, ...] = (
    "articles",
    "quotes",
    "figures",
    "mentions",
    "entities",
    "quote_clusters",
    "claims",
    "claim_figures",
    "rejects",
)


def _file_sha256(path: Path | None) -> str | None:
    return sha256_file(path) if path is not None and path.is_file() else None


def build_fingerprint(
    settings: NewsfactsSettings, documents: pl.DataFrame, intake_rejects: pl.DataFrame
) -> str:
    return fingerprint(
        {
            "documents": sorted(documents.select("source_file", "content_sha256").iter_rows()),
            "intake_rejects": sorted(intake_rejects.select("source_file", "reason").iter_rows()),
            "manifest": _file_sha256(settings.manifest_path),
            "code": code_version(),
            "reference": reference_version(),
            "fx_asof": settings.fx_asof,
            "tables": PUBLISHED_TABLES,
        }
    )


@dg.asset(deps=list(PUBLISHED_TABLES))
def published(
    context: AssetExecutionContext,
    settings: NewsfactsSettings,
    documents: pl.DataFrame,
    intake_rejects: pl.DataFrame,
) -> dg.MaterializeResult:
    """A new version of every table under DATA_DIR/published, and the catalog pointing at it."""
    data_dir = settings.data_path
    candidates = {table: staged_path(settings.staging_path, table) for table in PUBLISHED_TABLES}
    remote = settings.remote
    catalog = str(data_dir / "catalog.duckdb")
    try:
        prefetch_data_docs(settings)
    except Exception as exc:  # rendered again after the publish, which reports what failed
        context.log.warning(f"could not start rendering Data Docs: {exc}")
    with data_dir_lock(data_dir):
        if remote:
            settings.pull(
                *candidates.values(),
                *(audit_record_path(settings.staging_path, t) for t in PUBLISHED_TABLES),
                *(quarantine_path(path) for path in candidates.values()),
                *(raised_path(settings.staging_path, stage) for stage in GUARDED_STAGES),
            )
            pull_versions(remote, data_dir)
        audit = read_audit(settings.staging_path, PUBLISHED_TABLES)
        staged, held = admitted_files(settings.staging_path, candidates, GUARDED_STAGES)
        checks = {
            f"{table}.{name}": outcome
            for table, record in audit.items()
            for name, outcome in record["checks"].items()
        }
        result = publish(
            data_dir,
            staged,
            build_fingerprint(settings, documents, intake_rejects),
            {
                "run_id": context.run_id,
                "code_version": code_version(),
                "reference_version": reference_version(),
                "inbox": str(settings.inbox_path),
                "input_documents": dict(
                    documents.select("source_file", "content_sha256").iter_rows()
                ),
                "checks": checks,
                "validation": {table: record["report"] for table, record in audit.items()},
                "quarantined": held,
            },
        )
        removed = (
            apply_retention(data_dir, settings.keep_versions) if settings.keep_versions else []
        )
        if remote:
            catalog = push_version(remote, data_dir, result.version)
            remove_versions(remote, removed)
    try:
        write_run_data_docs(settings)
    except Exception as exc:  # docs are a convenience; the version is already published
        context.log.warning(f"could not write Data Docs: {exc}")
    for line in result.repaired:
        context.log.warning(f"{line}: set aside, the staged tables published in its place")
    context.log.info(
        "up to date: nothing changed since version " + result.version
        if result.status == "up_to_date"
        else f"published version {result.version}"
    )
    return dg.MaterializeResult(
        metadata={
            "status": result.status,
            "version": result.version,
            **version_metadata(
                Path(result.path),
                result.row_counts,
                catalog,
                f"http://127.0.0.1:{DEFAULT_DOCS_PORT}/index.html",
            ),
            "data_docs_served_by": f"newsfacts docs --data-dir {settings.data_dir}",
            "catalog": dg.MetadataValue.path(catalog),
            "row_counts": result.row_counts,
            "versions_removed": removed,
            "repaired": result.repaired,
            "quarantined_rows": dg.MetadataValue.json(held),
            "checks_passed": sum(1 for c in checks.values() if c["passed"]),
            "checks_failed_warnings": sum(1 for c in checks.values() if not c["passed"]),
            "quality_docs": dg.MetadataValue.path(str(data_dir / "quality" / "index.html")),
        }
    )
