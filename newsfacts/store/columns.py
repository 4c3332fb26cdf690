"""Every table's columns, types, meanings and upstream columns, read from `schemas/columns.yaml`.

One file is the contract: the README's Tables section is generated from it, the Dagster UI's
column schemas and column lineage are built from it, and a test holds it to the columns a real
build publishes. Editing a description in one place changes all three.

    python -m newsfacts.store.columns --write-readme   # rewrite the README's Tables section
    python -m newsfacts.store.columns --check          # exit 1 when the README is out of date
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = REPO_ROOT / "schemas" / "columns.yaml"
README = REPO_ROOT / "README.md"
BEGIN = (
    "<!-- generated from schemas/columns.yaml by "
    "`python -m newsfacts.store.columns --write-readme`: edit that file, not this section -->"
)
END = "<!-- end of generated tables -->"

# DuckDB's names for the polars types the tables use: analysts read the files with DuckDB.
_DUCKDB_TYPES: dict[type[pl.DataType], str] = {
    pl.String: "VARCHAR",
    pl.Int64: "BIGINT",
    pl.Int32: "INTEGER",
    pl.UInt64: "UBIGINT",
    pl.Float64: "DOUBLE",
    pl.Boolean: "BOOLEAN",
    pl.Date: "DATE",
    pl.Datetime: "TIMESTAMP",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    # (table, column) of each upstream column this one is derived from.
    sources: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Table:
    name: str
    one_row_per: str
    published: bool
    preview: tuple[str, ...]
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def _source(ref: str) -> tuple[str, str]:
    table, dot, column = ref.partition(".")
    if not (dot and table and column):
        raise ValueError(f"{SCHEMA_FILE.name}: {ref!r} is not table.column")
    return table, column


def parse_tables(spec: dict) -> dict[str, Table]:
    tables = {}
    for name, body in spec.items():
        columns = tuple(
            Column(
                name=column,
                type=str(attrs["type"]),
                description=str(attrs["description"]).strip(),
                sources=tuple(_source(ref) for ref in attrs.get("from", ())),
            )
            for column, attrs in body["columns"].items()
        )
        tables[name] = Table(
            name=name,
            one_row_per=str(body["one_row_per"]),
            published=bool(body.get("published", True)),
            preview=tuple(body.get("preview") or [c.name for c in columns]),
            columns=columns,
        )
    return tables


@cache
def load_tables(path: Path = SCHEMA_FILE) -> dict[str, Table]:
    """Tables in the file's order (the README's)."""
    return parse_tables(yaml.safe_load(path.read_text(encoding="utf-8")))


def duckdb_type(dtype: pl.DataType) -> str:
    """The type DuckDB shows for a column of this polars type."""
    if isinstance(dtype, pl.List):
        return duckdb_type(dtype.inner) + "[]"
    return _DUCKDB_TYPES.get(type(dtype), str(dtype).upper())


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def readme_section(tables: dict[str, Table]) -> str:
    """The generated part of the README's Tables section: an overview, then every column."""
    published = [t for t in tables.values() if t.published]
    lines = [
        BEGIN,
        "",
        "| table | one row per | columns |",
        "|---|---|---|",
        *(
            f"| `{t.name}` | {_cell(t.one_row_per)} | "
            + ", ".join(f"`{c.name}`" for c in t.columns)
            + " |"
            for t in published
        ),
        "",
        "Every column with its DuckDB type and meaning (the Dagster UI shows the same in each "
        "asset's column schema):",
    ]
    for table in published:
        lines += [
            "",
            f"<details><summary><code>{table.name}</code>: {len(table.columns)} columns</summary>",
            "",
            "| column | type | description |",
            "|---|---|---|",
            *(f"| `{c.name}` | {c.type} | {_cell(c.description)} |" for c in table.columns),
            "",
            "</details>",
        ]
    return "\n".join([*lines, "", END])


def render_readme(readme: str, tables: dict[str, Table]) -> str:
    """`readme` with the text between the markers replaced by the generated section."""
    start, end = readme.find(BEGIN), readme.find(END)
    if start < 0 or end < start:
        raise ValueError(f"README has no generated tables section ({BEGIN} … {END})")
    return readme[:start] + readme_section(tables) + readme[end + len(END) :]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsfacts.store.columns")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write-readme", action="store_true", help="rewrite the section")
    action.add_argument("--check", action="store_true", help="exit 1 when it is out of date")
    parser.add_argument("--readme", type=Path, default=README)
    args = parser.parse_args(argv)
    current = args.readme.read_text(encoding="utf-8")
    wanted = render_readme(current, load_tables())
    if args.check:
        if wanted != current:
            print(f"{args.readme}: the Tables section is out of date; run --write-readme")
            return 1
        return 0
    if wanted != current:
        args.readme.write_text(wanted, encoding="utf-8")
        print(f"{args.readme}: Tables section rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
