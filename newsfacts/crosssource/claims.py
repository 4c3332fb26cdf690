"""Claims: one quantity (a death toll, a sum, a distance) as reported by several articles.

The point is to surface disagreement: 21, 23 and 25 killed in reports of one strike is a
story, and so is everyone agreeing. A false merge invents a conflict, so the rules are
conservative; a missed merge only loses one.

Figures about the same quantity must share:

* ``kind`` and ``unit``; money is compared in USD (``amount_usd``) whatever its currency, and
  the outlet's own conversions (``is_conversion``) are left out: they repeat a sum.
* a ``subject``: casualties "<victims> <harm>" with people/civilians/persons/victims/others
  read as "people" ("civilians killed" -> "people killed", injured is already "wounded");
  counts their counted noun, lowercased; money the words right after the amount, past a
  bracketed conversion and an "of"/"in"/"worth" ("$825 million arms sale" and "825 million US
  dollars (£611 million) arms sale" -> "arms sale"), and money with no such words ("€200
  billion that are…") is left out; other kinds their counted noun, often none.
* an event window: within one (kind, subject, unit), publication dates are sorted and a
  window runs from its first date up to ``window_days`` later; the next date opens the next
  window. Anchored rather than chained, so a subject reported daily does not become one
  endless claim. Undated articles cannot be placed and are left out.
* context: two figures link when their sentences share two names (words capitalised past
  the sentence's first word, minus the subject's own words, weekdays, months and titles):
  "Kyiv" and "Russian", "Security" and "Council". This keeps "five European council members"
  (a UN Security Council meeting) apart from a "30-member coalition", and distances of
  unrelated stories apart. Claims are the connected components of those links. Names are
  compared as pairs per sentence (at most ``MAX_NAMES`` names each), so linking is a group-by
  and stays linear however many outlets report one event.

Per article one value: the largest, because a later figure for one quantity in one article
is usually an updated toll ("rose to 25"). A range counts as its low end (``value``). A claim
needs at least two articles.

Known limit: names tell stories apart, not incidents. In coverage dominated by one war, two
strikes reported on the same days can share "Russian" and "Ukraine" and merge into one
claim; ``claim_figures`` keeps every figure so an analyst can check a conflict's sources.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date

import polars as pl

from newsfacts.crosssource.article_context import article_context

CLAIMS_SCHEMA: dict[str, pl.DataType] = {
    "claim_id": pl.String(),
    "kind": pl.String(),
    "subject": pl.String(),
    "unit": pl.String(),
    "window_start": pl.Date(),
    "window_end": pl.Date(),
    "article_count": pl.Int64(),
    "outlet_count": pl.Int64(),
    "values": pl.List(pl.Float64()),
    "outlets": pl.List(pl.String()),
    "figure_ids": pl.List(pl.String()),
    "min_value": pl.Float64(),
    "max_value": pl.Float64(),
    "distinct_values": pl.Int64(),
    "conflict": pl.Boolean(),
    "spread": pl.Float64(),
}

CLAIM_FIGURES_SCHEMA: dict[str, pl.DataType] = {
    "claim_id": pl.String(),
    "figure_id": pl.String(),
    "article_id": pl.String(),
    "outlet": pl.String(),
    "value": pl.Float64(),
    "selected": pl.Boolean(),
}
"""Every figure of every claim; ``selected`` marks the one value counted for its article."""

CLAIM_KINDS = ("money", "casualties", "count", "distance", "duration", "percentage")
MAX_NAMES = 8

_PEOPLE = ("people", "civilians", "civilian", "persons", "person", "victims", "others")


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised words that are not names of an event's places, bodies or people: clause openers
# after a quote mark or colon, dates, titles.
_NOT_NAMES = _word_set(
    """the a an and but or nor so yet for of in on at to by with from as if when while after
    before since until that this these those there here it its he she they we you i his her
    their our my your who what which where why how not no yes all some many most more also
    only even still just then now today tonight yesterday tomorrow according said says
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december mr mrs ms dr sir president prime
    minister chief secretary general spokesperson spokesman spokeswoman official officials
    government"""
)
_NAME = r"\b\p{Lu}[\w’'-]*"
_MONEY_SUBJECT = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:(?:worth\s+of|worth|of|in)\s+)?"
    r"(?P<words>[^\W\d_][\w’'-]*(?:\s+[^\W\d_][\w’'-]*){0,2})"
)
_SUBJECT_STOP = _word_set(
    """the a an of and or but to in on at for by with from into that this these those which
    who was were is are be been has have had will would could should may might can said says
    as per each a year month week day annually dollars euros pounds usd eur gbp
    than more less over under about after before while when"""
)


def _money_subject(after: str | None) -> str | None:
    """The thing a sum is for, read from the words after it; None when they do not name
    one, which keeps the figure out of claims."""
    if not after or not (match := _MONEY_SUBJECT.match(after)):
        return None
    words: list[str] = []
    for word in match.group("words").lower().split():
        if word in _SUBJECT_STOP:
            break
        words.append(word)
    return " ".join(words) or None


def _subject() -> pl.Expr:
    counted = pl.col("counted").str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()
    victims = counted.str.extract(r"^(.*) (killed|wounded)$", 1)
    harm = counted.str.extract(r"^(.*) (killed|wounded)$", 2)
    casualty = (
        pl.when(victims.is_in(_PEOPLE)).then(pl.lit("people")).otherwise(victims) + " " + harm
    )
    return (
        pl.when(pl.col("kind") == "money")
        .then(pl.col("_after").map_elements(_money_subject, return_dtype=pl.String))
        .when((pl.col("kind") == "casualties") & harm.is_not_null())
        .then(casualty)
        .otherwise(counted)
    )


def _stemmed(words: pl.Expr) -> pl.Expr:
    """Possessive and plural "s" dropped, so "Ukraine’s"/"Ukraine" and "nations"/"27-nation"
    meet; crude, but both sides of a comparison get the same treatment."""
    bare = words.str.replace(r"[’']s$", "")
    plural = (bare.str.len_chars() > 4) & bare.str.ends_with("s") & ~bare.str.ends_with("ss")
    return pl.when(plural).then(bare.str.slice(0, bare.str.len_chars() - 1)).otherwise(bare)


def _candidates(figures: pl.DataFrame, articles: pl.DataFrame) -> pl.DataFrame:
    """Figures that can take part in a claim, with the value compared, subject and date."""
    money = pl.col("kind") == "money"
    frame = (
        figures.filter(
            ~pl.col("is_conversion").fill_null(False) & pl.col("kind").is_in(CLAIM_KINDS)
        )
        .join(article_context(articles), on="article_id", how="inner")
        .filter(pl.col("published_at").is_not_null())
        .with_columns(
            _value=pl.when(money).then(pl.col("amount_usd")).otherwise(pl.col("value")),
            _unit=pl.when(money).then(pl.lit("USD")).otherwise(pl.col("unit")),
            _after=pl.when(money).then(
                pl.col("sentence").str.split(pl.col("raw")).list.get(1, null_on_oob=True)
            ),
        )
        .filter(pl.col("_value").is_not_null() & pl.col("_value").is_finite())
        .with_columns(_subject=_subject())
        .filter(~money | pl.col("_subject").is_not_null())
    )
    return frame.select(
        "figure_id",
        "article_id",
        "kind",
        pl.col("_subject").alias("subject"),
        pl.col("_unit").alias("unit"),
        pl.col("_value").alias("value"),
        "published_at",
        pl.col("outlet_label").alias("outlet"),
        "sentence",
    )


def _windows(frame: pl.DataFrame, window_days: int) -> pl.DataFrame:
    """Adds an integer ``_block`` per (kind, subject, unit, window). A loop over distinct
    (kind, subject, unit, date) rows, which are few."""
    keys = ["kind", "subject", "unit"]
    dates = frame.select(*keys, "published_at").unique().sort(*keys, "published_at")
    starts: list[date] = []
    previous: tuple[object, ...] | None = None
    start: date | None = None
    for kind, subject, unit, day in dates.iter_rows():
        if (kind, subject, unit) != previous or start is None or (day - start).days > window_days:
            start, previous = day, (kind, subject, unit)
        starts.append(start)
    windows = dates.with_columns(window_start=pl.Series(starts, dtype=pl.Date))
    windows = windows.with_columns(
        _block=pl.struct(*keys, "window_start").rank("dense").cast(pl.Int64)
    )
    return frame.join(windows, on=[*keys, "published_at"], how="left", nulls_equal=True)


def _names(frame: pl.DataFrame) -> pl.DataFrame:
    """(_idx, _block, _name): the first ``MAX_NAMES`` names of each figure's sentence,
    lowercased and stemmed, minus the subject's own words. Vectorised: only capitalised words
    are extracted, after dropping the sentence's first word."""
    not_names = pl.Series(sorted(_NOT_NAMES), dtype=pl.String).implode()
    name = pl.col("_name")
    own = (
        frame.select("_idx", pl.col("subject").str.split(" ").alias("_name"))
        .explode("_name")
        .drop_nulls("_name")
        .with_columns(_name=_stemmed(name))
    )
    return (
        frame.select(
            "_idx",
            "_block",
            pl.col("sentence").str.replace(r"^\W*\w\S*", "").str.extract_all(_NAME).alias("_name"),
        )
        .explode("_name")
        .drop_nulls("_name")
        .with_columns(_name=_stemmed(name.str.to_lowercase()))
        .filter(~name.is_in(not_names) & (name.str.len_chars() > 1))
        .unique(["_idx", "_name"], keep="first", maintain_order=True)
        .filter(pl.int_range(pl.len()).over("_idx") < MAX_NAMES)
        .join(own, on=["_idx", "_name"], how="anti")
    )


