"""Is what a data dir holds what was written? Checks and repairs for published versions,
the `latest` link, the catalog and the Dagster instance database.

A published file can be truncated by a full disk, a bad copy or a hand edit long after it
was written, and nothing then reads it until an analyst's query fails. Every version's
manifest carries the sha256 of each file, so a version can be proved sound; a damaged one is
moved aside (never deleted: it may be all that is left of that day) and `latest` and the
catalog are pointed at the newest sound version. Builds and `newsfacts versions` run the
same checks, and `newsfacts doctor --repair` applies the repairs on demand.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from newsfacts.store.publish import catalog_version, point_latest, write_catalog
from newsfacts.store.verify import (
    DAMAGED_PREFIX,
    LATEST,
    VersionCheck,
    check_version,
    latest_problem,
    published_dir,
    version_folders,
)


def instance_problem(data_dir: Path) -> str | None:
    """Why the Dagster instance's SQLite databases cannot be opened, if they cannot."""
    home = data_dir / "dagster"
    for db in sorted(home.glob("**/*.db")) if home.is_dir() else []:
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                con.execute("pragma schema_version").fetchone()
            finally:
                con.close()
        except sqlite3.DatabaseError as exc:
            return f"{db} is not a readable SQLite database ({exc})"
    return None


@dataclass
class Health:
    versions: list[VersionCheck]
    latest: str | None  # the version `latest` names, if it names one
    latest_problem: str | None
    catalog: str | None  # the version the catalog reads
    instance_problem: str | None

    @property
    def damaged(self) -> list[VersionCheck]:
        return [v for v in self.versions if not v.sound]

    @property
    def newest_sound(self) -> str | None:
        return next((v.version for v in reversed(self.versions) if v.sound), None)

    @property
    def problems(self) -> list[str]:
        found = [f"version {v.version}: {'; '.join(v.problems)}" for v in self.damaged]
        if self.latest_problem:
            found.append(self.latest_problem)
        if self.catalog != self.newest_sound and self.newest_sound is not None:
            found.append(f"catalog reads {self.catalog or 'nothing'}, not {self.newest_sound}")
        if self.instance_problem:
            found.append(self.instance_problem)
        return found


def inspect(data_dir: Path, deep: bool | None = True) -> Health:
    """Every check at once. ``deep`` hashes every version's files; None hashes only the
    latest's (what a build reads and republishes), checking the others for presence."""
    problem = latest_problem(data_dir)
    latest = None if problem else _latest_name(data_dir)
    versions = [
        check_version(folder, deep=deep if deep is not None else folder.name == latest)
        for folder in version_folders(data_dir)
    ]
    return Health(versions, latest, problem, catalog_version(data_dir), instance_problem(data_dir))


def _latest_name(data_dir: Path) -> str | None:
    link = published_dir(data_dir) / LATEST
    return Path(os.readlink(link)).name if link.is_symlink() else None


def repair(data_dir: Path, health: Health | None = None) -> list[str]:
    """Apply the repairs ``health`` calls for; returns what was done, in words.

    Damaged versions are renamed to ``published/.damaged-<version>`` (kept for inspection,
    invisible to readers); `latest` and the catalog move to the newest sound version; an
    unreadable instance database is moved aside, so Dagster starts a fresh one (the run
    history in it was unreadable already). Call while holding the data-dir lock.
    """
    health = health or inspect(data_dir)
    done: list[str] = []
    root = published_dir(data_dir)
    for check in health.damaged:
        target = root / f"{DAMAGED_PREFIX}{check.version}"
        os.rename(root / check.version, target)
        done.append(f"moved damaged version {check.version} to {target}")
    sound = [v for v in health.versions if v.sound]
    if sound:
        newest = sound[-1]
        if health.latest != newest.version or health.latest_problem:
            point_latest(data_dir, newest.version)
            done.append(f"latest now points at {newest.version}")
        if catalog_version(data_dir) != newest.version:
            write_catalog(data_dir, newest.version, list((newest.manifest or {})["row_counts"]))
            done.append(f"catalog now reads {newest.version}")
    elif health.latest_problem or health.damaged:
        (root / LATEST).unlink(missing_ok=True)
        done.append("no sound version left: latest removed; the next build publishes one")
    if health.instance_problem:
        stamp = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
        home = data_dir / "dagster"
        aside = data_dir / f"dagster{DAMAGED_PREFIX}{stamp}"
        os.rename(home, aside)
        done.append(f"moved the unreadable Dagster instance to {aside}; a fresh one starts")
    return done


def heal_before_build(data_dir: Path) -> list[str]:
    """What a build repairs on its own before it starts: an unreadable instance database
    (the build could not even record its run), a `latest` that names nothing sound, and
    damaged versions (so `latest` falls back to a sound one if this build fails). The live
    version is hashed; older ones are checked for presence."""
    if not data_dir.is_dir():
        return []
    health = inspect(data_dir, deep=None)
    return repair(data_dir, health) if health.problems else []
