"""Ranges, compound durations and prices per unit, on sentences from real news pages."""

from __future__ import annotations

from datetime import date

import pytest

from newsfacts.facts.figures.currency import FxConverter
from newsfacts.facts.figures.extraction import extract_figures
from newsfacts.facts.figures.table import Figure

DAY = date(2019, 11, 20)


@pytest.fixture(scope="module")
def fx() -> FxConverter:
    return FxConverter()


def _figures(sentence: str, fx: FxConverter) -> list[Figure]:
    return extract_figures(sentence, DAY, fx, "t")


def _by_raw(sentence: str, fx: FxConverter) -> dict[str, Figure]:
    return {f.raw: f for f in _figures(sentence, fx)}


@pytest.mark.parametrize(
    ("sentence", "raw", "kind", "low", "high"),
    [
        # gregoryszorc.com
        ("Python effectively kneecapped itself for 5-7 years through questionable choices.",
         "5-7 years", "duration", 5 * 365.25, 7 * 365.25),
        # vox.com
        ("Depending on the time of year, vehicles can contribute 40 to 80 percent of the "
         "region’s total pollution.", "40 to 80 percent", "percentage", 40, 80),
        # deccanherald.com
        ("to achieve the $40-50 billion in annual Chinese purchases of American farm goods",
         "$40-50 billion", "money", 40e9, 50e9),
        # 9to5mac.com
        ("For context, the current Apple TV lineup ranges from $150 to $200 before you factor "
         "the cost of a new TV.", "$150 to $200", "money", 150, 200),
        # appleinsider.com
        ("This is in comparison to between 0.6 and 0.7 millimeters on the 2016-style keyboard.",
         "0.6 and 0.7 millimeters", "distance", 0.0006, 0.0007),
        # msn.com: two units, one range
        ("Onset of symptoms following exposure to new feather duvets or pillows can range from "
         "three weeks to five years.", "three weeks to five years", "duration", 21, 5 * 365.25),
        # latimes.com
        ("he thinks the number will be between four to six services", "four to six", "count",
         4, 6),
        # newsnation.in
        ("The session lasts for 10-15 minutes and leaves you with more vigour and energy.",
         "10-15 minutes", "duration", 10 / 1440, 15 / 1440),
        # the forms, on a business sentence
        ("The company raised £588-million to £600-million last year.",
         "£588-million to £600-million", "money", 588e6, 600e6),
        ("The deal is worth between $5 and $7 million, the company said.", "$5 and $7 million",
         "money", 5e6, 7e6),
        ("The drive takes 2–3 hours each way.", "2–3 hours", "duration", 2 / 24, 3 / 24),
    ],
)  # fmt: skip
def test_a_range_is_one_figure_with_both_ends(
    fx: FxConverter, sentence: str, raw: str, kind: str, low: float, high: float
) -> None:
    figure = _by_raw(sentence, fx)[raw]
    assert figure.kind == kind
    assert figure.value == pytest.approx(low)
    assert figure.value_max == pytest.approx(high)
    assert figure.value_high == figure.value_max


@pytest.mark.parametrize(
    "sentence",
    [
        # therealdeal.com: a fall, not a range (and the high end is lower)
        "had its valuation slashed from $47 billion to $8 billion.",
        # politifact.com / healthline.com / pv-magazine.com: changes over time
        "Tariffs on Chinese goods were increased from 10% to 25% in May 2019.",
        "One study showed that increasing protein intake from 15% to 30% led to weight loss.",
        "Problematic cannabis use rose by 37 percent, from 0.90 percent to 1.23 percent.",
    ],
)
def test_a_change_from_one_value_to_another_stays_two_figures(
    fx: FxConverter, sentence: str
) -> None:
    figures = [f for f in _figures(sentence, fx) if f.raw not in ("37 percent",)]
    assert len(figures) == 2
    assert all(f.value_max is None for f in figures)


def test_up_to_and_at_least_keep_their_qualifier(fx: FxConverter) -> None:
    # cityam.com
    alibaba = _by_raw("Alibaba is set to raise up to $12.9bn (£10bn) from its listing.", fx)
    assert alibaba["$12.9bn"].qualifier == "up to"
    toll = _by_raw("The attack killed at least 21 people, officials said.", fx)
    assert toll["21"].qualifier == "at least"


def test_compound_durations_are_one_figure(fx: FxConverter) -> None:
    # appleinsider.com
    sentence = (
        "The previous generation took 4 minutes and 15 seconds while the updated machine did "
        "the export in only 2 minutes and 38 seconds."
    )
    figures = _by_raw(sentence, fx)
    assert set(figures) == {"4 minutes and 15 seconds", "2 minutes and 38 seconds"}
    assert figures["4 minutes and 15 seconds"].seconds == 255
    assert figures["2 minutes and 38 seconds"].seconds == 158
    assert figures["4 minutes and 15 seconds"].value == pytest.approx(255 / 86400)
    compounds = [
        ("It took 2 hours 30 minutes.", 9000),
        ("The trip took 1 hour, 20 minutes.", 4800),
        ("He served three years and six months.", 3.5 * 31557600),
    ]
    for written, seconds in compounds:
        (only,) = _figures(written, fx)
        assert only.kind == "duration" and only.seconds == pytest.approx(seconds), written


def test_short_durations_keep_exact_seconds(fx: FxConverter) -> None:
    # slashgear.com
    (race,) = [f for f in _figures("It should do 0-62 mph in 6.6 seconds.", fx)]
    assert race.seconds == pytest.approx(6.6) and race.unit == "day"


@pytest.mark.parametrize(
    ("sentence", "raw", "per", "value"),
    [
        # pv-magazine.com
        ("the Department of Energy announced the $0.06/kWh benchmark had been achieved.",
         "$0.06/kWh", "kWh", 0.06),
        # reuters.com
        ("U.S. crude CLc1 fell 3.38% to $55.12 per barrel.", "$55.12 per barrel", "barrel",
         55.12),
        ("Copper CMCU3 rose 0.86% to $5,880.00 a tonne.", "$5,880.00 a tonne", "tonne", 5880),
        ("Spot gold XAU= added 0.1% to $1,472.19 an ounce.", "$1,472.19 an ounce", "ounce",
         1472.19),
        # businessinsider.de
        ("Regular FIRE is someone whose spending is in line with the average US household, "
         "around $60,000 a year.", "$60,000 a year", "year", 60000),
        # latimes.com
        ("In December, the firm bid $16.50 per share for Tribune.", "$16.50 per share", "share",
         16.5),
        # politifact.com
        ("the value is about $44.2 million per week.", "$44.2 million per week", "week", 44.2e6),
        # ign.com
        ("Upgrade to Premium for $4.99/mo and get unlimited password management.", "$4.99/mo",
         "month", 4.99),
    ],
)  # fmt: skip
def test_prices_per_unit_keep_their_denominator(
    fx: FxConverter, sentence: str, raw: str, per: str, value: float
) -> None:
    figure = _by_raw(sentence, fx)[raw]
    assert (figure.kind, figure.per, figure.value) == ("money", per, pytest.approx(value))


def test_a_time_is_not_a_denominator(fx: FxConverter) -> None:
    figures = _by_raw(
        "Its assets stood at $221.9 billion, up from $207.4 billion a year earlier.", fx
    )
    assert figures["$207.4 billion"].per is None
