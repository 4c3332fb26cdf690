"""`newsfacts build`: one run of the build job in this process, and the summary it prints.

Dagster and the pipeline are imported inside the command: it first starts the
great-expectations worker, whose import then overlaps all of the command's own.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsfacts.store.remote import is_url
from pipelines.instance import instance_for

if TYPE_CHECKING:
    import dagster as dg

    from assets.settings import NewsfactsSettings


def _location(value: str) -> str:
    """A URL as given, a local path made absolute (the UI and workers start elsewhere)."""
    return value if is_url(value) else str(Path(value).resolve())


def data_dir_settings(args: argparse.Namespace) -> NewsfactsSettings:
    """The settings of a command that reads a data dir (`--data-dir`, `--local-dir`)."""
    from assets.settings import NewsfactsSettings

    return NewsfactsSettings(data_dir=_location(args.data_dir), local_dir=args.local_dir)


def _materialization_metadata(result: dg.ExecuteInProcessResult, node: str) -> dict[str, Any]:
    try:
        events = result.asset_materializations_for_node(node)
    except Exception:
        return {}
    if not events:
        return {}
    return {key: value.value for key, value in events[-1].metadata.items()}


def _failed_checks(result: dg.ExecuteInProcessResult) -> list[str]:
    """One line per failed check: blocking ones with what was observed and, for the share of
    held rows, the rules that held the most; row rules with how many rows they held."""
    failed = []
    for event in result.all_events:
        if event.event_type_value != "ASSET_CHECK_EVALUATION":
            continue
        data = event.event_specific_data
        if data is None or data.passed:
            continue
        meta = {key: value.value for key, value in (data.metadata or {}).items()}
        name = f"{data.asset_key.to_user_string()}.{data.check_name}"
        if getattr(data.severity, "value", "ERROR") == "ERROR":
            line = f"{name} (blocking): observed {meta.get('observed_value', '?')}"
            if meta.get("allowed"):
                line += f", allowed {meta['allowed']}"
            if meta.get("held_by_rule"):
                line += f"; rows held by {meta['held_by_rule']}"
            elif meta.get("failing_rows"):
                line += f"; {meta['failing_rows']} failing rows"
        elif meta.get("quarantined_rows"):
            line = f"{name}: {meta['quarantined_rows']} rows quarantined"
        else:
            line = f"{name} (warning)"
        failed.append(line)
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
    from newsfacts.store.integrity import heal_before_build
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
        max_table_shrink=args.max_shrink,
    )
    data_dir = settings.data_path
    where = settings.data_dir + (f" (mirror {data_dir})" if settings.remote else "")
    print(f"newsfacts build: inbox {settings.inbox} → data dir {where}", file=sys.stderr)
    job = build_definitions(settings).resolve_job_def(BUILD_JOB)
    try:
        with data_dir_lock(data_dir, wait=not args.no_wait):
            if not settings.remote:
                for line in heal_before_build(data_dir):
                    print(f"repaired: {line}", file=sys.stderr)
            # Inside the lock: two first builds must not both create the instance database.
            instance = instance_for(data_dir)
            result = execute_in_process_uncaptured(
                job, instance, run_config={"loggers": {"progress": {}}}
            )
    except LockedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except OSError as exc:
        return _os_failure(exc, data_dir)
    return _report(result, data_dir)


def _os_failure(exc: OSError, data_dir: Path) -> int:
    """A full disk, a read-only folder, a vanished mount: the summary, not a traceback."""
    where = f" ({exc.filename})" if exc.filename else ""
    print("\nBUILD FAILED — nothing was published; the previous version stays live.")
    print(f"  {exc.strerror or exc}{where}")
    print(f"  check that {data_dir} is writable and has free space, then build again")
    return 1


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
    for line in published.get("repaired") or []:
        print(f"  repaired: {line}; set aside as published/.damaged-…, republished from staging")
    for table, count in rows.items():
        print(f"  {table:<16} {count:>8} rows")
    passed = published.get("checks_passed")
    if passed is not None:
        print(f"  checks:  {passed} passed, {len(failed_checks)} warnings")
    for warning in failed_checks:
        print(f"  warning: {warning}")
    held: dict[str, int] = published.get("quarantined_rows") or {}
    if held:
        tables = ", ".join(f"{table} {count}" for table, count in held.items())
        print(
            f"  quarantined: {sum(held.values())} rows held back ({tables}); "
            "see the quarantine table"
        )
    if published.get("quality_docs"):
        print(f"  data docs: {published['quality_docs']}")
        if published.get("data_docs_served_by"):
            print(f"             open with: {published['data_docs_served_by']}")
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
