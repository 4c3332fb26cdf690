"""Real Great Expectations runs (no mocks) over small frames built from the seed articles."""

from __future__ import annotations

import hashlib
import json
import re
import socket
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from newsfacts.extract.articles import ARTICLES_SCHEMA
from newsfacts.facts.figures.currency_names import ISO_CODES
from newsfacts.intake.schemas import REJECTS_SCHEMA
from newsfacts.quality.audit import audit_frame
from newsfacts.quality.data_docs import write_data_docs
from newsfacts.quality.reports import ValidationReport
from newsfacts.quality.suites import load_suite, validate

TODAY = date(2025, 9, 5)
PUBLISHED = date(2025, 8, 29)  # a Friday: the ECB rate of the day exists
TABLES = ("articles", "rejects", "mentions", "entities", "quotes", "figures")
KALLAS = "Q3740786"


def _id(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]


def _span(text: str, piece: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return start, start + len(piece)


@pytest.fixture(scope="module")
def texts(seed_texts: dict[str, str]) -> dict[str, str]:
    return {key: seed_texts[key] for key in ("002", "004")}


@pytest.fixture(scope="module")
def articles(texts: dict[str, str]) -> pl.DataFrame:
    rows = []
    for key, text in texts.items():
        sha = hashlib.sha256(key.encode()).hexdigest()
        rows.append(
            {
                "article_id": sha[:16],
                "source_file": f"{key}_{sha[:16]}.txt",
                "content_sha256": sha,
                "format": "text",
                "encoding": "utf-8",
                "outlet": "Example News",
                "outlet_source": "manifest",
                "url": f"https://example.org/{key}",
                "title": f"Seed {key}",
                "published_at": PUBLISHED,
                "published_at_source": "manifest",
                "language": "en",
                "text": text,
                "word_count": len(text.split()),
                "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
                "dup_group_id": sha[:16],
                "dup_group_size": 1,
                "first_seen_at": PUBLISHED,
            }
        )
    return pl.DataFrame(rows).select(
        pl.col(name).cast(dtype) for name, dtype in ARTICLES_SCHEMA.items()
    )


def _aid(articles: pl.DataFrame, key: str) -> str:
    return articles.filter(pl.col("title") == f"Seed {key}")["article_id"][0]


@pytest.fixture(scope="module")
def quotes(articles: pl.DataFrame, texts: dict[str, str]) -> pl.DataFrame:
    aid = _aid(articles, "002")
    rows = []
    for piece, speaker, attribution in (
        ("Putin must come to the negotiating table,", "nf:person:ursula", "explicit"),
        ("another night of Russia’s relentless bombings", "nf:person:ursula", "pronoun"),
        ("come to the negotiating table", None, "none"),
    ):
        start, end = _span(texts["002"], piece)
        rows.append(
            {
                "quote_id": _id(aid, start, end),
                "article_id": aid,
                "text": piece,
                "speaker_entity_id": speaker,
                "speaker_name": "Ursula von der Leyen" if speaker else None,
                "attribution": attribution,
                "is_partial": attribution == "none",
                "start": start,
                "end": end,
                "paragraph_index": 0,
                "utterance_id": _id(aid, start, end),
                "speaker_method": "rules",
            }
        )
    return pl.DataFrame(rows)


@pytest.fixture(scope="module")
def figures(articles: pl.DataFrame, texts: dict[str, str]) -> pl.DataFrame:
    aid = _aid(articles, "004")
    main_start, main_end = _span(texts["004"], "€200 billion")
    conv_start, conv_end = _span(texts["004"], "$234 billion")
    main_id, conv_id = _id(aid, main_start, main_end), _id(aid, conv_start, conv_end)
    base = {
        "article_id": aid,
        "sentence": "s",
        "unit": None,
        "counted": None,
        "qualifier": None,
        "value_max": None,
        "seconds": None,
        "per": None,
    }
    rows = [
        {
            **base,
            "figure_id": main_id,
            "start": main_start,
            "end": main_end,
            "raw": "€200 billion",
            "value": 200e9,
            "kind": "money",
            "currency": "EUR",
            "currency_source": "explicit",
            "amount_original": 200e9,
            "amount_usd": round(200e9 * 1.1658, 2),
            "fx_rate": 1.1658,
            "fx_rate_date": PUBLISHED,
            "fx_source": "ecb",
            "equivalent_of": None,
            "is_conversion": False,
        },
        {
            **base,
            "figure_id": conv_id,
            "start": conv_start,
            "end": conv_end,
            "raw": "$234 billion",
            "value": 234e9,
            "kind": "money",
            "currency": "USD",
            "currency_source": "conversion",
            "amount_original": 234e9,
            "amount_usd": 234e9,
            "fx_rate": 1.0,
            "fx_rate_date": PUBLISHED,
            "fx_source": "identity",
            "equivalent_of": main_id,
            "is_conversion": True,
        },
    ]
    start, end = _span(texts["002"], "21 people")
    aid2 = _aid(articles, "002")
    rows.append(
        {
            **{k: None for k in rows[0]},
            **base,
            "article_id": aid2,
            "figure_id": _id(aid2, start, end),
            "start": start,
            "end": end,
            "raw": "21 people",
            "value": 21.0,
            "kind": "casualties",
            "counted": "killed",
            "is_conversion": False,
        }
    )
    return pl.DataFrame(rows, schema_overrides={"fx_rate_date": pl.Date})


@pytest.fixture(scope="module")
def mentions(articles: pl.DataFrame, texts: dict[str, str]) -> pl.DataFrame:
    rows = []
    for key, surface, nth, entity_id, name, resolved in (
        ("004", "Kallas", 0, KALLAS, "Kaja Kallas", True),
        ("002", "Kallas", 0, KALLAS, "Kaja Kallas", True),
        ("002", "Ursula von der Leyen", 0, "nf:person:ursula", "Ursula von der Leyen", False),
    ):
        start, end = _span(texts[key], surface, nth)
        rows.append(
            {
                "article_id": _aid(articles, key),
                "entity_id": entity_id,
                "entity_name": name,
                "entity_type": "person",
                "surface": surface,
                "start": start,
                "end": end,
                "sentence_index": nth,
                "resolved": resolved,
            }
        )
    return pl.DataFrame(rows)


@pytest.fixture(scope="module")
def entities() -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"entity_id": KALLAS, "name": "Kaja Kallas", "type": "person",
             "wikidata_id": KALLAS, "article_count": 2, "mention_count": 2, "resolved": True},
            {"entity_id": "nf:person:ursula", "name": "Ursula von der Leyen", "type": "person",
             "wikidata_id": None, "article_count": 1, "mention_count": 1, "resolved": False},
        ]
    )  # fmt: skip


