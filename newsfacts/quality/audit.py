"""Derived audit columns: the cross-table and computed rules a single-frame expectation can't say.

Each rule becomes a boolean (or numeric) ``_audit_*`` column computed in polars, and the
table's expectation suite checks it with an ordinary expectation ("values in {true}"). That
keeps every rule visible in the suite JSON and in Data Docs, while the heavy lifting (joins to
the article text, slicing by offsets) runs vectorised in polars rather than row by row.

A null audit value means "not applicable or not checkable" (an unlinked figure, or the
articles table absent from the context); expectations skip nulls, so a rule never fails for
want of data. Rows keep their order and count, so row *i* of the result is row *i* of the input.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta

import polars as pl

from newsfacts.quality.audit_exprs import (
    Tables,
    _drop_helpers,
    _has,
    _join_articles,
    _slice_matches,
    _typed_ids,
    _unless_null,
)
from newsfacts.quality.money_rules import _figures_rules

AUDIT_PREFIX = "_audit_"
Context = Mapping[str, "pl.DataFrame | date"]

# Lines an extractor should have dropped: ad slots, paywall prompts, newsletter boxes, scripts.
# No `\b`: a Unicode word boundary drops the regex engine onto its slow path (~40 s instead of
# ~1 s over 50k articles); `(?:[^a-z]|$)` ends the word instead.
RESIDUE_PATTERN = (
    r"(?im)^[ \t]*(?:advertisements?|advertising|sponsored content)[ \t]*$"
    r"|^[ \t]*(?:subscribe to|discover more from|sign up for (?:our|the) newsletter)(?:[^a-z]|$)"
    r"|getAdSnippetCallback|<script(?:[^a-z]|$)|</script>"
)
# Leftover HTML: comments, bare common tags (<p>, <br/>, </div>), any tag with a quoted
# attribute (<a href="…">), or an entity never decoded (&nbsp;, &amp;). Not just "<" before a
# letter: English-language Korean and Chinese outlets write titles as <The Palace>, <Time>.
_LEAKY_TAGS = (
    "div|span|script|style|iframe|img|br|hr|p|li|ul|ol|td|tr|th|table|tbody|thead|figure|"
    "figcaption|noscript|svg|strong|em|b|i|u|h[1-6]|blockquote|sup|sub"
)
MARKUP_PATTERN = (
    r"(?i)<!--|<!doctype|<\?xml"
    rf"|<(?:{_LEAKY_TAGS})[ \t]*/?>"
    r"|</[a-z][a-z0-9]*[ \t]*>"
    r"|<[a-z][a-z0-9-]*[ \t][^<>]*?[a-z-]+[ \t]*=[ \t]*[\"']"
    r"|&(?:nbsp|amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-f]+);"
)
# An outlet east of the build machine can already be on tomorrow's date.
FUTURE_GRACE_DAYS = 1

AUDIT_INPUTS: dict[str, tuple[str, ...]] = {
    "_audit_article_exists": ("article_id",),
    "_audit_no_markup": ("title",),
    "_audit_no_residue": ("title",),
    "_audit_published_not_future": ("published_at", "published_at_source"),
    "_audit_published_source_consistent": ("published_at", "published_at_source"),
    "_audit_dup_group_consistent": ("dup_group_id", "dup_group_size"),
    "_audit_slice_matches": ("start", "end", "raw", "surface", "text"),
    "_audit_entity_exists": ("entity_id",),
    "_audit_speaker_exists": ("speaker_entity_id", "speaker_name"),
    "_audit_speaker_resolved": ("speaker_entity_id", "speaker_name", "attribution"),
    "_audit_unattributed_has_no_speaker": ("attribution", "speaker_entity_id", "speaker_name"),
    "_audit_amount_usd_matches": ("currency", "amount_original", "fx_rate", "amount_usd"),
    "_audit_fx_complete": ("amount_usd", "fx_rate", "fx_rate_date", "fx_source"),
    "_audit_money_fields_only_on_money": ("kind", "currency", "amount_usd"),
    "_audit_conversion_linked": ("is_conversion", "equivalent_of"),
    "_audit_equivalent_exists": ("equivalent_of",),
    "_audit_conversion_agrees": ("equivalent_of", "raw", "amount_usd"),
    "_audit_fx_date_not_after_publication": ("fx_rate_date", "fx_source"),
    "_audit_fx_rate_age_days": ("fx_rate_date", "fx_source"),
    "_audit_mention_count_matches": ("mention_count",),
    "_audit_article_count_matches": ("article_count",),
}
"""Columns shown next to a failing audit column in sample rows, so a reader sees *why*."""


def audit_frame(
    table: str, frame: pl.DataFrame, context: Context | None = None, today: date | None = None
) -> pl.DataFrame:
    """``frame`` plus the table's ``_audit_*`` columns; other tables come from ``context``.

    ``today`` (or a ``date`` under ``context["today"]``) pins the "not in the future" rule, so
    a rerun of an old build judges dates the same way. A rule whose inputs are missing (a
    column, or a table absent from the context) yields an all-null column: the suite reports it
    as checking no rows, and a missing input column fails its own expectations.
    """
    context = context or {}
    pinned = context.get("today")
    day = today or (pinned if isinstance(pinned, date) else date.today())
    builder = _BUILDERS.get(table)
    if builder is None:
        return frame
    tables = {k: v for k, v in context.items() if isinstance(v, pl.DataFrame)}
    out = builder(_typed_ids(frame), set(frame.columns), tables, day).collect()
    if out.height != frame.height:  # a join fanned out: a bug here, never the data's fault
        raise RuntimeError(f"audit of {table} changed the row count")
    missing = [c for c in _EXPECTED[table] if c not in out.columns]
    return out.with_columns(pl.lit(None, dtype=_dtype(c)).alias(c) for c in missing)


def audit_columns(table: str) -> tuple[str, ...]:
    """The audit columns ``audit_frame`` always adds for ``table``."""
    return _EXPECTED.get(table, ())


def _dtype(column: str) -> pl.DataType:
    if column.endswith("_days"):
        return pl.Int64()
    return pl.Int8() if column == "_audit_speaker_resolved" else pl.Boolean()


def _articles_rules(
    lf: pl.LazyFrame, columns: set[str], tables: Tables, today: date
) -> pl.LazyFrame:
    exprs = []
    if "text" in columns:
        exprs.append(~pl.col("text").str.contains(MARKUP_PATTERN).alias("_audit_no_markup"))
        exprs.append(~pl.col("text").str.contains(RESIDUE_PATTERN).alias("_audit_no_residue"))
    if "published_at" in columns:
        latest = today + timedelta(days=FUTURE_GRACE_DAYS)
        exprs.append((pl.col("published_at") <= latest).alias("_audit_published_not_future"))
    if _has(columns, "published_at", "published_at_source"):
        unknown = pl.col("published_at_source") == "unknown"
        consistent = unknown == pl.col("published_at").is_null()
        exprs.append(consistent.alias("_audit_published_source_consistent"))
    if _has(columns, "article_id", "dup_group_id", "dup_group_size"):
        exprs.append(_dup_group_rule())
    return lf.with_columns(exprs)


def _dup_group_rule() -> pl.Expr:
    """A near-duplicate group is named after its smallest member id and sized by its members,
    so analysts can keep one article per group with ``article_id = dup_group_id``."""
    group = pl.col("dup_group_id")
    named_after_min = pl.col("article_id").min().over(group) == group
    sized = pl.len().over(group) == pl.col("dup_group_size")
    return _unless_null(group, named_after_min & sized).alias("_audit_dup_group_consistent")


def _span_rules(expected: str) -> Rules:
    """Mentions and quotes: the row's own text must be the article text at its offsets."""

    def rules(lf: pl.LazyFrame, columns: set[str], tables: Tables, today: date) -> pl.LazyFrame:
        lf, joined = _join_articles(lf, columns, tables)
        if joined and _has(columns, "start", "end", expected):
            lf = lf.with_columns(_slice_matches(expected))
        entities = tables.get("entities")
        for id_column, name in (
            ("entity_id", "_audit_entity_exists"),
            ("speaker_entity_id", "_audit_speaker_exists"),
        ):
            if entities is not None and id_column in columns and "entity_id" in entities.columns:
                ids = entities.get_column("entity_id").cast(pl.String)
                known = ids.drop_nulls().unique().implode()
                found = _unless_null(pl.col(id_column), pl.col(id_column).is_in(known))
                lf = lf.with_columns(found.alias(name))
        if _has(columns, "speaker_entity_id", "speaker_name", "attribution"):
            lf = lf.with_columns(_attribution_rules())
        return _drop_helpers(lf)

    return rules


