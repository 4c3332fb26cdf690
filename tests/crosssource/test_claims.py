"""Claims on the seed articles, plus the grouping rules on small hand-made frames."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from newsfacts.crosssource.claims import CLAIM_FIGURES_SCHEMA, CLAIMS_SCHEMA, build_claims
from newsfacts.facts.figures.currency import FxConverter
from newsfacts.facts.figures.extraction import figures_frame
from newsfacts.facts.figures.table import FIGURES_SCHEMA


@pytest.fixture(scope="session")
def seed_figures(seed_articles: pl.DataFrame) -> pl.DataFrame:
    return figures_frame(seed_articles, FxConverter())


@pytest.fixture(scope="session")
def seed_claims(
    seed_figures: pl.DataFrame, seed_articles: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    return build_claims(seed_figures, seed_articles)


def _claim(claims: pl.DataFrame, **where: Any) -> dict[str, Any]:
    rows = claims.filter(**where)
    assert rows.height == 1, (where, claims)
    return rows.row(0, named=True)


def test_death_toll_conflict(seed_claims: tuple[pl.DataFrame, pl.DataFrame]):
    claim = _claim(seed_claims[0], kind="casualties", subject="people killed")
    assert sorted(claim["values"]) == [21.0, 23.0, 23.0, 25.0]
    assert claim["article_count"] == 4
    assert claim["conflict"] is True
    assert claim["distinct_values"] == 3
    assert (claim["min_value"], claim["max_value"]) == (21.0, 25.0)
    assert claim["spread"] == pytest.approx(25 / 21 - 1)
    assert (claim["window_start"], claim["window_end"]) == (date(2025, 8, 28), date(2025, 8, 29))
    assert claim["values"][0] == 21.0  # 002, published a day earlier, comes first
    assert "London Glossy Post" in claim["outlets"]


def test_agreeing_figures_are_not_conflicts(seed_claims: tuple[pl.DataFrame, pl.DataFrame]):
    claims = seed_claims[0]
    distance = _claim(claims, kind="distance", unit="m")  # 50 metres / 50 meters
    assert distance["values"] == [50.0, 50.0] and distance["conflict"] is False
    bloc = _claim(claims, kind="count", subject="nations")  # the 27-nation bloc
    assert bloc["values"] == [27.0, 27.0] and bloc["conflict"] is False
    assert bloc["spread"] == 0.0
    for claim in (distance, bloc):
        assert claim["outlets"] == ["London Glossy Post", "001_7a08a6b070b7ba96.txt"]


def test_arms_sale_money_claim_ignores_the_conversion(
    seed_claims: tuple[pl.DataFrame, pl.DataFrame], seed_figures: pl.DataFrame
):
    claims, claim_figures = seed_claims
    sale = _claim(claims, kind="money", subject="arms sale")
    assert sale["unit"] == "USD"
    assert sale["values"] == [825_000_000.0, 825_000_000.0]
    assert sale["conflict"] is False and sale["article_count"] == 2
    pound = seed_figures.filter(pl.col("raw") == "£611 million")
    assert pound["is_conversion"].to_list() == [True]
    assert pound["figure_id"][0] not in claim_figures["figure_id"].to_list()


def test_generic_counts_need_shared_context(seed_claims: tuple[pl.DataFrame, pl.DataFrame]):
    """ "five European council members", a "15-member council" and a "30-member coalition"
    all count members, but only the first is one story across outlets."""
    members = _claim(seed_claims[0], kind="count", subject="members")
    assert members["values"] == [5.0, 5.0, 5.0]
    assert members["conflict"] is False


def test_output_contract(seed_claims: tuple[pl.DataFrame, pl.DataFrame]):
    claims, claim_figures = seed_claims
    assert dict(claims.schema) == CLAIMS_SCHEMA
    assert dict(claim_figures.schema) == CLAIM_FIGURES_SCHEMA
    assert claims["claim_id"].is_unique().all()
    assert (claims["article_count"] >= 2).all()
    for claim in claims.iter_rows(named=True):
        n = claim["article_count"]
        assert len(claim["values"]) == len(claim["outlets"]) == len(claim["figure_ids"]) == n
    chosen = claim_figures.filter("selected")
    assert sorted(chosen["figure_id"]) == sorted(claims["figure_ids"].explode())


def test_ids_are_stable(
    seed_claims: tuple[pl.DataFrame, pl.DataFrame],
    seed_figures: pl.DataFrame,
    seed_articles: pl.DataFrame,
):
    again = build_claims(seed_figures.reverse(), seed_articles)
    assert again[0].equals(seed_claims[0])
    assert again[1].equals(seed_claims[1])


# --- rules on hand-made frames ------------------------------------------------------------


def _figures(rows: list[dict[str, Any]]) -> pl.DataFrame:
    defaults = {name: None for name in FIGURES_SCHEMA} | {"is_conversion": False, "start": 0}
    filled = [defaults | {"end": 1, "value_original": row.get("value")} | row for row in rows]
    return pl.DataFrame(filled, schema=FIGURES_SCHEMA)


def _toll(fid: str, aid: str, value: float, counted: str = "people killed") -> dict[str, Any]:
    sentence = f"A Russian strike on Odesa killed {value:g} people, Ukrainian officials said."
    return {
        "figure_id": fid,
        "article_id": aid,
        "sentence": sentence,
        "raw": f"{value:g}",
        "kind": "casualties",
        "value": value,
        "counted": counted,
    }


def _articles(dates: dict[str, date | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {"article_id": list(dates), "outlet": list(dates), "published_at": list(dates.values())},
        schema={"article_id": pl.String, "outlet": pl.String, "published_at": pl.Date},
    )


def test_windows_undated_articles_and_victims():
    figures = _figures(
        [
            _toll("f1", "a1", 10),
            _toll("f2", "a2", 12, "civilians killed"),  # same subject: "people killed"
            _toll("f3", "a3", 30),  # five days later: another window
            _toll("f4", "a4", 10),  # undated: cannot be placed
            _toll("f5", "a5", 10, "people wounded"),
        ]
    )
    articles = _articles(
        {
            "a1": date(2025, 3, 1),
            "a2": date(2025, 3, 2),
            "a3": date(2025, 3, 6),
            "a4": None,
            "a5": date(2025, 3, 1),
        }
    )
    claims, claim_figures = build_claims(figures, articles)
    assert claims["values"].to_list() == [[10.0, 12.0]]
    assert claims["subject"].to_list() == ["people killed"]
    assert sorted(claim_figures["figure_id"]) == ["f1", "f2"]


def test_one_value_per_article_and_tolerance():
    figures = _figures(
        [
            _toll("f1", "a1", 100),
            _toll("f2", "a1", 101),  # the same article updates its toll: the larger counts
            _toll("f3", "a2", 100),
        ]
    )
    articles = _articles({"a1": date(2025, 3, 1), "a2": date(2025, 3, 1)})
    claims, claim_figures = build_claims(figures, articles)
    claim = claims.row(0, named=True)
    assert claim["values"] == [101.0, 100.0] and claim["figure_ids"] == ["f2", "f3"]
    assert claim["conflict"] is False  # 1% apart, within the default 2%
    assert build_claims(figures, articles, tolerance=0.005)[0]["conflict"].to_list() == [True]
    assert claim_figures.filter(~pl.col("selected"))["figure_id"].to_list() == ["f1"]


def test_money_is_compared_in_usd_and_needs_a_subject():
    def money(fid: str, aid: str, raw: str, currency: str, usd: float, after: str) -> dict:
        return {
            "figure_id": fid,
            "article_id": aid,
            "sentence": f"The European Union pledged {raw} {after} for Ukraine on Monday.",
            "raw": raw,
            "kind": "money",
            "value": usd,
            "unit": currency,
            "currency": currency,
            "amount_usd": usd,
        }

    figures = _figures(
        [
            money("f1", "a1", "€1 billion", "EUR", 1.08e9, "in military aid"),
            money("f2", "a2", "$1.08 billion", "USD", 1.08e9, "of military aid"),
            money("f3", "a3", "$2 billion", "USD", 2e9, "that it had promised"),
        ]
    )
    articles = _articles({f"a{i}": date(2025, 3, 1) for i in range(1, 4)})
    claims, _ = build_claims(figures, articles)
    assert claims.select("subject", "unit", "values").rows() == [
        ("military aid", "USD", [1.08e9, 1.08e9])
    ]


def test_empty_input():
    claims, claim_figures = build_claims(pl.DataFrame(schema=FIGURES_SCHEMA), _articles({}))
    assert dict(claims.schema) == CLAIMS_SCHEMA and claims.height == 0
    assert dict(claim_figures.schema) == CLAIM_FIGURES_SCHEMA and claim_figures.height == 0


def test_undated_articles_fall_back_to_the_day_they_were_first_seen():
    figures = _figures([_toll("f1", "a1", 10), _toll("f2", "a2", 12), _toll("f3", "a3", 14)])
    articles = pl.DataFrame(
        {
            "article_id": ["a1", "a2", "a3"],
            "outlet": ["o1", "o2", "o3"],
            "published_at": [date(2025, 3, 1), None, None],
            "first_seen_at": [date(2025, 3, 9), date(2025, 3, 2), date(2025, 3, 20)],
        }
    )
    claims, claim_figures = build_claims(figures, articles)
    # a1 is placed by its stated date (not its later arrival), a2 by its arrival; a3 arrived
    # weeks later and falls outside the window
    assert claims["values"].to_list() == [[10.0, 12.0]]
    assert (claims["window_start"][0], claims["window_end"][0]) == (
        date(2025, 3, 1),
        date(2025, 3, 2),
    )
    assert claim_figures.select("figure_id", "article_date", "article_date_source").rows() == [
        ("f1", date(2025, 3, 1), "published"),
        ("f2", date(2025, 3, 2), "first_seen"),
    ]