@pytest.fixture(scope="module")
def rejects() -> pl.DataFrame:
    row = {"source_file": "empty.txt", "stage": "documents", "reason": "empty file",
           "content_sha256": hashlib.sha256(b"").hexdigest(), "size_bytes": 0}  # fmt: skip
    return pl.DataFrame([row], schema=REJECTS_SCHEMA)


@pytest.fixture(scope="module")
def tables(
    articles: pl.DataFrame,
    rejects: pl.DataFrame,
    mentions: pl.DataFrame,
    entities: pl.DataFrame,
    quotes: pl.DataFrame,
    figures: pl.DataFrame,
) -> dict[str, pl.DataFrame]:
    return {"articles": articles, "rejects": rejects, "mentions": mentions,
            "entities": entities, "quotes": quotes, "figures": figures}  # fmt: skip


def _check(table: str, frame: pl.DataFrame, tables: dict[str, pl.DataFrame]) -> ValidationReport:
    return validate(table, frame, context=tables, today=TODAY)


def _failed(report: ValidationReport, column: str) -> list:
    return [r for r in report.results if not r.success and r.column == column]


@pytest.mark.parametrize("table", TABLES)
def test_clean_tables_pass_with_no_failures(table: str, tables: dict[str, pl.DataFrame]) -> None:
    frame = tables[table]
    report = _check(table, frame, tables)
    failed = [(r.expectation_type, r.column, r.exception) for r in report.results if not r.success]
    assert report.success, failed
    assert not failed
    assert report.row_count == frame.height


