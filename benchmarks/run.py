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

This script drives one corpus size after another; the measuring of a process tree, the frozen
copy of the code, the baseline worker and the report live in `benchmarks/scale/`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.make_corpus import (
    DEFAULT_CORPORA,
    document_path,
    load_sources,
    make_corpus,
    write_documents,
)
from benchmarks.scale.baseline import baseline_worker
from benchmarks.scale.code_snapshot import code_version, snapshot_code
from benchmarks.scale.process_tree import MB, Measurement, measure
from benchmarks.scale.report import WORKING_TREE, markdown, merge_results, write_markdown

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


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
