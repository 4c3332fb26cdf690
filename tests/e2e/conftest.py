"""A real `newsfacts ui` (webserver, code server, daemon) on a loopback port, started the way an
operator does: from a shell where the venv is not activated."""

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
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import REPO, copy_seeds

STARTUP_SECONDS = 180
# Launches a run as the UI's buttons do.
LAUNCH = """
mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
  }
}
"""


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


@dataclass
class UiCommand:
    server: Webserver
    process: subprocess.Popen[bytes]
    port: int
    root: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bare_shell_env() -> dict[str, str]:
    """The environment of a shell where the venv is not activated: no venv `bin` on PATH, no
    NEWSFACTS_/DAGSTER_ settings; PYTHONPATH names the checkout under test, whichever checkout
    the venv was installed from."""
    venv_bin = str(Path(sys.executable).parent)
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p != venv_bin)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("NEWSFACTS_", "DAGSTER_")) and key != "VIRTUAL_ENV"
    }
    env.update(PATH=path, PYTHONPATH=str(REPO), NEWSFACTS_WORKERS="1")
    return env


def _wait_loaded(server: Webserver, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            pytest.fail(f"newsfacts ui exited early:\n{server.log.read_text()[-3000:]}")
        try:
            data = server.graphql(
                "{ workspaceOrError { ... on Workspace { locationEntries { loadStatus } } } }"
            )
            entries = data["workspaceOrError"]["locationEntries"]
            if entries and all(e["loadStatus"] == "LOADED" for e in entries):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"newsfacts ui not ready in {STARTUP_SECONDS}s:\n{server.log.read_text()}")
        time.sleep(1)


@contextmanager
def running_ui(root: Path) -> Iterator[UiCommand]:
    """`newsfacts ui` over a private copy of the seeds in ``root``; killed if still running."""
    inbox = copy_seeds(root / "inbox")
    data_dir = root / "data"
    port = _free_port()
    log = root / "newsfacts-ui.log"
    command = [str(Path(sys.executable).parent / "newsfacts"), "ui", "--inbox", str(inbox)]
    command += ["--data-dir", str(data_dir), "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=_bare_shell_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Webserver(f"http://127.0.0.1:{port}", data_dir, log)
    try:
        _wait_loaded(server, process)
        yield UiCommand(server, process, port, root)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture(scope="session")
def webserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Webserver]:
    with running_ui(tmp_path_factory.mktemp("e2e")) as ui:
        yield ui.server
