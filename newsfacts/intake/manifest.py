"""Optional per-document metadata (outlet, url, publication date) from a CSV manifest.

The manifest is input written by people, so each row is validated on its own: a row naming a
file outside the inbox or carrying an unparseable date is rejected with a reason, and the
document it names (if any) still flows through on extracted metadata.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path, PurePosixPath

import polars as pl

from newsfacts.intake.inbox import reject_row
from newsfacts.intake.schemas import MANIFEST_SCHEMA

MANIFEST_COLUMNS = ("source_file", "outlet", "url", "published_at", "title")


def _safe_relative(name: str) -> str | None:
    """Inbox-relative POSIX path, or None when the name escapes the inbox."""
    if not name or "\x00" in name:
        return None
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or name.startswith("~"):
        return None
    return path.as_posix()


def read_manifest(path: Path | None) -> tuple[pl.DataFrame, list[dict[str, object]]]:
    """Valid rows as a frame, and a reject row for each invalid one."""
    if path is None or not path.is_file():
        return pl.DataFrame(schema=MANIFEST_SCHEMA), []
    rows: list[dict[str, object]] = []
    rejects: list[dict[str, object]] = []
    seen: set[str] = set()
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or "source_file" not in reader.fieldnames:
                rejects.append(
                    reject_row(path.name, "manifest", "manifest has no 'source_file' column")
                )
                return pl.DataFrame(schema=MANIFEST_SCHEMA), rejects
            for line_no, raw in enumerate(reader, start=2):
                where = f"{path.name}:{line_no}"
                name = (raw.get("source_file") or "").strip()
                source_file = _safe_relative(name)
                if source_file is None:
                    rejects.append(
                        reject_row(
                            name or where,
                            "manifest",
                            f"{where}: source_file {name!r} is not a path inside the inbox",
                        )
                    )
                    continue
                if source_file in seen:
                    rejects.append(
                        reject_row(source_file, "manifest", f"{where}: duplicate manifest row")
                    )
                    continue
                published_raw = (raw.get("published_at") or "").strip()
                published: date | None = None
                if published_raw:
                    try:
                        published = date.fromisoformat(published_raw)
                    except ValueError:
                        rejects.append(
                            reject_row(
                                source_file,
                                "manifest",
                                f"{where}: published_at {published_raw!r} is not an ISO date "
                                "(YYYY-MM-DD); the document uses its extracted date instead",
                            )
                        )
                seen.add(source_file)
                rows.append(
                    {
                        "source_file": source_file,
                        "outlet": (raw.get("outlet") or "").strip() or None,
                        "url": (raw.get("url") or "").strip() or None,
                        "published_at": published,
                        "title": (raw.get("title") or "").strip() or None,
                    }
                )
    except (UnicodeDecodeError, csv.Error) as exc:
        rejects.append(reject_row(path.name, "manifest", f"manifest is not readable CSV: {exc}"))
        return pl.DataFrame(schema=MANIFEST_SCHEMA), rejects
    return pl.DataFrame(rows, schema=MANIFEST_SCHEMA), rejects
