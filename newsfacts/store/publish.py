"""Write–audit–publish: immutable versions of the tables and a DuckDB catalog over the latest.

A version is staged in a hidden folder, completed (files, then `_manifest.json`, fsynced), and
only then renamed into place; `latest` and the catalog move afterwards, each by an atomic
rename. A crash at any moment therefore leaves readers on a complete version.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from newsfacts import __version__
from newsfacts.runtime.files import sha256_file
from newsfacts.store.verify import (
    DAMAGED_PREFIX,
    LATEST,
    MANIFEST_FILE,
    check_version,
    latest_problem,
    load_manifest,
    published_dir,
    version_folders,
)

CATALOG = "catalog.duckdb"


class PublishError(RuntimeError):
    """Publishing refused; the previous version stays live."""


class LockedError(RuntimeError):
    """Another build holds the data directory."""


@dataclass(frozen=True)
class PublishResult:
    status: str  # "published" or "up_to_date"
    version: str
    path: Path
    row_counts: dict[str, int]
    repaired: list[str] = field(default_factory=list)  # what was wrong with the live version


def fingerprint(parts: Mapping[str, Any]) -> str:
    """Hash of everything a version depends on: same inputs and code give the same value."""
    blob = json.dumps(parts, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def latest_version(data_dir: Path) -> str | None:
    """The version `latest` names; None when it names nothing readers could trust (missing,
    dangling, pointing outside published/, no manifest), so the next publish replaces it."""
    link = published_dir(data_dir) / LATEST
    if not link.is_symlink() or latest_problem(data_dir):
        return None
    name = Path(os.readlink(link)).name
    return name if (published_dir(data_dir) / name / MANIFEST_FILE).is_file() else None


def read_manifest(data_dir: Path, version: str) -> dict[str, Any]:
    return json.loads((published_dir(data_dir) / version / MANIFEST_FILE).read_text())


def list_versions(data_dir: Path) -> list[dict[str, Any]]:
    """Manifests of every complete version, oldest first; a damaged one is skipped
    (`newsfacts.store.integrity` reports it)."""
    manifests = []
    for folder in version_folders(data_dir):
        try:
            manifest = load_manifest(folder)
        except (OSError, ValueError):
            continue
        if "version" in manifest:
            manifests.append(manifest)
    return manifests


_HELD: dict[Path, int] = {}


@contextlib.contextmanager
def data_dir_lock(data_dir: Path, wait: bool = True) -> Iterator[None]:
    """One build at a time per data directory; a second waits (or fails when wait=False).

    Re-entrant within a process, so the CLI can hold it for a whole build while the publish
    step (which also runs alone from the UI) takes it again.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    key = data_dir.resolve()
    if _HELD.get(key):
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    with (data_dir / ".lock").open("a+") as handle:
        flags = fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB
        try:
            fcntl.flock(handle, flags)
        except BlockingIOError as exc:
            raise LockedError(
                f"another newsfacts build is running on {data_dir} (lock {data_dir / '.lock'})"
            ) from exc
        _HELD[key] = 1
        try:
            yield
        finally:
            del _HELD[key]
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_json(path: Path, payload: Mapping[str, Any]) -> None:
    with path.open("w") as handle:
        json.dump(payload, handle, indent=2, sort_keys=True, default=str)
        handle.flush()
        os.fsync(handle.fileno())


def point_latest(data_dir: Path, version: str) -> None:
    root = published_dir(data_dir)
    tmp = root / f".latest-{uuid.uuid4().hex}"
    tmp.symlink_to(version, target_is_directory=True)
    os.replace(tmp, root / LATEST)
    _fsync_dir(root)


def build_catalog(
    target: Path,
    version: str,
    sources: Mapping[str, str],
    location: str,
    filesystem: Any = None,
) -> None:
    """A DuckDB file at `target` with one view per table over `sources` (table → Parquet path
    or URL) and a `_newsfacts_version` row naming the version and where its files are.

    DuckDB reads each source to create its view. For store URLs, `filesystem` (the store's
    fsspec filesystem) serves those reads, so publishing needs neither DuckDB's httpfs
    extension (downloaded on first use) nor DuckDB's own copy of the credentials; readers of
    the catalog still use theirs."""
    con = duckdb.connect(str(target))
    try:
        if filesystem is not None:
            con.register_filesystem(filesystem)
        for table, source in sources.items():
            quoted = source.replace("'", "''")
            con.execute(f"create or replace view {table} as select * from read_parquet('{quoted}')")
        con.execute(
            "create or replace table _newsfacts_version as select ? as version, ? as published_dir",
            [version, location],
        )
        con.execute("checkpoint")
    finally:
        con.close()


def write_catalog(data_dir: Path, version: str, tables: list[str]) -> Path:
    """Rebuild the catalog in a temporary file, then swap it in atomically.

    Views use absolute paths to the version folder, so the catalog works from any working
    directory; it is rebuilt on every publish.
    """
    version_dir = (published_dir(data_dir) / version).resolve()
    target = data_dir / CATALOG
    tmp = data_dir / f".catalog-{uuid.uuid4().hex}.duckdb"
    sources = {table: str(version_dir / f"{table}.parquet") for table in tables}
    build_catalog(tmp, version, sources, str(version_dir))
    os.replace(tmp, target)
    _fsync_dir(data_dir)
    return target


