"""Which inboxes and data dirs a run launched from the UI may use: the operator's roots.

Anyone who can reach the UI can launch a run with their own run config, and a run reads
every file of its inbox and writes under its data dir. The roots say where those may be:
`NEWSFACTS_ALLOWED_ROOTS` (os.pathsep-separated folders or object-store URLs), else the
folders the code location was started with plus the project. A local path counts as inside
a root after symlinks are resolved; a URL only under a URL that is listed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from newsfacts.store.remote import is_url

ROOTS_VARIABLE = "NEWSFACTS_ALLOWED_ROOTS"
PROJECT_DIR = Path(__file__).resolve().parents[1]


def parse_roots(text: str) -> list[str]:
    """The roots in a `NEWSFACTS_ALLOWED_ROOTS` value. On POSIX the separator is ":", which a
    URL's scheme also holds, so a ":" that starts "//" does not separate."""
    parts = re.split(rf"{re.escape(os.pathsep)}(?!//)", text)
    return [part.strip() for part in parts if part.strip()]


def roots_from(env: Mapping[str, str], defaults: Iterable[str | None]) -> list[str]:
    """The operator's roots when set, else the given defaults and the project dir."""
    if configured := env.get(ROOTS_VARIABLE, "").strip():
        return parse_roots(configured)
    return [*(d for d in defaults if d), str(PROJECT_DIR)]


def _normal_url(url: str) -> str:
    return url.rstrip("/")


def is_within(location: str, roots: Iterable[str]) -> bool:
    """Whether a configured inbox, data dir or file lies in (or is) one of the roots."""
    if is_url(location):
        if ".." in location.split("/"):
            return False
        url = _normal_url(location)
        return any(
            url == root or url.startswith(root + "/")
            for root in (_normal_url(r) for r in roots if is_url(r))
        )
    path = Path(location).resolve()
    return any(path.is_relative_to(Path(root).resolve()) for root in roots if not is_url(root))


def outside_roots(locations: Mapping[str, str | None], roots: list[str]) -> str | None:
    """A message naming each configured location that is outside the roots; None if all are
    inside (an unset location is not checked)."""
    outside = [
        f"{name} {value!r}"
        for name, value in locations.items()
        if value and not is_within(value, roots)
    ]
    if not outside:
        return None
    verb = "is" if len(outside) == 1 else "are"
    return (
        f"{' and '.join(outside)} {verb} outside the allowed roots ({', '.join(roots)}); "
        f"nothing was read or written. Add the folder to {ROOTS_VARIABLE} "
        f"(separated by {os.pathsep!r}) where the UI is started to allow it."
    )
