"""An outlet's own restatement of a figure in another currency or unit ("€200 billion ($234
billion)", "39 miles (63 km)").

Such a pair is one sum written twice, so the second row is linked to the first and must never
be added to it; when the two disagree in USD, one of the amounts was misread.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

import polars as pl

from newsfacts.facts.figures.qualifiers import _QUALIFIERS
from newsfacts.facts.figures.table import Figure

_CONVERSION_GAP = re.compile(
    rf"\s*(?:[(\[]\s*(?:or\s+)?|,?\s+or\s+|\s*[—–]\s*)(?:(?:{_QUALIFIERS})\s+)?(?:US\s+)?",
    re.I,
)
_CLOSE_PAREN = re.compile(r"\s*[)\]]")


def _link_conversions(text: str, figures: list[Figure]) -> list[Figure]:
    """Mark "€200 billion ($234 billion)", "39 miles (63 km)": the second restates the first."""
    linked = list(figures)
    for a, b in pairwise(range(len(linked))):
        main, other = linked[a], linked[b]
        if main.kind not in ("money", "distance") or other.kind != main.kind:
            continue
        same_unit = (main.currency or main.unit_original) == (other.currency or other.unit_original)
        if main.is_conversion or same_unit:
            continue  # "$5 million ($6 million)" is a correction or a range, not a conversion
        gap = _CONVERSION_GAP.fullmatch(text, main.end, other.start)
        if gap is None:
            continue
        opened = "(" in gap.group() or "[" in gap.group()
        if opened and not _CLOSE_PAREN.match(text, other.end):
            continue
        linked[b] = replace(other, is_conversion=True, equivalent_of=main.figure_id)
    return linked


def conversion_disagreements(figures: pl.DataFrame, tolerance: float = 0.05) -> pl.DataFrame:
    """Outlet conversions whose USD value is off the main amount's by more than ``tolerance``.

    A large gap means a misread amount or currency (ours or the outlet's), so the quality
    suite surfaces these pairs instead of trusting either number.
    """
    conversions = figures.filter(pl.col("is_conversion") & pl.col("equivalent_of").is_not_null())
    pairs = conversions.select(
        "article_id",
        pl.col("equivalent_of").alias("figure_id"),
        pl.col("figure_id").alias("conversion_figure_id"),
        pl.col("raw").alias("conversion_raw"),
        pl.col("amount_usd").alias("conversion_amount_usd"),
    ).join(
        figures.select("article_id", "figure_id", "raw", "amount_usd"),
        on=["article_id", "figure_id"],
        how="inner",
    )
    difference = (pl.col("conversion_amount_usd") - pl.col("amount_usd")).abs() / pl.col(
        "amount_usd"
    ).abs()
    return (
        pairs.with_columns(difference.alias("relative_difference"))
        .filter(pl.col("relative_difference") > tolerance)
        .select(
            "article_id",
            "figure_id",
            "conversion_figure_id",
            "raw",
            "conversion_raw",
            "amount_usd",
            "conversion_amount_usd",
            "relative_difference",
        )
    )
