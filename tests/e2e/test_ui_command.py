"""`newsfacts ui` itself, started the way an operator does, from a shell without the venv.

One server for the module: its guards refuse a GET mutation and a foreign Host, a run whose
inbox is outside the allowed roots fails with a message and copies nothing, and SIGTERM
stops it with every process it started.
"""

from __future__ import annotations

import json
import signal
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from tests.e2e.conftest import LAUNCH, UiCommand, Webserver, running_ui
from tests.helpers import copy_seeds

pytestmark = pytest.mark.e2e

RUN_IDS = "{ runsOrError { ... on Runs { results { runId } } } }"
RUN = """
query Run($id: ID!) {
  runOrError(runId: $id) {
    ... on Run {
      status
      eventConnection { events { __typename ... on ErrorEvent { error { message } } } }
    }
  }
}
"""
RUN_TIMEOUT = 120


def _launch_params(inbox: Path) -> dict[str, Any]:
    return {
        "selector": {
            "repositoryLocationName": "newsfacts",
            "repositoryName": "__repository__",
            "jobName": "build",
        },
        "runConfigData": {"resources": {"settings": {"config": {"inbox": str(inbox)}}}},
    }


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _running(process: psutil.Process) -> bool:
    """Alive and not a zombie (an ended process whose parent has yet to collect it)."""
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _run_ids(server: Webserver) -> set[str]:
    return {run["runId"] for run in server.graphql(RUN_IDS)["runsOrError"]["results"]}


@pytest.fixture(scope="module")
def ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UiCommand]:
    with running_ui(tmp_path_factory.mktemp("ui")) as command:
        yield command


def test_a_mutation_sent_by_get_is_refused_and_launches_nothing(ui: UiCommand) -> None:
    before = _run_ids(ui.server)
    params = {
        "query": LAUNCH,
        "variables": json.dumps({"params": _launch_params(ui.root / "inbox")}),
    }
    status, body = _get(f"{ui.server.url}/graphql?{urllib.parse.urlencode(params)}")
    assert status == 405, body
    assert "POST" in body
    time.sleep(2)  # a launched run would be queued by now
    assert _run_ids(ui.server) == before


def test_a_foreign_host_is_refused_and_the_bound_one_served(ui: UiCommand) -> None:
    query = urllib.parse.urlencode({"query": "{ version }"})
    url = f"{ui.server.url}/graphql?{query}"
    status, body = _get(url, {"Host": f"evil.example:{ui.port}"})
    assert status == 400, body
    for host in (f"127.0.0.1:{ui.port}", f"localhost:{ui.port}"):
        status, body = _get(url, {"Host": host})
        assert status == 200, body
        assert json.loads(body)["data"]["version"]


def test_a_run_with_an_inbox_outside_the_roots_fails_and_copies_nothing(ui: UiCommand) -> None:
    elsewhere = copy_seeds(ui.root.parent / f"{ui.root.name}-elsewhere")
    launched = ui.server.graphql(LAUNCH, {"params": _launch_params(elsewhere)})["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]
    deadline = time.monotonic() + RUN_TIMEOUT
    while True:
        run = ui.server.graphql(RUN, {"id": run_id})["runOrError"]
        if run["status"] in {"SUCCESS", "FAILURE", "CANCELED"}:
            break
        assert time.monotonic() < deadline, f"run {run_id} still {run['status']}"
        time.sleep(1)
    assert run["status"] == "FAILURE"
    errors = [e["error"]["message"] for e in run["eventConnection"]["events"] if e.get("error")]
    assert any(
        f"inbox {str(elsewhere)!r} is outside the allowed roots" in message for message in errors
    ), errors
    data_dir = ui.server.data_dir
    assert sorted(p.name for p in data_dir.iterdir()) == ["dagster"]


def test_sigterm_stops_the_ui_and_every_process_it_started(ui: UiCommand) -> None:
    children = psutil.Process(ui.process.pid).children(recursive=True)
    commands = [" ".join(child.cmdline()) for child in children if _running(child)]
    assert any("dagster._daemon" in c for c in commands), commands
    assert any("code-server" in c or "api grpc" in c for c in commands), commands
    ui.process.send_signal(signal.SIGTERM)
    assert ui.process.wait(timeout=90) == 0
    _, alive = psutil.wait_procs(children, timeout=10)
    left = [p for p in alive if _running(p)]
    assert not left, [p.cmdline() for p in left]
    log = ui.server.log.read_text()
    assert "newsfacts ui: stopped" in log
