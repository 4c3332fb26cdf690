"""Per-document results kept across runs, keyed by content hash and code/reference versions.

A rebuild after one new document among thousands then costs one document's work: every stage
asks the cache which article ids it already has for its key and computes only the rest.
Layout: `<root>/<stage>/<key>/rows-<part>.parquet` (result rows) and `ids-<part>.parquet`
(the ids a part covers, so documents with no result rows are not recomputed either).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from newsfacts.runtime.files import parquet_readable, write_parquet_atomic
from newsfacts.runtime.guard import Failure
from newsfacts.runtime.parallel import DEFAULT_CHUNK_SIZE, map_items

T = TypeVar("T")

COMPACT_ABOVE = 64
# Results are written in parts of this many documents (or after this many seconds, whichever
# comes first), not one part per worker chunk: a 50k-document run would otherwise leave
# thousands of tiny Parquet files to list, open and compact, and each write costs the main
# process time that the workers need on a small machine. A crash loses at most one part.
FLUSH_DOCUMENTS = 2000
FLUSH_SECONDS = 60.0
_PART = "_part"
_IDS_SCHEMA: dict[str, pl.DataType] = {"article_id": pl.String()}


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
        self._drop_damaged()
        return sorted(self.folder.glob(f"{prefix}-*.parquet"))

    def _drop_damaged(self) -> None:
        """A truncated part (a full disk, a copy cut short) would fail every later read of
        the stage: drop it with its twin, so its documents are computed again."""
        for part in sorted(self.folder.glob("*-*.parquet")):
            if not parquet_readable(part):
                discard_part(part)
                _log.warning(f"discarded an unreadable cache part {part}; recomputing it")

    def _rows(self) -> pl.LazyFrame | None:
        """Every cached row once: parts count only once their ids file exists (it is written
        last), and an id covered by several parts (left by an interrupted write or compaction)
        is read from one of them. Lazy, so callers can filter or stream it."""
        ids = self._parts("ids")
        done = {p.name.removeprefix("ids-") for p in ids}
        rows = [p for p in self._parts("rows") if p.name.removeprefix("rows-") in done]
        if not rows:
            return None
        owner = (
            pl.scan_parquet(ids, schema=_IDS_SCHEMA, include_file_paths=_PART, glob=False)
            .with_columns(pl.col(_PART).str.replace(r"^.*/ids-", ""))
            .group_by("article_id")
            .agg(pl.col(_PART).min())
        )
        return (
            pl.scan_parquet(rows, schema=self.schema, include_file_paths=_PART, glob=False)
            .with_columns(pl.col(_PART).str.replace(r"^.*/rows-", ""))
            .join(owner, on=["article_id", _PART], how="semi", maintain_order="left")
            .drop(_PART)
        )

    def known_ids(self) -> set[str]:
        parts = self._parts("ids")
        if not parts:
            return set()
        return set(
            pl.read_parquet(parts, columns=["article_id"], glob=False)["article_id"].to_list()
        )

    def rows_for(self, ids: Iterable[str]) -> pl.DataFrame:
        rows = self._rows()
        if rows is None:
            return pl.DataFrame(schema=self.schema)
        wanted = pl.Series("article_id", list(ids), dtype=pl.String)
        return rows.filter(pl.col("article_id").is_in(wanted.implode())).collect()

    def put(self, ids: Sequence[str], rows: pl.DataFrame) -> None:
        """Write rows, then the ids they cover: a crash in between only costs a recompute."""
        self.folder.mkdir(parents=True, exist_ok=True)
        part = uuid.uuid4().hex
        _write_atomic(rows.select(list(self.schema)).cast(self.schema), self.folder, "rows", part)
        ids_frame = pl.DataFrame({"article_id": list(ids)}, schema=_IDS_SCHEMA)
        _write_atomic(ids_frame, self.folder, "ids", part)

    def compact(self) -> None:
        """Merge many small parts into one so reads stay fast after many incremental runs.

        Streams from the old parts to the new one, so memory does not grow with the cache.
        """
        ids = self._parts("ids")
        if len(ids) <= COMPACT_ABOVE:
            return
        rows = self._rows()
        part = uuid.uuid4().hex
        if rows is not None:
            _sink_atomic(rows, self.folder, "rows", part)
        merged_ids = pl.scan_parquet(ids, schema=_IDS_SCHEMA, glob=False).unique()
        _sink_atomic(merged_ids, self.folder, "ids", part)
        for old in [*self._parts("rows"), *ids]:
            if part not in old.name:
                old.unlink(missing_ok=True)

    def clear(self) -> None:
        shutil.rmtree(self.root / self.stage, ignore_errors=True)


_log = logging.getLogger("newsfacts.cache")


def discard_part(part: Path) -> None:
    """Remove a cache part with its twin: rows without their ids are ignored, but ids
    without their rows would claim documents whose rows are gone."""
    prefix, _, name = part.name.partition("-")
    if prefix in ("rows", "ids"):
        for twin in ("rows", "ids"):
            (part.parent / f"{twin}-{name}").unlink(missing_ok=True)
    else:
        part.unlink(missing_ok=True)


def damaged_cache_parts(cache_root: Path) -> list[Path]:
    """Every Parquet file under a cache folder whose footer does not read."""
    if not cache_root.is_dir():
        return []
    return [p for p in sorted(cache_root.rglob("*.parquet")) if not parquet_readable(p)]


def _write_atomic(frame: pl.DataFrame, folder: Path, prefix: str, part: str) -> None:
    write_parquet_atomic(frame, folder / f"{prefix}-{part}.parquet")


def _sink_atomic(frame: pl.LazyFrame, folder: Path, prefix: str, part: str) -> None:
    tmp = folder / f".{prefix}-{part}.tmp"
    frame.sink_parquet(tmp)
    os.replace(tmp, folder / f"{prefix}-{part}.parquet")


@dataclass(frozen=True)
class CachedRun:
    frame: pl.DataFrame
    computed: int
    reused: int
    # (article_id, kind, message) of documents whose work failed: not cached, so the next
    # build tries them again.
    failures: list[tuple[str, str, str]] = field(default_factory=list)


def cached_map(
    cache: StageCache,
    items: Iterable[tuple[str, T]],
    fn: Callable[[T], list[dict[str, Any]]],
    workers: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    prepare: Callable[[Any], T] | None = None,
    batched: bool = False,
) -> CachedRun:
    """Rows of `fn(payload)` for every (article_id, payload), computing only uncached ids.

    `fn` runs in worker processes and returns the result rows of one document. `items` is
    read once, lazily: given a generator, payloads of cached documents are dropped as soon as
    they are seen and the others are pulled only as workers take them, so a stage over 50k
    article texts never holds them all as Python strings (a list works too). With `prepare`,
    the items carry a cheap part of each payload and `prepare` completes it in this process,
    for uncached articles only. With `batched`, `fn` takes a list of payloads and returns
    the result rows of each (see `parallel.map_items`).
    """
    known = cache.known_ids()
    ids: list[str] = []
    # Ids handed to the workers and not yet answered; results come back in the same order.
    in_flight: deque[str] = deque()

    def todo() -> Iterator[T]:
        for aid, payload in items:
            ids.append(aid)
            if aid not in known:
                in_flight.append(aid)
                yield payload if prepare is None else prepare(payload)

    computed = 0
    batch_ids: list[str] = []
    batch_rows: list[dict[str, Any]] = []
    last_flush = time.monotonic()

    def flush() -> None:
        nonlocal batch_ids, batch_rows, last_flush
        if batch_ids:
            cache.put(batch_ids, pl.DataFrame(batch_rows, schema=cache.schema))
        batch_ids, batch_rows, last_flush = [], [], time.monotonic()

    failures: list[tuple[str, str, str]] = []
    chunks = map_items(fn, todo(), workers=workers, chunk_size=chunk_size, batched=batched)
    for chunk_rows in chunks:
        for rows in chunk_rows:
            aid = in_flight.popleft()
            if isinstance(rows, Failure):
                failures.append((aid, rows.kind, rows.message))
                continue
            batch_ids.append(aid)
            computed += 1
            batch_rows.extend(rows)
        if len(batch_ids) >= FLUSH_DOCUMENTS or time.monotonic() - last_flush >= FLUSH_SECONDS:
            flush()
    flush()
    cache.compact()
    frame = cache.rows_for(ids)
    return CachedRun(
        frame=frame,
        computed=computed,
        reused=len(ids) - computed - len(failures),
        failures=failures,
    )
