"""Figures extracted from the seed articles (real ECB rates) and from small written forms."""

from __future__ import annotations

import hashlib
from datetime import date

import polars as pl
import pytest

from newsfacts.facts.figures.conversions import conversion_disagreements
from newsfacts.facts.figures.currency import FxConverter
from newsfacts.facts.figures.extraction import extract_figures, figures_frame
from newsfacts.facts.figures.table import FIGURES_SCHEMA, Figure

PUBLISHED = {"000": date(2025, 8, 29), "001": date(2025, 8, 29), "002": date(2025, 8, 28)}
PUBLISHED |= {"003": date(2025, 8, 29), "004": date(2025, 8, 29)}
DAY = date(2025, 8, 29)


@pytest.fixture(scope="module")
def fx() -> FxConverter:
    return FxConverter(asof=DAY)


@pytest.fixture(scope="module")
def seed_figures(seed_texts: dict[str, str], fx: FxConverter) -> dict[str, list[Figure]]:
    return {key: extract_figures(text, PUBLISHED[key], fx, key) for key, text in seed_texts.items()}


@pytest.fixture(scope="module")
def seed_frame(seed_texts: dict[str, str], fx: FxConverter) -> pl.DataFrame:
    articles = pl.DataFrame(
        {
            "article_id": list(seed_texts),
            "text": list(seed_texts.values()),
            "published_at": [PUBLISHED[k] for k in seed_texts],
        },
        schema={"article_id": pl.String, "text": pl.String, "published_at": pl.Date},
    )
    return figures_frame(articles, fx)


def one(figures: list[Figure], **wanted: object) -> Figure:
    found = [f for f in figures if all(getattr(f, k) == v for k, v in wanted.items())]
    assert len(found) == 1, (wanted, found)
    return found[0]


def figures_of(text: str, fx: FxConverter) -> list[Figure]:
    return extract_figures(text, DAY, fx, "t")


# --- Seeds -----------------------------------------------------------------------------------
def test_outlet_conversion_of_the_arms_sale_is_linked_and_agrees(
    seed_figures: dict[str, list[Figure]],
) -> None:
    dollars = one(seed_figures["000"], kind="money", currency="USD")
    pounds = one(seed_figures["000"], kind="money", currency="GBP")
    assert (dollars.raw, dollars.value, dollars.is_conversion) == (
        "825 million US dollars",
        825e6,
        False,
    )
    assert (pounds.raw, pounds.amount_original) == ("£611 million", 611e6)
    assert pounds.is_conversion and pounds.equivalent_of == dollars.figure_id
    assert (pounds.fx_rate_date, pounds.fx_source) == (date(2025, 8, 29), "ecb")
    assert pounds.amount_usd == pytest.approx(825e6, rel=0.03)


def test_euro_assets_convert_close_to_the_outlets_dollar_figure(
    seed_figures: dict[str, list[Figure]],
) -> None:
    euros = one(seed_figures["004"], kind="money", currency="EUR")
    dollars = one(seed_figures["004"], kind="money", currency="USD")
    assert (euros.raw, euros.qualifier) == ("€200 billion", "over")
    assert dollars.is_conversion and dollars.equivalent_of == euros.figure_id
    assert euros.amount_usd == pytest.approx(234e9, rel=0.03)


@pytest.mark.parametrize(
    ("key", "toll", "counted"),
    [
        ("000", 23, "people killed"),
        ("001", 23, "people killed"),
        ("002", 21, "people killed"),
        ("003", 25, "civilians killed"),
    ],
)
def test_death_tolls_are_casualties(
    seed_figures: dict[str, list[Figure]], key: str, toll: int, counted: str
) -> None:
    one(seed_figures[key], kind="casualties", value=float(toll), counted=counted)


def test_killed_and_wounded_are_two_rows_with_their_qualifier(
    seed_figures: dict[str, list[Figure]],
) -> None:
    killed = one(seed_figures["002"], kind="casualties", counted="people killed")
    wounded = one(seed_figures["002"], kind="casualties", counted="people wounded")
    assert (killed.value, killed.qualifier, wounded.value) == (21.0, "at least", 48.0)
    assert killed.sentence.startswith("At least 21 people were killed")


def test_years_are_never_figures(seed_figures: dict[str, list[Figure]]) -> None:
    values = {f.value for figures in seed_figures.values() for f in figures}
    assert not values & {1994.0, 2014.0, 2022.0, 2025.0}