def catalog_version(data_dir: Path) -> str | None:
    """The version the catalog's views read, or None when there is no readable catalog."""
    path = data_dir / CATALOG
    if not path.is_file():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
        try:
            row = con.execute("select version from _newsfacts_version").fetchone()
        finally:
            con.close()
    except duckdb.Error:
        return None
    return str(row[0]) if row else None


def publish(
    data_dir: Path,
    staged: Mapping[str, Path],
    fingerprint_value: str,
    metadata: Mapping[str, Any],
) -> PublishResult:
    """Publish the staged Parquet files as a new version unless the latest one is identical."""
    root = published_dir(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    remove_leftovers(data_dir)
    current = latest_version(data_dir)
    if current is not None:
        check = check_version(root / current)
        manifest = check.manifest or {}
        if not check.sound:
            # Never "up to date" with a damaged live version: set it aside and publish the
            # staged tables as a new one, so the catalog ends on sound files.
            os.rename(root / current, root / f"{DAMAGED_PREFIX}{current}")
            repaired = [f"version {current} was damaged ({'; '.join(check.problems)})"]
            return _publish_new(data_dir, staged, fingerprint_value, metadata, repaired)
        if manifest.get("fingerprint") == fingerprint_value:
            # A build killed between moving `latest` and swapping the catalog leaves the
            # catalog on the previous version (which retention may delete later): repair it.
            if catalog_version(data_dir) != current:
                write_catalog(data_dir, current, list(manifest["row_counts"]))
            return PublishResult(
                "up_to_date", current, root / current, dict(manifest["row_counts"])
            )
    return _publish_new(data_dir, staged, fingerprint_value, metadata, [])


def _publish_new(
    data_dir: Path,
    staged: Mapping[str, Path],
    fingerprint_value: str,
    metadata: Mapping[str, Any],
    repaired: list[str],
) -> PublishResult:
    root = published_dir(data_dir)
    created = datetime.now(UTC)
    version = f"{created:%Y%m%dT%H%M%S%fZ}-{fingerprint_value[:8]}"
    stage = root / f".staging-{version}"
    stage.mkdir()
    try:
        row_counts: dict[str, int] = {}
        files: dict[str, str] = {}
        for table, source in staged.items():
            dest = stage / f"{table}.parquet"
            shutil.copyfile(source, dest)
            with dest.open("rb") as handle:
                os.fsync(handle.fileno())
            row_counts[table] = _parquet_rows(dest)
            files[table] = sha256_file(dest)
        manifest = {
            "version": version,
            "created_at": created.isoformat(),
            "fingerprint": fingerprint_value,
            "newsfacts_version": __version__,
            "row_counts": row_counts,
            "files_sha256": files,
            **metadata,
        }
        _write_json(stage / MANIFEST_FILE, manifest)
        _fsync_dir(stage)
        commit_version(stage, root / version)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    point_latest(data_dir, version)
    write_catalog(data_dir, version, list(staged))
    return PublishResult("published", version, root / version, row_counts, repaired)


def commit_version(stage: Path, final: Path) -> None:
    """The single step that makes a version exist: an atomic rename of a complete folder."""
    os.rename(stage, final)
    _fsync_dir(final.parent)


def remove_leftovers(data_dir: Path) -> list[str]:
    """Delete half-written staging folders and temporary files of a build that was killed.

    Call only while holding the data-directory lock; nothing readers use is ever named so.
    """
    removed = []
    for pattern, base in (
        (".staging-*", published_dir(data_dir)),
        (".latest-*", published_dir(data_dir)),
        (".retired-*", published_dir(data_dir)),
        (".catalog-*", data_dir),
    ):
        for leftover in base.glob(pattern):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
            removed.append(leftover.name)
    return removed


def _parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def apply_retention(data_dir: Path, keep: int) -> list[str]:
    """Delete all but the newest `keep` versions (never the latest); return what was removed."""
    if keep < 1:
        raise ValueError("retention must keep at least one version")
    current = latest_version(data_dir)
    versions = [m["version"] for m in list_versions(data_dir)]
    doomed = [v for v in versions[:-keep] if v != current]
    root = published_dir(data_dir)
    for version in doomed:
        # Hide the version with one atomic rename before deleting it, so a kill mid-delete
        # never leaves a visible version with files missing (remove_leftovers finishes it).
        retired = root / f".retired-{version}"
        os.rename(root / version, retired)
        shutil.rmtree(retired, ignore_errors=True)
    if doomed:
        _fsync_dir(root)
    return doomed


def staged_path(staging_dir: Path, table: str) -> Path:
    """Where the write step leaves a table for the audit (checks) and publish steps."""
    return staging_dir / f"{table}.parquet"
