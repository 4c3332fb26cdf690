"""Run a table's Great Expectations suite and return a plain, JSON-ready report.

Suites live as data in ``expectations/<table>.json`` (GX 1.x suite JSON); each expectation's
``meta.severity`` says whether a failure blocks publishing ("error") or is only reported
("warning"). Rules that need other tables or arithmetic are first turned into ``_audit_*``
columns by ``newsfacts.quality.audit``, so GX only ever checks one frame.

GX runs in an ephemeral, in-memory context (no project folder, no analytics, no progress
bars) and is imported lazily: the import alone takes seconds, and most callers (CLI help,
Dagster definitions) never validate anything.
"""

from __future__ import annotations

import contextlib
import json
import math
import shutil
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from numbers import Integral
from pathlib import Path
from typing import Any

import polars as pl

from newsfacts.quality.audit import AUDIT_INPUTS, Context, audit_frame
from newsfacts.runtime.jsonfile import write_json_atomic

SUITE_DIR = Path(__file__).resolve().parents[2] / "expectations"
SEVERITIES = ("error", "warning")
SAMPLE_ROWS = 20
MAX_SAMPLE_CHARS = 200
_GX_SEVERITY = {"error": "critical", "warning": "warning"}
_COLUMN_KWARGS = ("column", "column_A", "column_B")
_NULL_ONLY = {"expect_column_values_to_not_be_null", "expect_column_values_to_be_null"}


@dataclass
class ExpectationOutcome:
    expectation_type: str
    column: str | None
    kwargs: dict[str, Any]
    severity: str
    success: bool
    observed_value: Any
    unexpected_count: int | None
    unexpected_percent: float | None
    sample_failing_rows: list[dict[str, Any]]
    description: str
    checked_rows: int | None = None
    exception: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {name: _jsonable(getattr(self, name)) for name in self.__dataclass_fields__}


@dataclass
class ValidationReport:
    table: str
    success: bool
    results: list[ExpectationOutcome]
    row_count: int
    seconds: float
    validated_at: str
    gx_result: Any = field(default=None, repr=False, compare=False)
    suite: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def failed_errors(self) -> list[ExpectationOutcome]:
        return [r for r in self.results if not r.success and r.severity == "error"]

    @property
    def failed_warnings(self) -> list[ExpectationOutcome]:
        return [r for r in self.results if not r.success and r.severity == "warning"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "success": self.success,
            "row_count": self.row_count,
            "seconds": round(self.seconds, 3),
            "validated_at": self.validated_at,
            "failed_errors": len(self.failed_errors),
            "failed_warnings": len(self.failed_warnings),
            "results": [r.to_dict() for r in self.results],
        }


def load_suite(table: str, suite_dir: Path | None = None) -> dict[str, Any]:
    """The suite as plain JSON, refusing a severity typo rather than treating it as a warning."""
    path = (suite_dir or SUITE_DIR) / f"{table}.json"
    suite = json.loads(path.read_text())
    for i, exp in enumerate(suite["expectations"]):
        severity = exp.get("meta", {}).get("severity")
        if severity not in SEVERITIES:
            where = f"{path}: expectation {i} ({exp.get('type')})"
            raise ValueError(f"{where} has severity {severity!r}; use one of {SEVERITIES}")
    return suite


def validate(
    table: str,
    frame: pl.DataFrame,
    context: Context | None = None,
    suite_dir: Path | None = None,
    today: date | None = None,
) -> ValidationReport:
    """Validate ``frame`` as ``table``; ``success`` is False only if an error-severity
    expectation fails. ``context`` holds the other tables (and optionally ``today``)."""
    started = time.perf_counter()
    spec = load_suite(table, suite_dir)
    audited = audit_frame(table, frame, context, today)
    gx_suite, raw = _run_gx(table, spec, _gx_input(audited, spec["expectations"]))
    key_columns = [c for c in spec.get("meta", {}).get("key_columns", []) if c in frame.columns]
    by_id = {r.expectation_config.id: r for r in raw.results}
    outcomes = [
        _outcome(exp, by_id[gx_exp.id], audited, key_columns)
        for exp, gx_exp in zip(spec["expectations"], gx_suite.expectations, strict=True)
    ]
    return ValidationReport(
        table=table,
        success=all(o.success for o in outcomes if o.severity == "error"),
        results=outcomes,
        row_count=frame.height,
        seconds=time.perf_counter() - started,
        validated_at=datetime.now(UTC).isoformat(),
        gx_result=raw,
        suite=spec,
    )


