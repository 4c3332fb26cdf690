"""Which figures can be compared across articles, and what quantity each one is about.

Two figures can only report the same quantity when they share a kind, a unit and a subject;
reading the subject conservatively keeps a sum or a toll out of claims rather than comparing
it with an unrelated one.

* ``kind`` and ``unit``; money is compared in USD (``amount_usd``) whatever its currency, and
  the outlet's own conversions (``is_conversion``) are left out: they repeat a sum.
* a ``subject``: casualties "<victims> <harm>" with people/civilians/persons/victims/others
  read as "people" ("civilians killed" -> "people killed", injured is already "wounded");
  counts their counted noun, lowercased; money the words right after the amount, past a
  bracketed conversion and an "of"/"in"/"worth" ("$825 million arms sale" and "825 million US
  dollars (£611 million) arms sale" -> "arms sale"), and money with no such words ("€200
  billion that are…") is left out; other kinds their counted noun, often none.
* a date: the article's ``published_at``, else the day the data dir first took it in
  (``first_seen_at``), with ``article_date_source`` saying which. A folder of saved pages
  often has no publication dates at all, and the day a page arrived is close to the day it
  appeared when pages are collected as news breaks; without it such a folder yields no
  claims. Figures of articles with neither date are left out: they cannot be placed in an
  event window.
"""

from __future__ import annotations

import re

import polars as pl

from newsfacts.crosssource.article_context import article_context

CLAIM_KINDS = ("money", "casualties", "count", "distance", "duration", "percentage")

_PEOPLE = ("people", "civilians", "civilian", "persons", "person", "victims", "others")


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


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


def _candidates(figures: pl.DataFrame, articles: pl.DataFrame) -> pl.DataFrame:
    """Figures that can take part in a claim, with the value compared, subject and date
    (``article_date``, ``article_date_source``)."""
    money = pl.col("kind") == "money"
    frame = (
        figures.filter(
            ~pl.col("is_conversion").fill_null(False) & pl.col("kind").is_in(CLAIM_KINDS)
        )
        .join(article_context(articles), on="article_id", how="inner")
        .with_columns(
            _date=pl.coalesce("published_at", "first_seen_at"),
            _date_source=pl.when(pl.col("published_at").is_not_null())
            .then(pl.lit("published"))
            .when(pl.col("first_seen_at").is_not_null())
            .then(pl.lit("first_seen")),
        )
        .filter(pl.col("_date").is_not_null())
        .with_columns(
            _value=pl.when(money).then(pl.col("amount_usd")).otherwise(pl.col("value")),
            # a price per unit ("$80 a barrel") is compared with prices per the same unit only
            _unit=pl.when(money & pl.col("per").is_not_null())
            .then(pl.concat_str(pl.lit("USD/"), pl.col("per")))
            .when(money)
            .then(pl.lit("USD"))
            .otherwise(pl.col("unit")),
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
        pl.col("_date").alias("article_date"),
        pl.col("_date_source").alias("article_date_source"),
        pl.col("outlet_label").alias("outlet"),
        "sentence",
    )
