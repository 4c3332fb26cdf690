"""Fault-injection driver and invariant checks for write–audit–publish.

As a script it publishes staged Parquet files with the real `newsfacts.store.publish` code, so a
test can SIGKILL it mid-publish:

    python tests/store/fault_publish.py DATA_DIR STAGED_DIR loop [--keep N]
        publish again and again (a new fingerprint each time, then retention) until killed;
        prints "ready" once imported, then "published VERSION SECONDS" per publish
    python tests/store/fault_publish.py DATA_DIR STAGED_DIR zygote [--keep N]
        import once, then for each "go" line on stdin fork a child that runs `loop`;
        prints "child PID" and, when it has died, "exit PID CODE" (-9 for SIGKILL): a kill
        costs a fork instead of a Python start-up
    python tests/store/fault_publish.py DATA_DIR STAGED_DIR once [--fingerprint FP] [--keep N]
        publish once (same fingerprint as the latest gives "up_to_date")
    python tests/store/fault_publish.py DATA_DIR STAGED_DIR crash POINT [--fingerprint FP] \
        [--keep N]
        publish once and SIGKILL itself right after POINT (see CRASH_POINTS)

As a module it offers `check_invariants`, which tests call after every kill.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

TABLES = ("articles", "figures", "rejects")

# Where `crash` mode kills the process (after the named step has completed).
CRASH_POINTS = (
    "staged",  # the staged version folder is complete (files and manifest) but not renamed
    "committed",  # the version folder is in place; `latest` still points at the old one
    "latest",  # `latest` moved; the catalog still reads the old version
    "catalog-temp",  # the new catalog is written to its temp file, not yet swapped in
    "retention",  # retention deleted the first file of an old version
)


def _say(line: str) -> None:
    """One line to stdout in a single write(2): the zygote and its child share the pipe, and
    print() may split a line into several writes that interleave with the other's."""
    sys.stdout.flush()
    os.write(sys.stdout.fileno(), (line + "\n").encode())


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _arm(point: str) -> None:
    """Make the real publish code die right after `point`: a kill -9 at a chosen moment."""
    import shutil

    from newsfacts.store import publish as pub

    def after(name: str) -> None:
        original = getattr(pub, name)

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            _die()
            return result

        setattr(pub, name, wrapped)

    if point == "staged":
        after("_write_json")
    elif point == "committed":
        after("commit_version")
    elif point == "latest":
        after("point_latest")
    elif point == "catalog-temp":
        real_replace = os.replace

        def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            if Path(dst).name == pub.CATALOG:
                _die()
            real_replace(src, dst, *args, **kwargs)

        pub.os.replace = replace  # type: ignore[assignment]  # subprocess only
    elif point == "retention":
        real_rmtree = shutil.rmtree
        real_retention = pub.apply_retention
        in_retention = False

        def rmtree(path: Any, *args: Any, **kwargs: Any) -> None:
            files = sorted(p for p in Path(path).rglob("*") if p.is_file())
            if in_retention and files:
                files[0].unlink()
                _die()
            real_rmtree(path, *args, **kwargs)

        def apply_retention(*args: Any, **kwargs: Any) -> Any:
            nonlocal in_retention
            in_retention = True
            return real_retention(*args, **kwargs)

        pub.shutil.rmtree = rmtree  # type: ignore[assignment]  # subprocess only
        pub.apply_retention = apply_retention  # type: ignore[assignment]
    else:
        raise SystemExit(f"unknown crash point {point!r}; one of {CRASH_POINTS}")


def publish_once(
    data_dir: Path, staged_dir: Path, fingerprint: str, keep: int | None = None
) -> tuple[str, str, float]:
    """One complete publish of the staged tables, then retention: (status, version, seconds).
    Shared by the driver and by tests that publish in their own process."""
    from newsfacts.store.publish import apply_retention, data_dir_lock, publish

    staged = {table: staged_dir / f"{table}.parquet" for table in TABLES}
    start = time.perf_counter()
    with data_dir_lock(data_dir):
        result = publish(data_dir, staged, fingerprint, {"driver": "fault_publish"})
        if keep:
            apply_retention(data_dir, keep)
    return result.status, result.version, time.perf_counter() - start


def _publish_once(data_dir: Path, staged_dir: Path, fingerprint: str, keep: int | None) -> str:
    status, version, seconds = publish_once(data_dir, staged_dir, fingerprint, keep)
    _say(f"{status} {version} {seconds:.4f}")
    return version


def _loop(data_dir: Path, staged_dir: Path, keep: int | None) -> None:
    tag = f"{os.getpid()}-{time.time_ns()}"
    _say("ready")
    i = 0
    while True:
        _publish_once(data_dir, staged_dir, f"{tag}-{i}", keep)
        i += 1


