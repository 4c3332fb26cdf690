"""Row rules quarantine, table rules block: one bad row never stops the day's publish, and
what was held back is published with the version, with the rule that held it."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from newsfacts.store.publish import latest_version
from newsfacts.store.versions import diff_versions
from pipelines.build_command import _report
from tests.helpers import copy_seeds, materialize_all, published_metadata
from tests.quality.test_gate import CorruptingIOManager

ABSURD = (
    "Fund news\n\nThe fund is worth 10^30 dollars, or 1,000,000,000,000,000,000,000 euros, "
    "said nobody. "
    + "The council met on Tuesday to discuss the budget for the coming year and heard from "
    "residents. " * 6
)


def _catalog(data_dir: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(data_dir / "catalog.duckdb"), read_only=True)


def test_absurd_figures_are_quarantined_and_the_rest_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = copy_seeds(tmp_path / "inbox")
    (inbox / "absurd.txt").write_text(ABSURD)
    data_dir = tmp_path / "data"
    result = materialize_all(inbox, data_dir)
    assert result.success
    con = _catalog(data_dir)
    assert con.execute("select count(*) from articles").fetchone() == (6,)
    held = con.execute(
        "select rule, source_file, observed_value, row, run_id from quarantine "
        "where \"table\" = 'figures' order by rule"
    ).fetchall()
    rules = {rule for rule, *_ in held}
    assert "figures.amount_usd_plausible" in rules
    assert {file for _, file, *_ in held} == {"absurd.txt"}
    assert all(run_id == result.run_id for *_, run_id in held)
    # The held figure is whole in the quarantine, and absent from figures.
    rows = [json.loads(row) for *_, row, _ in held]
    assert any(r["amount_usd"] and r["amount_usd"] > 1e15 for r in rows)
    held_ids = {r["figure_id"] for r in rows}
    published_ids = {fid for (fid,) in con.execute("select figure_id from figures").fetchall()}
    assert held_ids and not held_ids & published_ids
    # Only the absurd ones are held: the seeds' own figures are all there.
    seeds_only = tmp_path / "seeds_data"
    assert materialize_all(copy_seeds(tmp_path / "seeds_inbox"), seeds_only).success
    seed_figures = _catalog(seeds_only).execute("select count(*) from figures").fetchone()
    absurd_left = con.execute(
        "select count(*) from figures f join articles a using (article_id) "
        "where a.source_file = 'absurd.txt'"
    ).fetchone()
    assert con.execute("select count(*) from figures").fetchone()[0] == (
        seed_figures[0] + absurd_left[0]
    )
    assert published_metadata(result)["quarantined_rows"]["figures"] == len(held_ids)
    assert _report(result, data_dir) == 0
    out = capsys.readouterr().out
    assert "quarantined:" in out and "figures" in out


def test_a_quarantined_article_takes_its_facts_with_it(tmp_path: Path) -> None:
    inbox = copy_seeds(tmp_path / "inbox")
    data_dir = tmp_path / "data"
    corrupting = CorruptingIOManager(
        data_dir=str(data_dir), table="articles", corruption="leftover_script"
    )
    result = materialize_all(inbox, data_dir, io_manager=corrupting)
    assert result.success
    con = _catalog(data_dir)
    held = con.execute(
        "select article_id, rule, source_file from quarantine where \"table\" = 'articles'"
    ).fetchall()
    assert {rule for _, rule, _ in held} == {"articles.no_residue", "articles.no_markup"}
    (article_id,) = {aid for aid, _, _ in held}
    assert all(file.endswith(".txt") for _, _, file in held)
    assert con.execute("select count(*) from articles").fetchone() == (4,)
    for table in ("quotes", "figures", "mentions"):
        left = con.execute(f"select count(*) from {table} where article_id = ?", [article_id])
        assert left.fetchone() == (0,), table
    # The held article's text is kept whole in the quarantine row.
    row = con.execute("select row from quarantine where \"table\" = 'articles' limit 1").fetchone()[
        0
    ]
    assert "getAdSnippetCallback" in json.loads(row)["text"]
    # Nothing about it is left in the entities either: counts match the published mentions.
    mismatched = con.execute(
        "select count(*) from entities e left join (select entity_id, count(*) n from mentions "
        "group by entity_id) m using (entity_id) where e.mention_count <> coalesce(m.n, 0)"
    ).fetchone()
    assert mismatched == (0,)


def test_held_rows_come_back_when_the_data_is_fixed(tmp_path: Path) -> None:
    inbox = copy_seeds(tmp_path / "inbox")
    (inbox / "absurd.txt").write_text(ABSURD)
    data_dir = tmp_path / "data"
    assert materialize_all(inbox, data_dir).success
    # The staged candidate keeps the held rows readable until the next build audits it.
    staged = pl.read_parquet(data_dir / "staging" / "figures.parquet")
    assert staged.filter(pl.col("amount_usd") > 1e15).height >= 1
    first = latest_version(data_dir)
    (inbox / "absurd.txt").write_text(ABSURD.replace("10^30 dollars", "$30 million"))
    assert materialize_all(inbox, data_dir).success
    second = latest_version(data_dir)
    assert first and second and first != second
    diffs = {d.table: d for d in diff_versions(data_dir, first, second)}
    assert diffs["quarantine"].removed >= 1 and diffs["figures"].added >= 1
    con = _catalog(data_dir)
    assert (
        con.execute("select count(*) from quarantine where rule like '%plausible'").fetchone()[0]
        <= 1
    )
    assert con.execute("select count(*) from figures where raw = '$30 million'").fetchone() == (1,)
