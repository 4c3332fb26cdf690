"""Schedule and sensor: unattended rebuilds request runs only when the inbox changes."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from assets.settings import NewsfactsSettings
from pipelines.definitions import build_definitions
from tests.helpers import copy_seeds


def _tick(sensor: dg.SensorDefinition, cursor: str | None, instance: dg.DagsterInstance):
    context = dg.build_sensor_context(cursor=cursor, instance=instance)
    return sensor.evaluate_tick(context)


def test_sensor_requests_one_run_per_inbox_change_and_none_when_unchanged(
    tmp_path: Path,
) -> None:
    inbox = copy_seeds(tmp_path / "inbox")
    settings = NewsfactsSettings(inbox=str(inbox), data_dir=str(tmp_path / "data"))
    sensor = build_definitions(settings).resolve_sensor_def("inbox_sensor")
    with dg.instance_for_test() as instance:
        first = _tick(sensor, None, instance)
        assert len(first.run_requests) == 1
        assert _tick(sensor, first.cursor, instance).run_requests == []

        (inbox / "005_new.txt").write_text("Kyiv said on Monday that talks would resume. " * 5)
        added = _tick(sensor, first.cursor, instance)
        assert len(added.run_requests) == 1
        assert added.cursor != first.cursor
        assert _tick(sensor, added.cursor, instance).run_requests == []

        (inbox / "005_new.txt").unlink()
        removed = _tick(sensor, added.cursor, instance)
        assert len(removed.run_requests) == 1
        assert removed.cursor == first.cursor


def test_sensor_notices_a_changed_file_with_the_same_size(tmp_path: Path) -> None:
    inbox = copy_seeds(tmp_path / "inbox")
    settings = NewsfactsSettings(inbox=str(inbox), data_dir=str(tmp_path / "data"))
    sensor = build_definitions(settings).resolve_sensor_def("inbox_sensor")
    target = inbox / "001_7a08a6b070b7ba96.txt"
    with dg.instance_for_test() as instance:
        first = _tick(sensor, None, instance)
        original = target.read_text()
        target.write_text(original.replace("Copenhagen", "Kopenhagen", 1))
        assert len(_tick(sensor, first.cursor, instance).run_requests) == 1


def test_daily_schedule_targets_the_build_job(tmp_path: Path) -> None:
    defs = build_definitions(NewsfactsSettings(data_dir=str(tmp_path)))
    schedule = defs.resolve_schedule_def("daily_rebuild")
    assert schedule.cron_schedule == "0 6 * * *"
    assert schedule.job_name == "build"
