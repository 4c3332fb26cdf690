"""What a version publishes: each staged table without the rows its audit held back, and the
``quarantine`` table listing those rows and the documents a step could not process."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import polars as pl

from newsfacts.quality.quarantine import (
    QUARANTINE_SCHEMA,
    empty_quarantine,
    quarantine_path,
    raised_path,
    read_admitted,
)
from newsfacts.runtime.files import write_parquet_atomic

QUARANTINE_TABLE = "quarantine"


def admitted_files(
    staging: Path, candidates: Mapping[str, Path], stages: Sequence[str]
) -> tuple[dict[str, Path], dict[str, int]]:
    """The files to publish (table → path, ``quarantine`` last) and how many rows were held
    per table. A table with nothing held is published from its staged file as audited."""
    files: dict[str, Path] = {}
    held_parts: list[pl.DataFrame] = []
    for table, staged in candidates.items():
        held_path = quarantine_path(staged)
        held = pl.read_parquet(held_path, glob=False) if held_path.is_file() else empty_quarantine()
        if held.height:
            admitted = staging / "admitted" / f"{table}.parquet"
            write_parquet_atomic(read_admitted(staged), admitted)
            files[table] = admitted
        else:
            files[table] = staged
        held_parts.append(held.select(list(QUARANTINE_SCHEMA)).cast(QUARANTINE_SCHEMA))
    for stage in stages:
        path = raised_path(staging, stage)
        if path.is_file():
            held_parts.append(pl.read_parquet(path, glob=False).cast(QUARANTINE_SCHEMA))
    quarantine = pl.concat(held_parts) if held_parts else empty_quarantine()
    quarantine = quarantine.sort("table", "rule", "source_file", "row_key", nulls_last=True)
    target = staging / f"{QUARANTINE_TABLE}.parquet"
    write_parquet_atomic(quarantine, target)
    files[QUARANTINE_TABLE] = target
    counts = quarantine.group_by("table").agg(pl.col("row_key").n_unique()).sort("table")
    return files, dict(counts.iter_rows())
