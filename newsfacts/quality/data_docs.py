"""Data Docs: GX's own HTML pages for the latest build, rendered from stored validation results,
so any process (the worker, a check step, the publish) can render what others validated.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsfacts.quality.gx_context import _ephemeral_context, _gx_suite
from newsfacts.quality.reports import ValidationReport
from newsfacts.quality.suites import load_suite
from newsfacts.runtime.jsonfile import write_json_atomic


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
