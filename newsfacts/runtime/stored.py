"""Reference data parsed once and kept, ready to load, in the build's cache folder.

Exchange rates and the language model ship compressed or as text; parsing them costs a few
tenths of a second in every process that needs them, which is most of a small rebuild's
extraction step. The parsed object is pickled under a name that says what it was built from
(file hash, package version, layout), so a changed source or package is parsed afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def stored_or_built(store: Path | None, name: str, kind: type[T], build: Callable[[], T]) -> T:
    """`store / name` if it holds a `kind`, else `build()`, kept there for later processes.

    A missing, partial or unreadable copy is rebuilt; a read-only folder only costs the build.
    The copy is written under a temporary name and renamed, so readers never see half of it.
    """
    path = None if store is None else store / name
    if path is not None:
        # Unpickled from the open file: reading the bytes first would hold the copy and the
        # object at once, which for the language model is ~70 MB more peak memory.
        with contextlib.suppress(Exception), path.open("rb") as stream:
            value = pickle.load(stream)
            if isinstance(value, kind):
                return value
    value = build()
    if path is not None:
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, path)
    return value
