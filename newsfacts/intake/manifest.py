"""Optional per-document metadata (outlet, url, publication date) from a CSV manifest.

The manifest is input written by people, so each row is validated on its own: a row naming a
file outside the inbox, carrying an unparseable date, a byte that is not UTF-8, a field longer
than any real title or URL, or more fields than the header is rejected with a reason, the
other rows are kept, and the document a rejected row names (if any) still flows through on
extracted metadata.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path, PurePosixPath

import polars as pl

from newsfacts.intake.inbox import reject_row
from newsfacts.intake.schemas import MANIFEST_SCHEMA

MANIFEST_COLUMNS = ("source_file", "outlet", "url", "published_at", "title")
# Longer than any outlet, title or URL a person writes (browsers cap URLs near 2,000).
MAX_FIELD_CHARS = 4096
# Bytes that are not UTF-8 survive decoding as lone surrogates (errors="surrogateescape").
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def _safe_relative(name: str) -> str | None:
    """Inbox-relative POSIX path, or None when the name escapes the inbox."""
    if not name or "\x00" in name:
        return None
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or name.startswith("~"):
        return None
    return path.as_posix()


def _printable(value: str) -> str:
    """A field fit for the rejects table: bytes that are not UTF-8 shown as U+FFFD."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _records(text: str) -> Iterator[tuple[int, list[str] | str]]:
    """(first line, fields) of each non-blank record, or (first line, why it is unreadable).
    A record the csv module refuses (a field over its own size limit) costs that record
    only: the reader starts again on the next line."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield line, f"not readable as CSV ({exc})"
            continue
        if fields:
            yield line, fields


def _row_problem(header: list[str], fields: list[str]) -> str | None:
    """Why a record cannot be taken as it is, judged before any of its values are used.
    Columns the manifest does not define are not read, so their values are not judged."""
    for column, value in zip(header, fields, strict=False):
        if column not in MANIFEST_COLUMNS:
            continue
        bad = _NOT_UTF8.search(value)
        if bad:
            byte = ord(bad.group(0)) - 0xDC00
            return (
                f"{column!r} is not UTF-8 (byte 0x{byte:02X}); save the manifest as UTF-8 "
                "to use this row"
            )
        if len(value) > MAX_FIELD_CHARS:
            return f"{column!r} is {len(value):,} characters long (limit {MAX_FIELD_CHARS:,})"
        if "\x00" in value:
            return f"{column!r} holds a NUL character"
    extra = fields[len(header) :]
    if any(value.strip() for value in extra):
        return (
            f"{len(fields)} fields where the header has {len(header)} "
            "(a comma in a value that is not quoted?)"
        )
    return None


def read_manifest(path: Path | None) -> tuple[pl.DataFrame, list[dict[str, object]]]:
    """Valid rows as a frame, and a reject row for each invalid one."""
    if path is None or not path.is_file():
        return pl.DataFrame(schema=MANIFEST_SCHEMA), []
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = f"manifest is not readable: {exc.strerror}"
        return pl.DataFrame(schema=MANIFEST_SCHEMA), [reject_row(path.name, "manifest", reason)]
    records = _records(data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "surrogateescape"))
    header_record = next(records, None)
    header = header_record[1] if header_record else None
    if not isinstance(header, list) or "source_file" not in header:
        reason = "manifest has no 'source_file' column"
        return pl.DataFrame(schema=MANIFEST_SCHEMA), [reject_row(path.name, "manifest", reason)]
    rows: list[dict[str, object]] = []
    rejects: list[dict[str, object]] = []
    seen: set[str] = set()
    for line_no, fields in records:
        where = f"{path.name}:{line_no}"
        problem = fields if isinstance(fields, str) else _row_problem(header, fields)
        raw = {} if isinstance(fields, str) else dict(zip(header, fields, strict=False))
        name = (raw.get("source_file") or "").strip()
        if problem is not None:
            label = _printable(name) if len(name) <= MAX_FIELD_CHARS else ""
            rejects.append(reject_row(label or where, "manifest", f"{where}: {problem}"))
            continue
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
            rejects.append(reject_row(source_file, "manifest", f"{where}: duplicate manifest row"))
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
    return pl.DataFrame(rows, schema=MANIFEST_SCHEMA), rejects