def validate_staged(table: str, staged: Path, context: dict[str, Path]) -> ValidationReport:
    """`validate` of a staged file, with the other tables' staged files as context. The
    report's GX result comes back as its JSON dict, so the report can leave the process
    (see `newsfacts.runtime.gx_worker`)."""
    frame = pl.read_parquet(staged)
    others: Context = {name: pl.read_parquet(path) for name, path in context.items()}
    report = validate(table, frame, others)
    report.gx_result = report.gx_result.to_json_dict()
    return report


def _columns(kwargs: dict[str, Any]) -> list[str]:
    return [kwargs[k] for k in _COLUMN_KWARGS if k in kwargs] + list(kwargs.get("column_list", []))


def _referenced(expectations: Sequence[dict[str, Any]]) -> set[str]:
    return {name for exp in expectations for name in _columns(exp["kwargs"])}


def _null_checked_only(expectations: Sequence[dict[str, Any]]) -> set[str]:
    """Columns whose every expectation asks only whether values are null (an article's text)."""
    types: dict[str, set[str]] = {}
    for exp in expectations:
        for name in _columns(exp["kwargs"]):
            types.setdefault(name, set()).add(exp["type"])
    return {name for name, used in types.items() if used <= _NULL_ONLY}


def _gx_input(audited: pl.DataFrame, expectations: Sequence[dict[str, Any]]) -> Any:
    """The pandas frame GX sees: checked columns as Arrow-backed data (ints keep their nulls),
    a column that is only checked for nulls as empty strings with its nulls, every other
    column as a cheap all-null stand-in so that column-set expectations still see the full
    schema. Its default RangeIndex is the row number, which is how GX's
    ``partial_unexpected_index_list`` leads back to the failing rows."""
    used = _referenced(expectations)
    nulls_only = _null_checked_only(expectations)

    def column(name: str) -> pl.Expr:
        if name not in used:
            return pl.lit(None, dtype=pl.Null).alias(name)
        if name in nulls_only:
            # The same nulls, without the text: GX filters the whole frame by a mask once per
            # expectation, and pandas' Arrow-backed strings copy every byte each time.
            blank = pl.lit("", dtype=pl.String)
            return pl.when(pl.col(name).is_null()).then(None).otherwise(blank).alias(name)
        return pl.col(name)

    slim = audited.select(column(c) for c in audited.columns)
    data = slim.to_pandas(use_pyarrow_extension_array=True)
    # GX vectorises range checks only for numpy int64/float64 columns (others, Arrow-backed
    # or int32, go row by row: ~1 s per 500k values); an int column with nulls becomes float.
    for name, dtype in slim.schema.items():
        if dtype.is_numeric():
            wide = pl.Float64 if dtype.is_float() else pl.Int64
            data[name] = slim.get_column(name).cast(wide).to_pandas()
    return data


def _docs_view(class_name: str, template_cache: Path | None) -> dict[str, Any]:
    """A Data Docs view whose compiled templates are kept in ``template_cache``."""
    return {
        "view": {
            "module_name": "newsfacts.quality.data_docs_views",
            "class_name": class_name,
            "template_cache_dir": str(template_cache) if template_cache else None,
        }
    }


