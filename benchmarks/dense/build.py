"""`newsfacts build` on an inbox of one dense page, per page size: wall seconds, seconds per
MB, peak RSS of the process tree, and what the build held back.

Each build gets a fresh inbox and data dir and runs in its own session, so a build that
overruns ``--timeout`` is stopped with its whole process tree and reported as "> N s".
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.dense.page import dense_html, dense_text
from benchmarks.scale.process_tree import (
    MB,
    _drain,
    _rss_bytes,
    _stage_ends,
    _stage_times,
    _tree,
)

REPO = Path(__file__).resolve().parents[2]
SECTION = "<!-- dense page: written by benchmarks/dense_page.py, kept by run.py -->"
SECTION_END = "<!-- /dense page -->"
_HELD = re.compile(r"quarantined:.*|held back.*", re.IGNORECASE)


@dataclass
class DenseBuild:
    mb: float
    wall_s: float
    finished: bool
    returncode: int | None
    peak_rss_mb: float
    held: str
    steps: dict[str, float]


def _measure(cmd: list[str], env: dict[str, str], timeout: float, log: Path) -> DenseBuild:
    started = time.perf_counter()
    lines: list[tuple[float, str]] = []
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)  # fmt: skip
        assert proc.stdout is not None
        reader = threading.Thread(target=_drain, args=(proc.stdout, lines, started, out))
        reader.start()
        peak = 0
        while proc.poll() is None:
            peak = max(peak, sum(_rss_bytes(p) for p in _tree(proc.pid)))
            if time.perf_counter() - started > timeout:
                os.killpg(proc.pid, signal.SIGKILL)  # the build's own session
                proc.wait()
                break
            time.sleep(0.2)
        reader.join()
    wall = time.perf_counter() - started
    finished = wall <= timeout
    held = "; ".join(m.group().strip() for _, line in lines if (m := _HELD.search(line)))
    steps = _stage_times(_stage_ends(lines))
    return DenseBuild(0.0, wall, finished, proc.returncode if finished else None, peak / MB,
                      held, steps)  # fmt: skip


def _one(args: argparse.Namespace, mb: float, work: Path) -> DenseBuild:
    inbox, data = work / f"inbox-{mb:g}", work / f"data-{mb:g}"
    inbox.mkdir(parents=True, exist_ok=True)
    page = dense_html(int(mb * MB)) if args.html else dense_text(int(mb * MB))
    (inbox / ("dense.html" if args.html else "dense.txt")).write_text(page, encoding="utf-8")
    code = Path(args.code).resolve() if args.code else REPO
    env = {**os.environ, "PYTHONPATH": str(code)}
    env.update(dict(item.split("=", 1) for item in args.env))
    newsfacts = str(Path(sys.executable).parent / "newsfacts")
    cmd = [newsfacts, "build", "--inbox", str(inbox), "--data-dir", str(data)]
    result = _measure(cmd, env, args.timeout, work / f"build-{mb:g}.log")
    result.mb = len(page.encode()) / MB
    return result


def _table(label: str, results: list[DenseBuild], timeout: float) -> list[str]:
    lines = [
        "| code | page MB | wall s | s per MB | peak RSS tree MB | exit | held back |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        wall = f"{r.wall_s:.1f}" if r.finished else f"> {timeout:.0f}"
        per_mb = f"{r.wall_s / r.mb:.1f}" if r.finished else f"> {timeout / r.mb:.0f}"
        exit_code = "stopped" if not r.finished else str(r.returncode)
        lines.append(f"| {label} | {r.mb:.2f} | {wall} | {per_mb} | {r.peak_rss_mb:.0f} | "
                     f"{exit_code} | {r.held or '–'} |")  # fmt: skip
    return lines


def _steps(label: str, results: list[DenseBuild]) -> list[str]:
    """The steps over a second, per build: where the time of a big page goes."""
    out = []
    for r in results:
        slow = ", ".join(f"{name} {s:.1f}" for name, s in r.steps.items() if s >= 1.0)
        out.append(f"* {label}, {r.mb:.2f} MB: {slow or 'no step over 1 s'}")
    return out


def run_builds(args: argparse.Namespace) -> None:
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="dense-"))
    results = []
    for mb in args.mb:
        result = _one(args, mb, work)
        results.append(result)
        print("\n".join(_table(args.label, [result], args.timeout)[-1:]), flush=True)
    lines = _table(args.label, results, args.timeout)
    lines += ["", "Seconds per build step (steps over 1 s):", "", *_steps(args.label, results)]
    print("\n".join(lines))
    print(f"logs in {work}", file=sys.stderr)
    if args.markdown:
        stamp = datetime.now(UTC).date().isoformat()
        _append(Path(args.markdown), [f"{args.label}, {stamp}:", "", *lines, ""])


def _append(path: Path, lines: list[str]) -> None:
    """Add the table at the end of the dense-page section of the results file (made if
    missing), so earlier runs and their notes stay."""
    text = path.read_text(encoding="utf-8")
    if SECTION not in text:
        title = "## One quote-dense page, by size"
        text = text.rstrip("\n") + f"\n\n{SECTION}\n{title}\n{SECTION_END}\n"
    head, _, tail = text.partition(SECTION_END)
    path.write_text(head.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n" + SECTION_END + tail,
                    encoding="utf-8")  # fmt: skip