def _zygote(data_dir: Path, staged_dir: Path, keep: int | None) -> None:
    threads = len(os.listdir("/proc/self/task"))
    if threads != 1:  # a fork would copy locks held by threads that do not exist in the child
        raise SystemExit(f"zygote runs {threads} threads; forking it would be unsafe")
    _say("zygote ready")
    while line := sys.stdin.readline():
        if line.strip() != "go":
            continue
        pid = os.fork()
        if pid == 0:
            try:
                _loop(data_dir, staged_dir, keep)
            finally:
                os._exit(1)
        _say(f"child {pid}")
        _, status = os.waitpid(pid, 0)
        _say(f"exit {pid} {os.waitstatus_to_exitcode(status)}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("data_dir", type=Path)
    p.add_argument("staged_dir", type=Path)
    p.add_argument("mode", choices=("loop", "once", "crash", "zygote"))
    p.add_argument("point", nargs="?")
    p.add_argument("--fingerprint", default=None)
    p.add_argument("--keep", type=int, default=None)
    args = p.parse_args(argv)
    if args.mode == "zygote":  # no helper threads, so that forking is safe
        os.environ["JE_ARROW_MALLOC_CONF"] = "background_thread:false"
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
    import duckdb  # noqa: F401  (imported up front so "ready" means publishing starts now)
    import pyarrow.parquet  # noqa: F401

    import newsfacts.store.publish  # noqa: F401

    if args.mode == "crash":
        _arm(args.point)
    if args.mode in ("once", "crash"):
        fingerprint = args.fingerprint or f"{os.getpid()}-{time.time_ns()}"
        _publish_once(args.data_dir, args.staged_dir, fingerprint, args.keep)
    elif args.mode == "zygote":
        _zygote(args.data_dir, args.staged_dir, args.keep)
    else:
        _loop(args.data_dir, args.staged_dir, args.keep)
    return 0


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_version(version_dir: Path) -> dict[str, Any]:
    """A published version is complete: its manifest's hashes and row counts match its files."""
    import pyarrow.parquet as pq

    manifest_path = version_dir / "_manifest.json"
    assert manifest_path.is_file(), f"{version_dir.name}: no _manifest.json"
    manifest = json.loads(manifest_path.read_text())
    assert manifest["version"] == version_dir.name
    files = manifest["files_sha256"]
    counts = manifest["row_counts"]
    assert files and set(files) == set(counts), manifest
    on_disk = {p.stem for p in version_dir.glob("*.parquet")}
    assert on_disk == set(files), f"{version_dir.name}: files {on_disk} vs manifest {set(files)}"
    for table, digest in files.items():
        path = version_dir / f"{table}.parquet"
        assert _sha256(path) == digest, f"{version_dir.name}/{path.name}: hash differs"
        assert pq.ParquetFile(path).metadata.num_rows == counts[table], f"{path}: row count"
    return manifest


def check_invariants(data_dir: Path) -> dict[str, Any]:
    """What any reader must always see, whenever a build died.

    `latest` points at a complete version; every visible version is complete; the catalog
    opens and each of its views reads exactly the rows its version's manifest records.
    Returns {"latest", "catalog", "versions", "leftovers"}.
    """
    import duckdb

    root = data_dir / "published"
    latest = root / "latest"
    assert latest.is_symlink(), "published/latest is missing or not a symlink"
    latest_version = os.readlink(latest)
    assert "/" not in latest_version and not latest_version.startswith("."), latest_version
    manifests = {}
    for child in sorted(root.iterdir()):
        if child.name.startswith(".") or child.name == "latest":
            continue
        assert child.is_dir() and not child.is_symlink(), f"unexpected entry {child}"
        manifests[child.name] = check_version(child)
    assert latest_version in manifests, f"latest -> {latest_version}, not a complete version"

    con = duckdb.connect(str(data_dir / "catalog.duckdb"), read_only=True)
    try:
        ((catalog_version, catalog_dir),) = con.execute(
            "select version, published_dir from _newsfacts_version"
        ).fetchall()
        assert catalog_version in manifests, f"catalog reads {catalog_version}, not complete"
        assert Path(catalog_dir).name == catalog_version
        views = [
            row[0]
            for row in con.execute(
                "select view_name from duckdb_views() where not internal order by 1"
            ).fetchall()
        ]
        expected = manifests[catalog_version]["row_counts"]
        assert set(expected) <= set(views), (views, expected)
        for view in views:  # every view reads; the version's tables read exactly their rows
            (count,) = con.execute(f'select count(*) from "{view}"').fetchone()  # type: ignore[misc]
            if view in expected:
                assert count == expected[view], f"{view}: {count} rows, manifest: {expected[view]}"
    finally:
        con.close()
    leftovers = sorted(
        [p.name for p in root.glob(".*") if p.name != ".lock"]
        + [p.name for p in data_dir.glob(".catalog-*")]
    )
    return {
        "latest": latest_version,
        "catalog": catalog_version,
        "versions": sorted(manifests),
        "leftovers": leftovers,
    }


if __name__ == "__main__":
    sys.exit(main())
