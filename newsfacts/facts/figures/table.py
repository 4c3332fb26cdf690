"""The figures table's contract: one `Figure` per row, its Parquet schema and its stable id.

Every rule module returns `_Candidate`s (a span and what it measures); only the extraction
step turns them into `Figure`s, so the table's shape is defined once, here.

Conventions:

* ``value`` is normalised: scale words applied (825 million -> 825000000.0), distances in
  metres (unit "m"), durations in days (unit "day"; a year is 365.25 days, a month 1/12 of
  that), percentages as written (4% -> 4.0, unit "%"; percentage points -> unit "pp").
  ``value_original``/``unit_original`` keep what the outlet wrote ("two-week" -> 2, "week").
* A range ("5-6 million", "between $5 and $7 million", "2 to 3 hours") gives ``value`` =
  low end and ``value_max`` = high end (``value_high`` is the same, kept for older queries);
  a compound duration ("4 minutes and 15 seconds") is one figure, the sum. Durations also
  carry ``seconds`` (exact for whole written units; the low end of a range).
* Money: ``value`` = ``amount_original`` in ``currency`` (ISO 4217); ``currency_source``
  says how an ambiguous "$", "¥", "kr" or "Rs" was decided (see ``currency_choice``);
  ``amount_usd`` is ``round(amount_original * fx_rate, 2)`` at the ECB rate of the
  publication date. A price per unit ("$80 a barrel") keeps its denominator in ``per``.
* An outlet's own conversion ("€200 billion ($234 billion)") is kept as a row with
  ``is_conversion`` = True and ``equivalent_of`` = the main amount's ``figure_id``: it is
  the same sum, never to be added.
* Values that are not finite ("10^400 dollars") are skipped; huge finite ones are kept.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from datetime import date

import polars as pl

FIGURES_VERSION = "figures-2"
"""Bump when extraction rules change, so cached figure tables are rebuilt."""

FIGURES_SCHEMA: dict[str, pl.DataType] = {
    "figure_id": pl.String(),
    "article_id": pl.String(),
    "sentence": pl.String(),
    "start": pl.Int64(),
    "end": pl.Int64(),
    "raw": pl.String(),
    "kind": pl.String(),
    "value": pl.Float64(),
    "value_high": pl.Float64(),
    "value_max": pl.Float64(),
    "unit": pl.String(),
    "value_original": pl.Float64(),
    "unit_original": pl.String(),
    "seconds": pl.Float64(),
    "counted": pl.String(),
    "qualifier": pl.String(),
    "per": pl.String(),
    "currency": pl.String(),
    "currency_source": pl.String(),
    "amount_original": pl.Float64(),
    "amount_usd": pl.Float64(),
    "fx_rate": pl.Float64(),
    "fx_rate_date": pl.Date(),
    "fx_source": pl.String(),
    "fx_note": pl.String(),
    "is_conversion": pl.Boolean(),
    "equivalent_of": pl.String(),
}


@dataclass(frozen=True)
class Figure:
    """One row of the figures table; field order is ``FIGURES_SCHEMA``'s."""

    figure_id: str
    article_id: str
    sentence: str
    start: int
    end: int
    raw: str
    kind: str
    value: float
    value_high: float | None
    value_max: float | None
    unit: str | None
    value_original: float
    unit_original: str | None
    seconds: float | None = None
    counted: str | None = None
    qualifier: str | None = None
    per: str | None = None
    currency: str | None = None
    currency_source: str | None = None
    amount_original: float | None = None
    amount_usd: float | None = None
    fx_rate: float | None = None
    fx_rate_date: date | None = None
    fx_source: str | None = None
    fx_note: str | None = None
    is_conversion: bool = False
    equivalent_of: str | None = None


_FIELDS = tuple(f.name for f in fields(Figure))
assert tuple(FIGURES_SCHEMA) == _FIELDS, "Figure fields and FIGURES_SCHEMA drifted apart"


def figure_id(article_id: str, start: int, end: int) -> str:
    """Stable across runs, so downstream joins and links survive re-extraction."""
    return hashlib.sha256(f"{article_id}|{start}|{end}".encode()).hexdigest()[:16]


@dataclass
class _Candidate:
    start: int
    end: int
    kind: str
    value: float
    value_high: float | None
    unit: str | None
    value_original: float
    unit_original: str | None
    counted: str | None = None
    currency: str | None = None
    per: str | None = None
