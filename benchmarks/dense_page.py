"""Does one huge, quote-dense page cost time in proportion to its size?

A 9 MB page is under the inbox's size limit; if any per-document step grows faster than the
text, that one page stalls the build. Four commands:

    python benchmarks/dense_page.py write OUT.txt --mb 9 [--html]
    python benchmarks/dense_page.py stages --mb 0.25 --mb 1 [--profile]   # per-stage seconds
    python benchmarks/dense_page.py snapshot FILE / compare BEFORE AFTER  # rows unchanged?
    python benchmarks/dense_page.py build --mb 1 --mb 3 --mb 9 [--markdown benchmarks/RESULTS.md]

``build`` runs ``newsfacts build`` end to end on an inbox holding the one page (fresh data
dir each time) and reports wall seconds, seconds per MB and the process tree's peak RSS.
The page itself is written by `benchmarks/dense/page.py`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.dense.page import dense_html, dense_text

MB = 2**20


def _page(mb: float, html: bool, seed: int = 0) -> str:
    size = int(mb * MB)
    return dense_html(size, seed) if html else dense_text(size, seed)


def _write(args: argparse.Namespace) -> None:
    page = _page(args.mb, args.html)
    Path(args.out).write_text(page, encoding="utf-8")
    print(f"{args.out}: {len(page.encode()) / MB:.2f} MB")


def _stages(args: argparse.Namespace) -> None:
    from benchmarks.dense.stages import STAGES, run_chain
    from newsfacts.facts.entities.reference import load_reference

    index = load_reference()
    run_chain(_page(0.02, args.html), "html" if args.html else "txt", index=index)  # warm up
    print("| MB | " + " | ".join(f"{s} s" for s in STAGES) + " | quotes | s per MB |")
    print("|---:|" + "---:|" * (len(STAGES) + 2))
    for mb in args.mb:
        run = run_chain(_page(mb, args.html), "html" if args.html else "txt", index=index,
                        profile=args.profile)  # fmt: skip
        total = sum(run.seconds.values())
        cells = " | ".join(f"{run.seconds[s]:.2f}" for s in STAGES)
        print(f"| {mb:g} | {cells} | {len(run.rows['quotes'])} | {total / mb:.2f} |", flush=True)
        for name, text in run.profiles.items():
            print(f"\n--- {name}, {mb:g} MB\n{text}")


def _snapshot(args: argparse.Namespace) -> None:
    from benchmarks.dense.outputs import save, snapshot

    snap = snapshot()
    save(Path(args.file), snap)
    rows = sum(len(v) for tables in snap.values() for v in tables.values())
    print(f"{args.file}: {len(snap)} documents, {rows} rows")


def _compare(args: argparse.Namespace) -> None:
    from benchmarks.dense.outputs import differences, load

    diffs = differences(load(Path(args.before)), load(Path(args.after)))
    print("\n".join(diffs) if diffs else "identical: every row of every table")
    if diffs:
        raise SystemExit(1)


def _build(args: argparse.Namespace) -> None:
    from benchmarks.dense.build import run_builds

    run_builds(args)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    write = sub.add_parser("write", help="write one dense page")
    write.add_argument("out")
    write.add_argument("--mb", type=float, default=9.0)
    write.add_argument("--html", action="store_true")
    write.set_defaults(run=_write)
    stages = sub.add_parser("stages", help="seconds per per-document stage, by page size")
    stages.add_argument("--mb", type=float, action="append", required=True)
    stages.add_argument("--html", action="store_true")
    stages.add_argument("--profile", action="store_true", help="print cProfile per stage")
    stages.set_defaults(run=_stages)
    snap = sub.add_parser("snapshot", help="save the rows of the comparison set")
    snap.add_argument("file")
    snap.set_defaults(run=_snapshot)
    compare = sub.add_parser("compare", help="exit 1 unless two snapshots are equal")
    compare.add_argument("before")
    compare.add_argument("after")
    compare.set_defaults(run=_compare)
    build = sub.add_parser("build", help="newsfacts build on one dense page, by size")
    build.add_argument("--mb", type=float, action="append", required=True)
    build.add_argument("--html", action="store_true")
    build.add_argument("--timeout", type=float, default=900.0, help="seconds per build")
    build.add_argument("--label", default="working tree")
    build.add_argument("--code", help="build with this source tree instead (a checkout)")
    build.add_argument("--workdir", help="keep inboxes and data dirs here")
    build.add_argument("--env", action="append", default=[], help="NAME=VALUE for the build")
    build.add_argument("--markdown", help="append the table to this file's dense-page section")
    build.set_defaults(run=_build)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
