"""Unattended rebuilds: a daily schedule and a sensor on the inbox.

The sensor's cursor is a digest of the set of (file, content hash) pairs, so an unchanged inbox
requests nothing, and any added, changed or removed file requests exactly one run. File hashes
are remembered by their file-system stamp in the data dir, so a tick re-reads only files that
changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import dagster as dg

from assets.settings import NewsfactsSettings
from newsfacts.intake.inbox import iter_inbox
from newsfacts.runtime.stat_cache import StatCache

DEFAULT_CRON = "0 6 * * *"


def inbox_digest(inbox: Path, stat_cache: Path | None = None) -> tuple[str, int]:
    """Digest of the inbox's (file, content hash) set, and how many files it covers."""
    known = StatCache(stat_cache)
    pairs: list[tuple[str, str]] = []
    for path, source_file in iter_inbox(inbox):
        stat = path.stat()
        facts = known.get(source_file, stat)
        if facts is None:
            facts = {"sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
            known.put(source_file, stat, **facts)
        pairs.append((source_file, facts["sha256"]))
    known.save()
    return hashlib.sha256(json.dumps(sorted(pairs)).encode()).hexdigest(), len(pairs)


def build_automation(
    job: dg.UnresolvedAssetJobDefinition, settings: NewsfactsSettings
) -> tuple[dg.ScheduleDefinition, dg.SensorDefinition]:
    schedule = dg.ScheduleDefinition(
        name="daily_rebuild",
        job=job,
        cron_schedule=os.environ.get("NEWSFACTS_SCHEDULE_CRON", DEFAULT_CRON),
        execution_timezone=os.environ.get("NEWSFACTS_SCHEDULE_TZ", "UTC"),
        description="Rebuild everything on a fixed schedule (NEWSFACTS_SCHEDULE_CRON).",
    )

    @dg.sensor(
        name="inbox_sensor",
        job=job,
        minimum_interval_seconds=int(os.environ.get("NEWSFACTS_SENSOR_INTERVAL", "30")),
        description="Request a build when files are added to, changed in or removed from the "
        "inbox.",
    )
    def inbox_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
        settings.sync_inbox()  # an inbox URL: only new or changed files are downloaded
        inbox = settings.inbox_path
        if not inbox.is_dir():
            return dg.SkipReason(f"inbox {inbox} does not exist")
        digest, count = inbox_digest(inbox, settings.cache_path / "inbox_stat.json")
        if digest == context.cursor:
            return dg.SkipReason(f"inbox unchanged ({count} files)")
        return dg.SensorResult(
            run_requests=[
                dg.RunRequest(run_key=digest, tags={"newsfacts/inbox_files": str(count)})
            ],
            cursor=digest,
        )

    return schedule, inbox_sensor
