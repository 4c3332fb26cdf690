"""How does a full build scale, and does the cache make a rebuild cheap?

For each corpus size N, on one generated corpus (see `make_corpus.py`), three measurements, each
in its own fresh subprocess so that start-up, imports and memory count the same way:

* baseline: a bare single-process loop of `trafilatura.extract(html)` (default settings) over
  the files: what extraction alone costs without the pipeline;
* build: `newsfacts build` end to end into a fresh data dir;
* rebuild: the same build after one more document lands in the inbox (same data dir).

Peak memory is sampled every 100 ms over the whole process tree (the build's worker pool is
several processes, so one process's peak would flatter it): the summed RSS, which counts pages
shared between workers once per process, and the summed PSS, which splits them fairly (read
less often: it is costly to read). The largest single process (from `wait4`) is recorded too.

    python benchmarks/run.py --n 1000 --n 10000 [--workdir DIR] [--workers N]

Results for every N ever run are merged into the JSON file by N (a new run replaces the entry
for its N only), and the Markdown table is rewritten from the merged results.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.make_corpus import (
    DEFAULT_CORPORA,
    document_path,
    load_sources,
    make_corpus,
    write_documents,
)

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
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

# Targets on the reference machine (2 cores), at 10k documents.
TARGET_BUILD_OVER_BASELINE = 0.7
TARGET_REBUILD_OVER_BUILD = 0.05
TARGET_PEAK_RSS_MB = 1536
STEPS = ("baseline", "build", "rebuild")
TARGET_N = 10_000  # the targets are set at this corpus size; other sizes are reported only
WORKING_TREE = "working tree"


# --- measuring a process tree ----------------------------------------------------------------


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


# --- a frozen copy of the code -----------------------------------------------------------


SNAPSHOT_SKIP = (
    ".venv",
    ".git",
    "data",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "*.egg-info",
)


def snapshot_code(dest: Path) -> Path:
    """Copy the working tree, so that build and rebuild run the very same code.

    The tree is edited while benchmarks run, and the stage caches are keyed by a hash of the
    code: an edit landing between the build and the rebuild would make the rebuild recompute
    everything and measure nothing. The copy comes first on PYTHONPATH, ahead of the editable
    install, so the console script, its workers and the code hash all see the copy.
    """
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(REPO, dest, ignore=shutil.ignore_patterns(*SNAPSHOT_SKIP), symlinks=True)
    return dest


def code_version(code: Path) -> str:
    """The pipeline's own code hash of the copy (its cache key), to tie results to code."""
    probe = "from newsfacts.runtime.provenance import code_version; print(code_version())"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=code,
        env={**os.environ, "PYTHONPATH": str(code)},
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() or "unknown"


# --- the baseline, run in its own process ----------------------------------------------------


def inbox_files(inbox: Path) -> list[Path]:
    """The files the build reads: the same walk and order as `newsfacts.intake.inbox.iter_inbox`."""
    root = inbox.resolve()
    return [
        path
        for path in sorted(root.rglob("*"))
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(root).parts)
    ]


def baseline_worker(inbox: Path) -> int:
    """The reference: what one process running plain trafilatura over the files costs."""
    import trafilatura

    files = inbox_files(inbox)
    with_text = sum(1 for path in files if trafilatura.extract(path.read_bytes()))
    print(json.dumps({"documents": len(files), "with_text": with_text}))
    return 0


# --- one corpus size -------------------------------------------------------------------------


def _newsfacts() -> str:
    script = VENV_BIN / "newsfacts"
    if not script.exists():
        raise SystemExit(f"{script} not found: install the project (make install) first")
    return str(script)


def _build_cmd(inbox: Path, data_dir: Path, workers: int | None) -> list[str]:
    cmd = [_newsfacts(), "build", "--inbox", str(inbox), "--data-dir", str(data_dir)]
    return [*cmd, "--workers", str(workers)] if workers else cmd


