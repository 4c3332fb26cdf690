from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from pipelines.cli import main
from tests.helpers import copy_seeds

REPO = Path(__file__).resolve().parents[1]


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
