"""The day a data dir first took in each document, kept across rebuilds.

Pages saved from the web often carry no publication date, yet grouping across sources has to
place them in time. The day a document first reached this data dir is the next best date, but
only if it does not move: a document seen on Monday must still be Monday's when the tables are
rebuilt on Tuesday, or after the cache is cleared. So the dates live in a small ledger in the
data dir (not under ``cache/``, which is safe to delete), keyed by content hash so that a
renamed or moved file keeps its date. Entries stay when a file leaves the inbox: putting it
back later does not make it new.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from newsfacts.runtime.jsonfile import write_json_atomic

# Bumped if the ledger's layout changes; a ledger of another format is refused, not reset,
# since resetting it would move every document's date to today.
_FORMAT = 1


class FirstSeenError(ValueError):
    """The ledger exists but cannot be read: dates would be lost by starting over silently."""


def load_first_seen(path: Path) -> dict[str, date]:
    """content_sha256 → first-seen day; empty when the data dir has no ledger yet."""
    if not path.is_file():
        return {}
    try:
        loaded = json.loads(path.read_text())
        if not isinstance(loaded, dict) or loaded.get("format") != _FORMAT:
            raise ValueError(f"not a format-{_FORMAT} ledger")
        return {str(k): date.fromisoformat(v) for k, v in loaded["documents"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise FirstSeenError(
            f"{path}: unreadable first-seen ledger ({exc}); restore it, or delete it to date "
            "every document as first seen today"
        ) from exc


def first_seen_dates(
    known: dict[str, date], content_hashes: Iterable[str], today: date
) -> dict[str, date]:
    """``known`` plus ``today`` for every hash it lacks: a document's day is set once."""
    dates = dict(known)
    for sha in content_hashes:
        dates.setdefault(sha, today)
    return dates


def save_first_seen(path: Path, dates: dict[str, date]) -> bool:
    """Write the ledger atomically if it gains or changes entries; True when written.

    The ledger on disk is read again first and the earlier day kept for each hash, so a run
    that overlaps another (a run started from the UI during a build) cannot move a document's
    date forward or drop what the other run recorded.
    """
    current = load_first_seen(path)
    merged = dict(current)
    for sha, day in dates.items():
        merged[sha] = min(day, current.get(sha, day))
    if merged == current and path.is_file():
        return False
    documents = {sha: merged[sha].isoformat() for sha in sorted(merged)}
    write_json_atomic(path, {"format": _FORMAT, "documents": documents})
    return True