def _links(frame: pl.DataFrame) -> list[tuple[int, int]]:
    """Edges between figures of one block whose sentences share a pair of names: each
    figure to the previous one with the same (block, name pair), enough for components."""
    names = _names(frame)
    pairs = (
        names.join(names, on=["_idx", "_block"], suffix="_b")
        .filter(pl.col("_name") < pl.col("_name_b"))
        .sort("_block", "_name", "_name_b", "_idx")
        .with_columns(_prev=pl.col("_idx").shift(1))
        .filter(
            (pl.col("_block") == pl.col("_block").shift(1))
            & (pl.col("_name") == pl.col("_name").shift(1))
            & (pl.col("_name_b") == pl.col("_name_b").shift(1))
        )
        .select("_prev", "_idx")
        .unique()
    )
    return list(pairs.iter_rows())


def _components(size: int, links: list[tuple[int, int]]) -> list[int]:
    parent = list(range(size))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(size)]


def _claim_id(kind: str, subject: str | None, unit: str | None, start: date, first: str) -> str:
    """Stable for the same figures; the earliest figure tells apart claims that share kind,
    subject, unit and first date but not context."""
    key = f"{kind}|{subject or ''}|{unit or ''}|{start.isoformat()}|{first}"
    return "cl:" + hashlib.sha256(key.encode()).hexdigest()[:16]


