"""Per-document work on the worker pool: batched extraction gives each page's own result."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from newsfacts.extract.articles import extract_batch, extract_rows
from newsfacts.intake.inbox import read_inbox
from newsfacts.runtime.parallel import INLINE_BELOW, map_items

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "articles"


def test_batched_extraction_on_the_pool_matches_one_page_at_a_time(tmp_path: Path) -> None:
    documents, rejects = read_inbox(SEEDS)
    assert not rejects and len(documents) == 5
    broken = tmp_path / "moved.html"  # listed, then gone: an error row inside a batch
    items = [
        (f"{i:03d}-{d.article_id}", d.path, d.encoding, d.content_sha256, d.format)
        for i, d in enumerate(documents * 14)
    ]
    items.insert(33, ("gone", str(broken), "utf-8", "0" * 64, "html"))
    assert len(items) >= INLINE_BELOW  # large enough for the process pool

    chunks = list(map_items(partial(extract_rows, None), items, workers=2, batched=True))

    rows = [row for chunk in chunks for [row] in chunk]
    assert [r["article_id"] for r in rows] == [item[0] for item in items]
    for row, item in zip(rows, items, strict=True):
        if item[0] == "gone":
            assert row["error"].startswith("extraction failed: FileNotFoundError")
            assert row["text"] is None and row["minhash"] is None
            continue
        single = extract_batch([item])[0]
        assert row == single
        assert row["error"] is None and row["language"] == "en" and len(row["minhash"]) == 128