def _attribution_rules() -> list[pl.Expr]:
    """Quotes attributed to nobody ("none": scare quotes, terms, headline lines) are not
    speech we can assign: they never carry a speaker, and they count neither for nor
    against the resolved-speaker share."""
    nobody = pl.col("attribution") == "none"
    resolved = pl.col("speaker_entity_id").is_not_null().cast(pl.Int8)
    silent = pl.col("speaker_entity_id").is_null() & pl.col("speaker_name").is_null()
    return [
        pl.when(nobody).then(None).otherwise(resolved).alias("_audit_speaker_resolved"),
        pl.when(nobody).then(silent).otherwise(None).alias("_audit_unattributed_has_no_speaker"),
    ]


def _entities_rules(
    lf: pl.LazyFrame, columns: set[str], tables: Tables, today: date
) -> pl.LazyFrame:
    """Counts in ``entities`` must be what the other tables hold: ``mention_count`` its rows in
    ``mentions``; ``article_count`` the articles that mention it or quote it as a speaker
    (without ``quotes`` at hand, only "at least the articles that mention it")."""
    mentions = tables.get("mentions")
    if mentions is None or "entity_id" not in columns:
        return lf
    if not {"entity_id", "article_id"} <= set(mentions.columns):
        return lf
    seen = [_typed_ids(mentions).select("article_id", "entity_id", pl.lit(1).alias("__m"))]
    quotes = tables.get("quotes")
    exact = quotes is not None and {"article_id", "speaker_entity_id"} <= set(quotes.columns)
    if exact:
        speakers = _typed_ids(quotes).select(
            "article_id", pl.col("speaker_entity_id").alias("entity_id"), pl.lit(0).alias("__m")
        )
        seen.append(speakers.drop_nulls("entity_id"))
    counts = (
        pl.concat(seen)
        .group_by("entity_id")
        .agg(pl.col("__m").sum().alias("__m_mentions"), pl.col("article_id").n_unique())
        .rename({"article_id": "__m_articles"})
    )
    lf = lf.join(counts, on="entity_id", how="left", maintain_order="left")
    observed = pl.col("__m_articles").fill_null(0)
    articles_ok = (
        pl.col("article_count") == observed if exact else pl.col("article_count") >= observed
    )
    exprs = []
    if "mention_count" in columns:
        matches = pl.col("mention_count") == pl.col("__m_mentions").fill_null(0)
        exprs.append(matches.alias("_audit_mention_count_matches"))
    if "article_count" in columns:
        exprs.append(articles_ok.alias("_audit_article_count_matches"))
    return _drop_helpers(lf.with_columns(exprs))


