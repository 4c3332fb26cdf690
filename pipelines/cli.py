"""`newsfacts` command line: build, open the UI, list and diff published versions.

Dagster and the pipeline are imported inside the commands, not here: `build` first starts
the great-expectations worker, whose import then overlaps all of the command's own.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assets.defaults import DEFAULT_DATA_DIR, DEFAULT_INBOX
from newsfacts.store.remote import is_url

if TYPE_CHECKING:
    import dagster as dg

    from assets.settings import NewsfactsSettings

# Written by earlier releases: upgraded in place to the pooled event log (same files).
_PLAIN_CONFIG = "telemetry:\n  enabled: false\n"


def instance_config(home: Path) -> str:
    """The instance's dagster.yaml: telemetry off, and the event log that keeps its SQLite
    connections open (`pipelines.storage`) in Dagster's usual place for it."""
    return (
        _PLAIN_CONFIG + "event_log_storage:\n"
        "  module: pipelines.storage\n"
        "  class: PooledSqliteEventLogStorage\n"
        "  config:\n"
        f"    base_dir: {json.dumps(str(home / 'history' / 'runs'))}\n"
    )


def _written_for(text: str) -> Path | None:
    """The Dagster home an `instance_config` text was written for; None for any other text."""
    _, sep, tail = text.rpartition("base_dir: ")
    try:
        home = Path(json.loads(tail)).parent.parent if sep else None
    except ValueError:
        return None
    return home if home is not None and instance_config(home) == text else None


