"""Context links between figures: whether two sentences report the same event.

Kind, subject and dates alone would merge unrelated stories about the same sort of quantity.
Two figures link when their sentences share two names (words capitalised past the sentence's
first word, minus the subject's own words, weekdays, months and titles): "Kyiv" and
"Russian", "Security" and "Council". This keeps "five European council members" (a UN
Security Council meeting) apart from a "30-member coalition", and distances of unrelated
stories apart. Names are compared as pairs per sentence (at most ``MAX_NAMES`` names each),
so linking is a group-by and stays linear however many outlets report one event.
"""

from __future__ import annotations

import polars as pl

from newsfacts.crosssource.claim_subjects import _word_set

MAX_NAMES = 8

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


def _stemmed(words: pl.Expr) -> pl.Expr:
    """Possessive and plural "s" dropped, so "Ukraine’s"/"Ukraine" and "nations"/"27-nation"
    meet; crude, but both sides of a comparison get the same treatment."""
    bare = words.str.replace(r"[’']s$", "")
    plural = (bare.str.len_chars() > 4) & bare.str.ends_with("s") & ~bare.str.ends_with("ss")
    return pl.when(plural).then(bare.str.slice(0, bare.str.len_chars() - 1)).otherwise(bare)


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