def test_duplicated_quote_id_fails_uniqueness_with_the_id_in_samples(tables) -> None:
    quotes = tables["quotes"]
    dup = pl.concat([quotes, quotes.head(1)])
    report = _check("quotes", dup, tables)
    assert not report.success
    [unique] = [r for r in report.failed_errors if r.expectation_type.endswith("to_be_unique")]
    assert unique.column == "quote_id" and unique.unexpected_count == 2
    sampled = {row["quote_id"] for row in unique.sample_failing_rows}
    assert sampled == {quotes["quote_id"][0]}
    assert {row["row"] for row in unique.sample_failing_rows} == {0, quotes.height}


def test_missing_article_text_fails_not_null_with_its_row(tables) -> None:
    # The text is only null-checked, so GX sees a stand-in of it: its nulls must carry over.
    articles = tables["articles"]
    missing = articles.with_columns(
        text=pl.when(pl.int_range(pl.len()) == 1).then(None).otherwise(pl.col("text"))
    )
    report = _check("articles", missing, tables)
    assert report.quarantine.height and not report.blocking  # held back, published around
    [failure] = _failed(report, "text")
    assert failure.expectation_type == "expect_column_values_to_not_be_null"
    assert failure.unexpected_count == 1 and failure.checked_rows is not None
    [row] = failure.sample_failing_rows
    assert row["row"] == 1 and row["article_id"] == articles["article_id"][1]


def test_wrong_amount_usd_fails(tables) -> None:
    bad = tables["figures"].with_columns(
        amount_usd=pl.when(pl.col("currency") == "EUR").then(pl.col("amount_usd") + 1000.0)
        .otherwise(pl.col("amount_usd"))
    )  # fmt: skip
    report = _check("figures", bad, tables)
    assert report.quarantine.height and not report.blocking  # held back, published around
    [failure] = _failed(report, "_audit_amount_usd_matches")
    assert failure.severity == "error" and failure.unexpected_count == 1
    [row] = failure.sample_failing_rows
    assert row["currency"] == "EUR" and row["fx_rate"] == 1.1658


@pytest.mark.parametrize(
    ("original", "rate", "usd", "ok"),
    [(10.005, 1.0, 10.01, True), (12.34, 1.1658, round(12.34 * 1.1658, 2), True),
     (12.34, 1.1658, 14.41, False), (1e20, 1.1658, 1e20 * 1.1658, True)],
)  # fmt: skip
def test_usd_tolerance_is_cent_rounding(original: float, rate: float, usd: float, ok: bool) -> None:
    figures = pl.DataFrame(
        {"amount_original": [original], "fx_rate": [rate], "amount_usd": [usd],
         "fx_rate_date": [PUBLISHED], "fx_source": ["ecb"]}
    )  # fmt: skip
    frame = audit_frame("figures", figures)
    assert frame["_audit_amount_usd_matches"].to_list() == [ok]


def test_article_with_leftover_script_fails(tables) -> None:
    articles = tables["articles"]
    bad = articles.with_columns(
        text=pl.col("text") + "\n<script>window.getAdSnippetCallback()</script>"
    )
    report = _check("articles", bad, tables)
    assert report.quarantine.height and not report.blocking  # held back, published around
    residue = _failed(report, "_audit_no_residue")
    markup = _failed(report, "_audit_no_markup")
    assert residue and markup
    assert residue[0].unexpected_count == articles.height
    assert {r["article_id"] for r in residue[0].sample_failing_rows} == set(articles["article_id"])


@pytest.mark.parametrize(
    "residue",
    ["Advertisement", "Advertisements", "Subscribe to our daily briefing", "a &amp; b",
     "x&nbsp;y", "</p>", '<div class="ad-slot">'],
)  # fmt: skip
def test_furniture_and_entities_are_caught(residue: str, tables) -> None:
    bad = tables["articles"].head(1).with_columns(text=pl.col("text") + f"\n{residue}\nEnd.")
    report = _check("articles", bad, tables)
    assert report.failed_errors, residue


def test_sentences_that_merely_mention_subscribing_or_compare_numbers_pass(tables) -> None:
    extra = (
        "\nReaders who subscribe to it pay less when x < 5 and y > 2."
        "\nThe musical <The Palace: Tale of Jang Noksu> and <Time> magazine, R&D; AT&T."
    )
    ok = tables["articles"].head(1).with_columns(text=pl.col("text") + extra)
    assert _check("articles", ok, tables).success


