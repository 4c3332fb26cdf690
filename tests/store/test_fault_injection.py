"""Kill -9 during publishing: readers must always find a complete version and a working catalog.

The publishing process is real (`tests/store/fault_publish.py` runs
`newsfacts.store.publish.publish` on staged Parquet files of a few MB, so a publish takes long
enough to be hit at any step) and is killed with SIGKILL: no cleanup handler runs, exactly
like a power cut for the process.
For the random kills the driver forks each victim from a pre-imported "zygote", so a kill
costs a fork rather than a Python start-up; the last step is a real `newsfacts build`.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

from tests.helpers import REPO, copy_seeds
from tests.store.fault_publish import CRASH_POINTS, check_invariants, publish_once

DRIVER = REPO / "tests" / "store" / "fault_publish.py"
NEWSFACTS = Path(sys.executable).parent / "newsfacts"
KILLS = 20


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Staged tables like the pipeline leaves them; `articles` is ~6 MB of incompressible text
    so that copying, fsyncing and hashing it spans a window wide enough to be killed in."""
    folder = tmp_path_factory.mktemp("staged")
    rng = random.Random(20250829)
    n = 15_000
    pl.DataFrame(
        {
            "article_id": [f"{i:016x}" for i in range(n)],
            "text": [rng.randbytes(200).hex() for _ in range(n)],
        }
    ).write_parquet(folder / "articles.parquet", compression="uncompressed")
    pl.DataFrame(
        {"figure_id": [f"{i:016x}" for i in range(n)], "value": [rng.random() for _ in range(n)]}
    ).write_parquet(folder / "figures.parquet")
    pl.DataFrame(
        {"source_file": ["junk.bin"], "stage": ["documents"], "reason": ["binary content"]}
    ).write_parquet(folder / "rejects.parquet")
    return folder


def _driver(data_dir: Path, staged: Path, *args: str) -> list[str]:
    return [sys.executable, str(DRIVER), str(data_dir), str(staged), *args]


def _stderr(proc: subprocess.Popen[str]) -> str:
    if proc.poll() is None or proc.stderr is None:
        return "(still running)"
    return proc.stderr.read()


def _read_until(proc: subprocess.Popen[str], done: Callable[[list[str]], bool]) -> list[str]:
    assert proc.stdout is not None
    lines: list[str] = []
    while not done(lines):
        line = proc.stdout.readline()
        assert line, f"driver exited unexpectedly: {_stderr(proc)}"
        lines.append(line.strip())
    return lines


def _child(lines: list[str]) -> int:
    pids = [int(m.group(1)) for x in lines if (m := re.fullmatch(r"child (\d+)", x))]
    return pids[0] if pids else 0


def _landed(before: dict[str, Any], after: dict[str, Any]) -> str:
    """Which step a kill interrupted, judged from what readers see before and after."""
    if after["catalog"] != before["catalog"]:
        return "after the catalog swap"
    if after["latest"] != before["latest"]:
        return "between latest and catalog"
    if set(after["versions"]) - set(before["versions"]):
        return "between commit and latest"
    return "before commit"


