"""Measure one command as the whole process tree it becomes.

The build runs a pool of worker processes, so timing and memory have to be read across every
descendant, not just the process that was started; the step progress lines it prints are kept
with their arrival times so each Dagster step gets its own share of the time and memory.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[2]
SAMPLE_EVERY_S = 0.1
# PSS (smaps_rollup) costs the kernel ~5 ms a sample for a tree holding torch and GX: at every
# sample that is ~6% of a core taken from the measured run, more from the pipeline's tree
# than from the single-process baseline. It is read every second, and whenever the tree's
# RSS rises more than 1% above the highest RSS at which it was read, so peaks are still seen.
PSS_EVERY_SAMPLES = 10
PSS_NEW_HIGH = 1.01
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
MB = 1024 * 1024


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name is in parentheses and may itself contain spaces or parentheses.
        fields = stat[stat.rfind(b")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def _tree(root: int) -> list[int]:
    children = _children_map()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (not counting its children)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return 0.0
    fields = stat[stat.rfind(b")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _busy_cpu_seconds() -> float:
    """CPU time all processes of the machine have used since boot (idle and iowait excluded)."""
    with open("/proc/stat", "rb") as handle:
        fields = [int(v) for v in handle.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal (guest time is already in user)
    return (sum(fields[:8]) - fields[3] - fields[4]) / CLOCK_TICKS


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE_BYTES
    except (OSError, IndexError, ValueError):
        return 0


def _pss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


@dataclass
class Measurement:
    """One command's cost. `lines` are its stderr+stdout lines with their arrival time."""

    label: str
    documents: int
    wall_s: float = 0.0
    docs_per_s: float = 0.0
    peak_rss_tree_mb: float = 0.0
    peak_pss_tree_mb: float = 0.0
    peak_rss_max_process_mb: float = 0.0
    peak_processes: int = 0
    # RSS of each process at the peak, root first then its descendants (workers last).
    peak_rss_split_mb: list[int] = field(default_factory=list)
    cpu_s: float = 0.0
    other_cpu_s: float = 0.0
    returncode: int = 0
    stdout_tail: str = ""
    stages: dict[str, float] = field(default_factory=dict)
    stage_peak_rss_mb: dict[str, int] = field(default_factory=dict)
    lines: list[tuple[float, str]] = field(default_factory=list, repr=False)

    def summary(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("lines")
        return data


def _drain(
    stream: IO[bytes], sink: list[tuple[float, str]], started: float, log: IO[str] | None
) -> None:
    """Collect lines with their arrival time, and echo them to the log as they come, so a
    long run can be followed (`tail -f`)."""
    for raw in iter(stream.readline, b""):
        at, line = time.perf_counter() - started, raw.decode("utf-8", "replace").rstrip()
        sink.append((at, line))
        if log is not None:
            log.write(f"{at:9.2f}  {line}\n")
            log.flush()


_STEP_LINE = re.compile(r"^\s*\[\s*(ok|FAILED|skipped)\]\s+(\S+)")


def _stage_ends(lines: list[tuple[float, str]]) -> list[tuple[str, float]]:
    """(Dagster step, time its progress line arrived), in order.

    Steps run one after another in process, so a step spans from the previous step's end to
    its own; the first step also carries Python and Dagster start-up.
    """
    ends = [(m.group(2), at) for at, line in lines if (m := _STEP_LINE.match(line))]
    if lines:
        ends.append(("(after last step)", lines[-1][0]))
    return ends


def _stage_times(ends: list[tuple[str, float]]) -> dict[str, float]:
    starts = [0.0] + [at for _, at in ends]
    return {name: round(at - start, 2) for (name, at), start in zip(ends, starts, strict=False)}


def _stage_peaks(ends: list[tuple[str, float]], samples: list[tuple[float, int]]) -> dict[str, int]:
    """Peak tree RSS (MB) while each step ran: says which step to look at when memory grows."""
    peaks: dict[str, int] = {}
    for at, rss in samples:
        name = next((name for name, end in ends if at <= end), "(after last step)")
        peaks[name] = max(peaks.get(name, 0), round(rss / MB))
    return peaks


def measure(
    label: str,
    cmd: list[str],
    documents: int,
    log: Path | None = None,
    code: Path = REPO,
) -> Measurement:
    """Run `cmd` on the code in `code`, sampling its whole process tree until it exits."""
    result = Measurement(label=label, documents=documents)
    env = {**os.environ, "PYTHONPATH": str(code)}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=code, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    out_lines: list[tuple[float, str]] = []
    err_lines: list[tuple[float, str]] = []
    log_file = log.open("w") if log is not None else None
    readers = [
        threading.Thread(target=_drain, args=(stream, lines, started, log_file), daemon=True)
        for stream, lines in ((proc.stdout, out_lines), (proc.stderr, err_lines))
    ]
    for reader in readers:
        reader.start()
    peak_rss = peak_pss = peak_procs = pss_read_at = 0
    peak_split: list[int] = []
    samples: list[tuple[float, int]] = []
    cpu_by_pid: dict[int, float] = {}
    busy_before = _busy_cpu_seconds()
    while True:
        # wait4 rather than Popen.wait: it also returns the child's resource usage.
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            break
        tree = _tree(proc.pid)
        peak_procs = max(peak_procs, len(tree))
        for p in tree:
            cpu_by_pid[p] = max(cpu_by_pid.get(p, 0.0), _cpu_seconds(p))
        rss = {p: _rss_bytes(p) for p in tree}
        total = sum(rss.values())
        samples.append((time.perf_counter() - started, total))
        if total > peak_rss:
            peak_rss = total
            peak_split = [round(rss[p] / MB) for p in tree]
        if len(samples) % PSS_EVERY_SAMPLES == 1 or total > pss_read_at * PSS_NEW_HIGH:
            peak_pss = max(peak_pss, sum(_pss_bytes(p) for p in tree))
            pss_read_at = max(pss_read_at, total)
        time.sleep(SAMPLE_EVERY_S)
    result.wall_s = round(time.perf_counter() - started, 2)
    busy = _busy_cpu_seconds() - busy_before
    # Sampled, so each process misses at most its last interval (wait4's figure for the root
    # would also count reaped children, which are sampled already).
    result.cpu_s = round(sum(cpu_by_pid.values()), 1)
    # The machine is shared: CPU that other processes used meanwhile is time stolen from us.
    result.other_cpu_s = round(max(0.0, busy - result.cpu_s), 1)
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    result.returncode = proc.returncode
    result.docs_per_s = round(documents / result.wall_s, 1)
    result.peak_rss_tree_mb = round(peak_rss / MB, 1)
    result.peak_pss_tree_mb = round(peak_pss / MB, 1)
    # ru_maxrss is in KiB on Linux; for wait4 it is the largest single process of the tree.
    result.peak_rss_max_process_mb = round(usage.ru_maxrss / 1024, 1)
    result.peak_processes = peak_procs
    result.peak_rss_split_mb = peak_split
    result.lines = sorted(out_lines + err_lines)
    ends = _stage_ends(err_lines)
    result.stages = _stage_times(ends)
    result.stage_peak_rss_mb = _stage_peaks(ends, samples)
    result.stdout_tail = "\n".join(line for _, line in out_lines[-12:])
    if log_file is not None:
        log_file.close()
    return result
