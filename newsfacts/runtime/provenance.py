"""What a build depends on besides its input documents: code, checks and reference data.

Hashing the files themselves (not a version string someone must remember to bump) means any
change to extraction rules, expectations or reference data yields a new published version.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
_CODE_GLOBS = ("newsfacts/**/*.py", "assets/**/*.py", "expectations/**/*.json")
_REFERENCE_GLOBS = ("seeds/reference/**/*.csv",)


def _hash_files(globs: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for pattern in globs:
        for path in sorted(REPO_ROOT.glob(pattern)):
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(REPO_ROOT).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@cache
def code_version() -> str:
    return _hash_files(_CODE_GLOBS)


@cache
def reference_version() -> str:
    return _hash_files(_REFERENCE_GLOBS)
