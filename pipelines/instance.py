"""The persistent Dagster instance under the data dir, so that the UI shows the CLI's runs.

Its `dagster.yaml` keeps telemetry off and names the event log that keeps its SQLite
connections open (`pipelines.storage`); Dagster itself is imported only when the instance is
opened.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import dagster as dg

# Written by earlier releases: upgraded in place to the pooled event log (same files).
_PLAIN_CONFIG = "telemetry:\n  enabled: false\n"


def instance_config(home: Path) -> str:
    """The instance's dagster.yaml: telemetry off, and the event log that keeps its SQLite
    connections open (`pipelines.storage`) in Dagster's usual place for it."""
    return (
        _PLAIN_CONFIG + "event_log_storage:\n"
        "  module: pipelines.storage\n"
        "  class: PooledSqliteEventLogStorage\n"
        "  config:\n"
        f"    base_dir: {json.dumps(str(home / 'history' / 'runs'))}\n"
    )


def _written_for(text: str) -> Path | None:
    """The Dagster home an `instance_config` text was written for; None for any other text."""
    _, sep, tail = text.rpartition("base_dir: ")
    try:
        home = Path(json.loads(tail)).parent.parent if sep else None
    except ValueError:
        return None
    return home if home is not None and instance_config(home) == text else None


def instance_for(data_dir: Path) -> dg.DagsterInstance:
    """A persistent Dagster instance under the data dir, so the UI later shows CLI runs.

    The config names its event log folder by absolute path: a data dir copied or moved
    elsewhere gets its config rewritten for its own folder (which holds the copied event
    logs), rather than writing its runs' events into the old data dir's."""
    home = (data_dir / "dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    text = config.read_text() if config.exists() else _PLAIN_CONFIG
    written_for = _written_for(text)
    if text == _PLAIN_CONFIG or (written_for is not None and written_for != home):
        config.write_text(instance_config(home))
    os.environ["DAGSTER_HOME"] = str(home)
    import dagster as dg

    return dg.DagsterInstance.from_config(str(home))
