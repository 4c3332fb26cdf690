"""Run a table's Great Expectations suite and return a plain, JSON-ready report.

Suites live as data in ``expectations/<table>.json`` (GX 1.x suite JSON); each expectation's
``meta.severity`` says whether a failure matters ("error") or is only reported ("warning"),
and ``meta.scope`` what an error does (`newsfacts.quality.rules`): a row rule quarantines the
rows that break it, a table rule blocks publishing. Rules that need other tables or arithmetic
are first turned into ``_audit_*`` columns by ``newsfacts.quality.audit``, so GX only ever
checks one frame.

GX runs in an ephemeral, in-memory context (`newsfacts.quality.gx_context`: no analytics,
no progress bars) and is imported lazily: the import alone takes seconds, and most callers
(CLI help, Dagster definitions) never validate anything.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime
from numbers import Integral
from pathlib import Path
from typing import Any

import polars as pl

from newsfacts.quality.audit import AUDIT_INPUTS, Context, audit_frame
from newsfacts.quality.gx_context import SAMPLE_ROWS, _run_gx
from newsfacts.quality.quarantine import ROW_NUMBER, read_admitted, rule_quarantine
from newsfacts.quality.reports import ExpectationOutcome, ValidationReport, _jsonable
from newsfacts.quality.rules import (
    QUARANTINED,
    check_names,
    check_scope,
    quarantines,
    reads_quarantine,
)

SUITE_DIR = Path(__file__).resolve().parents[2] / "expectations"
SEVERITIES = ("error", "warning")
_COLUMN_KWARGS = ("column", "column_A", "column_B")
_NULL_ONLY = {"expect_column_values_to_not_be_null", "expect_column_values_to_be_null"}


def load_suite(table: str, suite_dir: Path | None = None) -> dict[str, Any]:
    """The suite as plain JSON, refusing a severity typo rather than treating it as a warning."""
    path = (suite_dir or SUITE_DIR) / f"{table}.json"
    suite = json.loads(path.read_text())
    for i, exp in enumerate(suite["expectations"]):
        severity = exp.get("meta", {}).get("severity")
        where = f"{path}: expectation {i} ({exp.get('type')})"
        if severity not in SEVERITIES:
            raise ValueError(f"{where} has severity {severity!r}; use one of {SEVERITIES}")
        check_scope(where, exp)
    return suite


def _runtime_bounds(
    spec: dict[str, Any], height: int, previous_rows: int | None, max_shrink: float | None
) -> dict[str, Any]:
    """The suite with the bounds that depend on this build: a ``max_shrink`` row-count rule's
    floor from the previous published version (the table may shrink by that share, not
    more; ``max_shrink`` from the caller overrides the suite's), and a quarantine-share
    rule's ceiling raised to ``allow_rows`` held rows, so that one odd document cannot block
    a small build that a share alone would."""
    expectations = []
    for exp in spec["expectations"]:
        meta, kwargs = exp["meta"], exp["kwargs"]
        if meta.get("max_shrink") is not None:
            share = meta["max_shrink"] if max_shrink is None else max_shrink
            floor = 0 if previous_rows is None else math.ceil(previous_rows * (1 - share))
            exp = {**exp, "kwargs": {**kwargs, "min_value": max(0, floor)}}
        elif meta.get("allow_rows") and height:
            ceiling = max(kwargs.get("max_value", 0), meta["allow_rows"] / height)
            exp = {**exp, "kwargs": {**kwargs, "max_value": min(1.0, ceiling)}}
        expectations.append(exp)
    return {**spec, "expectations": expectations}


def validate(
    table: str,
    frame: pl.DataFrame,
    context: Context | None = None,
    suite_dir: Path | None = None,
    today: date | None = None,
    previous_rows: int | None = None,
    max_shrink: float | None = None,
) -> ValidationReport:
    """Validate ``frame`` as ``table``. Rows breaking an error row rule are named in
    ``report.quarantine``; ``success`` is False only if an error table rule fails (among them
    the share of quarantined rows). ``context`` holds the other tables (and optionally
    ``today``); ``previous_rows`` is the table's size in the previous published version."""
    started = time.perf_counter()
    spec = _runtime_bounds(load_suite(table, suite_dir), frame.height, previous_rows, max_shrink)
    expectations = spec["expectations"]
    names = check_names(spec)
    audited = audit_frame(table, frame, context, today)
    key_columns = [c for c in spec.get("meta", {}).get("key_columns", []) if c in frame.columns]
    # Row and table rules first; the rules over the quarantine itself once it is known.
    first = [i for i, e in enumerate(expectations) if not reads_quarantine(e)]
    outcomes, raw = _gx_outcomes(table, spec, first, audited, key_columns)
    failing = {names[i]: outcomes[i].failing_rows for i in first if quarantines(expectations[i])}
    articles = (context or {}).get("articles")
    quarantine = rule_quarantine(
        table,
        frame,
        failing,
        {name: _shown(exp["kwargs"]) for name, exp in zip(names, expectations, strict=True)},
        {
            name: exp["meta"].get("description", "")
            for name, exp in zip(names, expectations, strict=True)
        },
        key_columns,
        articles if isinstance(articles, pl.DataFrame) else None,
    )
    second = [i for i, e in enumerate(expectations) if reads_quarantine(e)]
    if second:
        held = pl.int_range(frame.height, eager=True).is_in(quarantine[ROW_NUMBER].implode())
        # An empty table holds nothing back: its share is 0, not the undefined mean of nothing.
        shares = pl.DataFrame({QUARANTINED: held.cast(pl.Float64) if frame.height else [0.0]})
        more, raw_more = _gx_outcomes(table, spec, second, shares, [])
        outcomes |= more
        raw.results.extend(raw_more.results)
    ordered = [outcomes[i] for i in range(len(expectations))]
    for name, outcome in zip(names, ordered, strict=True):
        outcome.quarantined = len(set(failing.get(name, ()))) if name in failing else None
    return ValidationReport(
        table=table,
        success=not any(o.blocks for o in ordered),
        results=ordered,
        row_count=frame.height,
        seconds=time.perf_counter() - started,
        validated_at=datetime.now(UTC).isoformat(),
        gx_result=raw,
        suite=spec,
        quarantine=quarantine,
    )


def _gx_outcomes(
    table: str,
    spec: dict[str, Any],
    which: Sequence[int],
    audited: pl.DataFrame,
    key_columns: list[str],
) -> tuple[dict[int, ExpectationOutcome], Any]:
    """Outcomes of the expectations numbered ``which``, by number, and GX's own result."""
    chosen = [spec["expectations"][i] for i in which]
    gx_suite, raw = _run_gx(table, {**spec, "expectations": chosen}, _gx_input(audited, chosen))
    by_id = {r.expectation_config.id: r for r in raw.results}
    outcomes = {
        i: _outcome(exp, by_id[gx_exp.id], audited, key_columns)
        for i, exp, gx_exp in zip(which, chosen, gx_suite.expectations, strict=True)
    }
    return outcomes, raw


def _shown(kwargs: dict[str, Any]) -> list[str]:
    """The columns that show why a row broke a rule: the checked ones and an audit rule's
    inputs."""
    shown: list[str] = []
    for name in _columns(kwargs):
        for col in (name, *AUDIT_INPUTS.get(name, ())):
            if not col.startswith("_") and col not in shown:
                shown.append(col)
    return shown


def validate_staged(
    table: str,
    staged: Path,
    context: dict[str, Path],
    previous_rows: int | None = None,
    max_shrink: float | None = None,
) -> ValidationReport:
    """`validate` of a staged file, with what was admitted of the other tables' staged files
    as context. The report's GX result comes back as its JSON dict, so the report can leave
    the process (see `newsfacts.runtime.gx_worker`)."""
    frame = pl.read_parquet(staged, glob=False)
    others: Context = {name: read_admitted(path) for name, path in context.items()}
    report = validate(table, frame, others, previous_rows=previous_rows, max_shrink=max_shrink)
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


def _outcome(
    exp: dict[str, Any], raw: Any, audited: pl.DataFrame, key_columns: list[str]
) -> ExpectationOutcome:
    result = dict(raw.result or {})
    info = raw.exception_info or {}
    if "raised_exception" not in info:  # GX keys it by metric when a metric failed
        info = next(iter(info.values()), {}) if info else {}
    kwargs = exp["kwargs"]
    column = kwargs.get("column") or kwargs.get("column_A")
    failing = [i for i in result.get("unexpected_index_list") or [] if isinstance(i, Integral)]
    rows = failing[:SAMPLE_ROWS]
    _trim(raw)
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
        scope=exp["meta"]["scope"],
        failing_rows=failing,
    )


def _trim(raw: Any) -> None:
    """GX's result keeps every failing row and value (the quarantine needs them all); what is
    stored and rendered in Data Docs keeps a sample, as SUMMARY would."""
    result = raw.result or {}
    for name in ("unexpected_list", "unexpected_index_list"):
        if isinstance(result.get(name), list):
            result[name] = result[name][:SAMPLE_ROWS]
    result.pop("unexpected_index_query", None)


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
