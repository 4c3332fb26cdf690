"""Shared fixtures: the bundled seed articles and the optional shared corpora."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfacts.documents import load_text, read_inbox
from newsfacts.extract import extract

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
