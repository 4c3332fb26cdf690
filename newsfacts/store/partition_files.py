"""Staged tables kept as one Parquet file per document partition, read back lazily as one table.

A partitioned table lives under ``staging/partitions/<table>/day=<day>/shard=<ss>.parquet``
(Hive-style, so DuckDB and polars see ``day`` and ``shard`` as columns when asked). A partition
run rewrites only its own file, and only when its content changed: the other partitions' files,
and an unchanged partition's own, keep their bytes and mtime, so whatever watches or syncs the
files (a remote mirror, the audit's checksums) sees exactly what changed. Corpus-wide steps read
all partitions through one lazy scan and never hold more than the result they compute; the table
an analyst gets is combined from them in a streaming pass.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import polars as pl

from newsfacts.intake.partitioning import DocumentPartition, parse_key
from newsfacts.runtime.files import sha256_file, write_parquet_atomic

PARTITIONS_FOLDER = "partitions"


def table_folder(staging: Path, table: str) -> Path:
    return staging / PARTITIONS_FOLDER / table


def partition_path(staging: Path, table: str, key: str) -> Path:
    """Where partition ``key`` (``"<day>|<shard>"``) of ``table`` is staged."""
    part = parse_key(key)
    return table_folder(staging, table) / f"day={part.day.isoformat()}" / _shard_file(part)


def _shard_file(part: DocumentPartition) -> str:
    return f"shard={part.shard_label}.parquet"


def write_partition(frame: pl.DataFrame, path: Path) -> bool:
    """Stage one partition; True when the file changed. The same rows written again leave
    the file as it was (bytes and mtime), since polars writes the same frame to the same
    bytes."""
    if not path.is_file():
        write_parquet_atomic(frame, path)
        return True
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    frame.write_parquet(tmp)
    if sha256_file(tmp) == sha256_file(path):
        tmp.unlink()
        return False
    os.replace(tmp, path)
    return True


def write_partitions(staging: Path, table: str, frames: Mapping[str, pl.DataFrame]) -> list[str]:
    """Stage several partitions (``key → rows``); the keys whose files changed."""
    return [
        key
        for key, frame in sorted(frames.items())
        if write_partition(frame, partition_path(staging, table, key))
    ]


def split_by_partition(
    frame: pl.DataFrame, keys: pl.Series, expected: Sequence[str] = ()
) -> dict[str, pl.DataFrame]:
    """The rows of ``frame`` per partition key (``keys`` is one key per row). Every key in
    ``expected`` gets its frame, empty if no row falls in it, so a partition whose documents
    yield no rows still says so instead of keeping its last file."""
    if keys.len() != frame.height:
        raise ValueError("one partition key per row")
    tagged = frame.with_columns(keys.alias("__partition"))
    parts = {
        str(key[0]): rows.drop("__partition")
        for key, rows in tagged.partition_by(
            "__partition", as_dict=True, maintain_order=True
        ).items()
    }
    empty = frame.clear()
    return {key: parts.get(key, empty) for key in sorted({*parts, *expected})}


def partition_files(staging: Path, table: str) -> list[Path]:
    """Every staged partition file of ``table``, in partition order."""
    folder = table_folder(staging, table)
    return sorted(folder.glob("day=*/shard=*.parquet")) if folder.is_dir() else []


def staged_keys(staging: Path, table: str) -> list[str]:
    """The partition keys ``table`` has files for."""
    return [
        f"{path.parent.name.removeprefix('day=')}|{path.stem.removeprefix('shard=')}"
        for path in partition_files(staging, table)
    ]


def scan_partitions(
    staging: Path, table: str, schema: Mapping[str, pl.DataType] | None = None
) -> pl.LazyFrame:
    """All partitions of ``table`` as one lazy frame, in partition order. Nothing is read
    until it is collected, and then only the columns and rows the query asks for."""
    files = partition_files(staging, table)
    if not files:
        if schema is None:
            raise FileNotFoundError(f"{table_folder(staging, table)} holds no partitions")
        return pl.LazyFrame(schema=dict(schema))
    return pl.scan_parquet(files, hive_partitioning=False, glob=False)


def combine_partitions(staging: Path, table: str, target: Path, sort_by: Sequence[str] = ()) -> int:
    """Write all partitions of ``table`` as the one file ``target`` (ordered by ``sort_by``,
    the order an unpartitioned build writes it in), streaming; the number of rows."""
    scan = scan_partitions(staging, table)
    if sort_by:
        scan = scan.sort(list(sort_by), maintain_order=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    scan.sink_parquet(tmp, engine="streaming")
    os.replace(tmp, target)
    return pl.scan_parquet(target, glob=False).select(pl.len()).collect().item()
