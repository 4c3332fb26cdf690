"""Deployment profiles chosen by environment: the local profile stays what `make run` uses,
the distributed one writes a PostgreSQL instance with a run queue and runs steps on Celery."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipelines.deployment import (
    BROKER_URL_ENV,
    POSTGRES_URL_ENV,
    PROFILE_ENV,
    distributed_problems,
    profile,
)
from pipelines.executors import EXECUTOR_ENV, run_executor
from pipelines.instance import instance_for


def test_local_profile_is_the_default_and_keeps_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PROFILE_ENV, raising=False)
    monkeypatch.delenv(EXECUTOR_ENV, raising=False)
    assert profile() == "local"
    assert run_executor().name == "in_process"
    instance_for(tmp_path / "data").dispose()
    config = yaml.safe_load((tmp_path / "data" / "dagster" / "dagster.yaml").read_text())
    assert "storage" not in config and "run_coordinator" not in config
    with pytest.raises(ValueError, match=PROFILE_ENV):
        profile({PROFILE_ENV: "cluster"})


def test_distributed_profile_names_postgres_the_run_queue_and_celery(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PROFILE_ENV, "distributed")
    monkeypatch.delenv(EXECUTOR_ENV, raising=False)
    assert run_executor().name == "celery"
    monkeypatch.setenv(EXECUTOR_ENV, "in_process")
    assert run_executor().name == "in_process"  # an explicit executor wins

    home = tmp_path / "data" / "dagster"
    home.mkdir(parents=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    monkeypatch.setenv(POSTGRES_URL_ENV, "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    with pytest.raises(Exception, match=r"(?i)connect"):  # no database there
        instance_for(tmp_path / "data")
    config = yaml.safe_load((home / "dagster.yaml").read_text())
    assert config["storage"]["postgres"]["postgres_url"] == {"env": POSTGRES_URL_ENV}
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert config["run_coordinator"]["config"]["max_concurrent_runs"] == 1


def test_distributed_profile_needs_servers_and_an_object_store() -> None:
    env = {PROFILE_ENV: "distributed", "NEWSFACTS_DATA_DIR": "data"}
    problems = distributed_problems(env)
    assert any(POSTGRES_URL_ENV in p for p in problems)
    assert any(BROKER_URL_ENV in p for p in problems)
    assert any("object-store URL" in p for p in problems)
    ready = {
        **env,
        POSTGRES_URL_ENV: "postgresql+psycopg2://db/dagster",
        BROKER_URL_ENV: "redis://broker:6379/0",
        "NEWSFACTS_DATA_DIR": "s3://lake/newsfacts",
    }
    assert distributed_problems(ready) == []
