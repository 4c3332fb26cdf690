"""A Canadian page next to the seeds: its dollars are Canadian, its conversions agree with the
ECB rate, nothing is quarantined, and the seeds' money is unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.helpers import copy_seeds, materialize_all

PAGE = Path(__file__).resolve().parents[1] / "data" / "pages" / "toronto_pension_fund.html"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    root = tmp_path_factory.mktemp("money")
    inbox = copy_seeds(root / "inbox")
    shutil.copy(PAGE, inbox / PAGE.name)
    assert materialize_all(inbox, root / "data").success
    return duckdb.connect(str(root / "data" / "catalog.duckdb"), read_only=True)


def test_the_toronto_pages_dollars_are_canadian(catalog: duckdb.DuckDBPyConnection) -> None:
    rows = catalog.execute(
        "select raw, currency, currency_source from figures join articles using (article_id) "
        f"where source_file = '{PAGE.name}' and kind = 'money'"
    ).fetchall()
    by_raw = {raw: (currency, source) for raw, currency, source in rows}
    assert by_raw["$40 million"] == ("CAD", "outlet")
    assert by_raw["US$450 million"] == ("USD", "explicit")
    bare = [v for raw, v in by_raw.items() if raw.startswith("$")]
    assert bare and all(v == ("CAD", "outlet") for v in bare)
    assert catalog.execute("select count(*) from quarantine").fetchone() == (0,)


def test_its_conversions_agree_and_prices_are_not_sums(
    catalog: duckdb.DuckDBPyConnection,
) -> None:
    pairs = catalog.execute(
        "select m.raw, c.raw, c.amount_usd / m.amount_usd from figures c "
        "join figures m on c.equivalent_of = m.figure_id join articles a on a.article_id = "
        f"c.article_id where a.source_file = '{PAGE.name}'"
    ).fetchall()
    assert {(m, c) for m, c, _ in pairs} == {
        ("26 million euros", "$40 million"),
        ("£588-million", "$1.01-billion"),
    }
    assert all(abs(ratio - 1) < 0.02 for _, _, ratio in pairs)
    per = catalog.execute(
        "select raw, per from figures join articles using (article_id) "
        f"where source_file = '{PAGE.name}' and per is not null order by start"
    ).fetchall()
    assert per == [("$0.12/kWh", "kWh"), ("$40 a barrel", "barrel"), ("$1,450 a month", "month")]


def test_the_seeds_money_is_unchanged(catalog: duckdb.DuckDBPyConnection) -> None:
    rows = dict(
        catalog.execute(
            "select raw, amount_usd from figures where raw in ('£611 million', '€200 billion')"
        ).fetchall()
    )
    assert rows["£611 million"] == pytest.approx(821.76e6, abs=0.5e6)  # £611m at 1.3449
    assert rows["€200 billion"] == pytest.approx(233e9, rel=0.005)