def test_two_week_deadline_is_fourteen_days(seed_figures: dict[str, list[Figure]]) -> None:
    deadline = one(seed_figures["004"], raw="two-week")
    assert (deadline.kind, deadline.value, deadline.unit) == ("duration", 14.0, "day")
    assert (deadline.value_original, deadline.unit_original) == (2.0, "week")


@pytest.mark.parametrize(("key", "raw"), [("000", "50 metres"), ("001", "50 meters")])
def test_fifty_metres_is_a_distance(
    seed_figures: dict[str, list[Figure]], key: str, raw: str
) -> None:
    distance = one(seed_figures[key], raw=raw)
    assert (distance.kind, distance.value, distance.unit) == ("distance", 50.0, "m")


@pytest.mark.parametrize(
    ("key", "raw", "value", "counted", "qualifier"),
    [
        ("000", "27-nation", 27.0, "nations", None),
        ("001", "27-nation", 27.0, "nations", None),
        ("003", "15-member", 15.0, "members", None),
        ("004", "30-member", 30.0, "members", "roughly"),
        ("000", "Two", 2.0, "missiles", None),
    ],
)
def test_counts_say_what_they_count(
    seed_figures: dict[str, list[Figure]],
    key: str,
    raw: str,
    value: float,
    counted: str,
    qualifier: str | None,
) -> None:
    figure = one(seed_figures[key], raw=raw)
    assert (figure.kind, figure.value, figure.counted, figure.qualifier) == (
        "count",
        value,
        counted,
        qualifier,
    )


def test_troops_are_counted_with_or_without_an_adjective(
    seed_figures: dict[str, list[Figure]],
) -> None:
    troops = [f for f in seed_figures["003"] if f.counted == "troops"]
    assert [(f.kind, f.value) for f in troops] == [("count", 100_000.0)] * 2


def test_spans_ids_and_sentences_are_consistent(
    seed_texts: dict[str, str], seed_figures: dict[str, list[Figure]]
) -> None:
    ids = []
    for key, figures in seed_figures.items():
        for f in figures:
            assert seed_texts[key][f.start : f.end] == f.raw
            assert f.raw in f.sentence and "\n" not in f.sentence
            expected = hashlib.sha256(f"{key}|{f.start}|{f.end}".encode()).hexdigest()[:16]
            assert f.figure_id == expected
            ids.append(f.figure_id)
    assert len(ids) == len(set(ids))


def test_frame_is_typed_and_seed_conversions_agree(seed_frame: pl.DataFrame) -> None:
    assert seed_frame.schema == pl.Schema(FIGURES_SCHEMA)
    assert seed_frame.filter(pl.col("is_conversion")).height == 2
    assert conversion_disagreements(seed_frame).is_empty()


def test_a_doctored_conversion_is_reported(seed_frame: pl.DataFrame) -> None:
    doctored = seed_frame.with_columns(
        pl.when(pl.col("raw") == "£611 million")
        .then(pl.col("amount_usd") * 2)
        .otherwise(pl.col("amount_usd"))
        .alias("amount_usd")
    )
    flagged = conversion_disagreements(doctored)
    assert flagged.height == 1
    assert flagged.row(0, named=True)["conversion_raw"] == "£611 million"
    assert flagged.row(0, named=True)["relative_difference"] == pytest.approx(1.0, rel=0.05)


def test_empty_and_foreign_articles_give_a_typed_empty_frame(fx: FxConverter) -> None:
    articles = pl.DataFrame(
        {
            "article_id": ["pt"],
            "text": ["O Miguel foi um grande parceiro durante 25 anos e pagou 300 euros."],
            "published_at": [DAY],
            "language": ["pt"],
        }
    )
    for frame in (articles, articles.clear()):
        result = figures_frame(frame, fx)
        assert result.is_empty()
        assert result.schema == pl.Schema(FIGURES_SCHEMA)


