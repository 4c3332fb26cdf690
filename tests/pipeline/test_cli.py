from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from assets.quality import CHECK_CONTEXT
from newsfacts.quality.suites import load_suite
from pipelines.cli import main
from pipelines.instance import instance_config, instance_for
from pipelines.storage import PooledSqliteEventLogStorage
from tests.helpers import copy_seeds

REPO = Path(__file__).resolve().parents[2]


def test_cli_build_prints_a_summary_and_records_the_run(tmp_path: Path, capsys) -> None:
    inbox = copy_seeds(tmp_path / "inbox")
    data_dir = tmp_path / "data"
    assert main(["build", "--inbox", str(inbox), "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "published: version" in out
    assert "articles                5 rows" in out
    assert str(data_dir / "catalog.duckdb") in out
    assert (data_dir / "dagster" / "dagster.yaml").read_text().count("enabled: false") == 1
    assert main(["build", "--inbox", str(inbox), "--data-dir", str(data_dir)]) == 0
    assert "up to date" in capsys.readouterr().out

    # Both runs are in the instance, written through the pooled event log, in Dagster's own
    # files: the stock SQLite event log reads every check result back.
    instance = instance_for(data_dir)
    assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
    runs = instance.get_runs()
    assert len(runs) == 2 and all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs)
    expectations = sum(len(load_suite(t)["expectations"]) for t in CHECK_CONTEXT)
    stock = SqliteEventLogStorage(str(data_dir / "dagster" / "history" / "runs"))
    for run in runs:
        events = [e for e in stock.get_logs_for_run(run.run_id) if e.dagster_event]
        checks = [e for e in events if e.dagster_event_type == "ASSET_CHECK_EVALUATION"]
        assert len(checks) == expectations


def test_an_earlier_instance_config_is_upgraded_in_place(tmp_path: Path) -> None:
    home = tmp_path / "data" / "dagster"
    home.mkdir(parents=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    instance = instance_for(tmp_path / "data")
    assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
    assert (home / "dagster.yaml").read_text() == instance_config(home.resolve())
    # A config someone edited is left alone.
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: true\n")
    instance_for(tmp_path / "data")
    assert (home / "dagster.yaml").read_text() == "telemetry:\n  enabled: true\n"


def test_a_copied_data_dir_keeps_its_run_events_in_its_own_folder(tmp_path: Path) -> None:
    instance_for(tmp_path / "data").dispose()
    shutil.copytree(tmp_path / "data", tmp_path / "copy")
    instance = instance_for(tmp_path / "copy")
    home = (tmp_path / "copy" / "dagster").resolve()
    assert (home / "dagster.yaml").read_text() == instance_config(home)
    run = instance.create_run_for_job(dg.GraphDefinition("noop").to_job())
    instance.report_engine_event("written where?", run)
    instance.dispose()
    assert (home / "history" / "runs" / f"{run.run_id}.db").is_file()
    original = (tmp_path / "data" / "dagster").resolve()
    assert not (original / "history" / "runs" / f"{run.run_id}.db").exists()
    assert (original / "dagster.yaml").read_text() == instance_config(original)


def test_console_script_fails_clearly_on_a_missing_inbox(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "newsfacts"
    proc = subprocess.run(
        [str(exe), "build", "--inbox", str(tmp_path / "nope"), "--data-dir", str(tmp_path / "d")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        cwd=REPO,
        timeout=300,
    )
    assert proc.returncode == 2
    assert "is not a folder" in proc.stderr


def test_summary_query_runs(tmp_path: Path) -> None:
    inbox = copy_seeds(tmp_path / "inbox")
    data_dir = tmp_path / "data"
    assert main(["build", "--inbox", str(inbox), "--data-dir", str(data_dir)]) == 0
    con = duckdb.connect(str(data_dir / "catalog.duckdb"), read_only=True)
    rows = con.execute("select outlet, word_count from articles").fetchall()
    assert len(rows) == 5
    assert all(count > 300 for _outlet, count in rows)
