"""Per-document work units for the cached, parallel stages.

Each function takes one document's payload and returns its result rows as dicts, the shape
`cache.cached_map` stores; they live at module level so worker processes can import them.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

import polars as pl

from newsfacts.currency import FxConverter
from newsfacts.figures import extract_figures

FigurePayload = tuple[str, str, date | None, str | None]


def is_english(language: str | None) -> bool:
    """The quote and figure rules read English; unknown language gets the benefit of doubt."""
    return language is None or language.startswith("en")


def figure_rows(fx: FxConverter, payload: FigurePayload) -> list[dict[str, Any]]:
    article_id, text, published_at, language = payload
    if not is_english(language):
        return []
    return [asdict(f) for f in extract_figures(text, published_at, fx, article_id)]


def article_payloads(articles: pl.DataFrame) -> list[tuple[str, FigurePayload]]:
    rows = articles.select("article_id", "text", "published_at", "language").iter_rows()
    return [(row[0], row) for row in rows]
