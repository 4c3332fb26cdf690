"""Running the build job in the CLI's own process, without holding every table in memory.

`JobDefinition.execute_in_process` keeps the value of every asset it materialises until the
run ends, so that `output_for_node` can hand them back. A build never reads them back (every
table is in its staged file), yet they add up to the largest part of the run's memory on a
big inbox: all of `articles` with its texts, `mentions`, `quotes`, ... at once. This runs the
same execution path with that capture turned off, so each table lives only while a step
reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg


def execute_in_process_uncaptured(
    job: dg.JobDefinition, instance: dg.DagsterInstance, run_config: Mapping[str, Any]
) -> dg.ExecuteInProcessResult:
    try:
        from dagster._core.definitions.job_base import InMemoryJob
        from dagster._core.execution.execute_in_process import (
            core_execute_in_process,
            merge_run_tags,
        )
    except ImportError:  # a Dagster that moved these: same run, only heavier on memory
        return job.execute_in_process(
            run_config=run_config, instance=instance, raise_on_error=False
        )
    ephemeral = job.as_ephemeral_job(resource_defs={}, input_values={})
    tags = merge_run_tags(
        job_def=job,
        partition_key=None,
        tags=None,
        asset_selection=None,
        instance=instance,
        run_config=run_config,
    )
    return core_execute_in_process(
        job=InMemoryJob(job_def=ephemeral),
        run_config=run_config,
        instance=instance,
        output_capturing_enabled=False,
        raise_on_error=False,
        run_tags=tags,
        run_id=None,
        asset_selection=frozenset(),
    )