Rules = Callable[[pl.LazyFrame, set[str], Tables, date], pl.LazyFrame]
_BUILDERS: dict[str, Rules] = {
    "articles": _articles_rules,
    "mentions": _span_rules("surface"),
    "quotes": _span_rules("text"),
    "figures": _figures_rules,
    "entities": _entities_rules,
}
_EXPECTED: dict[str, tuple[str, ...]] = {
    "articles": (
        "_audit_no_markup",
        "_audit_no_residue",
        "_audit_published_not_future",
        "_audit_published_source_consistent",
        "_audit_dup_group_consistent",
    ),
    "mentions": ("_audit_article_exists", "_audit_slice_matches", "_audit_entity_exists"),
    "quotes": (
        "_audit_article_exists",
        "_audit_slice_matches",
        "_audit_speaker_exists",
        "_audit_speaker_resolved",
        "_audit_unattributed_has_no_speaker",
    ),
    "figures": (
        "_audit_article_exists",
        "_audit_slice_matches",
        "_audit_amount_usd_matches",
        "_audit_fx_complete",
        "_audit_money_fields_only_on_money",
        "_audit_conversion_linked",
        "_audit_equivalent_exists",
        "_audit_conversion_agrees",
        "_audit_fx_date_not_after_publication",
        "_audit_fx_rate_age_days",
    ),
    "entities": ("_audit_mention_count_matches", "_audit_article_count_matches"),
}