def test_duplicate_groups_must_be_named_after_their_smallest_member(tables) -> None:
    articles = tables["articles"]
    smallest = min(articles["article_id"])
    grouped = articles.with_columns(dup_group_id=pl.lit(smallest), dup_group_size=pl.lit(2))
    assert _check("articles", grouped, tables).success
    misnamed = grouped.with_columns(dup_group_id=pl.lit(max(articles["article_id"])))
    report = _check("articles", misnamed, tables)
    assert [r.column for r in report.failed_errors] == ["_audit_dup_group_consistent"]
    undersized = grouped.with_columns(dup_group_size=pl.lit(1))
    assert _check("articles", undersized, tables).quarantine.height


def test_quote_whose_text_does_not_match_its_slice_fails(tables) -> None:
    quotes = tables["quotes"]
    bad = quotes.with_columns(
        end=pl.when(pl.int_range(pl.len()) == 1).then(pl.col("end") - 1).otherwise(pl.col("end"))
    )
    report = _check("quotes", bad, tables)
    [failure] = _failed(report, "_audit_slice_matches")
    assert report.quarantine.height and failure.unexpected_count == 1
    assert failure.sample_failing_rows[0]["quote_id"] == quotes["quote_id"][1]


def test_slices_count_code_points_through_typographic_and_combining_characters() -> None:
    text = "Zelenskyy’s aide – “we’ll wait,” said Ye\u0301rmak 😀 “done”."
    aid = "0" * 16
    articles = pl.DataFrame({"article_id": [aid], "text": [text]})
    pieces = ["we’ll wait,", "Ye\u0301rmak", "done"]
    spans = [_span(text, p) for p in pieces]
    mentions = pl.DataFrame(
        {"article_id": [aid] * 3, "surface": pieces,
         "start": [s for s, _ in spans], "end": [e for _, e in spans]}
    )  # fmt: skip
    audited = audit_frame("mentions", mentions, {"articles": articles})
    assert audited["_audit_slice_matches"].to_list() == [True, True, True]
    shifted = mentions.with_columns(start=pl.col("start") + 1, end=pl.col("end") + 1)
    assert audit_frame("mentions", shifted, {"articles": articles})[
        "_audit_slice_matches"
    ].to_list() == [False, False, False]


def test_out_of_range_offsets_fail_instead_of_raising(tables) -> None:
    bad = tables["mentions"].with_columns(start=pl.lit(10**9), end=pl.lit(10**9 + 6))
    report = _check("mentions", bad, tables)
    assert _failed(report, "_audit_slice_matches")


def test_linked_conversion_off_by_20_percent_fails(tables) -> None:
    bad = tables["figures"].with_columns(
        amount_original=pl.when(pl.col("is_conversion")).then(pl.col("amount_original") * 1.2)
        .otherwise(pl.col("amount_original")),
        amount_usd=pl.when(pl.col("is_conversion")).then(pl.col("amount_usd") * 1.2)
        .otherwise(pl.col("amount_usd")),
    )  # fmt: skip
    report = _check("figures", bad, tables)
    [failure] = report.failed_errors
    assert failure.column == "_audit_conversion_agrees"
    assert failure.sample_failing_rows[0]["raw"] == "$234 billion"


def test_conversion_pointing_nowhere_fails(tables) -> None:
    bad = tables["figures"].with_columns(
        equivalent_of=pl.when(pl.col("is_conversion")).then(pl.lit("f" * 16))
    )
    assert _failed(_check("figures", bad, tables), "_audit_equivalent_exists")


def test_fx_rate_dates_after_publication_or_too_old_fail_unless_flagged(tables) -> None:
    figures = tables["figures"]
    after = figures.with_columns(fx_rate_date=pl.lit(date(2025, 8, 30)))
    report = _check("figures", after, tables)
    assert _failed(report, "_audit_fx_date_not_after_publication")
    old = figures.with_columns(fx_rate_date=pl.lit(date(2025, 8, 20)))
    report = _check("figures", old, tables)
    severities = sorted(r.severity for r in _failed(report, "_audit_fx_rate_age_days"))
    assert severities == ["error", "warning"] and report.quarantine.height
    stale = old.with_columns(fx_source=pl.lit("ecb:stale"))
    assert _check("figures", stale, tables).success
    six_days = figures.with_columns(fx_rate_date=pl.lit(date(2025, 8, 23)))
    report = _check("figures", six_days, tables)
    assert report.success and [r.column for r in report.failed_warnings] == [
        "_audit_fx_rate_age_days"
    ]


