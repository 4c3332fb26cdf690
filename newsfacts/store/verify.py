"""Which version folders a data dir holds, where `latest` points, and each version against its
own manifest: the files it lists, of the sha256 it records.

Kept apart from `publish` and `integrity` so the publish step can refuse to call a damaged
live version "up to date" without the repair logic that builds on publishing.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsfacts.runtime.files import sha256_file

MANIFEST_FILE = "_manifest.json"
LATEST = "latest"
# A damaged version folder is renamed to this prefix + its name: kept, invisible to readers.
DAMAGED_PREFIX = ".damaged-"


def load_manifest(folder: Path) -> dict[str, Any]:
    """A version folder's manifest; OSError or ValueError when it is missing or not one."""
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    if not isinstance(manifest, dict) or "row_counts" not in manifest:
        raise ValueError("not a newsfacts manifest")
    return manifest


@dataclass
class VersionCheck:
    version: str
    problems: list[str] = field(default_factory=list)
    manifest: dict[str, Any] | None = None

    @property
    def sound(self) -> bool:
        return not self.problems


def check_version(folder: Path, deep: bool = True) -> VersionCheck:
    """A version folder against its manifest: every file present, of its recorded sha256
    (``deep``) or at least present and non-empty."""
    check = VersionCheck(folder.name)
    try:
        manifest = load_manifest(folder)
    except (OSError, ValueError) as exc:
        check.problems.append(f"{MANIFEST_FILE} unreadable ({exc})")
        return check
    check.manifest = manifest
    recorded: dict[str, str] = manifest.get("files_sha256") or {}
    for table in manifest["row_counts"]:
        path = folder / f"{table}.parquet"
        if not path.is_file() or path.stat().st_size == 0:
            check.problems.append(f"{path.name} missing")
        elif deep and table in recorded and sha256_file(path) != recorded[table]:
            check.problems.append(f"{path.name} does not match its recorded sha256")
    return check


def published_dir(data_dir: Path) -> Path:
    return data_dir / "published"


def latest_problem(data_dir: Path) -> str | None:
    """Why the `latest` link cannot be trusted, or None when it names a version folder (or
    there is no link yet)."""
    link = published_dir(data_dir) / LATEST
    if not link.is_symlink() and not link.exists():
        return None
    if not link.is_symlink():
        return f"{link} is not a link"
    target = Path(os.readlink(link))
    if target.is_absolute() or len(target.parts) != 1 or target.name.startswith("."):
        return f"{link} points outside {published_dir(data_dir)} ({target})"
    if not (published_dir(data_dir) / target).is_dir():
        return f"{link} points at {target}, which does not exist"
    return None


def version_folders(data_dir: Path) -> list[Path]:
    """Version folders (complete or not) under published/, oldest first: not `latest`, not
    a staging or damaged folder (their names start with ".")."""
    root = published_dir(data_dir)
    if not root.is_dir():
        return []
    return sorted(
        child
        for child in root.iterdir()
        if not child.name.startswith(".")
        and child.name != LATEST
        and child.is_dir()
        and not child.is_symlink()
    )
