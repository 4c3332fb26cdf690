"""Metadata every table asset shows in the Dagster UI: row count, column schema, a preview."""

import html
from typing import Any

import dagster as dg
import polars as pl

PREVIEW_ROWS = 10
PREVIEW_CHARS = 80


def _cell(value: Any) -> str:
    """A value as table-cell text: cut, then escaped, so markup taken from a page shows as
    text in the UI instead of running there (Markdown passes raw HTML through)."""
    text = "" if value is None else str(value).replace("\n", " ")
    text = text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"
    return html.escape(text, quote=False).replace("|", "\\|")


def markdown_preview(frame: pl.DataFrame, rows: int = PREVIEW_ROWS) -> str:
    head = frame.head(rows)
    lines = [
        "| " + " | ".join(head.columns) + " |",
        "|" + "---|" * len(head.columns),
    ]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in head.iter_rows()]
    return "\n".join(lines)


def table_metadata(frame: pl.DataFrame, **extra: Any) -> dict[str, Any]:
    schema = dg.TableSchema(
        columns=[dg.TableColumn(name, str(dtype)) for name, dtype in frame.schema.items()]
    )
    return {
        "dagster/row_count": dg.MetadataValue.int(frame.height),
        "dagster/column_schema": schema,
        "preview": dg.MetadataValue.md(markdown_preview(frame)),
        **extra,
    }
