"""Parquet files written whole or not at all, and the checksum that ties a file to its audit."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # not imported here: publishing (and its checksums) needs no polars threads
    import polars as pl


def write_parquet_atomic(frame: pl.DataFrame, path: Path) -> None:
    """Write to a hidden temporary file beside `path`, then rename: a reader sees the previous
    file or the new one, never half of one (and a folder glob never sees the temporary)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    frame.write_parquet(tmp)
    os.replace(tmp, path)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_CHECKED: set[tuple[str, int, int]] = set()


def parquet_readable(path: Path) -> bool:
    """Whether a Parquet file's footer reads (a truncated file's does not). Each (path,
    size, mtime) is checked once per process, so a cache listed many times pays one footer
    read per file."""
    import pyarrow.parquet as pq

    try:
        stat = path.stat()
    except FileNotFoundError:
        return False
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key in _CHECKED:
        return True
    try:
        pq.read_metadata(path)
    except (OSError, ValueError):
        return False
    _CHECKED.add(key)
    return True
