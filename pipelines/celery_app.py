"""The Celery app the distributed profile's workers serve: `celery -A pipelines.celery_app worker`.

It is dagster-celery's own app and step task, built with the broker and result backend of
this environment (`pipelines.deployment`), so workers and the run's executor agree on both
without a config file to keep in sync.
"""

from __future__ import annotations

from dagster_celery.executor import CeleryExecutor
from dagster_celery.make_app import make_app
from dagster_celery.tasks import create_task

from pipelines.deployment import broker_url, result_backend
from pipelines.executors import CELERY_SETTINGS

app = make_app(
    CeleryExecutor.for_cli(
        broker=broker_url(), backend=result_backend(), config_source=CELERY_SETTINGS
    ).app_args()
)
execute_plan = create_task(app)
