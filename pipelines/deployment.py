"""Deployment profiles: where the Dagster instance keeps its runs and where steps execute.

`local` (the default) is what `newsfacts build` and `newsfacts ui` have always used: a SQLite
instance under the data dir and every step in the run's process. `distributed` keeps the
instance on PostgreSQL, queues runs (one build at a time: two builds on one data dir would
race for its `published/latest`), and runs each step on a Celery worker, with the data dir
(and usually the inbox) on an object store as the only state the machines share. The profile
and its servers are chosen by environment variables, so the same code location and the same
`build` job serve both.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from newsfacts.store.remote import is_url

PROFILE_ENV = "NEWSFACTS_PROFILE"
PROFILES = ("local", "distributed")
POSTGRES_URL_ENV = "NEWSFACTS_POSTGRES_URL"
BROKER_URL_ENV = "NEWSFACTS_BROKER_URL"
# Where workers send step results back; the broker when unset (Redis serves as both).
RESULT_BACKEND_ENV = "NEWSFACTS_RESULT_BACKEND"
DISTRIBUTED_REQUIRES = (POSTGRES_URL_ENV, BROKER_URL_ENV)


def profile(env: Mapping[str, str] = os.environ) -> str:
    name = env.get(PROFILE_ENV) or PROFILES[0]
    if name not in PROFILES:
        raise ValueError(f"{PROFILE_ENV}={name!r}: choose one of {', '.join(PROFILES)}")
    return name


def broker_url(env: Mapping[str, str] = os.environ) -> str:
    return _required(env, BROKER_URL_ENV)


def result_backend_variable(env: Mapping[str, str] = os.environ) -> str:
    """The variable that names the result backend: its own when set, else the broker's."""
    return RESULT_BACKEND_ENV if env.get(RESULT_BACKEND_ENV) else BROKER_URL_ENV


def result_backend(env: Mapping[str, str] = os.environ) -> str:
    return _required(env, result_backend_variable(env))


def distributed_problems(env: Mapping[str, str] = os.environ) -> list[str]:
    """What keeps this environment from running the distributed profile: each machine sees
    only its own disk, so a local data dir would leave every step with a different one."""
    problems = [f"{name} is not set" for name in DISTRIBUTED_REQUIRES if not env.get(name)]
    data_dir = env.get("NEWSFACTS_DATA_DIR", "")
    if not is_url(data_dir):
        problems.append(
            f"NEWSFACTS_DATA_DIR={data_dir!r} is not an object-store URL (s3://bucket/path, …)"
        )
    return problems


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name)
    if not value:
        raise ValueError(f"{name} is not set: the distributed profile needs it")
    return value