def _check(step: Measurement) -> None:
    if step.returncode != 0:
        tail = "\n".join(line for _, line in step.lines[-30:])
        raise SystemExit(f"{step.label} failed with exit code {step.returncode}:\n{tail}")


def _report_line(step: Measurement) -> str:
    return (
        f"  {step.label:<8} {step.wall_s:>9.1f} s {step.docs_per_s:>9.1f} docs/s  "
        f"peak RSS tree {step.peak_rss_tree_mb:>7.0f} MB (PSS {step.peak_pss_tree_mb:.0f}, "
        f"largest process {step.peak_rss_max_process_mb:.0f}, {step.peak_processes} procs)"
    )


@dataclass(frozen=True)
class Setup:
    """What every corpus size of one invocation shares."""

    corpora: Path
    workdir: Path
    workers: int | None
    skip_baseline: bool
    code: Path
    variant: str
    # Taken when the code was copied: HEAD moves while a long series runs.
    commit: str
    code_version: str


def run_size(n: int, setup: Setup) -> dict[str, Any]:
    corpora, workers, code = setup.corpora, setup.workers, setup.code
    inbox = setup.workdir / f"corpus-{n}"
    slug = re.sub(r"\W+", "-", setup.variant).strip("-")
    data_dir = setup.workdir / f"data-{slug}-{n}"
    logs = setup.workdir / "logs" / slug
    logs.mkdir(parents=True, exist_ok=True)
    print(f"\n== N = {n}: corpus {inbox}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    made = make_corpus(inbox, n, corpora)
    print(
        f"  corpus {'written' if made else 'reused'} in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
        flush=True,
    )

    steps: dict[str, Measurement] = {}
    if not setup.skip_baseline:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--baseline-worker", str(inbox)]
        steps["baseline"] = measure("baseline", cmd, n, logs / f"baseline-{n}.log")
        _check(steps["baseline"])
        print(_report_line(steps["baseline"]), file=sys.stderr, flush=True)

    shutil.rmtree(data_dir, ignore_errors=True)
    build_cmd = _build_cmd(inbox, data_dir, workers)
    steps["build"] = measure("build", build_cmd, n, logs / f"build-{n}.log", code)
    _check(steps["build"])
    print(_report_line(steps["build"]), file=sys.stderr, flush=True)

    # One new document, the next of the same deterministic sequence; removed afterwards so
    # the corpus still matches its marker and can be reused by the next run.
    pages = load_sources(corpora)
    extra = document_path(inbox, n, pages[n % len(pages)])
    try:
        write_documents(inbox, pages, n, n + 1)
        steps["rebuild"] = measure("rebuild", build_cmd, n + 1, logs / f"rebuild-{n}.log", code)
    finally:
        extra.unlink(missing_ok=True)
        if extra.parent.is_dir() and not any(extra.parent.iterdir()):
            extra.parent.rmdir()
    _check(steps["rebuild"])
    print(_report_line(steps["rebuild"]), file=sys.stderr, flush=True)
    if "published" not in steps["rebuild"].stdout_tail:
        print("  warning: the rebuild did not publish a new version", file=sys.stderr)

    ratios: dict[str, float] = {}
    if "baseline" in steps:
        ratios["build_over_baseline"] = round(steps["build"].wall_s / steps["baseline"].wall_s, 3)
    ratios["rebuild_over_build"] = round(steps["rebuild"].wall_s / steps["build"].wall_s, 4)
    if "baseline" in steps:
        # Contention on a shared machine inflates wall times but hardly CPU time: the build's
        # CPU over the baseline's, divided by the cores, is the wall ratio on an idle machine
        # if the build kept every core busy (a lower bound).
        cores = len(os.sched_getaffinity(0))
        ratios["build_cpu_over_baseline_cpu_per_core"] = round(
            steps["build"].cpu_s / steps["baseline"].cpu_s / cores, 3
        )
    for name, value in ratios.items():
        print(f"  {name}: {value}", file=sys.stderr, flush=True)
    return {
        "n": n,
        "variant": setup.variant,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": setup.commit,
        "code_version": setup.code_version,
        "workers": workers,
        **{name: step.summary() for name, step in steps.items()},
        "ratios": ratios,
        "data_dir_mb": round(_du(data_dir) / MB, 1),
    }


# --- reporting -------------------------------------------------------------------------------


def _git_commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head}{'+dirty' if dirty else ''}" if head else "unknown"


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version

    return {
        "cores": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "memory_gb": round(os.sysconf("SC_PHYS_PAGES") * PAGE_BYTES / 1024**3, 1),
        "python": platform.python_version(),
        "trafilatura": version("trafilatura"),
    }


