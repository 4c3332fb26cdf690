"""Partition files: a rewrite touches only what changed, and the partitions read back as one
table equal to the table written whole."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from newsfacts.intake.inbox import read_inbox
from newsfacts.intake.partitioning import partition_of
from newsfacts.runtime.files import sha256_file
from newsfacts.store.partition_files import (
    combine_partitions,
    partition_files,
    partition_path,
    scan_partitions,
    split_by_partition,
    staged_keys,
    write_partitions,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "articles"
DAYS = (date(2026, 3, 2), date(2026, 3, 3))


def _seed_lines() -> pl.DataFrame:
    """One row per line of each seed, keyed like a per-document table, with its partition."""
    docs, _ = read_inbox(SEEDS)
    rows = [
        {
            "article_id": d.article_id,
            "line": n,
            "text": line,
            "partition": partition_of(d.content_sha256, DAYS[i % 2]).key,
        }
        for i, d in enumerate(docs)
        for n, line in enumerate(Path(d.path).read_text(encoding=d.encoding).splitlines())
    ]
    return pl.DataFrame(rows).sort("article_id", "line")


def _stamps(paths: list[Path]) -> dict[Path, tuple[int, str]]:
    return {p: (p.stat().st_mtime_ns, sha256_file(p)) for p in paths}


def test_rewriting_one_partition_leaves_the_others_untouched(tmp_path: Path) -> None:
    table = _seed_lines()
    parts = split_by_partition(table.drop("partition"), table["partition"])
    assert len(parts) >= 3
    assert write_partitions(tmp_path, "lines", parts) == sorted(parts)
    before = _stamps(partition_files(tmp_path, "lines"))
    assert write_partitions(tmp_path, "lines", parts) == []  # same rows: nothing rewritten
    assert _stamps(partition_files(tmp_path, "lines")) == before

    key = sorted(parts)[1]
    edited = parts[key].with_columns(pl.col("text").str.to_uppercase())
    assert write_partitions(tmp_path, "lines", {key: edited}) == [key]
    after = _stamps(partition_files(tmp_path, "lines"))
    changed = {p for p in before if after[p] != before[p]}
    assert changed == {partition_path(tmp_path, "lines", key)}


def test_the_partitions_read_back_as_the_table_written_whole(tmp_path: Path) -> None:
    table = _seed_lines()
    parts = split_by_partition(table.drop("partition"), table["partition"])
    write_partitions(tmp_path, "lines", parts)
    assert staged_keys(tmp_path, "lines") == sorted(parts)
    whole = table.drop("partition")
    target = tmp_path / "lines.parquet"
    assert combine_partitions(tmp_path, "lines", target, ("article_id", "line")) == whole.height
    assert pl.read_parquet(target).equals(whole)
    # A corpus-wide question is answered from the scan without collecting the table.
    per_article = (
        scan_partitions(tmp_path, "lines").group_by("article_id").agg(pl.len()).sort("article_id")
    )
    assert per_article.collect().equals(
        whole.group_by("article_id").agg(pl.len()).sort("article_id")
    )


def test_a_partition_left_without_rows_is_emptied_not_kept(tmp_path: Path) -> None:
    table = _seed_lines()
    parts = split_by_partition(table.drop("partition"), table["partition"])
    write_partitions(tmp_path, "lines", parts)
    gone = sorted(parts)[0]
    rest = table.filter(pl.col("partition") != gone)
    again = split_by_partition(rest.drop("partition"), rest["partition"], expected=sorted(parts))
    assert again[gone].is_empty() and again[gone].schema == parts[gone].schema
    assert write_partitions(tmp_path, "lines", again) == [gone]
    assert pl.read_parquet(partition_path(tmp_path, "lines", gone)).is_empty()
    assert scan_partitions(tmp_path, "lines").collect().height == rest.height
