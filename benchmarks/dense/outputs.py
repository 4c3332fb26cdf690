"""The mentions, quotes and figures rows of a fixed set of documents, saved and compared.

A change made for speed must not change a single row: the set is the seeds, the test pages,
every page of the shared corpora and dense pages of a few sizes (text and HTML), and two
snapshots taken by two versions of the code compare equal only if every row of every table
of every document is the same.

    python benchmarks/dense_page.py snapshot before.pickle   # on the old code
    python benchmarks/dense_page.py snapshot after.pickle
    python benchmarks/dense_page.py compare before.pickle after.pickle
"""

from __future__ import annotations

import gzip
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.dense.page import dense_html, dense_text
from benchmarks.dense.stages import run_chain
from benchmarks.make_corpus import DEFAULT_CORPORA
from newsfacts.facts.entities.reference import load_reference
from newsfacts.intake.formats import decode, detect_format

REPO = Path(__file__).resolve().parents[2]
DENSE_SIZES_KB = (64, 256, 1024)
TABLES = ("mentions", "quotes", "figures")
Snapshot = dict[str, dict[str, list[dict[str, Any]]]]


def _files() -> Iterator[tuple[str, bytes]]:
    folders = [REPO / "seeds" / "articles", REPO / "tests" / "data" / "pages"]
    for folder in folders:
        for path in sorted(folder.iterdir()):
            yield str(path.relative_to(REPO)), path.read_bytes()
    for path in sorted(DEFAULT_CORPORA.glob("*/html/*")):
        raw = path.read_bytes()
        yield (
            str(path.relative_to(DEFAULT_CORPORA)),
            (gzip.decompress(raw) if path.suffix == ".gz" else raw),
        )


def documents() -> Iterator[tuple[str, str, str]]:
    """(name, raw text, format) of every document of the set."""
    for name, data in _files():
        fmt = "html" if detect_format(data) == "html" else "txt"
        try:
            raw, _ = decode(data)
        except ValueError:
            continue
        yield name, raw, fmt
    for kb in DENSE_SIZES_KB:
        yield f"dense-{kb}k.txt", dense_text(kb * 1024, seed=kb), "txt"
    yield "dense-256k.html", dense_html(256 * 1024, seed=7), "html"


def snapshot() -> Snapshot:
    index = load_reference()
    out: Snapshot = {}
    for name, raw, fmt in documents():
        try:
            run = run_chain(raw, fmt, article_id=name, index=index)
        except ValueError as exc:  # no text found: the same on both sides, or a difference
            out[name] = {"error": [{"message": str(exc)}]}
            continue
        out[name] = run.rows
    return out


def save(path: Path, snap: Snapshot) -> None:
    path.write_bytes(pickle.dumps(snap))


def load(path: Path) -> Snapshot:
    return pickle.loads(path.read_bytes())  # our own file


def differences(before: Snapshot, after: Snapshot) -> list[str]:
    """One line per document and table whose rows differ (empty when all are equal)."""
    lines = [f"{name}: only in one snapshot" for name in sorted(set(before) ^ set(after))]
    for name in sorted(set(before) & set(after)):
        for table in sorted(set(before[name]) | set(after[name])):
            a, b = before[name].get(table), after[name].get(table)
            if a != b:
                first = next(
                    (i for i, (x, y) in enumerate(zip(a or [], b or [], strict=False)) if x != y),
                    min(len(a or []), len(b or [])),
                )
                lines.append(
                    f"{name} {table}: {len(a or [])} vs {len(b or [])} rows, first differing "
                    f"row {first}"
                )
    return lines
