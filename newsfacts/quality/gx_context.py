"""Great Expectations as newsfacts runs it: an ephemeral, in-memory context (no project folder,
no analytics, no progress bars), suites built from the JSON specs, one validation per table.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SAMPLE_ROWS = 20
_GX_SEVERITY = {"error": "critical", "warning": "warning"}


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
    # COMPLETE: every failing row number, which the quarantine needs. Not
    # `unexpected_index_column_names`: GX then builds the index list row by row in Python (a
    # minute for 500k failing rows); the plain RangeIndex path is vectorised.
    result_format = {"result_format": "COMPLETE", "partial_unexpected_count": SAMPLE_ROWS}
    with _no_fingerprint():  # the batch is loaded twice: by get_batch and again in validate
        batch = asset.add_batch_definition_whole_dataframe("all").get_batch(
            batch_parameters={"dataframe": data}
        )
        result = batch.validate(suite, result_format=result_format)
    # GX keeps its last context reachable (with the batch's frame and computed metrics) until
    # the next one replaces it: let them go now, not after the next table's validation.
    gx_context.data_sources.delete("newsfacts")
    return suite, result
