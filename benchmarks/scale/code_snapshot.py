"""Freeze the code under test, so every measured run of one invocation runs the same code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SNAPSHOT_SKIP = (
    ".venv",
    ".git",
    "data",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "*.egg-info",
)


def snapshot_code(dest: Path) -> Path:
    """Copy the working tree, so that build and rebuild run the very same code.

    The tree is edited while benchmarks run, and the stage caches are keyed by a hash of the
    code: an edit landing between the build and the rebuild would make the rebuild recompute
    everything and measure nothing. The copy comes first on PYTHONPATH, ahead of the editable
    install, so the console script, its workers and the code hash all see the copy.
    """
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(REPO, dest, ignore=shutil.ignore_patterns(*SNAPSHOT_SKIP), symlinks=True)
    return dest


def code_version(code: Path) -> str:
    """The pipeline's own code hash of the copy (its cache key), to tie results to code."""
    probe = "from newsfacts.runtime.provenance import code_version; print(code_version())"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=code,
        env={**os.environ, "PYTHONPATH": str(code)},
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() or "unknown"
