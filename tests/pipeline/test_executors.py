"""Runs launched outside the CLI: both the `build` job and "Materialize all" (the implicit asset
job) use one executor, and a real launched run of the build job with each step forked from a
warm server publishes the same tables as the CLI's in-process build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import BUILD_JOB, build_definitions
from pipelines.executors import EXECUTOR_ENV, run_executor
from pipelines.instance import instance_config
from tests.helpers import REPO, copy_seeds, materialize_all


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


def test_a_launched_build_publishes_what_the_cli_publishes(tmp_path: Path) -> None:
    """Launched as the daemon or the UI's run launcher does: a new process runs the job of the
    code location, and forks every step from its own warm server."""
    inbox = copy_seeds(tmp_path / "inbox")
    assert materialize_all(inbox, tmp_path / "in_process").success
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text(instance_config(home))
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "NEWSFACTS_INBOX": str(inbox),
        "NEWSFACTS_DATA_DIR": str(tmp_path / "launched"),
        "NEWSFACTS_WORKERS": "1",
        EXECUTOR_ENV: "multiprocess",
    }
    dagster = Path(sys.executable).parent / "dagster"
    command = [str(dagster), "job", "execute", "-m", "pipelines.definitions", "-a", "defs"]
    done = subprocess.run(
        [*command, "-j", BUILD_JOB], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with dg.DagsterInstance.from_config(str(home)) as instance:
        (run,) = instance.get_runs()
        assert run.status == dg.DagsterRunStatus.SUCCESS
        pids = {
            e.dagster_event.pid
            for e in instance.all_logs(run.run_id)
            if e.dagster_event and e.dagster_event.event_type_value == "STEP_START"
        }
    assert len(pids) > 1  # each step in a process of its own
    assert _counts(tmp_path / "launched") == _counts(tmp_path / "in_process")
