"""How long a run launched from the Dagster UI takes against `newsfacts build`, same inbox, same
machine, measured in the same sitting.

Starts `newsfacts ui` on a free loopback port with its own data dir, launches the `build` job
and then "Materialize all" (Dagster's implicit asset job) through the UI's GraphQL endpoint, as
the buttons do, and times each from the launch until the run has succeeded; the CLI builds the
same inbox into a fresh data dir. Usage: `python benchmarks/ui_run.py [--inbox DIR] [--runs N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from pipelines.executors import EXECUTOR_ENV, EXECUTORS

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LAUNCH = """mutation($params: ExecutionParams!) { launchRun(executionParams: $params) {
  __typename ... on LaunchRunSuccess { run { runId } } ... on PythonError { message } } }"""
STATUS = "query($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }"
LOADED = "{ workspaceOrError { ... on Workspace { locationEntries { loadStatus } } } }"


def _graphql(url: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(
        f"{url}/graphql", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        payload = json.loads(response.read())
    if "errors" in payload:
        raise RuntimeError(payload["errors"])
    return payload["data"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_loaded(url: str, proc: subprocess.Popen[bytes], seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("newsfacts ui exited early")
        try:
            entries = _graphql(url, LOADED)["workspaceOrError"]["locationEntries"]
            if entries and all(e["loadStatus"] == "LOADED" for e in entries):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the UI was not ready in {seconds:g} s")


def _timed_run(url: str, job: str) -> float:
    params = {
        "selector": {
            "repositoryLocationName": "newsfacts",
            "repositoryName": "__repository__",
            "jobName": job,
        },
        "runConfigData": {},
    }
    started = time.monotonic()
    launched = _graphql(url, LAUNCH, {"params": params})["launchRun"]
    if launched["__typename"] != "LaunchRunSuccess":
        raise RuntimeError(f"launch of {job} failed: {launched}")
    run_id = launched["run"]["runId"]
    while True:
        status = _graphql(url, STATUS, {"id": run_id})["runOrError"]["status"]
        if status == "SUCCESS":
            return time.monotonic() - started
        if status in ("FAILURE", "CANCELED"):
            raise RuntimeError(f"run {run_id} of {job} ended {status}")
        time.sleep(0.25)


def _cli_build(inbox: Path, data_dir: Path) -> float:
    started = time.monotonic()
    subprocess.run(
        [str(BIN / "newsfacts"), "build", "--inbox", str(inbox), "--data-dir", str(data_dir)],
        check=True,
        capture_output=True,
    )
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inbox", type=Path, default=REPO / "seeds" / "articles")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--executor", choices=EXECUTORS, default=EXECUTORS[0])
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="newsfacts-ui-bench-"))
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(BIN / "newsfacts"), "ui", "--inbox", str(args.inbox)]
    command += ["--data-dir", str(root / "ui"), "--port", str(port)]
    env = {**os.environ, EXECUTOR_ENV: args.executor}
    log = (root / "ui.log").open("wb")
    proc = subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        _wait_loaded(url, proc)
        # First runs into an empty data dir, then reruns over the same inbox (warm stage caches).
        cli = [_cli_build(args.inbox, root / "cli") for _ in range(1 + args.runs)]
        ui = {"build": [_timed_run(url, "build")], "__ASSET_JOB": []}
        for _ in range(args.runs):
            for job in ui:
                ui[job].append(_timed_run(url, job))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
        log.close()
    first, again = cli[0], statistics.median(cli[1:])
    print(f"inbox: {args.inbox} · UI executor: {args.executor}")
    print(f"first run into an empty data dir, then the median of {args.runs} reruns (wall s)")
    print("| run | first s | / CLI | rerun s | / CLI |\n|---|---:|---:|---:|---:|")
    print(f"| `newsfacts build` | {first:.1f} | 1.00 | {again:.1f} | 1.00 |")
    build, asset_job = ui["build"], ui["__ASSET_JOB"]
    rerun = statistics.median(build[1:])
    ratios = f"{build[0] / first:.2f} | {rerun:.1f} | {rerun / again:.2f}"
    print(f"| UI: `build` job | {build[0]:.1f} | {ratios} |")
    rerun = statistics.median(asset_job)
    print(f"| UI: Materialize all | – | – | {rerun:.1f} | {rerun / again:.2f} |")
    shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
