"""Read an inbox folder into a documents frame, quarantining what cannot be read.

Every file either becomes a document row or a reject row with a specific reason, so a bad
file never stops a run and nothing disappears silently.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from newsfacts.intake.formats import RejectedDocument, decode, detect_format
from newsfacts.intake.schemas import DOCUMENTS_SCHEMA, REJECTS_SCHEMA
from newsfacts.runtime.parallel import map_items
from newsfacts.runtime.stat_cache import StatCache

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """An inbox file that is readable text. The text itself is not kept: workers re-read it
    (and verify its hash), so memory stays flat however large the inbox is."""

    source_file: str
    path: str
    content_sha256: str
    format: str
    encoding: str
    size_bytes: int

    @property
    def article_id(self) -> str:
        return article_id_for(self.content_sha256)


def article_id_for(content_sha256: str) -> str:
    """Stable id: the same bytes always get the same id, so versions can be joined and diffed."""
    return content_sha256[:16]


def _human(size: int) -> str:
    # Binary units, like the limit itself (10 * 1024 * 1024 reads "10.0 MiB", not "10.5 MB").
    return f"{size / 2**20:.1f} MiB" if size >= 100_000 else f"{size:,} bytes"


def read_document(path: Path, source_file: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    size = path.stat().st_size
    if size == 0:
        raise RejectedDocument("empty file (0 bytes)")
    if size > max_bytes:
        raise RejectedDocument(
            f"too large: {_human(size)} exceeds the {_human(max_bytes)} limit "
            "(raise max_document_bytes to accept it)"
        )
    data = path.read_bytes()
    text, encoding = decode(data)
    if not text or text.isspace():  # same test as `not text.strip()`, without the copy
        raise RejectedDocument("empty document: only whitespace")
    return Document(
        source_file=source_file,
        path=str(path),
        content_sha256=hashlib.sha256(data).hexdigest(),
        format=detect_format(text),
        encoding=encoding,
        size_bytes=size,
    )


Walked = tuple[Path, str, bool, os.stat_result | None]


def _walk_inbox(inbox: Path, exclude: tuple[Path, ...] = ()) -> Iterator[Walked]:
    """(path, inbox-relative name, inside, stat if known) for every visible entry that is a
    file or a symlink leaving the inbox; `inside` is False for the latter, which must never be
    read. Files are given by their resolved path. In the order of the sorted paths, folder by
    folder: only symlinks are resolved (the walk does not follow linked folders, so every
    other path is real already), and a plain file's stat comes from its folder's listing."""
    root = inbox.resolve()
    excluded = {str(p.resolve()) for p in exclude}
    yield from _walk_folder(root, str(root), "", excluded)


def _walk_folder(root: Path, folder: str, prefix: str, excluded: set[str]) -> Iterator[Walked]:
    # Paths stay strings until yielded: hashing a Path for the `excluded` lookup costs more
    # than the rest of the walk.
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:  # an unreadable folder is skipped, as a glob skips it
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        name = prefix + entry.name
        if entry.is_symlink():
            path = Path(entry.path)
            real = path.resolve()
            if str(real) in excluded:
                continue
            if not real.is_relative_to(root):  # a link leaving the inbox: never read
                yield path, name, False, None
            elif real.is_file():
                yield real, name, True, None
        elif entry.path in excluded:
            continue
        elif entry.is_dir(follow_symlinks=False):
            yield from _walk_folder(root, entry.path, name + "/", excluded)
        elif entry.is_file(follow_symlinks=False):
            try:
                yield Path(entry.path), name, True, entry.stat(follow_symlinks=False)
            except OSError:
                yield Path(entry.path), name, True, None


def iter_inbox(inbox: Path, exclude: tuple[Path, ...] = ()) -> Iterator[tuple[Path, str]]:
    """Files of the inbox in a stable order; hidden files and symlinks leaving it are skipped."""
    for path, source_file, inside, _ in _walk_inbox(inbox, exclude):
        if inside:
            yield path, source_file


def reject_row(source_file: str, stage: str, reason: str, **extra: object) -> dict[str, object]:
    row: dict[str, object] = {name: None for name in REJECTS_SCHEMA}
    row.update(source_file=source_file, stage=stage, reason=reason, **extra)
    return row


def _read(item: tuple[str, str, int]) -> Document | tuple[str, int | None]:
    """One file read, hashed and decoded: the document, or (reject reason, size)."""
    path, source_file, max_bytes = item
    try:
        return read_document(Path(path), source_file, max_bytes)
    except RejectedDocument as exc:
        try:
            return str(exc), Path(path).stat().st_size
        except OSError:
            return str(exc), None
    except OSError as exc:
        return f"unreadable: {exc.strerror}", None


def read_inbox(
    inbox: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    exclude: tuple[Path, ...] = (),
    known: StatCache | None = None,
    workers: int | None = None,
) -> tuple[list[Document], list[dict[str, object]]]:
    """Documents and reject rows of every inbox file. With `known`, files whose stamp is
    unchanged since the last run are not read again (see `newsfacts.runtime.stat_cache`); the others
    are read on every core, since hashing and decoding a large inbox is seconds of CPU."""
    known = known or StatCache(None)
    entries = list(_walk_inbox(inbox, exclude))
    found: dict[str, Document | tuple[str, int | None]] = {}
    stats: dict[str, os.stat_result] = {}
    for path, source_file, inside, listed in entries:
        if not inside:
            found[source_file] = ("symlink to a path outside the inbox: not read", None)
            continue
        try:
            stat = listed or path.stat()
        except OSError as exc:
            found[source_file] = (f"unreadable: {exc.strerror}", None)
            continue
        facts = known.get(source_file, stat)
        if facts is None or stat.st_size > max_bytes:
            stats[source_file] = stat
            continue
        found[source_file] = Document(
            source_file=source_file,
            path=str(path),
            content_sha256=facts["sha256"],
            format=facts["format"],
            encoding=facts["encoding"],
            size_bytes=stat.st_size,
        )
    to_read = [(str(path), name, max_bytes) for path, name, _, _ in entries if name in stats]
    pending = iter(to_read)
    for chunk in map_items(_read, to_read, workers=workers):
        # The chunk first: zip stops at its end without taking an item of the next chunk.
        for outcome, (_, source_file, _) in zip(chunk, pending, strict=False):
            found[source_file] = outcome
            if isinstance(outcome, Document):
                facts = {"sha256": outcome.content_sha256, "format": outcome.format}
                known.put(source_file, stats[source_file], **facts, encoding=outcome.encoding)

    documents: list[Document] = []
    rejects: list[dict[str, object]] = []
    seen: dict[str, str] = {}
    for _, source_file, _, _ in entries:
        outcome = found[source_file]
        if not isinstance(outcome, Document):
            reason, size = outcome
            rejects.append(reject_row(source_file, "documents", reason, size_bytes=size))
        elif outcome.content_sha256 in seen:
            rejects.append(
                reject_row(
                    source_file,
                    "documents",
                    f"exact duplicate of {seen[outcome.content_sha256]}",
                    content_sha256=outcome.content_sha256,
                    size_bytes=outcome.size_bytes,
                )
            )
        else:
            seen[outcome.content_sha256] = source_file
            documents.append(outcome)
    return documents, rejects


def documents_frame(
    documents: list[Document],
    manifest: pl.DataFrame,
    first_seen: dict[str, date] | None = None,
) -> pl.DataFrame:
    """Documents with their manifest metadata (null where the manifest has no row) and the
    day each was first taken in (``first_seen``, by content hash; see
    `newsfacts.intake.first_seen`)."""
    first_seen = first_seen or {}
    rows = [
        {
            "article_id": d.article_id,
            "source_file": d.source_file,
            "content_sha256": d.content_sha256,
            "format": d.format,
            "encoding": d.encoding,
            "size_bytes": d.size_bytes,
            "path": d.path,
            "first_seen_at": first_seen.get(d.content_sha256),
        }
        for d in documents
    ]
    base_schema = {k: v for k, v in DOCUMENTS_SCHEMA.items() if not k.startswith("manifest_")}
    base = pl.DataFrame(rows, schema=base_schema)
    meta = manifest.rename({c: f"manifest_{c}" for c in manifest.columns if c != "source_file"})
    return base.join(meta, on="source_file", how="left").select(list(DOCUMENTS_SCHEMA))


def rejects_frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=REJECTS_SCHEMA)
