"""Runs launched outside the CLI: both the `build` job and "Materialize all" (the implicit asset
job) use one executor, and a real launched run of the build job with each step forked from a
warm server publishes the same tables as the CLI's in-process build."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import BUILD_JOB, build_definitions
from pipelines.executors import EXECUTOR_ENV, run_executor
from tests.helpers import copy_seeds, materialize_all


def _build_job() -> dg.JobDefinition:
    """The build job as the code server loads it (settings from NEWSFACTS_* variables)."""
    return build_definitions().resolve_job_def(BUILD_JOB)


def _counts(data_dir: Path) -> dict[str, int]:
    with duckdb.connect(str(data_dir / "catalog.duckdb"), read_only=True) as con:
        query = "select view_name from duckdb_views() where not internal"
        views = [r[0] for r in con.execute(query).fetchall()]
        return {v: con.execute(f"select count(*) from {v}").fetchall()[0][0] for v in views}


@pytest.mark.parametrize(
    ("kind", "name"), [(None, "in_process"), ("multiprocess", "multiprocess_forkserver")]
)
def test_build_job_and_materialize_all_share_one_executor(
    kind: str | None, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if kind:
        monkeypatch.setenv(EXECUTOR_ENV, kind)
    else:
        monkeypatch.delenv(EXECUTOR_ENV, raising=False)
    defs = build_definitions()
    build = defs.resolve_job_def(BUILD_JOB)
    implicit = defs.resolve_implicit_global_asset_job_def()
    assert build.executor_def is implicit.executor_def
    assert build.executor_def.name == name
    with pytest.raises(ValueError, match=EXECUTOR_ENV):
        run_executor("threads")


def test_a_launched_build_publishes_what_the_cli_publishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = copy_seeds(tmp_path / "inbox")
    assert materialize_all(inbox, tmp_path / "in_process").success
    monkeypatch.setenv("NEWSFACTS_INBOX", str(inbox))
    monkeypatch.setenv("NEWSFACTS_DATA_DIR", str(tmp_path / "launched"))
    monkeypatch.setenv("NEWSFACTS_WORKERS", "1")
    monkeypatch.setenv(EXECUTOR_ENV, "multiprocess")
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    (tmp_path / "home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "home")) as instance:
        result = dg.execute_job(dg.reconstructable(_build_job), instance=instance)
        assert result.success
        pids = {
            e.dagster_event.pid
            for e in instance.all_logs(result.run_id)
            if e.dagster_event and e.dagster_event.event_type_value == "STEP_START"
        }
    assert len(pids) > 1 and os.getpid() not in pids  # steps ran in their own processes
    assert _counts(tmp_path / "launched") == _counts(tmp_path / "in_process")
