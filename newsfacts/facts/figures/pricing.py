"""Money figures priced: each amount's currency decided and converted to US dollars.

Extraction reads the text alone and is cached per document; which dollar a "$" is and what
it was worth depend on the article's outlet, place and publication date, which a manifest
can change without touching the text. So pricing runs on every build, over the money rows
of each article, after the cached extraction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from newsfacts.facts.figures.currency import FxConverter
from newsfacts.facts.figures.currency_choice import (
    Evidence,
    Places,
    choose,
    conversion_fits,
    load_places,
    outlet_currency,
    place_currency,
)
from newsfacts.facts.figures.currency_names import FAMILIES, currency_family

Row = dict[str, Any]
_HEAD = 200  # a dateline sits in the first line of the text


@dataclass(frozen=True)
class ArticleContext:
    published_at: date | None = None
    outlet: str | None = None
    url: str | None = None
    text_head: str = ""


def _convert(row: Row, code: str | None, source: str, on: date | None, fx: FxConverter) -> Row:
    row = dict(row, currency=code, unit=code, currency_source=source)
    if code is None:
        members = ", ".join(FAMILIES[currency_family(row["unit_original"]) or "kr"])
        note = f"{row['unit_original']!r} may be any of {members}; the article does not say which"
        return row | {"amount_original": row["value"], "fx_note": note}
    converted = fx.to_usd(row["value"], code, on)
    return row | {
        "amount_original": row["value"],
        "amount_usd": converted.amount_usd,
        "fx_rate": converted.fx_rate,
        "fx_rate_date": converted.fx_rate_date,
        "fx_source": converted.fx_source,
        "fx_note": converted.fx_note,
    }


def price_article(
    rows: list[Row], context: ArticleContext, fx: FxConverter, places: Places | None = None
) -> list[Row]:
    """The money rows of one article with ``currency``, ``currency_source`` and USD set."""
    places = places or load_places()
    day = context.published_at
    priced: dict[str, Row] = {}
    ambiguous: list[tuple[Row, str]] = []
    for row in rows:
        family = None if row["currency"] else currency_family(row["unit_original"] or "")
        if family is None:
            priced[row["figure_id"]] = _convert(row, row["currency"], "explicit", day, fx)
        else:
            ambiguous.append((row, family))
    partners: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row.get("equivalent_of"):
            partners[row["figure_id"]].append(row["equivalent_of"])
            partners[row["equivalent_of"]].append(row["figure_id"])

    def usd_rate(code: str) -> float | None:
        return fx.to_usd(1.0, code, day).fx_rate

    own_fits: dict[str, tuple[str, ...]] = {}
    by_family: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for row, family in ambiguous:
        known = [priced[p] for p in partners[row["figure_id"]] if p in priced]
        for other in known:
            fits = conversion_fits(family, row["value"], other.get("amount_usd"), usd_rate)
            if fits:
                own_fits[row["figure_id"]] = fits
                by_family[family].append(fits)
    article_fits = {family: _common(fits) for family, fits in by_family.items()}
    country = places.outlet_country(context.outlet, context.url)
    for row, family in ambiguous:
        evidence = Evidence(
            fits=own_fits.get(row["figure_id"]) or article_fits.get(family),
            outlet=outlet_currency(family, country),
            place=place_currency(family, row["sentence"] or "", context.text_head, places),
        )
        code, source = choose(family, evidence)
        priced[row["figure_id"]] = _convert(row, code, source, day, fx)
    return [priced[row["figure_id"]] for row in rows]


def _common(fits: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The currencies every conversion of the article fits, in the first one's order; None
    when they contradict each other."""
    shared = set.intersection(*(set(f) for f in fits))
    return tuple(code for code in fits[0] if code in shared) or None


def price_figures(
    figures: pl.DataFrame, articles: pl.DataFrame, fx: FxConverter, places: Places | None = None
) -> pl.DataFrame:
    """Every money row of ``figures`` priced with its article's context; other rows as is."""
    money = figures.filter(pl.col("kind") == "money")
    if money.height == 0:
        return figures
    places = places or load_places()
    contexts = _contexts(articles, set(money["article_id"].unique().to_list()))
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in money.iter_rows(named=True):
        grouped[row["article_id"]].append(row)
    priced: list[Row] = []
    for article_id, rows in grouped.items():
        context = contexts.get(article_id, ArticleContext())
        priced.extend(price_article(rows, context, fx, places))
    frame = pl.DataFrame(priced, schema=figures.schema)
    return pl.concat([figures.filter(pl.col("kind") != "money"), frame]).sort(
        "article_id", "start", "end"
    )


def _contexts(articles: pl.DataFrame, ids: Iterable[str]) -> dict[str, ArticleContext]:
    def column(name: str, dtype: pl.DataType) -> pl.Expr:
        return pl.col(name) if name in articles.columns else pl.lit(None, dtype=dtype).alias(name)

    wanted = pl.Series(list(ids), dtype=pl.String)
    frame = articles.filter(pl.col("article_id").is_in(wanted.implode())).select(
        "article_id",
        column("published_at", pl.Date()),
        column("outlet", pl.String()),
        column("url", pl.String()),
        column("text", pl.String()).str.slice(0, _HEAD).fill_null("").alias("head"),
    )
    return {
        aid: ArticleContext(published, outlet, url, head)
        for aid, published, outlet, url, head in frame.iter_rows()
    }
