"""`newsfacts` command line: build, open the UI or the Data Docs, list and diff published versions.

Dagster and the pipeline are imported inside the commands, not here: `build` first starts
the great-expectations worker, whose import then overlaps all of the command's own.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from assets.defaults import DEFAULT_DATA_DIR, DEFAULT_DOCS_PORT, DEFAULT_INBOX
from pipelines.build_command import _location, cmd_build, data_dir_settings
from pipelines.docs_command import cmd_docs
from pipelines.doctor_command import cmd_doctor, integrity_lines
from pipelines.instance import instance_for


def _synced_data_dir(args: argparse.Namespace, *versions: str) -> Path:
    """The local data dir to read versions from: for a URL, its mirror brought up to date."""
    settings = data_dir_settings(args)
    if remote := settings.remote:
        from newsfacts.store.remote_publish import pull_version_files, pull_versions

        pull_versions(remote, settings.data_path)
        for version in versions:
            pull_version_files(remote, version)
    return settings.data_path


def cmd_ui(args: argparse.Namespace) -> int:
    from pipelines.allowed_roots import ROOTS_VARIABLE, outside_roots, parse_roots
    from pipelines.ui_server import serve

    settings = data_dir_settings(args)
    inbox = _location(args.inbox)
    if roots := os.environ.get(ROOTS_VARIABLE, "").strip():
        given = {"--inbox": inbox, "--data-dir": settings.data_dir, "--local-dir": args.local_dir}
        if problem := outside_roots(given, parse_roots(roots)):
            print(f"error: {problem}", file=sys.stderr)
            return 2
    instance_for(settings.data_path)  # sets DAGSTER_HOME, which every child reads
    # The code server, the daemon and the runs read the code location's settings from here.
    os.environ["NEWSFACTS_DATA_DIR"] = settings.data_dir
    os.environ["NEWSFACTS_LOCAL_DIR"] = str(settings.data_path) if settings.remote else ""
    os.environ["NEWSFACTS_INBOX"] = inbox
    workspace = Path(__file__).resolve().parents[1] / "workspace.yaml"
    os.chdir(workspace.parent)
    print(f"starting the Dagster UI on http://{args.host}:{args.port} …", file=sys.stderr)
    return serve(workspace, args.host, args.port)


def cmd_versions(args: argparse.Namespace) -> int:
    from newsfacts.store.publish import latest_version, list_versions

    data_dir = _synced_data_dir(args)
    manifests = list_versions(data_dir)
    if not manifests:
        print(f"no published versions under {data_dir / 'published'}")
        for problem in integrity_lines(data_dir):
            print(f"DAMAGED: {problem}")
        return 0
    current = latest_version(data_dir)
    tables = sorted({t for m in manifests for t in m.get("row_counts", {})})
    header = ["", "version", "created_at", *tables, "checks"]
    rows = []
    for m in manifests:
        checks = m.get("checks", {})
        passed = sum(1 for c in checks.values() if c.get("passed"))
        rows.append(
            [
                "*" if m["version"] == current else "",
                m["version"],
                m["created_at"][:19],
                *(str(m["row_counts"].get(t, "")) for t in tables),
                f"{passed}/{len(checks)} passed" if checks else "-",
            ]
        )
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
    print("\n* = latest (the catalog points at it)")
    # a store's mirror holds the manifests only: its files are checked where they live
    problems = [] if data_dir_settings(args).remote else integrity_lines(data_dir)
    for problem in problems:
        print(f"DAMAGED: {problem}")
    if problems:
        print("run `newsfacts doctor --repair`, or build again, to set them aside")
        return 1
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from newsfacts.store.publish import list_versions
    from newsfacts.store.versions import diff_versions

    data_dir = _synced_data_dir(args, args.old, args.new)
    known = [m["version"] for m in list_versions(data_dir)]
    for version in (args.old, args.new):
        if version not in known:
            print(f"error: no published version {version!r} (see `newsfacts versions`)")
            return 2
    for diff in diff_versions(data_dir, args.old, args.new):
        print(
            f"{diff.table}: +{diff.added} added, -{diff.removed} removed, "
            f"~{diff.changed} changed, {diff.unchanged} unchanged  (key: {', '.join(diff.key)})"
        )
        for label, columns in (("+", diff.added_columns), ("-", diff.removed_columns)):
            if columns:
                print(f"    columns {label} {', '.join(columns)}")
        for label, keys in (
            ("+", diff.added_keys),
            ("-", diff.removed_keys),
            ("~", diff.changed_keys),
        ):
            for key in keys:
                print(f"    {label} {' | '.join(str(k) for k in key)}")
    return 0


def _data_dir_args(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--data-dir",
        default=os.environ.get("NEWSFACTS_DATA_DIR", DEFAULT_DATA_DIR),
        help="folder or object-store URL (s3://bucket/prefix, gs://…) for versions and state",
    )
    command.add_argument(
        "--local-dir",
        default=os.environ.get("NEWSFACTS_LOCAL_DIR") or None,
        help="local mirror of a data-dir URL (default: under ~/.cache/newsfacts)",
    )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="newsfacts", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build, check and publish every table")
    b.add_argument("--inbox", default=os.environ.get("NEWSFACTS_INBOX", DEFAULT_INBOX))
    _data_dir_args(b)
    b.add_argument("--manifest", help="metadata CSV (default: manifest.csv in or beside inbox)")
    b.add_argument("--workers", type=int, help="worker processes (default: every core)")
    b.add_argument("--fx-asof", help="date for FX when an article has none (YYYY-MM-DD)")
    b.add_argument("--fx-history", help="a newer ECB eurofxref-hist.zip to use for rates")
    b.add_argument("--keep-versions", type=int, help="keep only the newest N versions")
    b.add_argument("--max-document-bytes", type=int, default=10 * 1024 * 1024)
    b.add_argument(
        "--max-shrink",
        type=float,
        help="share by which a table may shrink against the live version (default: each "
        "suite's max_shrink, 0.5; 1 publishes a deliberately smaller inbox)",
    )
    b.add_argument("--no-wait", action="store_true", help="fail at once if another build runs")
    b.set_defaults(func=cmd_build)

    u = sub.add_parser("ui", help="open the Dagster UI on the pipeline (webserver + daemon)")
    _data_dir_args(u)
    u.add_argument("--inbox", default=os.environ.get("NEWSFACTS_INBOX", DEFAULT_INBOX))
    u.add_argument("--host", default="127.0.0.1")
    u.add_argument("--port", type=int, default=3000)
    u.set_defaults(func=cmd_ui)

    docs = sub.add_parser("docs", help="serve the Data Docs on 127.0.0.1 and print the URL")
    _data_dir_args(docs)
    docs.add_argument("--port", type=int, default=DEFAULT_DOCS_PORT, help="0: any free port")
    docs.set_defaults(func=cmd_docs)

    doc = sub.add_parser("doctor", help="check a data dir's versions, catalog, instance, cache")
    doc.add_argument("--data-dir", default=os.environ.get("NEWSFACTS_DATA_DIR", DEFAULT_DATA_DIR))
    doc.add_argument("--repair", action="store_true", help="move damaged files aside and relink")
    doc.set_defaults(func=cmd_doctor)

    v = sub.add_parser("versions", help="list published versions")
    _data_dir_args(v)
    v.set_defaults(func=cmd_versions)

    d = sub.add_parser("diff", help="rows added, removed and changed between two versions")
    d.add_argument("old")
    d.add_argument("new")
    _data_dir_args(d)
    d.set_defaults(func=cmd_diff)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))


def entry() -> int:
    """The `newsfacts` command: `main`, then an exit that skips the interpreter's last
    collection. That collection walks every object a build imported (Dagster, polars, …),
    ~0.4 s of each command's wall time, for memory the process returns anyway; frozen objects
    are skipped by it, while atexit handlers still run."""
    code = main()
    gc.freeze()
    return code


if __name__ == "__main__":
    sys.exit(entry())
