"""Two `newsfacts build` processes on one data dir: one waits (or, with --no-wait, gives up
with exit code 3) and no version is ever corrupted.

The builds are real console-script processes. To make the overlap certain rather than likely,
the first build is frozen (SIGSTOP) once it holds the data-dir lock, and only resumed when the
second one has met the lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from tests.helpers import copy_seeds
from tests.store.fault_publish import check_invariants

NEWSFACTS = Path(sys.executable).parent / "newsfacts"
TIMEOUT = 600

pytestmark = pytest.mark.skipif(
    not Path("/proc/locks").exists(), reason="needs Linux /proc/locks to see a waiting build"
)


def _start(inbox: Path, data_dir: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [NEWSFACTS, "build", "--inbox", inbox, "--data-dir", data_dir, "--workers", "1", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(condition: Callable[[], bool], what: str, *procs: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        for proc in procs:
            if proc.poll() is not None:
                out, err = proc.communicate()
                pytest.fail(f"build exited ({proc.returncode}) before {what}:\n{out}\n{err}")
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _lock_held(data_dir: Path) -> bool:
    lock = data_dir / ".lock"
    if not lock.exists():
        return False
    with lock.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def _waiting_on_lock(pid: int, data_dir: Path) -> bool:
    """True when process `pid` is blocked in flock() on the data-dir lock (a "->" waiter)."""
    inode = (data_dir / ".lock").stat().st_ino
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "->" in fields and "FLOCK" in fields:
            at = fields.index("FLOCK")
            if fields[at + 3] == str(pid) and fields[at + 4].endswith(f":{inode}"):
                return True
    return False


@contextlib.contextmanager
def _frozen(proc: subprocess.Popen[str]) -> Iterator[None]:
    os.kill(proc.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(proc.pid, signal.SIGCONT)


def _finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, out, err


def _assert_sound(data_dir: Path) -> dict[str, object]:
    state = check_invariants(data_dir)
    assert state["catalog"] == state["latest"]
    assert state["leftovers"] == []
    con = duckdb.connect(str(data_dir / "catalog.duckdb"), read_only=True)
    assert con.execute("select count(*) from articles").fetchone() == (5,)
    con.close()
    return state


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    return copy_seeds(tmp_path / "inbox")


def test_while_one_build_runs_a_second_waits_and_a_no_wait_one_exits_3(
    inbox: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    first = _start(inbox, data_dir)
    second: subprocess.Popen[str] | None = None
    try:
        _wait_for(lambda: _lock_held(data_dir), "the first build holds the lock", first)
        with _frozen(first):
            impatient = subprocess.run(
                [NEWSFACTS, "build", "--inbox", inbox, "--data-dir", data_dir, "--no-wait"],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
            )
            second = _start(inbox, data_dir)
            _wait_for(
                lambda: _waiting_on_lock(second.pid, data_dir),  # type: ignore[union-attr]
                "the second build waits on the lock",
                second,
            )
        code1, out1, err1 = _finish(first)
        code2, out2, err2 = _finish(second)
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
    assert impatient.returncode == 3, impatient.stdout + impatient.stderr
    assert "another newsfacts build is running" in impatient.stderr
    assert str(data_dir.resolve()) in impatient.stderr
    assert "published" not in impatient.stdout
    assert code1 == 0, out1 + err1
    assert "published: version" in out1
    assert code2 == 0, out2 + err2
    # The second ran after the first had published: nothing changed, unless the code under
    # test was edited in between (then it rightly publishes a new version).
    assert "up to date — no new version" in out2 or "published: version" in out2
    state = _assert_sound(data_dir)
    assert len(state["versions"]) == (1 if "up to date" in out2 else 2)  # type: ignore[arg-type]


def test_two_builds_started_at_the_same_instant_on_a_fresh_data_dir(
    inbox: Path, tmp_path: Path
) -> None:
    """No staging: both initialise the data dir (and its Dagster instance) at the same time."""
    data_dir = tmp_path / "data"
    procs = [_start(inbox, data_dir), _start(inbox, data_dir)]
    results = [_finish(proc) for proc in procs]
    for code, out, err in results:
        assert code == 0, out + err
    outs = sorted(out for _, out, _ in results)
    assert any("published: version" in out for out in outs)
    _assert_sound(data_dir)