def instance_for(data_dir: Path) -> dg.DagsterInstance:
    """A persistent Dagster instance under the data dir, so the UI later shows CLI runs.

    The config names its event log folder by absolute path: a data dir copied or moved
    elsewhere gets its config rewritten for its own folder (which holds the copied event
    logs), rather than writing its runs' events into the old data dir's."""
    home = (data_dir / "dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    text = config.read_text() if config.exists() else _PLAIN_CONFIG
    written_for = _written_for(text)
    if text == _PLAIN_CONFIG or (written_for is not None and written_for != home):
        config.write_text(instance_config(home))
    os.environ["DAGSTER_HOME"] = str(home)
    import dagster as dg

    return dg.DagsterInstance.from_config(str(home))


def _materialization_metadata(result: dg.ExecuteInProcessResult, node: str) -> dict[str, Any]:
    try:
        events = result.asset_materializations_for_node(node)
    except Exception:
        return {}
    if not events:
        return {}
    return {key: value.value for key, value in events[-1].metadata.items()}


def _failed_checks(result: dg.ExecuteInProcessResult) -> list[str]:
    failed = []
    for event in result.all_events:
        if event.event_type_value != "ASSET_CHECK_EVALUATION":
            continue
        data = event.event_specific_data
        if data is not None and not data.passed:
            severity = getattr(data.severity, "value", "ERROR")
            label = "blocking" if severity == "ERROR" else "warning"
            failed.append(f"{data.asset_key.to_user_string()}.{data.check_name} ({label})")
    return failed


def cmd_build(args: argparse.Namespace) -> int:
    from newsfacts.runtime import gx_worker

    inbox = _location(args.inbox)
    if not is_url(inbox) and not Path(inbox).is_dir():
        print(f"error: inbox {inbox} is not a folder", file=sys.stderr)
        return 2
    # Great Expectations loads in its own process meanwhile (see newsfacts.runtime.gx_worker),
    # started before Dagster and the pipeline are imported so that the imports overlap.
    gx_worker.start()
    try:
        return _build(args, inbox)
    finally:
        gx_worker.stop()


def _build(args: argparse.Namespace, inbox: str) -> int:
    from assets.settings import NewsfactsSettings
    from newsfacts.store.publish import LockedError, data_dir_lock
    from pipelines.definitions import BUILD_JOB, build_definitions
    from pipelines.execution import execute_in_process_uncaptured

    settings = NewsfactsSettings(
        inbox=inbox,
        data_dir=_location(args.data_dir),
        local_dir=args.local_dir,
        manifest=str(Path(args.manifest).resolve()) if args.manifest else None,
        workers=args.workers,
        fx_asof=args.fx_asof,
        fx_history_file=args.fx_history,
        keep_versions=args.keep_versions,
        max_document_bytes=args.max_document_bytes,
    )
    data_dir = settings.data_path
    where = settings.data_dir + (f" (mirror {data_dir})" if settings.remote else "")
    print(f"newsfacts build: inbox {settings.inbox} → data dir {where}", file=sys.stderr)
    job = build_definitions(settings).resolve_job_def(BUILD_JOB)
    try:
        with data_dir_lock(data_dir, wait=not args.no_wait):
            # Inside the lock: two first builds must not both create the instance database.
            instance = instance_for(data_dir)
            result = execute_in_process_uncaptured(
                job, instance, run_config={"loggers": {"progress": {}}}
            )
    except LockedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    return _report(result, data_dir)


def _report(result: dg.ExecuteInProcessResult, data_dir: Path) -> int:
    from pipelines.progress import root_message

    failed_checks = _failed_checks(result)
    published = _materialization_metadata(result, "published")
    if not result.success or not published:
        print("\nBUILD FAILED — nothing was published; the previous version stays live.")
        for check in failed_checks:
            print(f"  failed check: {check}")
        for event in result.all_events:
            if event.event_type_value == "STEP_FAILURE" and event.step_failure_data:
                error = event.step_failure_data.error
                message = root_message(error) if error else "unknown error"
                print(f"  failed step {event.step_key}: {message}")
        print(f"  run id {result.run_id} (open `newsfacts ui --data-dir {data_dir}` for details)")
        return 1
    version = published["version"]
    status = published["status"]
    rows: dict[str, int] = published.get("row_counts", {})
    head = "up to date — no new version" if status == "up_to_date" else "published"
    print(f"\n{head}: version {version}")
    for table, count in rows.items():
        print(f"  {table:<16} {count:>8} rows")
    passed = published.get("checks_passed")
    if passed is not None:
        print(f"  checks:  {passed} passed, {len(failed_checks)} warnings")
    for warning in failed_checks:
        print(f"  warning: {warning}")
    if published.get("quality_docs"):
        print(f"  data docs: {published['quality_docs']}")
    catalog = data_dir / "catalog.duckdb"
    print(f"  files:   {data_dir / 'published' / version}")
    print(f"  catalog: {catalog}")
    if str(published.get("catalog", catalog)) != str(catalog):
        print(f"  store:   {published['catalog']} (views read the store's files)")
    print(
        f'  query:   {sys.executable} -c "import duckdb; '
        f"print(duckdb.connect('{catalog}', read_only=True).sql("
        f"'select outlet, title, word_count from articles'))\""
    )
    return 0


def _location(value: str) -> str:
    """A URL as given, a local path made absolute (the UI and workers start elsewhere)."""
    return value if is_url(value) else str(Path(value).resolve())


def _settings(args: argparse.Namespace) -> NewsfactsSettings:
    from assets.settings import NewsfactsSettings

    return NewsfactsSettings(data_dir=_location(args.data_dir), local_dir=args.local_dir)


def _synced_data_dir(args: argparse.Namespace, *versions: str) -> Path:
    """The local data dir to read versions from: for a URL, its mirror brought up to date."""
    settings = _settings(args)
    if remote := settings.remote:
        from newsfacts.store.remote_publish import pull_version_files, pull_versions

        pull_versions(remote, settings.data_path)
        for version in versions:
            pull_version_files(remote, version)
    return settings.data_path


def cmd_ui(args: argparse.Namespace) -> int:
    settings = _settings(args)
    instance_for(settings.data_path)
    env = dict(os.environ)
    env["NEWSFACTS_DATA_DIR"] = settings.data_dir
    env["NEWSFACTS_LOCAL_DIR"] = str(settings.data_path) if settings.remote else ""
    env["NEWSFACTS_INBOX"] = _location(args.inbox)
    workspace = Path(__file__).resolve().parents[1] / "workspace.yaml"
    cmd = [
        "dagster",
        "dev",
        "-w",
        str(workspace),
        "--host",
        args.host,
        "--port",
        str(args.port),
    ]
    print(f"starting the Dagster UI on http://{args.host}:{args.port} …", file=sys.stderr)
    os.chdir(workspace.parent)
    os.execvpe(cmd[0], cmd, env)
    return 0  # pragma: no cover


def cmd_versions(args: argparse.Namespace) -> int:
    from newsfacts.store.publish import latest_version, list_versions

    data_dir = _synced_data_dir(args)
    manifests = list_versions(data_dir)
    if not manifests:
        print(f"no published versions under {data_dir / 'published'}")
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
    b.add_argument("--no-wait", action="store_true", help="fail at once if another build runs")
    b.set_defaults(func=cmd_build)

    u = sub.add_parser("ui", help="open the Dagster UI on the pipeline (dagster dev)")
    _data_dir_args(u)
    u.add_argument("--inbox", default=os.environ.get("NEWSFACTS_INBOX", DEFAULT_INBOX))
    u.add_argument("--host", default="127.0.0.1")
    u.add_argument("--port", type=int, default=3000)
    u.set_defaults(func=cmd_ui)

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
