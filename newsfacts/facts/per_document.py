"""Per-document work units for the cached, parallel stages.

Each function takes one document's payload and returns its result rows as dicts, the shape
`cache.cached_map` stores; they live at module level so worker processes can import them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import fields
from functools import cache
from typing import Any

import polars as pl

from newsfacts.facts.entities.mentions import Mention, find_mentions
from newsfacts.facts.entities.reference import EntityIndex
from newsfacts.facts.figures.extraction import candidate_figures
from newsfacts.facts.quotes.table import extract_quotes, quote_row

FigurePayload = tuple[str, str, str | None]


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


def _row(item: Any) -> dict[str, Any]:
    """A flat dataclass as a dict. `dataclasses.asdict` deep-copies every value through a
    recursive walk: a quarter of the figures stage's time, for fields that are all scalars."""
    return {name: getattr(item, name) for name in _field_names(type(item))}


def is_english(language: str | None) -> bool:
    """The quote and figure rules read English; unknown language gets the benefit of doubt."""
    return language is None or language.startswith("en")


def figure_rows(payload: FigurePayload) -> list[dict[str, Any]]:
    """Figures as the text alone says them; `pricing.price_figures` prices the money rows
    with the article's outlet, place and date on every build."""
    article_id, text, language = payload
    if not is_english(language):
        return []
    return [_row(f) for f in candidate_figures(text, article_id)]


def article_payloads(articles: pl.DataFrame) -> Iterator[tuple[str, FigurePayload]]:
    # Lazy: `cached_map` drops cached articles' texts at once and pulls the rest as workers
    # free up, instead of holding every text as a Python string (~100 MB per 10k articles).
    rows = articles.select("article_id", "text", "language").iter_rows()
    return ((row[0], row) for row in rows)


MentionPayload = tuple[str, str, str | None]
QuotePayload = tuple[str, str, str | None, list[dict[str, Any]]]


def mention_rows(index: EntityIndex, payload: MentionPayload) -> list[dict[str, Any]]:
    """Entity mentions of one article; unknown people are looked for in English text only."""
    article_id, text, language = payload
    return [
        {
            "article_id": article_id,
            "entity_id": m.entity_id,
            "entity_name": m.name,
            "entity_type": m.type,
            "surface": m.surface,
            "start": m.start,
            "end": m.end,
            "sentence_index": m.sentence_index,
            "resolved": m.resolved,
        }
        for m in find_mentions(text, index, provisional=is_english(language))
    ]


def _mention(row: dict[str, Any]) -> Mention:
    return Mention(
        entity_id=row["entity_id"],
        name=row["entity_name"],
        type=row["entity_type"],
        surface=row["surface"],
        start=row["start"],
        end=row["end"],
        sentence_index=row["sentence_index"],
        resolved=row["resolved"],
    )


def quote_rows(index: EntityIndex, payload: QuotePayload) -> list[dict[str, Any]]:
    """Quotes of one article, attributed using that article's mentions."""
    article_id, text, language, mentions = payload
    if not is_english(language):
        return []
    found = extract_quotes(text, [_mention(m) for m in mentions], index)
    return [quote_row(article_id, found, i) for i in range(len(found))]


def mention_payloads(articles: pl.DataFrame) -> Iterator[tuple[str, MentionPayload]]:
    rows = articles.select("article_id", "text", "language").iter_rows()
    return ((row[0], row) for row in rows)


def quote_payloads(
    articles: pl.DataFrame, mentions: pl.DataFrame
) -> tuple[Iterator[tuple[str, MentionPayload]], Callable[[MentionPayload], QuotePayload]]:
    """Items for `cached_map` and its `prepare`: an article's mentions become dicts only
    when its payload is needed. All of them at once are ~100k dicts (~100 MB at 10k
    articles), and building them for cached articles is most of a rebuild's quotes step."""
    ordered = mentions.sort("article_id", "start")
    counts = ordered.group_by("article_id", maintain_order=True).len()
    starts = counts["len"].cum_sum() - counts["len"]
    where = dict(zip(counts["article_id"], zip(starts, counts["len"], strict=True), strict=True))

    def with_mentions(payload: MentionPayload) -> QuotePayload:
        aid, text, language = payload
        start, count = where.get(aid, (0, 0))
        return aid, text, language, ordered.slice(start, count).to_dicts() if count else []

    return mention_payloads(articles), with_mentions
