"""Audit rules for money: the US-dollar amount is the original amount at the stored rate, the
rate is complete and not newer than the article, and an outlet's own conversion agrees with
the amount it restates.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from newsfacts.quality.audit_exprs import (
    Tables,
    _drop_helpers,
    _has,
    _join_articles,
    _names,
    _slice_matches,
    _unless_null,
)

CONVERSION_TOLERANCE = 0.05


USD_ABS_TOLERANCE = 0.01


USD_REL_TOLERANCE = 1e-9  # float noise of the product is ~1e-16; a 1e-6 slack hid $200k


def _figures_rules(
    lf: pl.LazyFrame, columns: set[str], tables: Tables, today: date
) -> pl.LazyFrame:
    lf, joined = _join_articles(lf, columns, tables)
    exprs: list[pl.Expr] = []
    if joined and _has(columns, "start", "end", "raw"):
        exprs.append(_slice_matches("raw"))
    if _has(columns, "amount_usd", "amount_original", "fx_rate", "fx_rate_date", "fx_source"):
        exprs += _usd_rules()
    if _has(columns, "kind", "currency", "amount_usd"):
        stray = pl.col("currency").is_not_null() | pl.col("amount_usd").is_not_null()
        exprs.append(
            ((pl.col("kind") == "money") | ~stray).alias("_audit_money_fields_only_on_money")
        )
    if _has(columns, "is_conversion", "equivalent_of"):
        linked = pl.col("is_conversion") == pl.col("equivalent_of").is_not_null()
        exprs.append(linked.alias("_audit_conversion_linked"))
    if joined and _has(columns, "fx_rate_date", "fx_source") and "__a_published_at" in _names(lf):
        exprs += _fx_date_rules()
    lf = lf.with_columns(exprs)
    if _has(columns, "figure_id", "article_id", "equivalent_of", "amount_usd"):
        lf = _conversion_rules(lf)
    return _drop_helpers(lf)


def _usd_rules() -> list[pl.Expr]:
    """``amount_usd`` is ``round(amount_original * fx_rate, 2)``: cents, or float precision
    for sums too large for cents to be representable."""
    expected = pl.col("amount_original") * pl.col("fx_rate")
    gap = (pl.col("amount_usd") - expected).abs()
    close = (gap <= USD_ABS_TOLERANCE) | (gap <= USD_REL_TOLERANCE * expected.abs())
    complete = pl.all_horizontal(
        pl.col(c).is_not_null() for c in ("fx_rate", "fx_rate_date", "fx_source")
    )
    usd = pl.col("amount_usd")
    return [
        _unless_null(usd, close.fill_null(False)).alias("_audit_amount_usd_matches"),
        _unless_null(usd, complete).alias("_audit_fx_complete"),
    ]


def _fx_date_rules() -> list[pl.Expr]:
    """The rate must be published on or before the article date, and recent unless flagged:
    ``ecb:stale`` (rate file ends before the article) and ``ecb:asof`` (no article date) are
    honest, labelled fallbacks, so their age is not judged."""
    published, rated = pl.col("__a_published_at"), pl.col("fx_rate_date")
    flagged = pl.col("fx_source").str.contains(r"stale|asof").fill_null(False)
    age = pl.when(flagged).then(None).otherwise((published - rated).dt.total_days())
    return [
        (rated <= published).alias("_audit_fx_date_not_after_publication"),
        age.cast(pl.Int64).alias("_audit_fx_rate_age_days"),
    ]


def _conversion_rules(lf: pl.LazyFrame) -> pl.LazyFrame:
    """An outlet's own conversion ("€200bn ($234bn)") must restate its main amount in USD."""
    mains = lf.select(
        "article_id",
        pl.col("figure_id").alias("equivalent_of"),
        pl.col("amount_usd").alias("__main_usd"),
        pl.lit(True).alias("__main_found"),
    ).unique(["article_id", "equivalent_of"], keep="first")
    lf = lf.join(mains, on=["article_id", "equivalent_of"], how="left", maintain_order="left")
    link = pl.col("equivalent_of")
    gap = (pl.col("amount_usd") - pl.col("__main_usd")).abs()
    agrees = gap <= CONVERSION_TOLERANCE * pl.col("__main_usd").abs()
    return lf.with_columns(
        _unless_null(link, pl.col("__main_found").is_not_null()).alias("_audit_equivalent_exists"),
        _unless_null(link, agrees).alias("_audit_conversion_agrees"),
    )