def test_sigkill_at_random_moments_of_publishing_leaves_readers_on_a_complete_version(
    tmp_path: Path, staged: Path
) -> None:
    t0 = time.monotonic()
    data_dir = tmp_path / "data"
    publish_once(data_dir, staged, "0" * 64)
    # How long one publish takes in a fresh driver process, as the kills will see it.
    once = subprocess.run(
        _driver(data_dir, staged, "once", "--keep", "2"), capture_output=True, text=True
    )
    assert once.returncode == 0, once.stderr
    _, first, seconds = once.stdout.split()
    duration = float(seconds)
    before = check_invariants(data_dir)
    assert before["latest"] == first
    rng = random.Random(4242)
    # Stratified delays: one kill in each twentieth of 1.5 publishes (publish, retention and
    # the start of the next one), jittered by the seeded RNG.
    window = 1.5 * duration
    delays = [(i + rng.random()) * window / KILLS for i in range(KILLS)]
    rng.shuffle(delays)
    landed: Counter[str] = Counter()
    debris = 0
    zygote = subprocess.Popen(
        _driver(data_dir, staged, "zygote", "--keep", "2"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the zygote and its children
    )

    def kill_group() -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(zygote.pid, signal.SIGKILL)

    watchdog = threading.Timer(300, kill_group)  # a hung child must fail the test, not hang it
    watchdog.start()
    try:
        assert zygote.stdin is not None and zygote.stdout is not None
        assert zygote.stdout.readline().strip() == "zygote ready", _stderr(zygote)
        for delay in delays:
            zygote.stdin.write("go\n")
            zygote.stdin.flush()
            lines = _read_until(zygote, lambda seen: "ready" in seen and _child(seen) > 0)
            pid = _child(lines)
            time.sleep(delay)
            os.kill(pid, signal.SIGKILL)
            lines = _read_until(zygote, lambda seen: any(x.startswith("exit ") for x in seen))
            assert f"exit {pid} {-signal.SIGKILL}" in lines, (lines, _stderr(zygote))
            after = check_invariants(data_dir)
            landed[_landed(before, after)] += 1
            debris += bool(after["leftovers"])
            before = after
        zygote.stdin.close()
        assert zygote.wait(timeout=30) == 0, _stderr(zygote)
    finally:
        watchdog.cancel()
        kill_group()
        zygote.wait()
    print(
        f"\n{KILLS} kills in {time.monotonic() - t0:.1f}s (a publish takes {duration:.2f}s): "
        f"{dict(landed)}; {debris} left debris"
    )
    assert sum(landed.values()) == KILLS

    # The next real build cleans up after the killed ones and publishes (the seeds are
    # fewer rows than the synthetic versions: a shrink allowed on purpose).
    inbox = copy_seeds(tmp_path / "inbox")
    build = subprocess.run(
        [
            NEWSFACTS,
            "build",
            "--inbox",
            inbox,
            "--data-dir",
            data_dir,
            "--workers",
            "1",
            "--max-shrink",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    assert "published: version" in build.stdout
    state = check_invariants(data_dir)
    assert state["leftovers"] == []
    assert not list(data_dir.glob(".catalog-*"))
    assert not list((data_dir / "published").glob(".staging-*"))
    assert state["catalog"] == state["latest"]
    con = duckdb.connect(str(data_dir / "catalog.duckdb"), read_only=True)
    assert con.execute("select count(*) from articles").fetchone() == (5,)
    con.close()


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_sigkill_right_after_each_publish_step_then_a_rebuild_repairs_everything(
    tmp_path: Path, staged: Path, point: str
) -> None:
    data_dir = tmp_path / "data"
    publish_once(data_dir, staged, "a" * 64)
    _, old, _ = publish_once(data_dir, staged, "b" * 64)
    crashed = subprocess.run(
        _driver(data_dir, staged, "crash", point, "--fingerprint", "c" * 64, "--keep", "1"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    state = check_invariants(data_dir)
    new = [v for v in state["versions"] if v.endswith("-cccccccc")]
    if point == "staged":
        assert (state["latest"], state["catalog"], new) == (old, old, [])
        assert any(name.startswith(".staging-") for name in state["leftovers"])
    elif point == "committed":
        assert (state["latest"], state["catalog"]) == (old, old)
        assert len(new) == 1  # complete and visible, but not yet latest
    elif point in ("latest", "catalog-temp"):
        assert (state["latest"], state["catalog"]) == (new[0], old)
    else:  # retention: the new version is fully live, an old one was being deleted
        assert state["latest"] == state["catalog"] == new[0]

    # The same inputs again (what a rerun of the killed build sees).
    status, version, _ = publish_once(data_dir, staged, "c" * 64, keep=1)
    assert status == ("published" if point in ("staged", "committed") else "up_to_date")
    state = check_invariants(data_dir)
    assert state["latest"] == state["catalog"] == version
    assert state["versions"] == [version]
    assert state["leftovers"] == []
