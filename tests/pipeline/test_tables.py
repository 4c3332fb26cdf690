"""Analysts' questions answered with DuckDB over the published catalog of the seeds."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from tests.helpers import copy_seeds, materialize_all


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    root = tmp_path_factory.mktemp("tables")
    inbox = copy_seeds(root / "inbox")
    result = materialize_all(inbox, root / "data")
    assert result.success
    con = duckdb.connect(str(root / "data" / "catalog.duckdb"), read_only=True)
    yield con
    con.close()


def test_total_usd_by_outlet_counts_each_sum_once(catalog: duckdb.DuckDBPyConnection) -> None:
    totals = dict(
        catalog.execute(
            """
            select coalesce(a.outlet, a.source_file) as outlet, sum(f.amount_usd)
            from figures f join articles a using (article_id)
            where f.kind = 'money' and not f.is_conversion
            group by all
            """
        ).fetchall()
    )
    assert totals["London Glossy Post"] == pytest.approx(825e6)
    assert totals["DW"] == pytest.approx(200e9 * 1.1658, rel=0.01)


def test_casualty_figures_by_outlet(catalog: duckdb.DuckDBPyConnection) -> None:
    rows = catalog.execute(
        """
        select left(a.source_file, 3), f.value, f.counted
        from figures f join articles a using (article_id)
        where f.kind = 'casualties' and f.counted like '%killed%'
        order by 1
        """
    ).fetchall()
    assert [(r[0], r[1]) for r in rows] == [("000", 23), ("001", 23), ("002", 21), ("003", 25)]


def test_linked_conversion_agrees_with_the_main_amount(catalog: duckdb.DuckDBPyConnection) -> None:
    pairs = catalog.execute(
        """
        select c.raw, m.raw, c.amount_usd / m.amount_usd
        from figures c join figures m on c.equivalent_of = m.figure_id
        """
    ).fetchall()
    assert {(c, m) for c, m, _ in pairs} == {
        ("£611 million", "825 million US dollars"),
        ("$234 billion", "€200 billion"),
    }
    assert all(abs(ratio - 1) < 0.03 for *_, ratio in pairs)


def test_figure_offsets_index_into_article_text(catalog: duckdb.DuckDBPyConnection) -> None:
    bad = catalog.execute(
        """
        select f.figure_id from figures f join articles a using (article_id)
        where substring(a.text, f.start + 1, f."end" - f.start) <> f.raw
        """
    ).fetchall()
    assert bad == []


def test_quotes_per_speaker_across_outlets_has_one_row_per_person(
    catalog: duckdb.DuckDBPyConnection,
) -> None:
    rows = catalog.execute(
        """
        select e.name, count(*) as quotes, count(distinct q.article_id) as articles
        from quotes q join entities e on e.entity_id = q.speaker_entity_id
        group by all
        """
    ).fetchall()
    names = [name for name, *_ in rows]
    assert len(names) == len(set(names))
    by_name = {name: (quotes, articles) for name, quotes, articles in rows}
    assert by_name["Kaja Kallas"][1] == 4  # quoted in 000, 001, 003 and 004
    assert by_name["Volodymyr Zelenskyy"][0] >= 3  # "Mr Zelenskiy said" in 003
    for provisional in ("John Kelley", "Dmitry Peskov", "Maria Zakharova"):
        assert provisional in by_name


def test_every_spelling_of_the_president_is_one_entity(
    catalog: duckdb.DuckDBPyConnection,
) -> None:
    surfaces = catalog.execute(
        "select distinct surface from mentions "
        "where entity_id = 'person:volodymyr-zelenskyy' order by 1"
    ).fetchall()
    found = {s for (s,) in surfaces}
    assert {"Zelensky", "Zelenskyy", "Zelenskiy"} <= {w for s in found for w in s.split()}


def test_quote_offsets_index_into_article_text(catalog: duckdb.DuckDBPyConnection) -> None:
    bad = catalog.execute(
        """
        select q.quote_id from quotes q join articles a using (article_id)
        where substring(a.text, q.start + 1, q."end" - q.start) <> q.text
        """
    ).fetchall()
    assert bad == []


def test_kallas_pressure_quote_is_one_cluster_across_outlets(
    catalog: duckdb.DuckDBPyConnection,
) -> None:
    from newsfacts.crosssource.embeddings import semantic_available

    clusters = catalog.execute(
        """
        select q.quote_cluster_id, list(distinct left(a.source_file, 3) order by 1)
        from quotes q join articles a using (article_id)
        where q.speaker_entity_id = 'person:kaja-kallas' and q.quote_text like '%pressure%'
        group by all
        """
    ).fetchall()
    by_cluster = dict(clusters)
    assert ["000", "001"] in [[s for s in v if s in ("000", "001")] for v in by_cluster.values()]
    if semantic_available():
        assert list(by_cluster.values()) == [["000", "001", "003"]]


def test_death_toll_claim_flags_the_conflict(catalog: duckdb.DuckDBPyConnection) -> None:
    rows = catalog.execute(
        "select list_sort(values), article_count, conflict from claims "
        "where kind = 'casualties' and subject = 'people killed'"
    ).fetchall()
    assert rows == [([21.0, 23.0, 23.0, 25.0], 4, True)]
    agreeing = catalog.execute(
        "select kind, subject from claims where not conflict and kind = 'money'"
    ).fetchall()
    assert agreeing == [("money", "arms sale")]
