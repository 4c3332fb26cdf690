"""The audit of write–audit–publish: each table's great-expectations suite as Dagster checks.

Every expectation of `expectations/<table>.json` becomes its own asset check, so the UI shows
exactly which rule failed, with its observed value and sample failing rows. An error table rule
is blocking: the `published` step does not run when one fails. An error row rule holds back the
rows that break it (its check warns, with how many and a preview), and the next steps read the
staged table without them. Each validation also leaves an audit record and the held rows next
to the staged table (with the staged file's hash), which the publish step copies into
`_manifest.json` and refuses to publish without.
"""

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import dagster as dg
import polars as pl

from assets.check_metadata import result_metadata
from assets.order import check_tags
from assets.settings import NewsfactsSettings
from newsfacts.quality.data_docs import render_data_docs, store_gx_result
from newsfacts.quality.quarantine import (
    audit_record_of,
    empty_quarantine,
    quarantine_path,
)
from newsfacts.quality.reports import ExpectationOutcome
from newsfacts.quality.rules import QUARANTINED, check_names
from newsfacts.quality.suites import load_suite, validate_staged
from newsfacts.runtime import gx_worker
from newsfacts.runtime.files import sha256_file, write_parquet_atomic
from newsfacts.runtime.jsonfile import write_json_atomic
from newsfacts.store.publish import latest_version, read_manifest, staged_path

# Tables each suite needs besides its own (cross-table rules such as "article exists"). Only
# upstream tables: a blocking check must finish before downstream assets start, so a check
# cannot wait for them. (That every mention and speaker has its entity row is checked from
# the other side: entities' counts must match mentions and quotes exactly.)
CHECK_CONTEXT: dict[str, tuple[str, ...]] = {
    "articles": (),
    "rejects": (),
    "mentions": ("articles",),
    "entities": ("mentions", "quotes"),
    "quotes": ("articles",),
    "figures": ("articles",),
    "quote_clusters": (),
    "claims": (),
    "claim_figures": (),
}


def _previous_rows(settings: NewsfactsSettings, table: str) -> int | None:
    """The table's size in the live version, which a row-count rule compares against."""
    try:
        version = latest_version(settings.data_path)
        if version is None:
            return None
        count = read_manifest(settings.data_path, version).get("row_counts", {}).get(table)
    except (OSError, ValueError):  # a damaged version is no baseline
        return None
    return int(count) if isinstance(count, int) else None


def _validation_args(
    settings: NewsfactsSettings, table: str
) -> tuple[str, Path, dict[str, Path], int | None, float | None]:
    context = {name: staged_path(settings.staging_path, name) for name in CHECK_CONTEXT[table]}
    return (
        table,
        staged_path(settings.staging_path, table),
        context,
        _previous_rows(settings, table),
        settings.max_table_shrink,
    )


def prefetch_validation(settings: NewsfactsSettings, table: str) -> None:
    """Start validating a just-staged table in the GX worker (if the run has one), so that
    it runs on the other core while the run computes the next table; the table's check then
    takes that report, provided the staged files are still the ones it validated."""
    if table not in CHECK_CONTEXT:
        return
    args = _validation_args(settings, table)
    if all(path.exists() for path in (args[1], *args[2].values())):
        gx_worker.prefetch(validate_staged, *args)


def audit_record_path(staging: Path, table: str) -> Path:
    return audit_record_of(staged_path(staging, table))


def gx_result_path(staging: Path, table: str) -> Path:
    return staging / "audit" / f"{table}.gx.json"


def _validated(settings: NewsfactsSettings, run_id: str | None) -> list[tuple[str, Path]]:
    """(table, stored GX result) of each staged table validated in run `run_id` (any run if
    None)."""
    stored = []
    for table in CHECK_CONTEXT:
        record_path = audit_record_path(settings.staging_path, table)
        gx_path = gx_result_path(settings.staging_path, table)
        settings.pull(record_path, gx_path)
        if not (record_path.is_file() and gx_path.is_file()):
            continue
        if run_id is not None and json.loads(record_path.read_text()).get("run_id") != run_id:
            continue
        stored.append((table, gx_path))
    return stored


def _template_cache(settings: NewsfactsSettings) -> Path:
    return settings.cache_path / "data_docs_templates"


def write_run_data_docs(settings: NewsfactsSettings, run_id: str | None = None) -> Path | None:
    """Data Docs for every staged table validated in run `run_id` (any run if None), rendered
    in one go, since each rendering rebuilds the whole site. Nothing validated: the previous
    docs stay."""
    stored = _validated(settings, run_id)
    if not stored:
        return None
    with settings.synced(settings.data_path / "quality") as folder:
        return gx_worker.call(render_data_docs, stored, folder, _template_cache(settings))


