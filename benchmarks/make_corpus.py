"""Build a large benchmark inbox out of the few hundred real pages in the shared corpora.

Synthetic HTML would not exercise trafilatura the way real pages do (their size, scripts,
boilerplate and markup quirks dominate the cost), so documents are real pages, cycled. Each
copy gets a small, deterministic edit (a number in the title, a sentence in the first body
paragraph) so that every file has its own content hash: the pipeline caches by content hash and
drops exact duplicates, so identical copies would measure the cache, not the work.

Edits are made on the raw bytes, before any decoding, so a page keeps its original encoding
and the pipeline's own encoding detection is exercised exactly as on the original.

    python benchmarks/make_corpus.py --out /tmp/inbox --n 10000
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPORA = REPO.parent / "shared" / "corpora"
# (glob under the corpora root, gzip-compressed?)
SOURCES: tuple[tuple[str, bool], ...] = (
    ("article-extraction-benchmark/html/*.html.gz", True),
    ("trafilatura-cache/html/*.html", False),
)
# Many small folders rather than one huge one: listing and creating files in a directory of
# 50k entries is slow on some file systems, and the inbox reader recurses anyway.
FILES_PER_FOLDER = 1000
# Hidden, so the inbox reader skips it; lets a rerun with the same arguments reuse the files.
MARKER = ".corpus.json"

_TITLE_OPEN = re.compile(rb"<title[^>]*>", re.IGNORECASE)
_BODY_OPEN = re.compile(rb"<body[^>]*>", re.IGNORECASE)
_P_OPEN = re.compile(rb"<p(?:\s[^>]*)?>", re.IGNORECASE)


@dataclass(frozen=True)
class SourcePage:
    """One real page, already decompressed: it is copied thousands of times."""

    name: str
    data: bytes


def load_sources(corpora: Path) -> list[SourcePage]:
    """Every page of the shared corpora, in a fixed order so document i is the same everywhere."""
    pages: list[SourcePage] = []
    for pattern, gzipped in SOURCES:
        for path in sorted(corpora.glob(pattern)):
            raw = path.read_bytes()
            data = gzip.decompress(raw) if gzipped else raw
            name = path.name.removesuffix(".gz").removesuffix(".html")
            pages.append(SourcePage(name=name[:40], data=data))
    if not pages:
        raise SystemExit(
            f"no pages found under {corpora} (expected {', '.join(p for p, _ in SOURCES)}); "
            "pass --corpora"
        )
    return pages


def sources_fingerprint(pages: Sequence[SourcePage]) -> str:
    """Identifies the source pages, so a stale corpus is rebuilt when the shared pages change."""
    digest = hashlib.sha256()
    for page in pages:
        digest.update(page.name.encode())
        digest.update(hashlib.sha256(page.data).digest())
    return digest.hexdigest()[:16]


def _insert_after(data: bytes, pattern: re.Pattern[bytes], text: bytes, start: int = 0) -> bytes:
    match = pattern.search(data, start)
    if match is None:
        return data
    return data[: match.end()] + text + data[match.end() :]


def vary(data: bytes, index: int) -> bytes:
    """The page with a unique title prefix and body sentence for document `index`.

    The sentence goes into the first paragraph of the body, where extraction keeps it, so the
    extracted texts differ too (and later stages do not see thousands of identical texts).
    Pages without a <p> still get a unique title and a trailing comment: the hash always differs.
    """
    tag = f"{index:07d}".encode()
    varied = _insert_after(data, _TITLE_OPEN, b"Copy " + tag + b": ")
    body = _BODY_OPEN.search(varied)
    sentence = (
        b"Benchmark edition " + tag + b" reports " + str(index % 997).encode() + b" readers. "
    )
    varied = _insert_after(varied, _P_OPEN, sentence, body.end() if body else 0)
    return varied + b"\n<!-- newsfacts benchmark copy " + tag + b" -->\n"


def document_path(out: Path, index: int, page: SourcePage) -> Path:
    return out / f"{index // FILES_PER_FOLDER:03d}" / f"{index:07d}-{page.name}.html"


def write_documents(out: Path, pages: Sequence[SourcePage], start: int, stop: int) -> list[Path]:
    """Write documents [start, stop); document i is page i mod len(pages), edited for i."""
    written: list[Path] = []
    folder: Path | None = None
    for index in range(start, stop):
        page = pages[index % len(pages)]
        path = document_path(out, index, page)
        if path.parent != folder:
            folder = path.parent
            folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(vary(page.data, index))
        written.append(path)
    return written


def make_corpus(out: Path, n: int, corpora: Path = DEFAULT_CORPORA) -> bool:
    """Make `out` hold exactly documents 0..n-1; returns False when it already did.

    Reuse matters: the 50k corpus is ~8 GB and rewriting it for every benchmark run would
    dominate the time of the runs.
    """
    pages = load_sources(corpora)
    marker = {"n": n, "sources": sources_fingerprint(pages), "files_per_folder": FILES_PER_FOLDER}
    marker_path = out / MARKER
    if marker_path.is_file() and json.loads(marker_path.read_text()) == marker:
        return False
    if out.exists() and any(out.iterdir()):
        if not marker_path.is_file():
            raise SystemExit(f"{out} is not empty and was not made by make_corpus; refusing")
        _remove_tree(out)
    out.mkdir(parents=True, exist_ok=True)
    write_documents(out, pages, 0, n)
    marker_path.write_text(json.dumps(marker))
    return True


def _remove_tree(root: Path) -> None:
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        for name in filenames:
            os.unlink(os.path.join(dirpath, name))
        for name in dirnames:
            os.rmdir(os.path.join(dirpath, name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="inbox folder to fill")
    parser.add_argument("--n", type=int, required=True, help="number of documents")
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    made = make_corpus(args.out, args.n, args.corpora)
    elapsed = time.perf_counter() - started
    verb = "wrote" if made else "already had"
    print(f"{verb} {args.n} documents in {args.out} ({elapsed:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
