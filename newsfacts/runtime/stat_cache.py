"""What is known about an inbox file's content, remembered by its file-system stamp.

Hashing and decoding every file of a large inbox costs more than a rebuild's real work (10k
pages: ~15 s), so intake and the inbox sensor trust a file whose size, modification time,
change time and inode are unchanged, as git's index does. Any write to a file moves its change
time, which `cp -p` or `touch -r` cannot set back, so a rewritten file is always read again;
the extraction step re-reads and re-verifies the hash of every document it processes anyway.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from newsfacts.runtime.jsonfile import write_json_atomic

# Bumped when the facts stored per file change meaning, so old entries are ignored (2: files
# are sniffed for magic bytes and UTF-16/32 without a BOM, and the format is read from the
# decoded text).
_FORMAT = 2


def _stamp(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


class StatCache:
    """A JSON file mapping inbox-relative names to their stamp and facts.

    `save` keeps only the files looked up since loading, so removed files drop out, and writes
    atomically: a crash leaves the previous file, and a lost or corrupt file only costs a
    re-read of the inbox.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._known: dict[str, Any] = {}
        self._current: dict[str, Any] = {}
        if path is not None and path.is_file():
            try:
                loaded = json.loads(path.read_text())
            except (OSError, ValueError):
                loaded = {}
            if isinstance(loaded, dict) and loaded.get("format") == _FORMAT:
                self._known = loaded.get("files", {})

    def get(self, name: str, stat: os.stat_result) -> dict[str, Any] | None:
        entry = self._known.get(name)
        if entry and entry.get("stamp") == _stamp(stat):
            self._current[name] = entry
            return dict(entry["facts"])
        return None

    def put(self, name: str, stat: os.stat_result, **facts: Any) -> None:
        self._current[name] = {"stamp": _stamp(stat), "facts": facts}

    def save(self) -> None:
        if self.path is None:
            return
        write_json_atomic(self.path, {"format": _FORMAT, "files": self._current})
