"""The persistent Dagster instance under the data dir, so that the UI shows the CLI's runs.

Its `dagster.yaml` keeps telemetry off and names the event log that keeps its SQLite
connections open (`pipelines.storage`); Dagster itself is imported only when the instance is
opened. The distributed profile (`pipelines.deployment`) writes another one: runs, events and
schedules on PostgreSQL, where every machine sees them, and a run queue that starts one build
at a time. `python -m pipelines.instance HOME` writes the config of the current profile.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.deployment import POSTGRES_URL_ENV, profile

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


def distributed_instance_config(max_concurrent_runs: int = 1) -> str:
    """The distributed profile's dagster.yaml. The database URL is read from the environment
    of each process that opens the instance (webserver, daemon, run, workers), so the file
    holds no password and is the same on every machine. The queue's limit defaults to one run:
    two builds of one data dir would race to publish."""
    return (
        _PLAIN_CONFIG + "storage:\n"
        "  postgres:\n"
        "    postgres_url:\n"
        f"      env: {POSTGRES_URL_ENV}\n"
        "run_coordinator:\n"
        "  module: dagster.core.run_coordinator\n"
        "  class: QueuedRunCoordinator\n"
        "  config:\n"
        f"    max_concurrent_runs: {max_concurrent_runs}\n"
        "run_launcher:\n"
        "  module: dagster.core.launcher\n"
        "  class: DefaultRunLauncher\n"
    )


def config_for_profile(home: Path) -> str:
    return distributed_instance_config() if profile() == "distributed" else instance_config(home)


def write_instance_config(home: Path) -> Path:
    """Write the current profile's dagster.yaml into a Dagster home; returns its path."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    config.write_text(config_for_profile(home.resolve()))
    return config


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
    if profile() == "distributed":
        if text in (_PLAIN_CONFIG, distributed_instance_config()) or written_for is not None:
            config.write_text(distributed_instance_config())
    elif text == _PLAIN_CONFIG or (written_for is not None and written_for != home):
        config.write_text(instance_config(home))
    os.environ["DAGSTER_HOME"] = str(home)
    import dagster as dg

    return dg.DagsterInstance.from_config(str(home))


if __name__ == "__main__":
    print(write_instance_config(Path(sys.argv[1])))
