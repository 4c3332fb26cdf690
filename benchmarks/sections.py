"""Sections of benchmarks/RESULTS.md that a script owns, between its own begin/end markers.

run.py rewrites the file's tables and keeps everything from its notes marker on, so a
script's section goes after that marker (added if missing); a rerun replaces the section in
place and leaves the rest of the file alone.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.scale.report import NOTES_MARKER


def write_section(path: Path, section: str, begin: str, end: str) -> None:
    """Replace the section that ``section`` (from ``begin`` to ``end``) stands for, or append
    it after the notes marker."""
    old = path.read_text() if path.is_file() else ""
    if begin in old and end in old:
        new = old[: old.index(begin)] + section + old[old.index(end) + len(end) + 1 :]
    else:
        marker = "" if NOTES_MARKER in old else NOTES_MARKER + "\n"
        new = (old.rstrip("\n") + "\n\n" if old else "") + marker + section
    path.write_text(new)
