"""The Dagster UI of `newsfacts ui`: what `dagster dev` starts, with the webserver guarded.

`dagster dev` runs the webserver in a process of its own, whose Starlette app nothing can
wrap; it also did not always stop its children when signalled. Here the pieces are the
ones it uses: one code server per location (`ProxyServerManager`), shared through a
workspace file by the webserver and `dagster-daemon` (schedules, sensors, the run queue),
and the app dagster-webserver builds, served by uvicorn in this process behind
`pipelines.ui_guards`. Everything is started from this interpreter, so no activated venv
is needed, and stopped on SIGINT or SIGTERM in the reverse order: webserver, daemon, code
servers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import dagster as dg

STOP_SECONDS = 30  # per child, before it is killed
LOG_LEVEL = "warning"


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    """SIGINT and SIGTERM both unwind the stack, which stops the children; a second signal
    during that is ignored, so the stop is not cut short (each child has STOP_SECONDS)."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    raise KeyboardInterrupt


@contextlib.contextmanager
def _workspace_file(specs: Sequence[Mapping[str, Any]]) -> Iterator[Path]:
    """A workspace that points at the running code servers (JSON is valid YAML)."""
    with tempfile.TemporaryDirectory(prefix="newsfacts-ui-") as folder:
        path = Path(folder) / "workspace.yaml"
        path.write_text(json.dumps({"load_from": list(specs)}))
        yield path


@contextlib.contextmanager
def _daemon(instance: dg.DagsterInstance, workspace: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`dagster-daemon run` as `dagster dev` starts it, told to stop through its pipe."""
    from dagster_shared.ipc import (
        get_ipc_shutdown_pipe,
        open_ipc_subprocess,
        send_ipc_shutdown_message,
    )
    from dagster_shared.serdes import serialize_value

    read_fd, write_fd = get_ipc_shutdown_pipe()
    process = open_ipc_subprocess(
        [
            sys.executable,
            "-m",
            "dagster._daemon",
            "run",
            "--log-level",
            LOG_LEVEL,
            "--shutdown-pipe",
            str(read_fd),
            "--instance-ref",
            serialize_value(instance.get_ref()),
            "--workspace",
            str(workspace),
        ],
        pass_fds=[read_fd],
    )
    os.close(read_fd)
    try:
        yield process
    finally:
        with contextlib.suppress(OSError):  # a daemon that already ended closed its end
            send_ipc_shutdown_message(write_fd)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.asynccontextmanager
async def _lifespan(app: object) -> AsyncIterator[None]:
    """uvicorn cancels the lifespan task when it stops; that is the normal end here."""
    with contextlib.suppress(asyncio.CancelledError):
        yield


def serve(workspace: Path, host: str, port: int) -> int:
    """Run the UI on host:port until SIGINT or SIGTERM; the instance is DAGSTER_HOME's."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _stop_on_signal)
    with contextlib.suppress(KeyboardInterrupt):
        _serve(workspace, host, port)
    print("newsfacts ui: stopped", file=sys.stderr)
    return 0


def _serve(workspace: Path, host: str, port: int) -> None:
    import dagster as dg
    import uvicorn
    from dagster._cli.proxy_server_manager import ProxyServerManager
    from dagster._core.workspace.context import WorkspaceProcessContext
    from dagster._core.workspace.load_target import WorkspaceFileTarget
    from dagster_webserver.app import create_app_from_workspace_process_context
    from dagster_webserver.version import __version__

    from pipelines.ui_guards import guard

    with contextlib.ExitStack() as stack:
        instance = stack.enter_context(dg.DagsterInstance.get())
        servers = stack.enter_context(
            ProxyServerManager(
                instance=instance,
                workspace_load_target=WorkspaceFileTarget(paths=[str(workspace)]),
                code_server_log_level=LOG_LEVEL,
            )
        )
        shared = stack.enter_context(_workspace_file(servers.get_code_server_specs()))
        stack.enter_context(_daemon(instance, shared))
        context = stack.enter_context(
            WorkspaceProcessContext(
                instance,
                workspace_load_target=WorkspaceFileTarget(paths=[str(shared)]),
                version=__version__,
                code_server_log_level=LOG_LEVEL,
            )
        )
        app = create_app_from_workspace_process_context(context, lifespan=_lifespan)
        print(f"newsfacts ui: serving on http://{host}:{port}", file=sys.stderr)
        uvicorn.run(
            guard(app, host),
            host=host,
            port=port,
            log_level=LOG_LEVEL,
            timeout_graceful_shutdown=5,
        )