def build_claims(
    figures: pl.DataFrame,
    articles: pl.DataFrame,
    window_days: int = 2,
    tolerance: float = 0.02,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(claims, claim_figures), typed by ``CLAIMS_SCHEMA`` and ``CLAIM_FIGURES_SCHEMA``.

    ``values``, ``outlets`` and ``figure_ids`` are aligned, one entry per article in
    publication order (then article_id); ``window_start``/``window_end`` are the first and
    last publication dates of the claim's articles. Outlets are the article's outlet, or its
    source_file when the outlet is unknown, so ``outlet_count`` counts each unknown-outlet
    article as its own outlet. ``conflict``: max - min > ``tolerance`` × |min|;
    ``spread`` = max/min - 1 (null unless min > 0).
    """
    frame = _candidates(figures, articles)
    if frame.height == 0:
        return pl.DataFrame(schema=CLAIMS_SCHEMA), pl.DataFrame(schema=CLAIM_FIGURES_SCHEMA)
    frame = (
        _windows(frame, window_days)
        .sort("_block", "published_at", "article_id", "figure_id")
        .with_row_index("_idx")
        .with_columns(pl.col("_idx").cast(pl.Int64))
    )
    roots = _components(frame.height, _links(frame))
    frame = (
        frame.with_columns(_root=pl.Series(roots, dtype=pl.Int64))
        .filter(pl.col("article_id").n_unique().over("_root") >= 2)
        .with_columns(
            _selected=pl.col("figure_id")
            == pl.col("figure_id")
            .sort_by(["value", "figure_id"], descending=[True, False])
            .first()
            .over("_root", "article_id")
        )
    )
    if frame.height == 0:
        return pl.DataFrame(schema=CLAIMS_SCHEMA), pl.DataFrame(schema=CLAIM_FIGURES_SCHEMA)
    frame = frame.with_columns(
        window_start=pl.col("published_at").min().over("_root"),
        window_end=pl.col("published_at").max().over("_root"),
    )
    ids = frame.group_by("_root").agg(
        pl.col("kind", "subject", "unit", "window_start").first(),
        pl.col("figure_id").first().alias("_first"),  # frame is in date order
    )
    ids = ids.select(
        "_root",
        pl.struct("kind", "subject", "unit", "window_start", "_first")
        .map_elements(lambda s: _claim_id(*s.values()), return_dtype=pl.String)
        .alias("claim_id"),
    )
    frame = frame.join(ids, on="_root", how="left")
    chosen = frame.filter(pl.col("_selected")).sort("_root", "published_at", "article_id")
    low, high = pl.col("values").list.min(), pl.col("values").list.max()
    claims = (
        chosen.group_by("claim_id", maintain_order=True)
        .agg(
            pl.col("kind", "subject", "unit", "window_start", "window_end").first(),
            pl.len().cast(pl.Int64).alias("article_count"),
            pl.col("outlet").n_unique().cast(pl.Int64).alias("outlet_count"),
            pl.col("value").alias("values"),
            pl.col("outlet").alias("outlets"),
            pl.col("figure_id").alias("figure_ids"),
        )
        .with_columns(
            min_value=low,
            max_value=high,
            distinct_values=pl.col("values").list.n_unique().cast(pl.Int64),
            conflict=(high - low) > tolerance * low.abs(),
            spread=pl.when(low > 0).then(high / low - 1),
        )
        .sort("kind", "subject", "window_start", "claim_id", nulls_last=True)
    )
    claim_figures = frame.sort("claim_id", "published_at", "article_id", "figure_id").select(
        "claim_id",
        "figure_id",
        "article_id",
        "outlet",
        "value",
        pl.col("_selected").alias("selected"),
    )
    return (
        claims.select(list(CLAIMS_SCHEMA)).cast(CLAIMS_SCHEMA),
        claim_figures.cast(CLAIM_FIGURES_SCHEMA),
    )