def _ephemeral_context(
    data_docs_dir: Path | None = None, template_cache: Path | None = None
) -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites = {}
    if data_docs_dir is not None:
        pages = _docs_view("CachedPageView", template_cache)
        sites["local_site"] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(data_docs_dir),
            },
            "site_index_builder": {
                "class_name": "DefaultSiteIndexBuilder",
                **_docs_view("CachedIndexPageView", template_cache),
            },
            "site_section_builders": {"expectations": pages, "validations": pages},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        data_docs_sites=sites,
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _gx_suite(spec: dict[str, Any]) -> Any:
    """A GX suite mirroring our severity into GX's own field, so Data Docs shows it too."""
    from great_expectations.core.expectation_suite import ExpectationSuite

    configs = [
        {**exp, "severity": _GX_SEVERITY[exp["meta"]["severity"]]} for exp in spec["expectations"]
    ]
    suite = ExpectationSuite(name=spec["name"], expectations=configs, meta=spec.get("meta"))
    if len(suite.expectations) != len(configs):  # GX logs and drops invalid configurations
        kept = {e.expectation_type for e in suite.expectations}
        bad = sorted({c["type"] for c in configs} - kept) or "(see GX log)"
        raise ValueError(f"suite {spec['name']!r} has invalid expectations: {bad}")
    return suite


@contextlib.contextmanager
def _no_fingerprint() -> Iterator[None]:
    """Skip GX's batch fingerprint (a hash of every cell, ~2 s at 500k rows) that only
    labels the batch in metadata we never read. GX reads the limit from a module global at
    call time; if a GX upgrade drops it, the fingerprint simply comes back."""
    from great_expectations.execution_engine import pandas_execution_engine as engine

    saved = getattr(engine, "HASH_THRESHOLD", None)
    if saved is None:
        yield
        return
    engine.HASH_THRESHOLD = 0
    try:
        yield
    finally:
        engine.HASH_THRESHOLD = saved


def _run_gx(table: str, spec: dict[str, Any], data: Any) -> tuple[Any, Any]:
    gx_context = _ephemeral_context()
    suite = gx_context.suites.add(_gx_suite(spec))
    asset = gx_context.data_sources.add_pandas("newsfacts").add_dataframe_asset(table)
    # Not `unexpected_index_column_names`: GX then builds the full index list row by row in
    # Python (a minute for 500k failing rows); the plain RangeIndex path is vectorised.
    result_format = {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_ROWS}
    with _no_fingerprint():  # the batch is loaded twice: by get_batch and again in validate
        batch = asset.add_batch_definition_whole_dataframe("all").get_batch(
            batch_parameters={"dataframe": data}
        )
        result = batch.validate(suite, result_format=result_format)
    # GX keeps its last context reachable (with the batch's frame and computed metrics) until
    # the next one replaces it: let them go now, not after the next table's validation.
    gx_context.data_sources.delete("newsfacts")
    return suite, result


def _outcome(
    exp: dict[str, Any], raw: Any, audited: pl.DataFrame, key_columns: list[str]
) -> ExpectationOutcome:
    result = dict(raw.result or {})
    info = raw.exception_info or {}
    if "raised_exception" not in info:  # GX keys it by metric when a metric failed
        info = next(iter(info.values()), {}) if info else {}
    kwargs = exp["kwargs"]
    column = kwargs.get("column") or kwargs.get("column_A")
    rows = [i for i in result.get("partial_unexpected_index_list") or [] if isinstance(i, Integral)]
    observed = result.get("observed_value")
    if observed is None and result.get("partial_unexpected_counts"):
        observed = [c["value"] for c in result["partial_unexpected_counts"]]
    element, missing = result.get("element_count"), result.get("missing_count") or 0
    return ExpectationOutcome(
        expectation_type=exp["type"],
        column=column,
        kwargs=kwargs,
        severity=exp["meta"]["severity"],
        success=bool(raw.success),
        observed_value=observed,
        unexpected_count=result.get("unexpected_count"),
        unexpected_percent=result.get("unexpected_percent"),
        sample_failing_rows=_sample(audited, rows, key_columns, kwargs),
        description=exp["meta"].get("description", ""),
        checked_rows=None if element is None else element - missing,
        exception=info.get("exception_message") if info.get("raised_exception") else None,
    )