def merge_results(path: Path, new_runs: list[dict[str, Any]]) -> dict[str, Any]:
    old: dict[str, Any] = json.loads(path.read_text()) if path.is_file() else {}

    def key(run: dict[str, Any]) -> tuple[str, int]:
        return (run.get("variant", WORKING_TREE), run["n"])

    runs = {key(run): run for run in old.get("runs", [])}
    runs.update({key(run): run for run in new_runs})
    # The working tree first: it is what the repository ships; other variants are experiments.
    order = sorted(runs, key=lambda k: (k[0] != WORKING_TREE, k))
    return {"machine": machine(), "runs": [runs[k] for k in order]}


def _verdict(value: float | None, limit: float, judged: bool = True) -> str:
    if value is None:
        return "–"
    if not judged:
        return f"{value:g}"
    return f"{value:g} {'✓' if value <= limit else '✗'}"


def _peak_mb(run: dict[str, Any]) -> float:
    return max(run[step]["peak_rss_tree_mb"] for step in STEPS if step in run)


def _cpu_ratio(run: dict[str, Any], cores: int) -> str:
    if not run.get("baseline", {}).get("cpu_s") or not run["build"].get("cpu_s"):
        return "–"
    return f"{run['build']['cpu_s'] / run['baseline']['cpu_s'] / cores:.3g}"


