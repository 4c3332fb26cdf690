"""Write–audit–publish end to end: a staged table that breaks a blocking expectation is never
published, the build says which expectation failed, and the live version stays untouched."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from assets.store import PUBLISHED_TABLES
from pipelines.build_command import _report
from pipelines.staging import StagedParquetIOManager
from tests.helpers import copy_seeds, materialize_all


def _duplicate_first_row(frame: pl.DataFrame) -> pl.DataFrame:
    return pl.concat([frame, frame.head(1)])


def _inflate_usd(frame: pl.DataFrame) -> pl.DataFrame:
    money = pl.col("kind") == "money"
    return frame.with_columns(
        amount_usd=pl.when(money).then(pl.col("amount_usd") * 1.5).otherwise("amount_usd")
    )


def _leftover_script(frame: pl.DataFrame) -> pl.DataFrame:
    first = pl.int_range(pl.len()) == 0
    residue = pl.col("text") + "\n<script>window.getAdSnippetCallback()</script>"
    return frame.with_columns(text=pl.when(first).then(residue).otherwise("text"))


def _every_fifth_before_its_text(frame: pl.DataFrame) -> pl.DataFrame:
    fifth = pl.int_range(pl.len()) % 5 == 0
    return frame.with_columns(start=pl.when(fifth).then(-1).otherwise("start"))


CORRUPTIONS: dict[str, Callable[[pl.DataFrame], pl.DataFrame]] = {
    "every_fifth_before_its_text": _every_fifth_before_its_text,
    "duplicate_first_row": _duplicate_first_row,
    "inflate_usd": _inflate_usd,
    "leftover_script": _leftover_script,
}


class CorruptingIOManager(StagedParquetIOManager):
    """Stages one table with a defect, as a buggy producer would."""

    table: str
    corruption: str

    def handle_output(self, context: dg.OutputContext, obj: object) -> None:
        if context.asset_key.to_user_string() == self.table and isinstance(obj, pl.DataFrame):
            obj = CORRUPTIONS[self.corruption](obj)
        super().handle_output(context, obj)


def _published_tree(data_dir: Path) -> dict[str, str]:
    tree = {}
    for path in sorted([*(data_dir / "published").rglob("*"), data_dir / "catalog.duckdb"]):
        key = path.relative_to(data_dir).as_posix()
        if path.is_symlink():
            tree[key] = f"-> {path.readlink()}"
        elif path.is_file():
            tree[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return tree


def _check_evaluations(result: dg.ExecuteInProcessResult) -> dict[str, tuple[bool, str]]:
    evaluations = {}
    for event in result.all_events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            key = f"{data.asset_key.to_user_string()}.{data.check_name}"
            evaluations[key] = (data.passed, data.severity.value)
    return evaluations


def test_clean_build_passes_every_check_and_records_them(tmp_path: Path) -> None:
    inbox = copy_seeds(tmp_path / "inbox")
    result = materialize_all(inbox, tmp_path / "data")
    assert result.success
    evaluations = _check_evaluations(result)
    assert len(evaluations) > 60
    failed = {name for name, (passed, _severity) in evaluations.items() if not passed}
    assert failed == set()
    con = duckdb.connect(str(tmp_path / "data" / "catalog.duckdb"), read_only=True)
    version = con.execute("select version from _newsfacts_version").fetchone()[0]
    manifest = (tmp_path / "data" / "published" / version / "_manifest.json").read_text()
    assert '"quotes.quote_id_unique"' in manifest
    assert (tmp_path / "data" / "quality" / "index.html").exists()
    # One Data Docs page per validated table, all from this run.
    pages = list((tmp_path / "data" / "quality" / "validations").rglob("*.html"))
    assert sorted(p.name for p in pages) == sorted(
        f"newsfacts-{table}.html" for table in PUBLISHED_TABLES
    )


@pytest.mark.parametrize(
    ("table", "corruption", "failing_check", "named"),
    [
        # A key collision is a table rule: it blocks.
        ("quotes", "duplicate_first_row", "quotes.quote_id_unique", "failing rows"),
        # Every money row breaks a row rule: far more than the quarantine may hold.
        ("figures", "inflate_usd", "figures.quarantined_share", "figures.amount_usd_matches"),
        # 20 % of the figures break one row rule: the rule or the code is broken, not a page.
        (
            "figures",
            "every_fifth_before_its_text",
            "figures.quarantined_share",
            "figures.start_in_range",
        ),
    ],
)
def test_a_defective_staged_table_is_never_published(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    table: str,
    corruption: str,
    failing_check: str,
    named: str,
) -> None:
    inbox = copy_seeds(tmp_path / "inbox")
    data_dir = tmp_path / "data"
    assert materialize_all(inbox, data_dir).success
    before = _published_tree(data_dir)
    (inbox / "005_new.txt").write_text(
        "Officials in Kyiv said on Monday that repairs to the delegation building would take "
        "weeks, and that the cost would be shared with partners in Brussels. " * 3
    )
    corrupting = CorruptingIOManager(data_dir=str(data_dir), table=table, corruption=corruption)
    result = materialize_all(inbox, data_dir, io_manager=corrupting)

    assert not result.success
    evaluations = _check_evaluations(result)
    assert evaluations[failing_check] == (False, "ERROR")
    assert not result.asset_materializations_for_node("published")
    assert _report(result, data_dir) == 1
    out = capsys.readouterr().out
    assert "BUILD FAILED" in out
    line = next(line for line in out.splitlines() if f"failed check: {failing_check}" in line)
    assert "(blocking)" in line and named in line
    assert _published_tree(data_dir) == before
    # The failure is in the Data Docs although nothing was published.
    page = next((data_dir / "quality" / "validations").rglob(f"newsfacts-{table}.html"))
    assert re.search(r"Status:</span>\s*<i[^>]*></i>\s*Failed", page.read_text())