def test_unknown_currency_fails(tables) -> None:
    bad = tables["figures"].with_columns(
        currency=pl.when(pl.col("currency") == "EUR").then(pl.lit("XBT")).otherwise("currency")
    )
    [failure] = _failed(_check("figures", bad, tables), "currency")
    assert failure.observed_value == ["XBT"]


def test_future_published_at_fails(tables) -> None:
    bad = tables["articles"].with_columns(published_at=pl.lit(date(2025, 9, 7)))
    report = _check("articles", bad, tables)
    assert report.quarantine.height and not report.blocking  # held back, published around
    assert [r.column for r in report.failed_errors] == ["_audit_published_not_future"]
    assert validate("articles", bad, context={"today": date(2025, 9, 6)}).success
    tomorrow = tables["articles"].with_columns(published_at=pl.lit(date(2025, 9, 6)))
    assert _check("articles", tomorrow, tables).success  # a time zone ahead, not an error


def test_warning_failure_keeps_success_but_is_listed(tables) -> None:
    short = tables["articles"].with_columns(word_count=pl.lit(12, dtype=pl.Int64))
    report = _check("articles", short, tables)
    assert report.success
    assert not report.failed_errors
    [warning] = report.failed_warnings
    assert warning.column == "word_count" and warning.severity == "warning"
    assert warning.unexpected_count == short.height


def test_low_share_of_resolved_speakers_is_a_warning(tables) -> None:
    unresolved = tables["quotes"].with_columns(speaker_entity_id=pl.lit(None, dtype=pl.String))
    report = _check("quotes", unresolved, tables)
    assert report.success
    [warning] = report.failed_warnings
    assert warning.expectation_type == "expect_column_mean_to_be_between"
    assert warning.observed_value == 0.0


def test_entity_counts_must_match_mentions(tables) -> None:
    entities = tables["entities"].filter(pl.col("entity_id") == KALLAS)
    bad = entities.with_columns(mention_count=pl.lit(5, dtype=pl.Int64))
    report = validate("entities", bad, {"mentions": tables["mentions"]})
    assert [r.column for r in report.failed_errors] == ["_audit_mention_count_matches"]


def test_an_entity_seen_only_as_a_quote_speaker_counts_its_articles(tables) -> None:
    speaker = {
        "entity_id": "nf:person:kallas-aide",
        "name": "An Aide",
        "type": "person",
        "wikidata_id": None,
        "article_count": 1,
        "mention_count": 0,
        "resolved": False,
    }
    entities = pl.concat([tables["entities"], pl.DataFrame([speaker])], how="vertical_relaxed")
    first = pl.int_range(pl.len()) == 0
    quotes = tables["quotes"].with_columns(
        speaker_entity_id=pl.when(first).then(pl.lit(speaker["entity_id"]))
        .otherwise("speaker_entity_id")
    )  # fmt: skip
    context = {**tables, "entities": entities, "quotes": quotes}
    assert _check("entities", entities, context).success
    wrong = entities.with_columns(article_count=pl.lit(2, dtype=pl.Int64))
    assert not _check("entities", wrong, context).success


def test_rows_pointing_at_missing_articles_fail(tables) -> None:
    only_one = tables["articles"].filter(pl.col("title") == "Seed 002")
    report = _check("figures", tables["figures"], {**tables, "articles": only_one})
    [failure] = _failed(report, "_audit_article_exists")
    assert failure.unexpected_count == 2


def test_without_context_cross_table_rules_check_nothing_and_pass(tables) -> None:
    report = validate("figures", tables["figures"])
    assert report.success
    [exists] = [r for r in report.results if r.column == "_audit_article_exists"]
    assert exists.checked_rows == 0


def test_missing_column_is_a_reported_failure_not_a_crash(tables) -> None:
    report = _check("quotes", tables["quotes"].drop("attribution"), tables)
    # A row rule that cannot run names no rows to hold back: it blocks.
    assert not report.success and report.blocking
    failures = _failed(report, "attribution")
    assert failures and failures[0].exception


@pytest.mark.parametrize("table", TABLES)
def test_empty_tables_validate(table: str, tables: dict[str, pl.DataFrame]) -> None:
    report = validate(table, tables[table].clear())
    assert report.success, [(r.column, r.exception) for r in report.failed_errors]