def _variant(run: dict[str, Any]) -> str:
    return str(run.get("variant", WORKING_TREE))


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        "# Benchmarks at scale",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB RAM, "
        f"Python {m['python']}, trafilatura {m['trafilatura']}.",
        "Generated by `python benchmarks/run.py` (corpus: `benchmarks/make_corpus.py`, real "
        "pages of `../shared/corpora` cycled with a unique edit each).",
        "",
        "* **baseline**: one process, `trafilatura.extract(html)` with default settings.",
        "* **build**: `newsfacts build` end to end, fresh data dir.",
        "* **rebuild**: the same build after adding one document (same data dir).",
        "* CPU s: user + system time of the measured process tree; others' CPU s: what the "
        "rest of the machine used meanwhile (the machine is shared, so this is contention).",
        "* peak RSS: sampled every 100 ms and summed over the process tree (PSS in brackets: "
        "shared pages split between processes, read every second and at each new RSS high); "
        "largest single process from `wait4`.",
        "",
        "| variant | N | step | wall s | docs/s | CPU s | others' CPU s | "
        "peak RSS tree MB (PSS) | largest process MB | date | commit |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for run in results["runs"]:
        for step in STEPS:
            s = run.get(step)
            if not s:
                continue
            lines.append(
                f"| {_variant(run)} | {run['n']:,} | {step} | {s['wall_s']:.1f} | "
                f"{s['docs_per_s']:.1f} | "
                f"{s.get('cpu_s', 0):.0f} | {s.get('other_cpu_s', 0):.0f} | "
                f"{s['peak_rss_tree_mb']:.0f} ({s['peak_pss_tree_mb']:.0f}) | "
                f"{s['peak_rss_max_process_mb']:.0f} | {run['date'][:10]} | {run['commit']} |"
            )
    lines += [
        "",
        f"Targets (at 10k documents): build / baseline ≤ {TARGET_BUILD_OVER_BASELINE}, "
        f"rebuild / build ≤ {TARGET_REBUILD_OVER_BUILD}, peak RSS tree ≤ "
        f"{TARGET_PEAK_RSS_MB / 1024:g} GB and not growing linearly with N.",
        "",
        "| variant | N | build / baseline | rebuild / build | peak RSS tree GB | "
        "build CPU / baseline CPU / cores |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    peaks: dict[tuple[str, int], float] = {}
    for run in results["runs"]:
        ratios, judged = run["ratios"], run["n"] == TARGET_N
        peak = peaks[(_variant(run), run["n"])] = _peak_mb(run)
        build_ratio = ratios.get("build_over_baseline")
        rebuild_ratio = ratios.get("rebuild_over_build")
        lines.append(
            f"| {_variant(run)} | {run['n']:,} | "
            f"{_verdict(build_ratio, TARGET_BUILD_OVER_BASELINE, judged)} | "
            f"{_verdict(rebuild_ratio, TARGET_REBUILD_OVER_BUILD, judged)} | "
            f"{_verdict(round(peak / 1024, 2), TARGET_PEAK_RSS_MB / 1024, judged)} | "
            f"{_cpu_ratio(run, m['cores'])} |"
        )
    for (variant, n), peak in peaks.items():
        base = peaks.get((variant, TARGET_N))
        if n > TARGET_N and base:
            lines += [
                "",
                f"Peak RSS tree, {variant}, {n:,} vs {TARGET_N:,} documents: "
                f"{peak / base:.2g}× for {n / TARGET_N:g}× the documents.",
            ]
    lines += ["", "Seconds per build step (from the arrival of each step's progress line):", ""]
    for run in results["runs"]:
        for step in ("build", "rebuild"):
            stages = run.get(step, {}).get("stages") or {}
            if stages:
                parts = ", ".join(f"{name} {sec:g}" for name, sec in stages.items())
                lines.append(f"* {_variant(run)}, {run['n']:,} {step}: {parts}")
    return "\n".join(lines) + "\n"


NOTES_MARKER = "<!-- notes: kept when run.py rewrites the tables above -->"


def write_markdown(path: Path, tables: str) -> None:
    """Rewrite the generated tables, keeping the hand-written analysis below the marker."""
    notes = ""
    if path.is_file():
        old = path.read_text()
        if NOTES_MARKER in old:
            notes = "\n" + old[old.index(NOTES_MARKER) :]
    path.write_text(tables + notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="corpus size (repeatable)")
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "newsfacts-bench",
        help="corpora, data dirs and logs (reused between runs)",
    )
    parser.add_argument("--workers", type=int, help="passed to newsfacts build")
    parser.add_argument(
        "--code",
        type=Path,
        help="benchmark this copy of the repository (e.g. with a proposed patch applied) "
        "instead of a snapshot of the working tree",
    )
    parser.add_argument("--variant", help="name of the code variant in the results")
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks" / "results.json")
    parser.add_argument("--markdown", type=Path, default=REPO / "benchmarks" / "RESULTS.md")
    parser.add_argument("--skip-baseline", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--baseline-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.baseline_worker:
        return baseline_worker(args.baseline_worker)
    sizes = args.n or [1000]
    args.workdir.mkdir(parents=True, exist_ok=True)
    commit = _git_commit()
    if args.code:
        code, variant = args.code.resolve(), args.variant or args.code.name
        commit += " + changes"
    else:
        code, variant = snapshot_code(args.workdir / "code"), args.variant or WORKING_TREE
    setup = Setup(
        corpora=args.corpora,
        workdir=args.workdir,
        workers=args.workers,
        skip_baseline=args.skip_baseline,
        code=code,
        variant=variant,
        commit=commit,
        code_version=code_version(code),
    )
    print(f"code: {code} (version {setup.code_version}, {variant!r})", file=sys.stderr)
    runs = []
    for n in sizes:
        runs.append(run_size(n, setup))
        # Merge after every size, so a long series that is interrupted keeps what it measured.
        results = merge_results(args.json, runs)
        args.json.write_text(json.dumps(results, indent=2) + "\n")
        write_markdown(args.markdown, markdown(results))
    print(f"\nwrote {args.json} and {args.markdown}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