def _sample(
    audited: pl.DataFrame, rows: list[int], key_columns: list[str], kwargs: dict[str, Any]
) -> list[dict[str, Any]]:
    """Failing rows of the original frame: its keys, the checked column and the audit rule's
    inputs, long strings cut short so the manifest stays small."""
    if not rows:
        return []
    wanted = list(key_columns)
    for name in [kwargs.get(k) for k in _COLUMN_KWARGS] + list(kwargs.get("column_list", [])):
        for col in (name, *AUDIT_INPUTS.get(name or "", ())):
            if col and col in audited.columns and col not in wanted:
                wanted.append(col)
    rows = sorted({r for r in rows if 0 <= r < audited.height})[:SAMPLE_ROWS]
    picked = audited[rows].select(wanted).with_columns(pl.Series("row", rows))
    return [_jsonable(r) for r in picked.select("row", *wanted).to_dicts()]


def _jsonable(value: Any) -> Any:
    """Plain JSON types only: the report goes into the published ``_manifest.json``."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, str):
        return value if len(value) <= MAX_SAMPLE_CHARS else value[:MAX_SAMPLE_CHARS] + "…"
    if isinstance(value, bool | int) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, date | datetime):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy / pandas scalars
        return _jsonable(value.item())
    return str(value)


@dataclass(frozen=True)
class StoredValidation:
    """A GX result read back from disk: what Data Docs need, in a process other than the one
    that validated (each check step may run in its own process)."""

    table: str
    suite: dict[str, Any]
    gx_result: Any


def store_gx_result(report: ValidationReport, path: Path) -> None:
    result = report.gx_result
    write_json_atomic(path, result if isinstance(result, dict) else result.to_json_dict())


def load_gx_result(table: str, path: Path) -> StoredValidation:
    from great_expectations.core.expectation_validation_result import (
        ExpectationSuiteValidationResultSchema,
    )

    result = ExpectationSuiteValidationResultSchema().loads(path.read_text())
    return StoredValidation(table=table, suite=load_suite(table), gx_result=result)


def render_data_docs(
    results: Sequence[tuple[str, Path]], out_dir: Path, template_cache: Path | None = None
) -> Path:
    """`write_data_docs` from stored GX results, given as (table, path of the result)."""
    reports = [load_gx_result(table, path) for table, path in results]
    return write_data_docs(reports, out_dir, template_cache)


def write_data_docs(
    reports: Sequence[ValidationReport | StoredValidation],
    out_dir: Path,
    template_cache: Path | None = None,
) -> Path:
    """Render GX's own Data Docs for these reports into ``out_dir``; returns ``index.html``.

    The site is rebuilt from scratch each time (old validation pages removed), so it always
    shows the latest build rather than accumulating pages of runs that were never published.
    ``template_cache`` keeps GX's compiled page templates between renderings
    (`newsfacts.quality.data_docs_views`).
    """
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    for stale in ("validations", "expectations", "index.html"):
        target = out_dir / stale
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)
    gx_context = _ephemeral_context(out_dir, template_cache)
    run_id = RunIdentifier(run_name="newsfacts", run_time=datetime.now(UTC))
    latest = {r.table: r for r in reports if r.gx_result is not None}  # last one per table wins
    for report in latest.values():
        suite = gx_context.suites.add(_gx_suite(report.suite))
        key = ValidationResultIdentifier(
            ExpectationSuiteIdentifier(suite.name), run_id, f"newsfacts-{report.table}"
        )
        report.gx_result.meta["run_id"] = run_id  # shown as the run on the page
        gx_context.validation_results_store.set(key, report.gx_result)
    gx_context.build_data_docs()
    return out_dir / "index.html"
