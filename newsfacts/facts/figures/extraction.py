"""Turns one article text into its figures table rows, and a batch of articles into a frame.

Money is read first; every other number is then tried as a unit, a casualty and a count, in
that order, after dates, times, years and scores are set aside. Ranges and compound
durations are joined into one figure each. Each figure then gets its sentence, its hedge
word and, for an outlet's own conversion, a link to the amount it restates; money is priced
(currency decided, USD at the ECB rate) by `pricing`, with the article's context.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from datetime import date
from typing import Any

import polars as pl

from newsfacts.facts.figures.casualties import _casualty
from newsfacts.facts.figures.conversions import _link_conversions
from newsfacts.facts.figures.counts import _count
from newsfacts.facts.figures.currency import FxConverter
from newsfacts.facts.figures.money import _money
from newsfacts.facts.figures.numbers import NUMBER, is_dot_grouped, is_year_like, parse_number
from newsfacts.facts.figures.pricing import ArticleContext, price_article, price_figures
from newsfacts.facts.figures.qualifiers import _qualifier
from newsfacts.facts.figures.ranges import (
    duration_seconds,
    merge_compound_durations,
    merge_ranges,
    range_connector,
    with_low,
)
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
    people" is one casualty row and not also a count of people. A bare number followed by
    "to" or "and" ("5 to 10 years", "between 20 and 30 per cent") is held as the low end of
    the figure that follows.
    """
    found: list[_Candidate] = []
    spans = iter(sorted(taken))
    blocker = next(spans, None)
    low: tuple[int, int, float] | None = None  # (start, where the high end starts, value)
    for match in NUMBER.finditer(text):
        start, end = match.span()
        pending, low = low, None
        if pending is not None and pending[1] != start:
            pending = None
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
        if (
            high is None
            and not is_year_like(number)
            and (after := range_connector(text, start, end))
        ) and NUMBER.match(text, after):
            low = (start, after, value)
            continue
        figure = _classify(text, start, end, number, value, high, in_words, pending)
        if figure is None:
            continue
        if pending is not None:
            figure = (
                with_low(figure, pending[0], pending[2], text[pending[0] : pending[1]], text)
                or figure
            )
        found.append(figure)
    return found


def _classify(
    text: str,
    start: int,
    end: int,
    number: str,
    value: float,
    high: float | None,
    in_words: bool,
    pending: tuple[int, int, float] | None,
) -> _Candidate | None:
    """The figure a number at ``start:end`` is, if any (see `_number_figures`)."""
    unit = _unit_figure(text, start, end, value, high)
    if unit is False or (unit and in_words and _ONE_DAY.fullmatch(text, start, unit.end)):
        return None  # an age, or "one day" (mostly "some day")
    if unit is not None:
        if unit.kind == "percentage" or not (is_year_like(number) or is_dot_grouped(number)):
            return unit
        return None
    if is_year_like(number) or is_dot_grouped(number) or not value.is_integer():
        return None  # "1994 pact", "70.000 Muslims", "2.5 microns": not head counts
    # "killed 5 to 7 people": the verb is read before the range's low end
    context_start = pending[0] if pending is not None else start
    if counted := _casualty(text, context_start, end):
        return _Candidate(start, end, "casualties", value, high, None, value, None, counted)
    if value < 2:
        return None  # "one power", "1 cup blueberries": a single item is rarely a figure
    if counted_end := _count(text, start, end):
        noun, stop = counted_end
        return _Candidate(start, stop, "count", value, high, None, value, None, noun)
    return None


def candidate_figures(text: str, article_id: str = "") -> list[Figure]:
    """All figures of one clean article text, in reading order, not yet priced: what the text
    alone says (``text[start:end] == raw``). An ambiguous "$" has no ``currency`` yet and no
    money row has USD; `pricing` adds both with the article's context."""
    money = _money(text)
    candidates = money + _number_figures(text, [(c.start, c.end) for c in money])
    candidates = merge_compound_durations(text, merge_ranges(text, candidates))
    sentences = sentence_spans(text)
    starts = [s for s, _ in sentences]
    figures: list[Figure] = []
    for c in candidates:
        s_start, s_end = sentences[max(0, bisect_right(starts, c.start) - 1)]
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
                value_max=c.value_high,
                unit=c.unit,
                value_original=c.value_original,
                unit_original=c.unit_original,
                seconds=duration_seconds(c),
                counted=c.counted,
                qualifier=_qualifier(text, c.start),
                per=c.per,
                currency=c.currency,
            )
        )
    return _link_conversions(text, figures)


def extract_figures(
    text: str,
    published_at: date | None,
    fx: FxConverter,
    article_id: str = "",
    context: ArticleContext | None = None,
) -> list[Figure]:
    """`candidate_figures` priced for one article (outlet and url from ``context``)."""
    figures = candidate_figures(text, article_id)
    context = replace(context or ArticleContext(), published_at=published_at)
    if not context.text_head:
        context = replace(context, text_head=text[:200])
    money = [_row(f) for f in figures if f.kind == "money"]
    priced = {row["figure_id"]: row for row in price_article(money, context, fx)}
    return [Figure(**priced[f.figure_id]) if f.figure_id in priced else f for f in figures]


def _row(figure: Figure) -> dict[str, Any]:
    return {name: getattr(figure, name) for name in _FIELDS}


def figures_frame(articles: pl.DataFrame, fx: FxConverter) -> pl.DataFrame:
    """Figures of every article, priced, typed by ``FIGURES_SCHEMA`` even when there are none.

    The rules read English; when ``articles`` has a ``language`` column, articles detected as
    another language are skipped rather than mined for false figures ("25 anos").
    """
    if "language" in articles.columns:
        english = pl.col("language").is_null() | pl.col("language").str.starts_with("en")
        articles = articles.filter(english)
    rows: list[tuple[object, ...]] = []
    for article_id, text in articles.select("article_id", "text").iter_rows():
        for f in candidate_figures(text or "", article_id):
            rows.append(tuple(getattr(f, name) for name in _FIELDS))
    frame = pl.DataFrame(rows, schema=FIGURES_SCHEMA, orient="row")
    return price_figures(frame, articles, fx)
