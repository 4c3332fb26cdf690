"""A real `dagster dev` (webserver + daemon) on a loopback port, for end-to-end tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pipelines.instance import instance_config
from tests.helpers import REPO, copy_seeds

STARTUP_SECONDS = 180


@dataclass
class Webserver:
    url: str
    data_dir: Path
    log: Path

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(
            f"{self.url}/graphql", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            payload = json.loads(response.read())
        assert "errors" not in payload, payload["errors"]
        return payload["data"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def webserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Webserver]:
    root = tmp_path_factory.mktemp("e2e")
    inbox = copy_seeds(root / "inbox")
    data_dir = root / "data"
    home = data_dir / "dagster"
    home.mkdir(parents=True)
    (home / "dagster.yaml").write_text(instance_config(home))  # as `newsfacts build` writes it
    port = _free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "NEWSFACTS_INBOX": str(inbox),
        "NEWSFACTS_DATA_DIR": str(data_dir),
        "NEWSFACTS_WORKERS": "1",
    }
    log = root / "dagster-dev.log"
    dagster = Path(sys.executable).parent / "dagster"
    with log.open("wb") as out:
        # Own process group: `dagster dev` only stops cleanly when the whole group is signalled.
        proc = subprocess.Popen(
            [str(dagster), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Webserver(f"http://127.0.0.1:{port}", data_dir, log)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if proc.poll() is not None:
                pytest.fail(f"dagster dev exited early:\n{log.read_text()[-3000:]}")
            try:
                data = server.graphql(
                    "{ workspaceOrError { ... on Workspace { locationEntries { name "
                    "loadStatus } } } }"
                )
                entries = data["workspaceOrError"]["locationEntries"]
                if entries and all(e["loadStatus"] == "LOADED" for e in entries):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"dagster dev not ready in {STARTUP_SECONDS}s:\n{log.read_text()}")
            time.sleep(1)
        yield server
    finally:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=15)
                break
            except subprocess.TimeoutExpired:
                continue