# --- Written forms ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "raw", "currency", "amount", "qualifier"),
    [
        ("It approved $825 million in aid.", "$825 million", "USD", 825e6, None),
        ("a 825 million US dollars sale", "825 million US dollars", "USD", 825e6, None),
        ("It cost £611 million.", "£611 million", "GBP", 611e6, None),
        ("a €200 billion fund", "€200 billion", "EUR", 200e9, None),
        ("Revenue hit $234bn.", "$234bn", "USD", 234e9, None),
        ("They paid USD 5m.", "USD 5m", "USD", 5e6, None),
        ("Debt of EUR 1.2 billion.", "EUR 1.2 billion", "EUR", 1.2e9, None),
        ("about 200 million euros", "200 million euros", "EUR", 200e6, "about"),
        ("A £3.5m grant.", "£3.5m", "GBP", 3.5e6, None),
        ("Over $200 billion of assets.", "$200 billion", "USD", 200e9, "over"),
        ("at least $5 million", "$5 million", "USD", 5e6, "at least"),
        ("roughly $10 million", "$10 million", "USD", 10e6, "roughly"),
        ("up to €3bn", "€3bn", "EUR", 3e9, "up to"),
        ("nearly half a million dollars", "half a million dollars", "USD", 5e5, "nearly"),
        ("HK$5 billion", "HK$5 billion", "HKD", 5e9, None),
    ],
)
def test_money_forms(
    fx: FxConverter, text: str, raw: str, currency: str, amount: float, qualifier: str | None
) -> None:
    money = one(figures_of(text, fx), kind="money")
    assert (money.raw, money.currency, money.amount_original, money.qualifier) == (
        raw,
        currency,
        amount,
        qualifier,
    )
    assert money.amount_usd is not None


def test_absurd_amounts_do_not_crash(fx: FxConverter) -> None:
    assert one(figures_of("He owes 10^30 dollars.", fx), kind="money").value == 1e30
    huge = one(figures_of("He owes 1,000,000,000,000,000 dollars.", fx), kind="money")
    assert huge.amount_usd == 1e15
    assert figures_of("He owes 10^400 dollars.", fx) == []  # not finite: skipped


def test_a_weight_in_pounds_is_not_money(fx: FxConverter) -> None:
    assert figures_of("The boxer weighs 200 pounds.", fx) == []


def test_missing_publication_date_converts_at_the_asof_date(fx: FxConverter) -> None:
    money = extract_figures("It cost £611 million.", None, fx)[0]
    assert (money.fx_source, money.fx_rate_date) == ("ecb:asof", DAY)


@pytest.mark.parametrize(
    "text",
    [
        "On August 18 the leaders met.",
        "They met on 28 August 2025 in Paris.",
        "He started on his first day in office.",
        "The call began at 10:30 and ended at 3 pm.",
        "It invoked Article 5 guarantees.",
        "The 2022 elections were close.",
        "Hundreds of people and dozens of troops gathered.",
        "Tens of thousands of protesters marched.",
        "The F-16 jets and the G7 leaders.",
        "A 23-year-old man was arrested.",
        "The score was 3-1 after the break.",
    ],
)
def test_dates_times_ordinals_labels_and_vague_numbers_are_skipped(
    fx: FxConverter, text: str
) -> None:
    assert figures_of(text, fx) == []


@pytest.mark.parametrize("text", ["It rose 4%.", "It rose four percent.", "It rose 4 per cent."])
def test_percentages(fx: FxConverter, text: str) -> None:
    share = one(figures_of(text, fx), kind="percentage")
    assert (share.value, share.unit) == (4.0, "%")


@pytest.mark.parametrize(
    ("text", "metres", "unit_original"),
    [("a 5 km march", 5000.0, "km"), ("They walked 3 miles.", 4828.032, "mile")],
)
def test_distances_are_normalised_to_metres(
    fx: FxConverter, text: str, metres: float, unit_original: str
) -> None:
    distance = one(figures_of(text, fx), kind="distance")
    assert distance.value == pytest.approx(metres)
    assert (distance.unit, distance.unit_original) == ("m", unit_original)


def test_casualty_phrasings(fx: FxConverter) -> None:
    text = "The strike killed 12 people and injured 30 others. The death toll rose to 45."
    got = [(f.value, f.counted) for f in figures_of(text, fx)]
    assert got == [(12.0, "people killed"), (30.0, "people wounded"), (45.0, "people killed")]


def test_a_dozen_counts_but_ranges_keep_both_ends(fx: FxConverter) -> None:
    dozen = one(figures_of("a dozen soldiers", fx), kind="count")
    assert (dozen.value, dozen.counted) == (12.0, "soldiers")
    span = one(figures_of("between 5-6 million people", fx), kind="count")
    assert (span.value, span.value_high) == (5e6, 6e6)
