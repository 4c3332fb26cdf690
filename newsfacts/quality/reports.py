"""What a validation returns: one outcome per expectation and a JSON-ready report per table,
plain data that crosses process boundaries and lands in audit records.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import polars as pl

from newsfacts.quality.quarantine import ROW_NUMBER

MAX_SAMPLE_CHARS = 200


@dataclass
class ExpectationOutcome:
    expectation_type: str
    column: str | None
    kwargs: dict[str, Any]
    severity: str
    success: bool
    observed_value: Any
    unexpected_count: int | None
    unexpected_percent: float | None
    sample_failing_rows: list[dict[str, Any]]
    description: str
    checked_rows: int | None = None
    exception: str | None = None
    scope: str = "table"
    # Rows held back by this rule (error row rules only); every failing row number, which
    # the quarantine needs but the report does not carry.
    quarantined: int | None = None
    failing_rows: list[int] = field(default_factory=list, repr=False, compare=False)

    @property
    def can_block(self) -> bool:
        """An error table rule; or an error row rule that could not run, and so names no rows
        to hold back."""
        return self.severity == "error" and (self.scope == "table" or self.exception is not None)

    @property
    def blocks(self) -> bool:
        return not self.success and self.can_block

    def to_dict(self) -> dict[str, Any]:
        return {
            name: _jsonable(getattr(self, name))
            for name in self.__dataclass_fields__
            if name != "failing_rows"
        }


@dataclass
class ValidationReport:
    table: str
    success: bool
    results: list[ExpectationOutcome]
    row_count: int
    seconds: float
    validated_at: str
    gx_result: Any = field(default=None, repr=False, compare=False)
    suite: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    # The rows held back, as `newsfacts.quality.quarantine.rule_quarantine` lists them.
    quarantine: pl.DataFrame | None = field(default=None, repr=False, compare=False)

    @property
    def failed_errors(self) -> list[ExpectationOutcome]:
        """Failed error rules: table rules that block, row rules that held rows back."""
        return [r for r in self.results if not r.success and r.severity == "error"]

    @property
    def blocking(self) -> list[ExpectationOutcome]:
        """Failed rules that stop the publish."""
        return [r for r in self.results if r.blocks]

    @property
    def failed_warnings(self) -> list[ExpectationOutcome]:
        return [r for r in self.results if not r.success and r.severity == "warning"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "success": self.success,
            "row_count": self.row_count,
            "seconds": round(self.seconds, 3),
            "validated_at": self.validated_at,
            "failed_errors": len(self.failed_errors),
            "blocking": len(self.blocking),
            "failed_warnings": len(self.failed_warnings),
            "quarantined_rows": 0
            if self.quarantine is None
            else self.quarantine[ROW_NUMBER].n_unique(),
            "results": [r.to_dict() for r in self.results],
        }


def _jsonable(value: Any) -> Any:
    """Plain JSON types only: the report goes into the published ``_manifest.json``."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, str):
        return value if len(value) <= MAX_SAMPLE_CHARS else value[:MAX_SAMPLE_CHARS] + "…"
    if isinstance(value, bool | int) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, date | datetime):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy / pandas scalars
        return _jsonable(value.item())
    return str(value)
