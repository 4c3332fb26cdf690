"""The servers of the distributed profile, started once for the tests of this folder."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest

from tests.distributed import servers


@pytest.fixture(scope="session")
def server_urls() -> Iterator[dict[str, str]]:
    """PostgreSQL, Redis and S3 URLs; skipped without the binaries unless they are required."""
    if missing := servers.missing_binaries():
        install = "apt-get install postgresql redis-server"
        reason = f"server binaries not found: {', '.join(missing)} ({install})"
        if os.environ.get(servers.REQUIRE_ENV):
            pytest.fail(f"{reason}; {servers.REQUIRE_ENV} is set")
        pytest.skip(reason)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with servers.postgres() as pg, servers.redis() as broker, servers.s3() as s3:
        yield {"postgres": pg, "broker": broker, "s3": s3}
