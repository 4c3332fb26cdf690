"""The one `Definitions` object: assets, checks, the build job, schedule, sensor, resources.

`newsfacts ui` (and `dagster dev -w workspace.yaml`) loads `defs` from here with settings from
NEWSFACTS_* variables and resources that keep a run's locations inside the allowed roots
(`pipelines.rooted_resources`); the CLI builds its own with settings from its flags.
"""

from __future__ import annotations

import dagster as dg

from assets.catalog import catalogued
from assets.crosssource import claims
from assets.extract import articles
from assets.facts import entities, figures, mentions, quotes
from assets.intake import documents
from assets.quality import TABLE_CHECKS
from assets.settings import NewsfactsSettings
from assets.store import published
from pipelines.automation import build_automation
from pipelines.executors import run_executor
from pipelines.progress import progress_logger
from pipelines.rooted_resources import RootedSettings, RootedStagedParquetIOManager
from pipelines.staging import StagedParquetIOManager

BUILD_JOB = "build"


def build_definitions(settings: NewsfactsSettings | None = None) -> dg.Definitions:
    """The definitions for these settings; without any, the code location's: settings from
    the environment, and run config held to the allowed roots."""
    staging = StagedParquetIOManager
    if settings is None:
        settings, staging = RootedSettings.from_env(), RootedStagedParquetIOManager
    build_job = dg.define_asset_job(
        BUILD_JOB,
        selection=dg.AssetSelection.all(),
        description="Read the inbox, build every table, check them and publish a new version.",
    )
    schedule, sensor = build_automation(build_job, settings)
    return dg.Definitions(
        assets=catalogued(
            [documents, articles, mentions, quotes, entities, figures, claims, published]
        ),
        asset_checks=TABLE_CHECKS,
        jobs=[build_job],
        executor=run_executor(),
        schedules=[schedule],
        sensors=[sensor],
        loggers={"progress": progress_logger},
        resources={
            "settings": settings,
            "io_manager": staging(data_dir=settings.data_dir, local_dir=settings.local_dir),
        },
    )


defs = build_definitions()
