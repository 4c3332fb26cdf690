"""Orchestration: Dagster definitions, resources, schedule, sensor and the CLI."""
