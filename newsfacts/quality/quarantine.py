"""Quarantine: rows held back from a version, each with the rule or the step that held it.

A staged table is the candidate; the audit names the rows that break a row rule, and what is
read downstream and published is the candidate without them (`read_admitted`). The candidate
stays in staging and every build audits it afresh, so a row comes back by itself once the rule
or the data is fixed; the published ``quarantine`` table keeps each held row whole (``row``,
as JSON), so nothing is lost in between.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from newsfacts.runtime.files import sha256_file

QUARANTINE_SCHEMA: dict[str, pl.DataType] = {
    "table": pl.String(),
    "row_key": pl.String(),  # the table's key columns of the held row, as JSON
    "article_id": pl.String(),
    "source_file": pl.String(),
    "stage": pl.String(),  # "audit" for a row rule, else the step that raised
    "rule": pl.String(),  # "<table>.<check name>", or "<stage>.raised" / "<stage>.timeout"
    "observed_value": pl.String(),
    "reason": pl.String(),
    "run_id": pl.String(),
    "row": pl.String(),  # the whole held row as JSON (empty for a document whose step raised)
}
ROW_NUMBER = "_row"  # the candidate's row number, kept in the staged quarantine only


def empty_quarantine() -> pl.DataFrame:
    return pl.DataFrame(schema=QUARANTINE_SCHEMA)


def audit_record_of(staged: Path) -> Path:
    """Where the audit of the staged table ``staged`` leaves its record."""
    return staged.parent / "audit" / f"{staged.stem}.json"


def quarantine_path(staged: Path) -> Path:
    """Where the audit leaves the rows it held from the staged table ``staged``."""
    return staged.parent / "audit" / f"{staged.stem}.quarantine.parquet"


def raised_path(staging: Path, stage: str) -> Path:
    """Where a step leaves the documents it could not process."""
    return staging / "audit" / f"{stage}.raised.parquet"


def _json(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)


def rule_quarantine(
    table: str,
    frame: pl.DataFrame,
    failing: Mapping[str, Sequence[int]],
    observed_columns: Mapping[str, Sequence[str]],
    reasons: Mapping[str, str],
    key_columns: Sequence[str],
    articles: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per (held row, rule it breaks): ``failing`` maps a rule to the row numbers of
    ``frame`` that break it, ``observed_columns`` to the columns that show why."""
    parts = []
    for rule, rows in failing.items():
        numbers = sorted(set(rows))
        if not numbers:
            continue
        picked = frame[numbers]
        shown = [c for c in observed_columns.get(rule, ()) if c in picked.columns]
        keys = [c for c in key_columns if c in picked.columns]
        records = picked.to_dicts()
        parts.append(
            pl.DataFrame(
                {
                    "table": table,
                    "row_key": [_json({k: r[k] for k in keys}) for r in records],
                    "article_id": [r.get("article_id") for r in records],
                    "source_file": [r.get("source_file") for r in records],
                    "stage": "audit",
                    "rule": f"{table}.{rule}",
                    "observed_value": [_json({c: r[c] for c in shown}) for r in records],
                    "reason": reasons.get(rule, ""),
                    "run_id": None,
                    "row": [
                        _json({k: v for k, v in r.items() if not k.startswith("_")})
                        for r in records
                    ],
                    ROW_NUMBER: numbers,
                },
                schema=QUARANTINE_SCHEMA | {ROW_NUMBER: pl.Int64()},
            )
        )
    if not parts:
        return pl.DataFrame(schema=QUARANTINE_SCHEMA | {ROW_NUMBER: pl.Int64()})
    held = pl.concat(parts)
    if articles is not None and "source_file" not in frame.columns and articles.height:
        files = articles.select("article_id", pl.col("source_file").alias("_file"))
        held = held.join(files, on="article_id", how="left", maintain_order="left")
        held = held.with_columns(source_file=pl.col("_file")).drop("_file")
    return held


def step_failures(
    stage: str, failures: Sequence[tuple[str, str, str]], documents: pl.DataFrame
) -> pl.DataFrame:
    """Quarantine rows for the documents a step could not process: (article_id, kind,
    message) with kind "raised" (an exception) or "timeout" (over the time budget)."""
    if not failures:
        return empty_quarantine()
    files = dict(documents.select("article_id", "source_file").iter_rows())
    return pl.DataFrame(
        {
            "table": stage,
            "row_key": [_json({"article_id": aid}) for aid, _, _ in failures],
            "article_id": [aid for aid, _, _ in failures],
            "source_file": [files.get(aid) for aid, _, _ in failures],
            "stage": stage,
            "rule": [f"{stage}.{kind}" for _, kind, _ in failures],
            "observed_value": None,
            "reason": [message for _, _, message in failures],
            "run_id": None,
            "row": None,
        },
        schema=QUARANTINE_SCHEMA,
    )


def read_admitted(staged: Path) -> pl.DataFrame:
    """The staged table without the rows its audit held back. The staged file is hashed only
    when the audit held something: a held row number means nothing for a file other than the
    one audited (then nothing is known yet, and publishing refuses it anyway)."""
    frame = pl.read_parquet(staged, glob=False)
    path, record = quarantine_path(staged), audit_record_of(staged)
    if not (path.is_file() and record.is_file()):
        return frame
    held = pl.read_parquet(path, columns=[ROW_NUMBER], glob=False).get_column(ROW_NUMBER).unique()
    if held.is_empty() or sha256_file(staged) != json.loads(record.read_text()).get(
        "staged_sha256"
    ):
        return frame
    return frame.filter(~pl.int_range(pl.len(), dtype=pl.Int64).is_in(held.implode()))
