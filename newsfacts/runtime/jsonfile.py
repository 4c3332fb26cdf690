"""Small JSON state files (audit records, GX results, stat caches) written whole or not at all."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def write_json_atomic(path: Path, payload: Any, indent: int | None = None) -> None:
    """Write to a hidden temporary file beside `path`, then rename: a reader, or the next run
    after a crash, sees the previous file or the new one, never half of one. The process id
    in the temporary name keeps two writers from sharing it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(payload, indent=indent, default=str))
    os.replace(tmp, path)
