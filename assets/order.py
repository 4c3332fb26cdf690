"""Which ready step a run executes first.

A run executes one step at a time, while the great-expectations worker validates each staged
table on the other core. Error-severity checks block downstream assets, so a step whose
table's validation is still running makes the run wait. Ordering the ready steps hides that
wait: every table step runs before any check that is ready beside it, tables that many steps
need come first (`mentions` before `figures`, so that `quotes` can run while `figures` is
validated), and checks run in the order their tables were staged, the worker's order.
"""

from typing import Any

# Dagster's documented op tag; its executors take the highest value first.
PRIORITY_TAG = "dagster/priority"
# Higher first, among the steps that are ready at the same time.
_TABLE_STEPS = ("documents", "articles", "mentions", "figures", "quotes", "claims", "entities")
# The staging order of the tables each check audits (a step's tables are staged together).
_CHECKED_TABLES = (
    "articles",
    "rejects",
    "mentions",
    "figures",
    "quotes",
    "quote_clusters",
    "claims",
    "claim_figures",
    "entities",
)


def step_tags(step: str) -> dict[str, Any]:
    """Op tags of a table step: it goes before every check and after the steps listed before
    it."""
    return {PRIORITY_TAG: str(100 - _TABLE_STEPS.index(step))}


def check_tags(table: str) -> dict[str, Any]:
    """Op tags of a table's check step: after every table step, in staging order."""
    return {PRIORITY_TAG: str(-1 - _CHECKED_TABLES.index(table))}
