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

AUDIT_PREFIX = "_audit_"
Context = Mapping[str, "pl.DataFrame | date"]
Tables = Mapping[str, pl.DataFrame]

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
_ID_COLUMNS = frozenset(
    {"article_id", "figure_id", "equivalent_of", "entity_id", "speaker_entity_id", "quote_id"}
)
# An outlet east of the build machine can already be on tomorrow's date.
FUTURE_GRACE_DAYS = 1
CONVERSION_TOLERANCE = 0.05
USD_ABS_TOLERANCE = 0.01
USD_REL_TOLERANCE = 1e-9  # float noise of the product is ~1e-16; a 1e-6 slack hid $200k

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


def _typed_ids(frame: pl.DataFrame) -> pl.LazyFrame:
    """Id columns as strings even when a frame built from all-None values typed them Null,
    so joins on them cannot fail on a dtype mismatch."""
    nulls = [c for c, t in frame.schema.items() if c in _ID_COLUMNS and t == pl.Null]
    return frame.lazy().with_columns(pl.col(c).cast(pl.String) for c in nulls)


def _dtype(column: str) -> pl.DataType:
    if column.endswith("_days"):
        return pl.Int64()
    return pl.Int8() if column == "_audit_speaker_resolved" else pl.Boolean()


def _has(columns: set[str], *names: str) -> bool:
    return all(n in columns for n in names)


def _unless_null(guard: pl.Expr, value: pl.Expr) -> pl.Expr:
    return pl.when(guard.is_null()).then(None).otherwise(value)


def _join_articles(
    lf: pl.LazyFrame, columns: set[str], tables: Tables
) -> tuple[pl.LazyFrame, bool]:
    """Left-join each row's article text and date (as ``__a_*``); False when impossible."""
    articles = tables.get("articles")
    if articles is None or "article_id" not in articles.columns or "article_id" not in columns:
        return lf, False
    present = [c for c in ("text", "published_at") if c in articles.columns]
    wanted = [pl.col(c).alias(f"__a_{c}") for c in present]
    if "text" in articles.columns:  # counted once per article, not once per joined row
        wanted.append(pl.col("text").str.len_chars().alias("__a_len"))
    right = (
        _typed_ids(articles)
        .select("article_id", *wanted)
        .unique("article_id", keep="first")  # a duplicate id is the articles suite's failure
        .with_columns(pl.lit(True).alias("__a_found"))
    )
    joined = lf.join(right, on="article_id", how="left", maintain_order="left")
    exists = _unless_null(pl.col("article_id"), pl.col("__a_found").is_not_null())
    return joined.with_columns(exists.alias("_audit_article_exists")), True


def _slice_matches(expected: str) -> pl.Expr:
    """``article_text[start:end] == expected`` with Python semantics (offsets in code points,
    which is also what polars' ``str.slice`` counts)."""
    text, start, end = pl.col("__a_text"), pl.col("start"), pl.col("end")
    in_bounds = (start >= 0) & (end >= start) & (end <= pl.col("__a_len"))
    piece = text.str.slice(start.clip(0), (end - start).clip(0))
    unknown = text.is_null() | start.is_null() | end.is_null() | pl.col(expected).is_null()
    same = in_bounds & (piece == pl.col(expected)).fill_null(False)
    return pl.when(unknown).then(None).otherwise(same).alias("_audit_slice_matches")


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


def _names(lf: pl.LazyFrame) -> list[str]:
    return lf.collect_schema().names()


def _drop_helpers(lf: pl.LazyFrame) -> pl.LazyFrame:
    return lf.drop([c for c in _names(lf) if c.startswith("__")])


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
