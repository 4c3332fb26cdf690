"""A Dagster logger that prints one readable line per finished stage and check."""

from __future__ import annotations

import logging
import sys
from typing import Any

import dagster as dg

_SHOWN = {
    "STEP_SUCCESS": "ok",
    "STEP_FAILURE": "FAILED",
    "STEP_SKIPPED": "skipped",
}


def root_message(error: Any) -> str:
    """The innermost cause of a Dagster error: the exception the user's code raised."""
    while getattr(error, "cause", None) is not None:
        error = error.cause
    lines = (error.message or "").strip().splitlines()
    return lines[-1] if lines else "unknown error"


class _ProgressHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        meta: dict[str, Any] = getattr(record, "dagster_meta", {}) or {}
        event = meta.get("dagster_event")
        if event is None:
            return
        kind = event.event_type_value
        if kind in _SHOWN:
            step = event.step_key or ""
            line = f"  [{_SHOWN[kind]:>7}] {step}"
            if kind == "STEP_FAILURE" and event.step_failure_data is not None:
                error = event.step_failure_data.error
                if error is not None:
                    line += f": {root_message(error)}"
            print(line, file=sys.stderr, flush=True)
        elif kind == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            passed = getattr(data, "passed", None)
            name = getattr(data, "check_name", "?")
            severity = getattr(getattr(data, "severity", None), "value", "")
            status = "pass" if passed else ("WARN" if severity == "WARN" else "FAIL")
            target = data.asset_key.to_user_string() if data is not None else ""
            if status != "pass":
                print(f"  [{status:>7}] check {target}.{name}", file=sys.stderr, flush=True)


@dg.logger(description="One line per finished stage and check, on stderr.")
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger("newsfacts.progress")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    if not logger.handlers:
        logger.addHandler(_ProgressHandler())
    return logger