def prefetch_data_docs(settings: NewsfactsSettings) -> None:
    """Start `write_run_data_docs(settings)`'s rendering in the GX worker now, so that it
    overlaps the publish. Not with a data-dir URL: there the folder is pulled first, which
    would overwrite what the worker renders meanwhile."""
    stored = _validated(settings, None)
    if stored and settings.remote is None:
        folder = settings.data_path / "quality"
        gx_worker.prefetch(render_data_docs, stored, folder, _template_cache(settings))


def _check_severity(outcome: ExpectationOutcome) -> dg.AssetCheckSeverity:
    """ERROR only for what stops the publish; a row rule that quarantined rows warns."""
    return dg.AssetCheckSeverity.ERROR if outcome.can_block else dg.AssetCheckSeverity.WARN


def build_table_check(table: str) -> dg.AssetChecksDefinition:
    suite = load_suite(table)
    names = check_names(suite)
    context_tables = CHECK_CONTEXT[table]
    # Dependencies only order the check after the tables it reads; it reads the staged files
    # itself, so it audits exactly the bytes that would be published.
    specs = [
        dg.AssetCheckSpec(
            name=name,
            asset=table,
            additional_deps=list(context_tables),
            blocking=exp["meta"]["severity"] == "error",
            description=exp["meta"].get("description"),
        )
        for name, exp in zip(names, suite["expectations"], strict=True)
    ]

    @dg.multi_asset_check(
        specs=specs,
        name=f"{table}_expectations",
        description=f"great-expectations suite expectations/{table}.json",
        op_tags=check_tags(table),
    )
    def _check(
        context: dg.AssetCheckExecutionContext, settings: NewsfactsSettings
    ) -> Iterator[dg.AssetCheckResult]:
        staged = staged_path(settings.staging_path, table)
        settings.pull(*(staged_path(settings.staging_path, t) for t in (table, *context_tables)))
        report = gx_worker.call(validate_staged, *_validation_args(settings, table))
        held = report.quarantine if report.quarantine is not None else empty_quarantine()
        held = held.with_columns(run_id=pl.lit(context.run.run_id))
        write_parquet_atomic(held, quarantine_path(staged))
        write_json_atomic(
            audit_record_path(settings.staging_path, table),
            {
                "table": table,
                "staged_sha256": sha256_file(staged) if staged.exists() else None,
                "run_id": context.run.run_id,
                "report": report.to_dict(),
                "checks": {
                    name: {
                        "passed": bool(r.success),
                        "severity": r.severity,
                        "scope": r.scope,
                        "quarantined": r.quarantined,
                    }
                    for name, r in zip(names, report.results, strict=True)
                },
            },
            indent=2,
        )
        store_gx_result(report, gx_result_path(settings.staging_path, table))
        settings.push(
            audit_record_path(settings.staging_path, table),
            gx_result_path(settings.staging_path, table),
            quarantine_path(staged),
        )
        if not report.success:
            # The run stops here, before `published` renders the docs of the whole run: show
            # the failure (and whatever else this run validated) now.
            try:
                write_run_data_docs(settings, context.run.run_id)
            except Exception as exc:  # docs are a convenience; never fail the audit over them
                context.log.warning(f"could not write Data Docs for {table}: {exc}")
        for name, outcome in zip(names, report.results, strict=True):
            yield dg.AssetCheckResult(
                asset_key=table,
                check_name=name,
                passed=bool(outcome.success),
                severity=_check_severity(outcome),
                description=outcome.description,
                metadata=result_metadata(
                    outcome,
                    held
                    if outcome.column == QUARANTINED
                    else held.filter(pl.col("rule") == f"{table}.{name}"),
                ),
            )

    return _check


TABLE_CHECKS = [build_table_check(table) for table in CHECK_CONTEXT]


def read_audit(staging: Path, tables: tuple[str, ...], today: date | None = None) -> dict[str, Any]:
    """Audit records of the staged tables, refusing tables that were not audited as staged."""
    records: dict[str, Any] = {}
    for table in tables:
        path = audit_record_path(staging, table)
        if table not in CHECK_CONTEXT:
            continue
        if not path.exists():
            raise RuntimeError(f"{table} has no audit record: run its checks before publishing")
        record = json.loads(path.read_text())
        staged = staged_path(staging, table)
        if record.get("staged_sha256") != sha256_file(staged):
            raise RuntimeError(
                f"{table} changed after it was audited: rerun its checks before publishing"
            )
        if not record["report"]["success"]:
            raise RuntimeError(f"{table} failed blocking expectations; it cannot be published")
        records[table] = record
    return records
