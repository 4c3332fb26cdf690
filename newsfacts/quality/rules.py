"""Two kinds of rule, as the suites declare them in ``meta.scope``.

A *row* rule judges one row on its own (a range, a format, an offset inside the text, a
conversion that agrees): a row that breaks an error-severity row rule is quarantined and the
rest of its table is published. A *table* rule judges the table as a whole (its schema, a key
collision, a collapse in row count, too many quarantined rows): breaking an error-severity
table rule stops the publish. The kinds are declared, not inferred from the expectation type,
so a suite says in plain data what each rule does to a failing build.
"""

from __future__ import annotations

import re
from typing import Any

SCOPES = ("row", "table")
# GX expectations that judge each row on its own, and so can name the rows that fail.
ROW_TYPES = frozenset(
    {
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_be_null",
        "expect_column_values_to_match_regex",
        "expect_column_values_to_not_match_regex",
        "expect_column_values_to_be_in_set",
        "expect_column_values_to_not_be_in_set",
        "expect_column_values_to_be_between",
        "expect_column_pair_values_a_to_be_greater_than_b",
    }
)
# The column the quarantine-share rule reads: 1 for a row that breaks an error row rule.
QUARANTINED = "_quarantined"

_SHORT = {
    "expect_column_values_to_not_be_null": "not_null",
    "expect_column_values_to_be_unique": "unique",
    "expect_column_values_to_match_regex": "format",
    "expect_column_values_to_be_in_set": "allowed",
    "expect_column_values_to_be_between": "in_range",
    "expect_column_mean_to_be_between": "share",
    "expect_table_columns_to_match_set": "columns",
    "expect_table_row_count_to_be_between": "row_count",
    "expect_compound_columns_to_be_unique": "key_unique",
    "expect_column_pair_values_a_to_be_greater_than_b": "ordered",
}


def check_scope(where: str, exp: dict[str, Any]) -> str:
    """The rule's scope, refusing a missing or impossible one (a table-wide expectation
    cannot name failing rows, so it cannot quarantine them)."""
    scope = exp.get("meta", {}).get("scope")
    if scope not in SCOPES:
        raise ValueError(f"{where} has scope {scope!r}; use one of {SCOPES}")
    if scope == "row" and exp["type"] not in ROW_TYPES:
        raise ValueError(f"{where}: {exp['type']} judges the whole table; its scope is 'table'")
    return scope


def quarantines(exp: dict[str, Any]) -> bool:
    """Whether rows failing this expectation leave the published table."""
    meta = exp["meta"]
    return meta["scope"] == "row" and meta["severity"] == "error"


def reads_quarantine(exp: dict[str, Any]) -> bool:
    """Rules over the quarantine itself run once the row rules have named their rows."""
    return exp["kwargs"].get("column") == QUARANTINED


def check_names(suite: dict[str, Any]) -> list[str]:
    """Readable, unique check names for a suite's expectations, in suite order: the Dagster
    check names and the ``rule`` of quarantined rows."""
    names: list[str] = []
    for exp in suite["expectations"]:
        meta, kwargs = exp.get("meta", {}), exp["kwargs"]
        if meta.get("check_name"):
            name = meta["check_name"]
        else:
            column = kwargs.get("column") or "_".join(
                filter(None, [kwargs.get("column_A"), kwargs.get("column_B")])
            )
            short = _SHORT.get(exp["type"], exp["type"].removeprefix("expect_"))
            if column.startswith("_audit_"):
                name = column.removeprefix("_audit_")
                name += f"_{short}" if short not in ("allowed",) else ""
            else:
                name = "_".join(filter(None, [column, short]))
        name = re.sub(r"\W+", "_", name).strip("_")
        if name in names:
            name = f"{name}_{meta.get('severity', 'x')}"
        names.append(name)
    return names
