"""How the steps of a run launched from the UI, a schedule, a sensor or `dagster job execute` run.

Dagster's default executor starts a fresh process per step, and each one imports the whole
stack (Dagster, polars, great-expectations, trafilatura): on the seeds, 17 steps of 5–11 s
each against a few seconds for the CLI's in-process run. By default every step runs in the
run's own process, as `newsfacts build` does: the heavy per-document work is already spread
over worker processes inside its step, so separate step processes buy little but their
start-up. `NEWSFACTS_EXECUTOR=multiprocess` runs each step in its own process forked from a
server that imported the stack once (the forkserver start method), for step isolation and
parallel steps at a small start-up cost (`benchmarks/ui_run.py` measures both). One executor
for the whole `Definitions`, so "Materialize all" (Dagster's implicit asset job) and the
`build` job run alike.
"""

from __future__ import annotations

import os

import dagster as dg

EXECUTOR_ENV = "NEWSFACTS_EXECUTOR"
EXECUTORS = ("in_process", "multiprocess")
# What the steps import lazily, loaded once by the forkserver: the definitions pull in the
# assets and the domain; the checks import great-expectations only when they run.
PRELOAD_MODULES = (
    "pipelines.definitions",
    "great_expectations",
    "newsfacts.quality.suites",
    "newsfacts.quality.data_docs",
    "trafilatura",
)


def run_executor(kind: str | None = None) -> dg.ExecutorDefinition:
    kind = kind or os.environ.get(EXECUTOR_ENV) or EXECUTORS[0]
    if kind == "in_process":
        return dg.in_process_executor
    if kind != "multiprocess":
        raise ValueError(f"{EXECUTOR_ENV}={kind!r}: choose one of {', '.join(EXECUTORS)}")
    return dg.multiprocess_executor.configured(
        {"start_method": {"forkserver": {"preload_modules": list(PRELOAD_MODULES)}}},
        name="multiprocess_forkserver",
    )
