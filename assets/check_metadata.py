"""What an asset check shows in the UI: what its rule allows and what the audit observed.

GX reports an observed value only for aggregate expectations (a mean, a row count, a column
set); for a rule over each row (not null, in a set, between, a regex) it reports how many rows
failed. Both read here as one `observed_value`, next to the rule's own parameters (`expected`,
`allowed_values`, `regex`, `min_value`, `max_value`), so a check never shows "None".
"""

from __future__ import annotations

from typing import Any

import dagster as dg
import polars as pl

from assets.metadata import markdown_preview, readable, rounded
from newsfacts.quality.reports import ExpectationOutcome
from newsfacts.quality.rules import QUARANTINED

MAX_LISTED = 12


def _value_text(value: Any) -> str:
    """A rule's value as the suite JSON spells it: booleans lower-case."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _listed(values: Any) -> str:
    items = [_value_text(v) for v in values]
    shown = ", ".join(items[:MAX_LISTED])
    return shown + (f", … ({len(items)} in all)" if len(items) > MAX_LISTED else "")


def expected(outcome: ExpectationOutcome) -> str:
    """The rule in words, from the expectation's type and parameters."""
    kw, kind = outcome.kwargs, outcome.expectation_type
    low, high = kw.get("min_value"), kw.get("max_value")
    parts = []
    if low is not None:
        parts.append(f"{'>' if kw.get('strict_min') else '≥'} {low}")
    if high is not None:
        parts.append(f"{'<' if kw.get('strict_max') else '≤'} {high}")
    bounds = " and ".join(parts)
    if kind == "expect_column_values_to_be_in_set":
        text = f"every value in {{{_listed(kw.get('value_set', []))}}}"
    elif kind == "expect_column_values_to_match_regex":
        text = f"every value matches {kw.get('regex')}"
    elif kind == "expect_column_values_to_not_be_null":
        text = "no nulls"
    elif kind in ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"):
        text = "no duplicates" + (
            f" of ({', '.join(kw['column_list'])})" if kw.get("column_list") else ""
        )
    elif kind == "expect_column_pair_values_a_to_be_greater_than_b":
        text = f"{kw.get('column_A')} {'≥' if kw.get('or_equal') else '>'} {kw.get('column_B')}"
    elif kind == "expect_table_columns_to_match_set":
        verb = "exactly" if kw.get("exact_match") else "at least"
        text = f"{verb} the columns {_listed(kw.get('column_set', []))}"
    elif kind == "expect_column_values_to_be_between":
        text = f"every value {bounds}"
    elif kind == "expect_column_mean_to_be_between":
        text = f"mean {bounds}"
    elif kind == "expect_table_row_count_to_be_between":
        text = f"row count {bounds}"
    else:
        text = kind.removeprefix("expect_").replace("_", " ")
    if kw.get("row_condition"):
        text += f" where {kw['row_condition']}"
    return text


def observed(outcome: ExpectationOutcome) -> str:
    """What the validation saw, in words: the aggregate, or the failing share of the rows."""
    if outcome.exception:
        return "could not run: " + outcome.exception.splitlines()[0][:200]
    value = outcome.observed_value
    if value is not None:
        if isinstance(value, float):
            return str(rounded(value))
        if isinstance(value, list | tuple):
            return _listed(value)
        return str(value)[:500]
    if outcome.unexpected_count is not None:
        rows = "" if outcome.checked_rows is None else f" of {outcome.checked_rows}"
        share = (
            ""
            if outcome.unexpected_percent is None
            else f" ({rounded(float(outcome.unexpected_percent))} %)"
        )
        return f"{int(outcome.unexpected_count)} failing{rows} rows{share}"
    return "no value reported"


def _parameters(outcome: ExpectationOutcome) -> dict[str, Any]:
    kw = outcome.kwargs
    metadata: dict[str, Any] = {"expected": expected(outcome)}
    if "value_set" in kw:
        metadata["allowed_values"] = dg.MetadataValue.text(
            ", ".join(_value_text(v) for v in kw["value_set"])
        )
    if "regex" in kw:
        metadata["regex"] = dg.MetadataValue.text(str(kw["regex"]))
    for bound in ("min_value", "max_value"):
        if kw.get(bound) is not None:
            metadata[bound] = readable(kw[bound])
    low, high = kw.get("min_value"), kw.get("max_value")
    if low is not None or high is not None:
        metadata["allowed"] = f"{'' if low is None else low}..{'' if high is None else high}"
    return metadata


def result_metadata(outcome: ExpectationOutcome, held: pl.DataFrame) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "expectation": outcome.expectation_type,
        "severity": outcome.severity,
        "scope": outcome.scope,
        "observed_value": dg.MetadataValue.text(observed(outcome)),
        **_parameters(outcome),
    }
    if outcome.column:
        metadata["column"] = outcome.column
    if outcome.checked_rows is not None:
        metadata["checked_rows"] = dg.MetadataValue.int(int(outcome.checked_rows))
    if outcome.unexpected_count is not None:
        metadata["failing_rows"] = dg.MetadataValue.int(int(outcome.unexpected_count))
    if outcome.unexpected_percent is not None:
        metadata["failing_percent"] = readable(float(outcome.unexpected_percent))
    if outcome.sample_failing_rows:
        sample = pl.DataFrame(outcome.sample_failing_rows, infer_schema_length=None)
        metadata["sample_failing_rows"] = dg.MetadataValue.md(markdown_preview(sample, 20))
    if outcome.exception:
        metadata["exception"] = dg.MetadataValue.text(outcome.exception[:2000])
    if outcome.column == QUARANTINED and held.height:
        # Which rules held the most rows: what to look at first when the share blocks.
        by_rule = held.group_by("rule").agg(rows=pl.col("row_key").n_unique())
        worst = by_rule.sort("rows", "rule", descending=[True, False]).head(5)
        metadata["held_by_rule"] = dg.MetadataValue.text(
            ", ".join(f"{rule} {rows}" for rule, rows in worst.iter_rows())
        )
    if outcome.quarantined is not None:
        metadata["quarantined_rows"] = dg.MetadataValue.int(outcome.quarantined)
        if held.height:
            preview = held.select("source_file", "row_key", "observed_value")
            metadata["quarantined_preview"] = dg.MetadataValue.md(markdown_preview(preview, 20))
    return metadata
