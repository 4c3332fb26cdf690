"""Turns one article text into its figures table rows, and a batch of articles into a frame.

Money is read first; every other number is then tried as a unit, a casualty and a count, in
that order, after dates, times, years and scores are set aside. Each figure then gets its
sentence, its hedge word, its USD conversion and, for an outlet's own conversion, a link to
the amount it restates.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date
from typing import Any

import polars as pl

from newsfacts.facts.figures.casualties import _casualty
from newsfacts.facts.figures.conversions import _link_conversions
from newsfacts.facts.figures.counts import _count
from newsfacts.facts.figures.currency import FxConverter
from newsfacts.facts.figures.money import _money
from newsfacts.facts.figures.numbers import NUMBER, is_dot_grouped, is_year_like, parse_number
from newsfacts.facts.figures.qualifiers import _qualifier
from newsfacts.facts.figures.sentences import sentence_spans
from newsfacts.facts.figures.table import _FIELDS, FIGURES_SCHEMA, Figure, _Candidate, figure_id
from newsfacts.facts.figures.units import _unit_figure

_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
)
_DATE_BEFORE = re.compile(rf"(?-i:\b(?:{_MONTHS}))\.?\s+$")
_DATE_OR_TIME_AFTER = re.compile(
    rf"\s*(?:(?-i:(?:{_MONTHS})\b)|(?:a\.m\.|p\.m\.|am\b|pm\b|gmt\b|bst\b|cet\b|utc\b|"
    r"o['’]clock|hrs\b|h\d))",
    re.I,
)
_ONE_DAY = re.compile(r"one\s+day", re.I)


def _number_figures(text: str, taken: list[tuple[int, int]]) -> list[_Candidate]:
    """Classify every number outside ``taken`` (money) spans; unclassifiable ones are dropped.

    Order matters: a unit beats a casualty reading, which beats a plain count, so "killed 23
    people" is one casualty row and not also a count of people.
    """
    found: list[_Candidate] = []
    spans = iter(sorted(taken))
    blocker = next(spans, None)
    for match in NUMBER.finditer(text):
        start, end = match.span()
        while blocker is not None and blocker[1] <= start:
            blocker = next(spans, None)
        if blocker is not None and blocker[0] < end:
            continue  # part of a money expression
        number = match.group("num")
        parsed = parse_number(number)
        if parsed is None:
            continue
        value, high, in_words = parsed
        if high is not None and high <= value:
            continue  # "3-1" is a score, "2025-08" a date
        if _DATE_BEFORE.search(text, max(0, start - 12), start) or _DATE_OR_TIME_AFTER.match(
            text, end
        ):
            continue
        unit = _unit_figure(text, start, end, value, high)
        if unit is False or (unit and in_words and _ONE_DAY.fullmatch(text, start, unit.end)):
            continue  # an age, or "one day" (mostly "some day")
        if unit is not None:
            if unit.kind == "percentage" or not (is_year_like(number) or is_dot_grouped(number)):
                found.append(unit)
            continue
        if is_year_like(number) or is_dot_grouped(number) or not value.is_integer():
            continue  # "1994 pact", "70.000 Muslims", "2.5 microns": not head counts
        if counted := _casualty(text, start, end):
            casualty = _Candidate(start, end, "casualties", value, high, None, value, None, counted)
            found.append(casualty)
            continue
        if value < 2:
            continue  # "one power", "1 cup blueberries": a single item is rarely a figure
        if counted_end := _count(text, start, end):
            noun, stop = counted_end
            found.append(_Candidate(start, stop, "count", value, high, None, value, None, noun))
    return found


def extract_figures(
    text: str, published_at: date | None, fx: FxConverter, article_id: str = ""
) -> list[Figure]:
    """All figures of one clean article text, in reading order; ``text[start:end] == raw``."""
    money = _money(text)
    candidates = money + _number_figures(text, [(c.start, c.end) for c in money])
    candidates.sort(key=lambda c: c.start)
    sentences = sentence_spans(text)
    starts = [s for s, _ in sentences]
    figures: list[Figure] = []
    for c in candidates:
        s_start, s_end = sentences[max(0, bisect_right(starts, c.start) - 1)]
        conversion: dict[str, Any] = {}
        if c.kind == "money" and c.currency:
            converted = fx.to_usd(c.value, c.currency, published_at)
            conversion = {
                "currency": c.currency,
                "amount_original": c.value,
                "amount_usd": converted.amount_usd,
                "fx_rate": converted.fx_rate,
                "fx_rate_date": converted.fx_rate_date,
                "fx_source": converted.fx_source,
                "fx_note": converted.fx_note,
            }
        figures.append(
            Figure(
                figure_id=figure_id(article_id, c.start, c.end),
                article_id=article_id,
                sentence=text[s_start:s_end].strip(),
                start=c.start,
                end=c.end,
                raw=text[c.start : c.end],
                kind=c.kind,
                value=c.value,
                value_high=c.value_high,
                unit=c.unit,
                value_original=c.value_original,
                unit_original=c.unit_original,
                counted=c.counted,
                qualifier=_qualifier(text, c.start),
                **conversion,
            )
        )
    return _link_conversions(text, figures)


def figures_frame(articles: pl.DataFrame, fx: FxConverter) -> pl.DataFrame:
    """Figures of every article, typed by ``FIGURES_SCHEMA`` even when there are none.

    The rules read English; when ``articles`` has a ``language`` column, articles detected as
    another language are skipped rather than mined for false figures ("25 anos").
    """
    if "language" in articles.columns:
        english = pl.col("language").is_null() | pl.col("language").str.starts_with("en")
        articles = articles.filter(english)
    rows: list[tuple[object, ...]] = []
    for article_id, text, published_at in articles.select(
        "article_id", "text", "published_at"
    ).iter_rows():
        for f in extract_figures(text or "", published_at, fx, article_id):
            rows.append(tuple(getattr(f, name) for name in _FIELDS))
    return pl.DataFrame(rows, schema=FIGURES_SCHEMA, orient="row")
