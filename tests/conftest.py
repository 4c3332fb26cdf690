"""Shared fixtures: the bundled seed articles and the optional shared corpora."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from newsfacts.extract.text import extract
from newsfacts.intake.formats import load_text
from newsfacts.intake.inbox import read_inbox

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds" / "articles"
CORPORA = REPO.parent / "shared" / "corpora"


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """Clean article text of each seed, keyed by its three-digit prefix ("000" … "004")."""
    documents, rejects = read_inbox(SEEDS)
    assert not rejects, rejects
    return {
        d.source_file[:3]: extract(load_text(d.path, d.encoding, d.content_sha256), d.format).text
        for d in documents
    }


@pytest.fixture(scope="session")
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.skip(f"shared corpora not found at {CORPORA} (clone without ../shared)")
    return CORPORA


@pytest.fixture(scope="session")
def seed_articles(seed_texts: dict[str, str]) -> pl.DataFrame:
    """The seeds as an articles frame: ids "a000"…, manifest dates and outlets."""
    manifest = pl.read_csv(REPO / "seeds" / "manifest.csv", try_parse_dates=True)
    return pl.DataFrame(
        [
            {
                "article_id": f"a{row['source_file'][:3]}",
                "source_file": row["source_file"],
                "outlet": row["outlet"],
                "published_at": row["published_at"],
                "language": "en",
                "text": seed_texts[row["source_file"][:3]],
            }
            for row in manifest.iter_rows(named=True)
        ],
        schema_overrides={"outlet": pl.String, "published_at": pl.Date},
    )
