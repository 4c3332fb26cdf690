"""The column contract file and the README section generated from it."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
import yaml

from newsfacts.store import columns
from newsfacts.store.columns import README, SCHEMA_FILE, duckdb_type, load_tables, render_readme


def test_the_readme_tables_section_is_what_the_columns_file_generates() -> None:
    current = README.read_text(encoding="utf-8")
    assert render_readme(current, load_tables()) == current
    assert columns.main(["--check"]) == 0


def test_a_changed_description_makes_the_readme_out_of_date_until_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = tmp_path / "README.md"
    shutil.copy(README, readme)
    spec = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    spec["quotes"]["columns"]["speaker_name"]["description"] = "Who said it | as printed."
    monkeypatch.setattr(columns, "load_tables", lambda: columns.parse_tables(spec))

    assert columns.main(["--check", "--readme", str(readme)]) == 1
    assert columns.main(["--write-readme", "--readme", str(readme)]) == 0
    rewritten = readme.read_text(encoding="utf-8")
    assert "| `speaker_name` | VARCHAR | Who said it \\| as printed. |" in rewritten
    assert columns.main(["--check", "--readme", str(readme)]) == 0
    # Only the generated section changed: the README's first lines and Conventions stay.
    original = README.read_text(encoding="utf-8")
    assert rewritten.splitlines()[:6] == original.splitlines()[:6]
    tail = original[original.index("Conventions:") :]
    assert rewritten[rewritten.index("Conventions:") :] == tail


def test_every_column_has_a_type_a_description_and_lineage_of_table_dot_column() -> None:
    tables = load_tables()
    for table in tables.values():
        assert table.columns, table.name
        assert set(table.preview) <= {c.name for c in table.columns}, table.name
        for column in table.columns:
            assert column.description and column.type, f"{table.name}.{column.name}"
            for source_table, source_column in column.sources:
                assert tables[source_table].column(source_column), (table.name, column.name)


def test_duckdb_types_of_polars_columns() -> None:
    frame = pl.DataFrame(
        {"a": ["x"], "b": [1], "c": [1.5], "d": [True], "e": [[1.0]], "f": [["x"]]}
    ).with_columns(g=pl.lit("2025-01-02").str.to_date())
    assert [duckdb_type(t) for t in frame.schema.values()] == [
        "VARCHAR",
        "BIGINT",
        "DOUBLE",
        "BOOLEAN",
        "DOUBLE[]",
        "VARCHAR[]",
        "DATE",
    ]
