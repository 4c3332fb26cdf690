"""Which dollar a bare "$" is, on a Canadian business page and on real sentences."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import trafilatura

from newsfacts.facts.figures.currency import FxConverter
from newsfacts.facts.figures.currency_choice import load_places
from newsfacts.facts.figures.extraction import extract_figures
from newsfacts.facts.figures.pricing import ArticleContext
from newsfacts.facts.figures.table import Figure

PAGE = Path(__file__).resolve().parents[2] / "data" / "pages" / "toronto_pension_fund.html"
PUBLISHED = date(2020, 6, 15)
STAR = ArticleContext(outlet="Toronto Star", url="https://www.thestar.com/business/a.html")


@pytest.fixture(scope="module")
def fx() -> FxConverter:
    return FxConverter()


@pytest.fixture(scope="module")
def page_text() -> str:
    text = trafilatura.extract(PAGE.read_text(encoding="utf-8"))
    assert text and text.startswith("TORONTO —")
    return text


def _money(figures: list[Figure]) -> dict[str, Figure]:
    return {f.raw: f for f in figures if f.kind == "money"}


def test_bare_dollars_of_a_toronto_paper_are_canadian(page_text: str, fx: FxConverter) -> None:
    money = _money(extract_figures(page_text, PUBLISHED, fx, "star", STAR))
    for raw in ("$300-million", "$221.9 billion", "$0.12/kWh", "$40 a barrel"):
        assert (money[raw].currency, money[raw].currency_source) == ("CAD", "outlet"), raw
    assert (money["US$450 million"].currency, money["US$450 million"].currency_source) == (
        "USD",
        "explicit",
    )
    assert money["26 million euros"].currency_source == "explicit"


@pytest.mark.parametrize(("main", "restated"), [("26 million euros", "$40 million"),
                                                ("£588-million", "$1.01-billion")])  # fmt: skip
def test_the_outlets_own_conversion_agrees_with_the_ecb_rate(
    page_text: str, fx: FxConverter, main: str, restated: str
) -> None:
    money = _money(extract_figures(page_text, PUBLISHED, fx, "star", STAR))
    original, conversion = money[main], money[restated]
    assert conversion.is_conversion and conversion.equivalent_of == original.figure_id
    assert conversion.currency == "CAD"
    assert original.amount_usd and conversion.amount_usd
    assert conversion.amount_usd == pytest.approx(original.amount_usd, rel=0.02)
    as_usd = fx.to_usd(conversion.value, "USD", PUBLISHED).amount_usd
    assert as_usd == pytest.approx(original.amount_usd * 1.37, rel=0.02)  # it was never USD


def test_a_conversion_outweighs_the_outlet(page_text: str, fx: FxConverter) -> None:
    """The same page credited to a US outlet: the euro and pound conversions fit the
    Canadian and Singapore dollars and not the US one, so the outlet's USD is ruled out and
    the dateline chooses between the two that fit."""
    nyt = ArticleContext(outlet="The New York Times", url="https://www.nytimes.com/a.html")
    money = _money(extract_figures(page_text, PUBLISHED, fx, "star", nyt))
    assert (money["$40 million"].currency, money["$40 million"].currency_source) == (
        "CAD",
        "place",
    )
    assert money["$300-million"].currency == "CAD"


def test_without_outlet_the_dateline_or_the_sentence_decides(fx: FxConverter) -> None:
    datelined = "SYDNEY — The state will spend $40 million on new buses, the minister said."
    named = "Singapore will spend $40 million on new buses, the minister said."
    plain = "The city will spend $40 million on new buses, the mayor said."
    assert _money(extract_figures(datelined, PUBLISHED, fx))["$40 million"].currency == "AUD"
    named_money = _money(extract_figures(named, PUBLISHED, fx))["$40 million"]
    assert (named_money.currency, named_money.currency_source) == ("SGD", "place")
    plain_money = _money(extract_figures(plain, PUBLISHED, fx))["$40 million"]
    assert (plain_money.currency, plain_money.currency_source) == ("USD", "default")
    assert plain_money.amount_usd == 40e6


@pytest.mark.parametrize(
    ("sentence", "raw", "currency", "source"),
    [
        # cityam.com: a London paper's "$" restated in pounds is the US dollar
        ("Alibaba is set to raise up to $12.9bn (£10bn) from its record-breaking second "
         "listing in Hong Kong.", "$12.9bn", "USD", "conversion"),
        # slashgear.com
        ("Regular European pricing will start at 71,350 euro ($78,770) with deliveries from "
         "spring 2020.", "$78,770", "USD", "conversion"),
        # nature.com
        ("The 1.2-billion-yuan (US$171-million) telescope took half a decade to build.",
         "US$171-million", "USD", "explicit"),
        # deccanherald.com (India): the sentence is about US purchases
        ("One Washington-based trade expert said that to achieve the $40-50 billion in annual "
         "Chinese purchases of American farm goods, he would have to act.",
         "$40-50 billion", "USD", "place"),
    ],
)  # fmt: skip
def test_real_sentences(
    fx: FxConverter, sentence: str, raw: str, currency: str, source: str
) -> None:
    figure = _money(extract_figures(sentence, date(2019, 11, 20), fx))[raw]
    assert (figure.currency, figure.currency_source) == (currency, source)


def test_other_ambiguous_symbols(fx: FxConverter) -> None:
    rupees = _money(extract_figures("Tickets cost Rs 599 at the counter.", PUBLISHED, fx))
    assert (rupees["Rs 599"].currency, rupees["Rs 599"].currency_source) == ("INR", "default")
    assert rupees["Rs 599"].amount_usd == pytest.approx(599 / 75.9, rel=0.03)
    karachi = _money(extract_figures("KARACHI — Fares rose to Rs 500 on Monday.", PUBLISHED, fx))
    assert karachi["Rs 500"].currency == "PKR"  # no ECB rate: kept, unconverted, with a note
    assert karachi["Rs 500"].amount_usd is None and "PKR" in (karachi["Rs 500"].fx_note or "")
    yuan = _money(extract_figures("China will lend ¥3 billion to the port.", PUBLISHED, fx))
    assert (yuan["¥3 billion"].currency, yuan["¥3 billion"].currency_source) == ("CNY", "place")
    crowns = _money(extract_figures("The fine was 500 kr for each day.", PUBLISHED, fx))
    assert crowns["500 kr"].currency is None and crowns["500 kr"].amount_usd is None
    assert "SEK" in (crowns["500 kr"].fx_note or "")


@pytest.mark.parametrize(
    ("code", "currency"), [("CAD", 0.735), ("AUD", 0.686), ("NZD", 0.644), ("JPY", 0.00931),
                           ("CHF", 1.05), ("CNY", 0.141), ("INR", 0.0132), ("HKD", 0.129),
                           ("SGD", 0.717), ("SEK", 0.106), ("NOK", 0.103)],
)  # fmt: skip
def test_every_ecb_currency_converts(fx: FxConverter, code: str, currency: float) -> None:
    converted = fx.to_usd(1000.0, code, PUBLISHED)
    assert converted.amount_usd == pytest.approx(1000 * currency, rel=0.03)
    assert converted.fx_rate_date == PUBLISHED


def test_reference_tables_load_with_a_version() -> None:
    places = load_places()
    assert places.outlet_country("CBC News", None) == "CA"
    assert places.outlet_country(None, "https://www.abc.net.au/news/x") == "AU"
    assert places.outlet_country(None, "https://example.co.nz/a") == "NZ"
    assert places.outlet_country(None, "https://example.com/a") is None
    assert places.version.startswith("places-")
