"""Compare two published versions table by table: rows added, removed and changed.

Rows are matched on each table's stable key (ids are content-derived, so the same document
keeps its ids across versions); a row whose key exists in both versions but whose other
columns differ counts as changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from newsfacts.store.publish import published_dir, read_manifest

TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "articles": ("article_id",),
    "rejects": ("source_file", "stage", "reason"),
    "mentions": ("article_id", "start", "end", "entity_id"),
    "entities": ("entity_id",),
    "quotes": ("quote_id",),
    "figures": ("figure_id",),
    "quote_clusters": ("quote_cluster_id",),
    "claims": ("claim_id",),
    "claim_figures": ("claim_id", "figure_id"),
    # A held row is the same hold from build to build whatever run held it.
    "quarantine": ("table", "row_key", "rule"),
}
# Columns that say which run wrote a row, not what the row says: left out of "changed".
VOLATILE_COLUMNS: dict[str, tuple[str, ...]] = {"quarantine": ("run_id",)}
SAMPLE = 20


@dataclass
class TableDiff:
    table: str
    key: tuple[str, ...]
    added: int = 0
    removed: int = 0
    changed: int = 0
    unchanged: int = 0
    added_keys: list[tuple[object, ...]] = field(default_factory=list)
    removed_keys: list[tuple[object, ...]] = field(default_factory=list)
    changed_keys: list[tuple[object, ...]] = field(default_factory=list)
    # Columns only one side has: rows are compared on the columns both have, so a column
    # added by a newer release shows here instead of marking every row changed.
    added_columns: list[str] = field(default_factory=list)
    removed_columns: list[str] = field(default_factory=list)


def _path(data_dir: Path, version: str, table: str) -> Path:
    return published_dir(data_dir) / version / f"{table}.parquet"


def diff_table(data_dir: Path, old: str, new: str, table: str) -> TableDiff:
    key = TABLE_KEYS.get(table, ())
    old_path, new_path = _path(data_dir, old, table), _path(data_dir, new, table)
    if not old_path.exists() and not new_path.exists():
        return TableDiff(table, key)
    con = duckdb.connect()
    try:
        some = new_path if new_path.exists() else old_path

        def names(path: Path) -> list[str]:
            if not path.exists():
                return []
            return [r[0] for r in con.execute(f"describe from read_parquet('{path}')").fetchall()]

        old_columns, new_columns = names(old_path), names(new_path)
        both = old_path.exists() and new_path.exists()
        columns = [c for c in new_columns if c in old_columns] if both else names(some)
        columns = [c for c in columns if c not in VOLATILE_COLUMNS.get(table, ())]
        key = key or tuple(columns)
        cols = ", ".join(f'"{c}"' for c in columns)
        key_cols = ", ".join(f'"{k}"' for k in key)
        for alias, path in (("o", old_path), ("n", new_path)):
            source = path if path.exists() else some
            where = "" if path.exists() else " where false"
            con.execute(
                f"create temp table {alias} as select {key_cols}, hash({cols}) as _h "
                f"from read_parquet('{source}'){where}"
            )
        join = " and ".join(f'o."{k}" is not distinct from n."{k}"' for k in key)
        queries = {
            "added": f"select {key_cols} from n where not exists (select 1 from o where {join})",
            "removed": f"select {key_cols} from o where not exists (select 1 from n where {join})",
            "changed": "select "
            + ", ".join(f'n."{k}"' for k in key)
            + f" from n join o on {join} where n._h <> o._h",
            "unchanged": f"select 1 from n join o on {join} where n._h = o._h",
        }
        counts = {
            name: int(con.execute(f"select count(*) from ({sql})").fetchone()[0])
            for name, sql in queries.items()
        }
        samples = {
            name: [
                tuple(r)
                for r in con.execute(f"{queries[name]} order by all limit {SAMPLE}").fetchall()
            ]
            for name in ("added", "removed", "changed")
        }
    finally:
        con.close()
    return TableDiff(
        table,
        key,
        added=counts["added"],
        removed=counts["removed"],
        changed=counts["changed"],
        unchanged=counts["unchanged"],
        added_keys=samples["added"],
        removed_keys=samples["removed"],
        changed_keys=samples["changed"],
        added_columns=[c for c in new_columns if c not in old_columns] if both else [],
        removed_columns=[c for c in old_columns if c not in new_columns] if both else [],
    )


def diff_versions(data_dir: Path, old: str, new: str) -> list[TableDiff]:
    tables = list(read_manifest(data_dir, new)["row_counts"])
    tables += [t for t in read_manifest(data_dir, old)["row_counts"] if t not in tables]
    return [diff_table(data_dir, old, new, table) for table in tables]
