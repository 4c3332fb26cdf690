"""Orchestration: the Dagster definitions, the staging IO manager, the instance and its event
log, schedule and sensor, and the CLI."""
