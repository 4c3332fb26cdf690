"""The document partitions as Dagster sees them: ingest day × content-hash shard.

The day is a dynamic dimension: days are added as documents arrive (by the build, the sensor
or the schedule), never precomputed from a calendar, so the UI lists only days that hold
documents and a quiet day costs nothing. The shard is a fixed, static dimension, so any day
can be spread over the same number of runs. Which partition a document is in is decided by
`newsfacts.intake.partitioning`; this module only names the definition and keeps the
instance's list of days up to date.
"""

from __future__ import annotations

from collections.abc import Iterable

import dagster as dg

from newsfacts.intake.partitioning import parse_key, shard_labels

INGEST_DAYS = "ingest_days"

DOCUMENT_PARTITIONS = dg.MultiPartitionsDefinition(
    {
        "day": dg.DynamicPartitionsDefinition(name=INGEST_DAYS),
        "shard": dg.StaticPartitionsDefinition(shard_labels()),
    }
)


def register_partitions(instance: dg.DagsterInstance, keys: Iterable[str]) -> list[str]:
    """Add the days of ``keys`` (``"<day>|<shard>"``) the instance does not know yet; the
    days added."""
    days = sorted({parse_key(key).day.isoformat() for key in keys})
    known = set(instance.get_dynamic_partitions(INGEST_DAYS))
    new = [day for day in days if day not in known]
    if new:
        instance.add_dynamic_partitions(INGEST_DAYS, new)
    return new
