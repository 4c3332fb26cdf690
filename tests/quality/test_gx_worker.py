"""Validation in the Great Expectations worker process gives the report inline validation
gives, and Data Docs render there from the stored results."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

from newsfacts.intake.schemas import REJECTS_SCHEMA
from newsfacts.quality.data_docs import render_data_docs, store_gx_result
from newsfacts.quality.reports import ValidationReport
from newsfacts.quality.suites import validate_staged
from newsfacts.runtime import gx_worker


def _outcomes(report: ValidationReport) -> list[tuple[str, str | None, bool, int | None]]:
    return [(r.expectation_type, r.column, r.success, r.unexpected_count) for r in report.results]


def test_worker_validates_like_the_caller_and_renders_docs(tmp_path: Path) -> None:
    staged = tmp_path / "rejects.parquet"
    rows = [
        {"source_file": "a.html", "stage": "documents", "reason": "empty file (0 bytes)"},
        # Negative size: a blocking failure that must come back from the worker too.
        {"source_file": "b.html", "stage": "articles", "reason": "no text", "size_bytes": -1},
    ]
    pl.DataFrame(rows, schema=REJECTS_SCHEMA).write_parquet(staged)
    inline = validate_staged("rejects", staged, {})

    gx_worker.start()
    try:
        worker_pid = gx_worker.call(os.getpid)
        remote = gx_worker.call(validate_staged, "rejects", staged, {})
        store_gx_result(remote, tmp_path / "rejects.gx.json")
        index = gx_worker.call(
            render_data_docs, [("rejects", tmp_path / "rejects.gx.json")], tmp_path / "docs"
        )
    finally:
        gx_worker.stop()

    assert worker_pid != os.getpid()
    assert not inline.success and not remote.success
    assert _outcomes(remote) == _outcomes(inline)
    assert ("expect_column_values_to_be_between", "size_bytes", False, 1) in _outcomes(remote)
    assert remote.gx_result["success"] is False
    assert index.is_file()
    assert "Failed" in index.read_text()
    # Stopped: calls run in this process again.
    assert gx_worker.call(os.getpid) == os.getpid()


def _counted_read(log: Path, data: Path) -> str:
    with log.open("a") as calls:
        calls.write("call\n")
    return data.read_text()


def _calls(log: Path) -> int:
    return log.read_text().count("call")


def test_prefetched_result_is_taken_only_while_its_files_are_unchanged(tmp_path: Path) -> None:
    log, data = tmp_path / "calls.log", tmp_path / "data.txt"
    data.write_text("first")
    gx_worker.start()
    try:
        gx_worker.prefetch(_counted_read, log, data)
        assert gx_worker.call(_counted_read, log, data) == "first"
        assert _calls(log) == 1  # the call took the prefetched result

        gx_worker.prefetch(_counted_read, log, data)
        replacement = tmp_path / "replacement.txt"
        replacement.write_text("second")
        os.replace(replacement, data)
        assert gx_worker.call(_counted_read, log, data) == "second"
        assert _calls(log) == 3  # the prefetch ran on the old file; the call ran again
    finally:
        gx_worker.stop()

    gx_worker.prefetch(_counted_read, log, data)  # no worker: nothing runs until called
    assert _calls(log) == 3


def test_a_worker_that_cannot_start_fails_the_first_call_not_a_prefetch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_processes(_fn: object) -> object:
        raise OSError("no more processes")

    monkeypatch.setattr(gx_worker, "forkserver_context", no_processes)
    log, data = tmp_path / "calls.log", tmp_path / "data.txt"
    data.write_text("inline")
    gx_worker.start()
    try:
        gx_worker.prefetch(_counted_read, log, data)  # nothing to queue on, nothing raised
        with pytest.raises(RuntimeError, match="did not start") as raised:
            gx_worker.call(_counted_read, log, data)
        assert "no more processes" in str(raised.value.__cause__)
        assert gx_worker.call(_counted_read, log, data) == "inline"  # then runs in-process
    finally:
        gx_worker.stop()
    assert _calls(log) == 1
