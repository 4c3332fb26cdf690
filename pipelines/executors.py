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

`NEWSFACTS_EXECUTOR=celery` (the default of the distributed profile, see
`pipelines.deployment`) sends each step to a Celery worker (`pipelines.celery_app`), which may
be on another machine: steps sync through the object-store data dir.
"""

from __future__ import annotations

import os

import dagster as dg

from pipelines.deployment import BROKER_URL_ENV, profile, result_backend_variable

EXECUTOR_ENV = "NEWSFACTS_EXECUTOR"
EXECUTORS = ("in_process", "multiprocess", "celery")
# What the steps import lazily, loaded once by the forkserver: the definitions pull in the
# assets and the domain; the checks import great-expectations only when they run.
PRELOAD_MODULES = (
    "pipelines.definitions",
    "great_expectations",
    "newsfacts.quality.suites",
    "newsfacts.quality.data_docs",
    "trafilatura",
)
# Shared by the run's executor and the workers' app (`pipelines.celery_app`): workers take one
# step at a time, as a step already spreads its documents over every core.
CELERY_SETTINGS = {"worker_prefetch_multiplier": 1}


def _default_kind() -> str:
    return "celery" if profile() == "distributed" else EXECUTORS[0]


def celery_executor() -> dg.ExecutorDefinition:
    """dagster-celery's executor on this environment's broker and backend, read where each run
    starts (the code location may be loaded where neither is reachable)."""
    from dagster_celery import celery_executor as executor

    return executor.configured(
        {
            "broker": {"env": BROKER_URL_ENV},
            "backend": {"env": result_backend_variable()},
            "config_source": CELERY_SETTINGS,
        },
        name="celery",
    )


def run_executor(kind: str | None = None) -> dg.ExecutorDefinition:
    kind = kind or os.environ.get(EXECUTOR_ENV) or _default_kind()
    if kind == "in_process":
        return dg.in_process_executor
    if kind == "celery":
        return celery_executor()
    if kind != "multiprocess":
        raise ValueError(f"{EXECUTOR_ENV}={kind!r}: choose one of {', '.join(EXECUTORS)}")
    return dg.multiprocess_executor.configured(
        {"start_method": {"forkserver": {"preload_modules": list(PRELOAD_MODULES)}}},
        name="multiprocess_forkserver",
    )
