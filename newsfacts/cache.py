"""Per-document results kept across runs, keyed by content hash and code/reference versions.

A rebuild after one new document among thousands then costs one document's work: every stage
asks the cache which article ids it already has for its key and computes only the rest.
Layout: `<root>/<stage>/<key>/rows-<part>.parquet` (result rows) and `ids-<part>.parquet`
(the ids a part covers, so documents with no result rows are not recomputed either).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from newsfacts.parallel import map_items

T = TypeVar("T")

COMPACT_ABOVE = 64


@dataclass
class StageCache:
    root: Path
    stage: str
    key: str
    schema: dict[str, pl.DataType]

    @property
    def folder(self) -> Path:
        return self.root / self.stage / self.key

    def _parts(self, prefix: str) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.glob(f"{prefix}-*.parquet"))

    def known_ids(self) -> set[str]:
        parts = self._parts("ids")
        if not parts:
            return set()
        return set(pl.read_parquet(parts, columns=["article_id"])["article_id"].to_list())

    def rows_for(self, ids: Iterable[str]) -> pl.DataFrame:
        parts = self._parts("rows")
        if not parts:
            return pl.DataFrame(schema=self.schema)
        wanted = pl.Series("article_id", list(ids), dtype=pl.String)
        return (
            pl.scan_parquet(parts, schema=self.schema)
            .filter(pl.col("article_id").is_in(wanted.implode()))
            .collect()
        )

    def put(self, ids: Sequence[str], rows: pl.DataFrame) -> None:
        """Write rows, then the ids they cover: a crash in between only costs a recompute."""
        self.folder.mkdir(parents=True, exist_ok=True)
        part = uuid.uuid4().hex
        _write_atomic(rows.select(list(self.schema)).cast(self.schema), self.folder, "rows", part)
        ids_frame = pl.DataFrame({"article_id": list(ids)}, schema={"article_id": pl.String})
        _write_atomic(ids_frame, self.folder, "ids", part)

    def compact(self) -> None:
        """Merge many small parts into one so reads stay fast after many incremental runs."""
        rows, ids = self._parts("rows"), self._parts("ids")
        if len(ids) <= COMPACT_ABOVE:
            return
        merged_rows = pl.read_parquet(rows, schema=self.schema) if rows else None
        merged_ids = pl.read_parquet(ids).unique()
        part = uuid.uuid4().hex
        if merged_rows is not None:
            _write_atomic(merged_rows, self.folder, "rows", part)
        _write_atomic(merged_ids, self.folder, "ids", part)
        for old in [*rows, *ids]:
            old.unlink(missing_ok=True)

    def clear(self) -> None:
        shutil.rmtree(self.root / self.stage, ignore_errors=True)


def _write_atomic(frame: pl.DataFrame, folder: Path, prefix: str, part: str) -> None:
    tmp = folder / f".{prefix}-{part}.tmp"
    frame.write_parquet(tmp)
    os.replace(tmp, folder / f"{prefix}-{part}.parquet")


@dataclass(frozen=True)
class CachedRun:
    frame: pl.DataFrame
    computed: int
    reused: int


def cached_map(
    cache: StageCache,
    items: Sequence[tuple[str, T]],
    fn: Callable[[T], list[dict[str, Any]]],
    workers: int | None = None,
    chunk_size: int = 64,
) -> CachedRun:
    """Rows of `fn(payload)` for every (article_id, payload), computing only uncached ids.

    `fn` runs in worker processes and returns the result rows of one document.
    """
    known = cache.known_ids()
    todo = [(aid, payload) for aid, payload in items if aid not in known]
    payloads = [payload for _aid, payload in todo]
    offset = 0
    for chunk_rows in map_items(fn, payloads, workers=workers, chunk_size=chunk_size):
        chunk_ids = [aid for aid, _ in todo[offset : offset + len(chunk_rows)]]
        offset += len(chunk_rows)
        flat = [row for rows in chunk_rows for row in rows]
        cache.put(chunk_ids, pl.DataFrame(flat, schema=cache.schema))
    cache.compact()
    frame = cache.rows_for(aid for aid, _ in items)
    return CachedRun(frame=frame, computed=len(todo), reused=len(items) - len(todo))
