"""The `build` job on the distributed profile: a PostgreSQL instance, the run queue and its
daemon, steps on two Celery workers, and inbox and data dir on an S3-compatible store.

Each worker has its own local mirror and nothing shared with the others but the store (and
the database), as on separate machines. What it publishes must equal a local build of the
same inbox, table by table.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import fsspec
import polars as pl
import pytest

from pipelines.definitions import BUILD_JOB
from pipelines.deployment import BROKER_URL_ENV, POSTGRES_URL_ENV, PROFILE_ENV
from pipelines.instance import write_instance_config
from tests.helpers import REPO, copy_seeds, materialize_all

BIN = Path(sys.executable).parent
BUCKET = "newsfacts-e2e"
REAL_PAGES = REPO / "tests" / "data" / "pages"
RUN_TIMEOUT = 240


def _inbox(folder: Path) -> Path:
    inbox = copy_seeds(folder)
    for page in REAL_PAGES.iterdir():
        shutil.copy(page, inbox / page.name)
    return inbox


def _tables(fs: fsspec.AbstractFileSystem, version_dir: str) -> dict[str, pl.DataFrame]:
    tables = {}
    for path in sorted(fs.glob(f"{version_dir}/*.parquet")):
        with fs.open(path, "rb") as handle:
            tables[Path(path).stem] = pl.read_parquet(handle)
    return tables


def _sorted(table: pl.DataFrame) -> pl.DataFrame:
    """Rows in a fixed order: steps on different workers may append parts in another one."""
    return table.sort(table.columns) if table.width else table


@pytest.fixture
def cluster(server_urls: dict[str, str], tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of the code location, with two workers serving its steps."""
    home = tmp_path / "dagster-home"
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DAGSTER_HOME": str(home),
        PROFILE_ENV: "distributed",
        POSTGRES_URL_ENV: server_urls["postgres"],
        BROKER_URL_ENV: server_urls["broker"],
        "AWS_ENDPOINT_URL": server_urls["s3"],
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "NEWSFACTS_INBOX": f"s3://{BUCKET}/{tmp_path.name}/inbox",
        "NEWSFACTS_DATA_DIR": f"s3://{BUCKET}/{tmp_path.name}/data",
        "NEWSFACTS_LOCAL_DIR": str(tmp_path / "run-mirror"),
        "NEWSFACTS_WORKERS": "1",
    }
    env.pop("NEWSFACTS_EXECUTOR", None)
    previous = dict(os.environ)
    os.environ.update(env)
    write_instance_config(home)
    workers = []
    try:
        for name in ("w1", "w2"):
            worker_env = {
                **env,
                "NEWSFACTS_LOCAL_DIR": str(tmp_path / f"{name}-mirror"),
                "XDG_CACHE_HOME": str(tmp_path / f"{name}-cache"),
            }
            command = [str(BIN / "celery"), "-A", "pipelines.celery_app", "worker"]
            options = ["-Q", "dagster", "-n", f"{name}@%h", "--pool", "solo", "-l", "WARNING"]
            log = (tmp_path / f"{name}.log").open("w")
            workers.append(
                subprocess.Popen(
                    [*command, *options, "--without-gossip", "--without-mingle"],
                    cwd=REPO,
                    env=worker_env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        yield env
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        os.environ.clear()
        os.environ.update(previous)


def test_distributed_build_publishes_what_a_local_build_publishes(
    cluster: dict[str, str], tmp_path: Path
) -> None:
    inbox = _inbox(tmp_path / "inbox")
    store = fsspec.filesystem("s3")
    store.mkdir(BUCKET, exist_ok=True)
    store.put(f"{inbox}/", cluster["NEWSFACTS_INBOX"] + "/", recursive=True)

    workspace = ["-w", str(REPO / "workspace.yaml")]
    launched = subprocess.run(
        [str(BIN / "dagster"), "job", "launch", *workspace, "-j", BUILD_JOB],
        cwd=REPO,
        env=cluster,
        capture_output=True,
        text=True,
    )
    assert launched.returncode == 0, launched.stdout[-3000:] + launched.stderr[-3000:]
    with dg.DagsterInstance.get() as instance:
        (queued,) = instance.get_runs()
        assert queued.status == dg.DagsterRunStatus.QUEUED  # the run queue holds it
        daemon_log = (tmp_path / "daemon.log").open("w")
        daemon = subprocess.Popen(
            [str(BIN / "dagster-daemon"), "run", *workspace],
            cwd=REPO,
            env=cluster,
            stdout=daemon_log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + RUN_TIMEOUT
            run = instance.get_run_by_id(queued.run_id)
            while run is not None and not run.is_finished and time.monotonic() < deadline:
                time.sleep(2)
                run = instance.get_run_by_id(queued.run_id)
        finally:
            daemon.terminate()
            daemon.wait(timeout=30)
        assert run is not None and run.status == dg.DagsterRunStatus.SUCCESS, (
            tmp_path / "daemon.log"
        ).read_text()[-3000:]
        hosts = {
            e.dagster_event.event_specific_data.metadata["Celery worker"].value
            for e in instance.all_logs(run.run_id)
            if e.dagster_event
            and e.dagster_event.event_type_value == "ENGINE_EVENT"
            and "Celery worker" in getattr(e.dagster_event.event_specific_data, "metadata", {})
        }
    assert {h.split("@")[0] for h in hosts} == {"w1", "w2"}  # both workers ran steps

    local = tmp_path / "local"
    assert materialize_all(inbox, local).success
    root = cluster["NEWSFACTS_DATA_DIR"].removeprefix("s3://")
    latest = store.cat_file(f"{root}/published/latest").decode().strip()
    distributed = _tables(store, f"{root}/published/{latest}")
    expected = _tables(fsspec.filesystem("file"), str((local / "published" / "latest").resolve()))
    assert sorted(distributed) == sorted(expected)
    assert expected["articles"].height == 6
    for table, frame in expected.items():
        assert _sorted(distributed[table]).equals(_sorted(frame)), table
