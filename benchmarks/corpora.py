"""Locate and load the shared evaluation corpora under ``../shared/corpora``.

The corpora are read-only captures that live next to the repository, not in it (their page
text belongs to the publishers), so every benchmark and corpus test goes through these helpers:
one place knows the layout, and a missing checkout fails with one clear message.

Pages are decoded with the pipeline's own ``newsfacts.intake.formats.decode`` so the extractor sees
exactly the string an inbox file with the same bytes would give it.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsfacts.intake.formats import decode

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPORA = REPO.parent / "shared" / "corpora"
ARTICLE_BENCHMARK = "article-extraction-benchmark"
TRAFILATURA_CACHE = "trafilatura-cache"


class CorporaMissing(FileNotFoundError):
    """The shared corpora are not checked out; the message says where they were looked for."""


def corpus_dir(root: Path, name: str) -> Path:
    """The directory of one corpus, or CorporaMissing naming the path that was tried."""
    path = Path(root) / name
    if not path.is_dir():
        raise CorporaMissing(
            f"corpus {name!r} not found at {path}; clone the shared corpora next to the "
            f"repository (expected layout: <repo>/../shared/corpora/{name}/) or pass --corpora"
        )
    return path


@dataclass(frozen=True)
class GoldPage:
    """A page of the article-extraction-benchmark with its reference article body."""

    id: str
    path: Path
    article_body: str
    url: str

    def html(self) -> str:
        return decode(gzip.decompress(self.path.read_bytes()))[0]


@dataclass(frozen=True)
class SegmentPage:
    """A trafilatura test page with the text segments that must and must not be extracted."""

    file: str
    path: Path
    url: str
    with_: tuple[str, ...]
    without: tuple[str, ...]

    def html(self) -> str:
        return decode(self.path.read_bytes())[0]


def gold_pages(root: Path = DEFAULT_CORPORA, limit: int | None = None) -> list[GoldPage]:
    """Benchmark pages sorted by id, so "the first N" is the same sample on every machine."""
    base = corpus_dir(root, ARTICLE_BENCHMARK)
    truth: dict[str, dict[str, str]] = json.loads(
        (base / "ground-truth.json").read_text(encoding="utf-8")
    )
    pages = [
        GoldPage(
            id=key,
            path=base / "html" / f"{key}.html.gz",
            article_body=value.get("articleBody") or "",
            url=value.get("url") or "",
        )
        for key, value in sorted(truth.items())
    ]
    return pages[:limit] if limit is not None else pages


def segment_pages(root: Path = DEFAULT_CORPORA, limit: int | None = None) -> list[SegmentPage]:
    """Annotated trafilatura-cache pages sorted by file name; pages without gold are left out
    because there is nothing to score them against."""
    base = corpus_dir(root, TRAFILATURA_CACHE)
    gold: dict[str, dict[str, Any]] = json.loads(
        (base / "evaldata.subset.json").read_text(encoding="utf-8")
    )
    pages = sorted(
        (
            SegmentPage(
                file=str(item["file"]),
                path=base / "html" / str(item["file"]),
                url=url,
                with_=tuple(str(s) for s in item.get("with") or ()),
                without=tuple(str(s) for s in item.get("without") or ()),
            )
            for url, item in gold.items()
        ),
        key=lambda page: page.file,
    )
    pages = [page for page in pages if page.path.is_file()]
    return pages[:limit] if limit is not None else pages