def test_audit_keeps_row_order_and_count_despite_duplicate_context_ids(tables) -> None:
    doubled = pl.concat([tables["articles"], tables["articles"]])
    figures = tables["figures"].reverse()
    audited = audit_frame("figures", figures, {"articles": doubled})
    assert audited.height == figures.height
    assert audited["figure_id"].to_list() == figures["figure_id"].to_list()


def test_report_is_plain_json(tables) -> None:
    bad = tables["figures"].with_columns(fx_rate_date=pl.lit(date(2025, 8, 30)))
    payload = _check("figures", bad, tables).to_dict()
    assert json.loads(json.dumps(payload)) == payload  # no default=: plain types only
    assert payload["failed_errors"] >= 1 and payload["table"] == "figures"
    assert payload["quarantined_rows"] >= 1


def test_validation_makes_no_network_calls(
    tables, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.chdir(tmp_path)
    reports = [_check(t, tables[t], tables) for t in ("articles", "figures")]
    write_data_docs(reports, tmp_path / "docs")
    assert all(r.success for r in reports)
    assert not (tmp_path / "gx").exists()  # ephemeral: no project folder appears


def test_data_docs_are_written_by_gx(tables, tmp_path: Path) -> None:
    reports = [_check(t, tables[t], tables) for t in TABLES]
    reports.append(_check("articles", tables["articles"].with_columns(word_count=pl.lit(3)), {}))
    index = write_data_docs(reports, tmp_path / "quality")
    assert index == tmp_path / "quality" / "index.html" and index.is_file()
    pages = list((tmp_path / "quality" / "validations").rglob("*.html"))
    assert len(pages) == len(TABLES)  # the latest validation per table
    assert "figures" in index.read_text()
    again = write_data_docs(reports[:1], tmp_path / "quality")
    assert again.is_file()
    assert len(list((tmp_path / "quality" / "validations").rglob("*.html"))) == 1


def _page_texts(site: Path) -> dict[str, str]:
    """Each page's text without what changes from one rendering to the next (times, ids)."""
    volatile = re.compile(
        r"\d{8}T\d{6}\.\d+Z|\d{4}-\d{2}-\d{2}[T ][\d:.]+(?:\+00:00|Z)?|"
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b\d{10}\.\d+\b"
    )
    return {
        volatile.sub("", str(page.relative_to(site))): volatile.sub("", page.read_text())
        for page in sorted(site.rglob("*.html"))
    }


def test_data_docs_keep_compiled_templates_and_render_the_same_pages(
    tables, tmp_path: Path
) -> None:
    reports = [_check(t, tables[t], tables) for t in ("articles", "rejects")]
    plain = _page_texts(write_data_docs(reports, tmp_path / "plain").parent)
    cache = tmp_path / "templates"
    write_data_docs(reports, tmp_path / "first", cache)
    compiled = sorted(cache.iterdir())
    assert len(compiled) >= 10  # one file per template GX used
    assert _page_texts(write_data_docs(reports, tmp_path / "cached", cache).parent) == plain
    for path in compiled:  # damaged files are compiled again, not fatal
        path.write_bytes(b"j2 not bytecode")
    assert _page_texts(write_data_docs(reports, tmp_path / "damaged", cache).parent) == plain


def test_suites_are_well_formed_and_in_step_with_the_code() -> None:
    for table in TABLES:
        suite = load_suite(table)
        assert suite["name"] == table
        for exp in suite["expectations"]:
            assert exp["meta"]["severity"] in ("error", "warning")
            assert exp["meta"]["description"]
    [currency] = [
        e for e in load_suite("figures")["expectations"]
        if e["kwargs"].get("column") == "currency"
    ]  # fmt: skip
    assert set(currency["kwargs"]["value_set"]) >= ISO_CODES


def test_bad_severity_is_refused(tmp_path: Path) -> None:
    suite = load_suite("rejects")
    suite["expectations"][0]["meta"]["severity"] = "fatal"
    (tmp_path / "rejects.json").write_text(json.dumps(suite))
    with pytest.raises(ValueError, match="severity"):
        validate("rejects", pl.DataFrame(schema=REJECTS_SCHEMA), suite_dir=tmp_path)
