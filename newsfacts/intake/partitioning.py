"""Which partition a document belongs to: its first-seen day and a hash shard of its content.

News arrives by the day, so the day a document first reached the data dir
(`newsfacts.intake.first_seen`) is the partition a day's run rebuilds; a large day is split
further into a fixed number of shards by the document's content hash. Both inputs are fixed
once a document is taken in (the ledger never moves a day, the bytes are the identity), so a
rebuild, a renamed file or a cleared cache never moves a document to another partition.

A key is written the way Dagster writes a two-dimensional partition key, dimensions in name
order: ``"<day>|<shard>"``, e.g. ``"2026-03-02|05"``. Nothing here imports Dagster.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import polars as pl

# Fixed for the life of a data dir: changing it would move documents between shards. Eight
# shards keep a 100k-document day at ~12k documents per partition, which one process holds
# comfortably, while a small day costs only eight small files.
SHARDS = 8
# The hash prefix read for the shard: 32 bits spread evenly over any small shard count.
_PREFIX = 8
KEY_SEPARATOR = "|"


@dataclass(frozen=True, order=True)
class DocumentPartition:
    """One (day, shard) partition; orders by day, then shard."""

    day: date
    shard: int

    @property
    def shard_label(self) -> str:
        return shard_label(self.shard)

    @property
    def key(self) -> str:
        return f"{self.day.isoformat()}{KEY_SEPARATOR}{self.shard_label}"


def shard_label(shard: int) -> str:
    """The shard as its partition dimension spells it: two digits, so keys sort as numbers."""
    return f"{shard:02d}"


def shard_labels(shards: int = SHARDS) -> list[str]:
    return [shard_label(i) for i in range(shards)]


def shard_of(content_sha256: str, shards: int = SHARDS) -> int:
    """The shard of a document: its content hash's leading 32 bits modulo ``shards``."""
    if len(content_sha256) < _PREFIX:
        raise ValueError(f"not a content hash: {content_sha256!r}")
    return int(content_sha256[:_PREFIX], 16) % shards


def partition_of(content_sha256: str, first_seen: date, shards: int = SHARDS) -> DocumentPartition:
    """The partition of a document, from its content hash and first-seen day alone."""
    return DocumentPartition(first_seen, shard_of(content_sha256, shards))


def parse_key(key: str) -> DocumentPartition:
    """A ``"<day>|<shard>"`` key back to its partition; anything else raises ValueError."""
    day, sep, shard = key.partition(KEY_SEPARATOR)
    if not sep or not shard.isdigit():
        raise ValueError(f"not a document partition key: {key!r}")
    return DocumentPartition(date.fromisoformat(day), int(shard))


def partition_keys(frame: pl.DataFrame, shards: int = SHARDS) -> pl.Series:
    """`partition_of(...).key` for every row of a documents-like frame (``content_sha256``,
    ``first_seen_at``), vectorised: what a corpus of any size is split by."""
    if frame.get_column("first_seen_at").null_count():
        raise ValueError("every document needs its first-seen day before it has a partition")
    shard = (
        pl.col("content_sha256").str.slice(0, _PREFIX).str.to_integer(base=16, dtype=pl.Int64)
        % shards
    )
    key = pl.concat_str(
        pl.col("first_seen_at").cast(pl.Date).dt.to_string("%Y-%m-%d"),
        pl.lit(KEY_SEPARATOR),
        shard.cast(pl.String).str.zfill(2),
    )
    return frame.select(key.alias("partition_key")).to_series()


@dataclass(frozen=True)
class PartitionSlice:
    """The part of the corpus a rebuild covers: one day, one day's shard, or every day since.

    Spelled on the command line as ``--partition DAY``, ``--partition DAY/SHARD`` or
    ``--since DAY``; no slice at all is the whole inbox.
    """

    day: date | None = None
    shard: int | None = None
    since: date | None = None

    @classmethod
    def parse(cls, partition: str | None = None, since: str | None = None) -> PartitionSlice:
        if partition and since:
            raise ValueError("give --partition or --since, not both")
        if since:
            return cls(since=date.fromisoformat(since))
        if not partition:
            return cls()
        day, sep, shard = partition.partition("/")
        if sep and not shard.isdigit():
            raise ValueError(
                f"--partition {partition!r}: the shard is a number, e.g. 2026-03-02/05"
            )
        return cls(day=date.fromisoformat(day), shard=int(shard) if sep else None)

    def covers(self, partition: DocumentPartition) -> bool:
        if self.since is not None:
            return partition.day >= self.since
        if self.day is not None and partition.day != self.day:
            return False
        return self.shard is None or partition.shard == self.shard

    def select(self, keys: Iterable[str]) -> list[str]:
        """The keys this slice covers, in partition order."""
        return [p.key for p in sorted({parse_key(k) for k in keys}) if self.covers(p)]
