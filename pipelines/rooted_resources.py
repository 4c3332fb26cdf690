"""The code location's settings and staging IO manager, refusing locations outside the roots.

The UI lets a run override any resource config, the inbox and data dir included. These
subclasses check the values a run starts with against `pipelines.allowed_roots` when a step
sets its resources up, before any asset reads or copies a file, and fail the run with a
message that names what is outside. The roots come from the code location's environment,
never from run config. The CLI builds with the plain classes: its flags are the operator's.
"""

from __future__ import annotations

import os

import dagster as dg

from assets.settings import NewsfactsSettings
from pipelines.allowed_roots import outside_roots, roots_from
from pipelines.staging import StagedParquetIOManager


def location_roots() -> list[str]:
    """The roots in force for this code location: `NEWSFACTS_ALLOWED_ROOTS`, else every
    location the code location itself was started with (NEWSFACTS_* variables)."""
    own = NewsfactsSettings.from_env()
    return roots_from(
        os.environ,
        (own.inbox, own.data_dir, own.local_dir, own.manifest, own.fx_history_file),
    )


def require_within_roots(locations: dict[str, str | None]) -> None:
    if problem := outside_roots(locations, location_roots()):
        raise dg.Failure(description=f"run refused: {problem}")


class RootedSettings(NewsfactsSettings):
    """`NewsfactsSettings` whose inbox, data dir, mirror and input files must be in the roots."""

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        require_within_roots(
            {
                "inbox": self.inbox,
                "data_dir": self.data_dir,
                "local_dir": self.local_dir,
                "manifest": self.manifest,
                "fx_history_file": self.fx_history_file,
            }
        )


class RootedStagedParquetIOManager(StagedParquetIOManager):
    """The staging IO manager, whose data dir and mirror must be in the roots."""

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        require_within_roots(
            {"io_manager data_dir": self.data_dir, "io_manager local_dir": self.local_dir}
        )
