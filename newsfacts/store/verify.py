"""A published version against its own manifest: the files it lists, of the sha256 it records.

Kept apart from `publish` and `integrity` so the publish step can refuse to call a damaged
live version "up to date" without the repair logic that builds on publishing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsfacts.runtime.files import sha256_file

MANIFEST_FILE = "_manifest.json"


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
        manifest = json.loads((folder / MANIFEST_FILE).read_text())
        if not isinstance(manifest, dict) or "row_counts" not in manifest:
            raise ValueError("not a newsfacts manifest")
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
