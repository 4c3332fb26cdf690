"""A document's partition: a pure function of its bytes and first-seen day that never moves."""

from __future__ import annotations

import gzip
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from newsfacts.intake.first_seen import first_seen_dates, load_first_seen, save_first_seen
from newsfacts.intake.inbox import documents_frame, read_inbox
from newsfacts.intake.manifest import MANIFEST_SCHEMA
from newsfacts.intake.partitioning import (
    SHARDS,
    DocumentPartition,
    PartitionSlice,
    parse_key,
    partition_keys,
    partition_of,
    shard_of,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "articles"
MONDAY, TUESDAY = date(2026, 3, 2), date(2026, 3, 3)


def _keys(inbox: Path, ledger: Path, today: date) -> dict[str, str]:
    """source file → partition key, as an intake on ``today`` assigns them."""
    docs, _ = read_inbox(inbox)
    dates = first_seen_dates(load_first_seen(ledger), (d.content_sha256 for d in docs), today)
    save_first_seen(ledger, dates)
    frame = documents_frame(docs, pl.DataFrame(schema=MANIFEST_SCHEMA), dates)
    return dict(zip(frame["source_file"], partition_keys(frame), strict=True))


def test_a_rebuild_renamed_files_and_a_later_day_never_move_a_document(tmp_path: Path) -> None:
    inbox, ledger = tmp_path / "inbox", tmp_path / "state" / "first_seen.json"
    shutil.copytree(SEEDS, inbox)
    monday = _keys(inbox, ledger, MONDAY)
    assert {parse_key(k).day for k in monday.values()} == {MONDAY}
    first = sorted(inbox.iterdir())[0]
    first.rename(inbox / f"renamed_{first.name}")
    (inbox / "new.txt").write_text("A story that arrived on Tuesday, said the editor.\n")
    tuesday = _keys(inbox, ledger, TUESDAY)
    assert tuesday.pop(f"renamed_{first.name}") == monday.pop(first.name)
    assert tuesday.pop("new.txt").startswith("2026-03-03|")
    assert tuesday == monday


def test_the_vectorised_keys_are_the_per_document_function(corpora: Path, tmp_path: Path) -> None:
    for page in (corpora / "article-extraction-benchmark" / "html").glob("*.html.gz"):
        (tmp_path / page.name.removesuffix(".gz")).write_bytes(gzip.decompress(page.read_bytes()))
    docs, _ = read_inbox(tmp_path)
    assert len(docs) > 150
    days = {d.content_sha256: date(2026, 1, 1 + i % 28) for i, d in enumerate(docs)}
    frame = documents_frame(docs, pl.DataFrame(schema=MANIFEST_SCHEMA), days)
    expected = [partition_of(sha, days[sha]).key for sha in frame["content_sha256"]]
    assert partition_keys(frame).to_list() == expected
    # Real pages spread over every shard, none with more than twice its fair share.
    shards = Counter(shard_of(d.content_sha256) for d in docs)
    assert set(shards) == set(range(SHARDS))
    assert max(shards.values()) <= 2 * len(docs) / SHARDS


def test_a_document_without_a_first_seen_day_has_no_partition() -> None:
    frame = pl.DataFrame(
        {"content_sha256": ["ab" * 32], "first_seen_at": [None]},
        schema={"content_sha256": pl.String, "first_seen_at": pl.Date},
    )
    with pytest.raises(ValueError, match="first-seen"):
        partition_keys(frame)


def test_keys_are_dagster_style_and_round_trip() -> None:
    part = partition_of("0000000a" + "f" * 56, MONDAY)
    assert part == DocumentPartition(MONDAY, 10 % SHARDS)
    assert part.key == f"2026-03-02|{10 % SHARDS:02d}"
    assert parse_key(part.key) == part
    for bad in ("2026-03-02", "2026-03-02|x", "x|01"):
        with pytest.raises(ValueError):
            parse_key(bad)


def test_a_slice_selects_a_day_a_shard_or_every_day_since() -> None:
    keys = [DocumentPartition(day, s).key for day in (MONDAY, TUESDAY) for s in (0, 3)]
    assert PartitionSlice.parse().select(reversed(keys)) == keys
    assert PartitionSlice.parse("2026-03-03").select(keys) == ["2026-03-03|00", "2026-03-03|03"]
    assert PartitionSlice.parse("2026-03-02/3").select(keys) == ["2026-03-02|03"]
    assert PartitionSlice.parse(since="2026-03-03").select(keys) == keys[2:]
    with pytest.raises(ValueError):
        PartitionSlice.parse("2026-03-02", since="2026-03-02")
    with pytest.raises(ValueError):
        PartitionSlice.parse("2026-03-02/x")
