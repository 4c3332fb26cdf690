"""Metadata every table asset shows in the Dagster UI: row count, each column's type, meaning and
upstream columns, where the table is published and how to open it, and a preview that fits.

Column meanings and lineage come from `schemas/columns.yaml` (see `newsfacts.store.columns`),
the same file the README's Tables section is generated from, so the two cannot disagree.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import Any

import dagster as dg
import polars as pl

from newsfacts.store.columns import Table, duckdb_type, load_tables

PREVIEW_ROWS = 10
PREVIEW_CHARS = 40
SIGNIFICANT_DIGITS = 4


def _cell(value: Any, width: int) -> str:
    """A value as table-cell text: cut, then escaped, so markup taken from a page shows as
    text in the UI instead of running there (Markdown passes raw HTML through)."""
    if isinstance(value, float):
        value = rounded(value)
    text = "" if value is None else str(value).replace("\n", " ")
    text = text if len(text) <= width else text[: width - 1] + "…"
    return html.escape(text, quote=False).replace("|", "\\|")


def markdown_preview(
    frame: pl.DataFrame, rows: int = PREVIEW_ROWS, width: int = PREVIEW_CHARS
) -> str:
    head = frame.head(rows)
    lines = [
        "| " + " | ".join(head.columns) + " |",
        "|" + "---|" * len(head.columns),
    ]
    lines += ["| " + " | ".join(_cell(v, width) for v in row) + " |" for row in head.iter_rows()]
    return "\n".join(lines)


def rounded(value: float) -> float:
    """To `SIGNIFICANT_DIGITS`: 0.9830508474576272 reads as 0.9831."""
    if not math.isfinite(value) or value == 0:
        return value
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def readable(value: Any) -> Any:
    """A metadata value as a person reads it: floats rounded, numpy scalars as Python ones."""
    if hasattr(value, "item") and not isinstance(value, pl.DataFrame):
        value = value.item()
    if isinstance(value, float):
        return dg.MetadataValue.float(rounded(value))
    return value


def percent(share: float | None) -> float | None:
    """A share 0..1 as a rounded percentage."""
    return None if share is None else rounded(100 * float(share))


def _spec(table: str) -> Table | None:
    return load_tables().get(table)


def column_schema(table: str, frame: pl.DataFrame | None = None) -> dg.TableSchema:
    """The columns of `frame` (else the declared ones) with their declared meanings."""
    spec = _spec(table)
    if frame is None:
        declared = spec.columns if spec else ()
        columns = [(c.name, c.type) for c in declared]
    else:
        columns = [(name, duckdb_type(dtype)) for name, dtype in frame.schema.items()]
    described = {c.name: c.description for c in spec.columns} if spec else {}
    return dg.TableSchema(
        columns=[
            dg.TableColumn(name, kind, description=described.get(name)) for name, kind in columns
        ]
    )


def column_lineage(table: str) -> dg.TableColumnLineage | None:
    spec = _spec(table)
    deps = {
        column.name: [dg.TableColumnDep(asset_key=t, column_name=c) for t, c in column.sources]
        for column in (spec.columns if spec else ())
        if column.sources
    }
    return dg.TableColumnLineage(deps_by_column=deps) if deps else None


def definition_metadata(table: str) -> dict[str, Any]:
    """What the UI shows of a table before it is ever materialized."""
    metadata: dict[str, Any] = {}
    if _spec(table):
        metadata["dagster/column_schema"] = column_schema(table)
    if lineage := column_lineage(table):
        metadata["dagster/column_lineage"] = lineage
    return metadata


def table_metadata(
    table: str, frame: pl.DataFrame, preview: pl.DataFrame | None = None, **extra: Any
) -> dict[str, Any]:
    """Row count, column schema and lineage, a preview of the declared preview columns (of
    `preview` if given, e.g. the interesting rows) and `extra`, floats rounded."""
    spec = _spec(table)
    shown = frame if preview is None else preview
    if spec is not None:
        shown = shown.select([c for c in spec.preview if c in shown.columns])
    metadata: dict[str, Any] = {
        "dagster/row_count": dg.MetadataValue.int(frame.height),
        "dagster/column_schema": column_schema(table, frame),
        "preview": dg.MetadataValue.md(markdown_preview(shown)),
    }
    if lineage := column_lineage(table):
        metadata["dagster/column_lineage"] = lineage
    return metadata | {key: readable(value) for key, value in extra.items()}


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _attach_sql(catalog: str) -> str:
    """DuckDB's statement that opens the catalog as `nf`; a store URL needs httpfs first."""
    attach = f"ATTACH {_sql_string(catalog)} AS nf (READ_ONLY);"
    return f"INSTALL httpfs; LOAD httpfs; {attach}" if "://" in catalog else attach


def location_metadata(
    table: str, staged: Path, data_path: Path, data_dir_url: str | None
) -> dict[str, Any]:
    """Where a staged table is, and for a published one where analysts read it and how: the
    live version's file (`published/latest` follows each publish) or, on an object store, the
    catalog's view."""
    metadata: dict[str, Any] = {"staged_path": dg.MetadataValue.path(str(staged))}
    spec = _spec(table)
    if spec is None or not spec.published:
        return metadata
    if data_dir_url is None:
        published = data_path / "published" / "latest" / f"{table}.parquet"
        metadata["path"] = dg.MetadataValue.path(str(published))
        query = f"select * from read_parquet({_sql_string(str(published))}) limit 10;"
    else:
        catalog = f"{data_dir_url.rstrip('/')}/catalog.duckdb"
        metadata["catalog"] = dg.MetadataValue.url(catalog)
        query = f"{_attach_sql(catalog)}\nselect * from nf.{table} limit 10;"
    metadata["duckdb"] = dg.MetadataValue.md(f"```sql\n{query}\n```")
    return metadata


def version_metadata(
    version_dir: Path, row_counts: dict[str, int], catalog: str, docs_url: str
) -> dict[str, Any]:
    """What the published asset shows: the version folder, each table's file in it and its
    rows, how to open the catalog, and a link to the Data Docs."""
    files = [
        dg.TableRecord({"table": t, "rows": int(n), "file": f"{t}.parquet"})
        for t, n in row_counts.items()
    ]
    schema = dg.TableSchema(
        columns=[
            dg.TableColumn("table", "VARCHAR"),
            dg.TableColumn("rows", "BIGINT"),
            dg.TableColumn("file", "VARCHAR", description="in the version folder, `path`"),
        ]
    )
    attach = _attach_sql(catalog)
    return {
        "path": dg.MetadataValue.path(str(version_dir)),
        "tables": dg.MetadataValue.table(files, schema=schema),
        "duckdb": dg.MetadataValue.md(
            f"```sql\n{attach}\nselect outlet, title, word_count from nf.articles;\n```"
        ),
        "data_docs": dg.MetadataValue.url(docs_url),
    }
