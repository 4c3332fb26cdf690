"""One document whose work raises or runs away fails alone: the stage's other documents are
computed and cached, the failed one is reported with its reason and tried again next time."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from newsfacts.runtime.guard import Failure, guarded_batch
from newsfacts.runtime.stage_cache import StageCache, cached_map

SCHEMA: dict[str, pl.DataType] = {"article_id": pl.String(), "n": pl.Int64()}


def rows_of(item: tuple[str, int]) -> list[dict[str, Any]]:
    aid, n = item
    if n == 13:
        raise ValueError(f"cannot read {aid}")
    if n == 7:
        while True:  # a per-document step that never ends
            time.sleep(0.01)
    return [{"article_id": aid, "n": n}]


def batch_rows(items: list[tuple[str, int]]) -> list[list[dict[str, Any]]]:
    return [rows_of(item) for item in items]


@pytest.mark.parametrize("count", [20, 80])  # inline, and the worker pool
def test_a_raising_document_fails_alone_and_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    items = [(f"a{i:03d}", (f"a{i:03d}", i)) for i in range(count) if i != 7]
    cache = StageCache(tmp_path, "test", "k", SCHEMA)
    run = cached_map(cache, items, rows_of, workers=2)
    assert [(aid, kind) for aid, kind, _ in run.failures] == [("a013", "raised")]
    assert "ValueError: cannot read a013" in run.failures[0][2]
    assert sorted(run.frame["n"].to_list()) == [n for _, (_, n) in items if n != 13]
    again = cached_map(cache, items, rows_of, workers=2)
    assert again.computed == 0 and again.reused == len(items) - 1
    assert [aid for aid, _, _ in again.failures] == ["a013"]  # not cached: tried again


def test_a_runaway_document_is_stopped_at_its_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSFACTS_DOCUMENT_SECONDS", "0.5")
    items = [(f"a{i:03d}", (f"a{i:03d}", i)) for i in range(10)]
    started = time.monotonic()
    run = cached_map(StageCache(tmp_path, "test", "k", SCHEMA), items, rows_of, workers=1)
    assert time.monotonic() - started < 30
    assert {(aid, kind) for aid, kind, _ in run.failures} == {("a007", "timeout")}
    assert run.frame.height == 9


def test_a_failing_batch_is_retried_one_document_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    batch = [("a", 1), ("b", 13), ("c", 3)]
    results = guarded_batch(batch_rows, batch, 5.0)
    assert results[0] == [{"article_id": "a", "n": 1}]
    assert isinstance(results[1], Failure) and results[1].kind == "raised"
    assert results[2] == [{"article_id": "c", "n": 3}]
