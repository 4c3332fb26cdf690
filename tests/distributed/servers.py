"""Real PostgreSQL, Redis and S3-compatible servers on free local ports, for one test session.

Each runs from the machine's own binaries (Debian's `postgresql` and `redis-server`, moto's
S3 server) with its state in a temporary folder, and stops when its context ends.
PostgreSQL refuses to run as root, so as root it runs as `nobody`.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REQUIRE_ENV = "NEWSFACTS_REQUIRE_SERVERS"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_binary(name: str) -> str | None:
    """On PATH, else in Debian's versioned PostgreSQL folder (not on PATH by default)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def missing_binaries() -> list[str]:
    return [name for name in ("initdb", "postgres", "redis-server") if not find_binary(name)]


def _wait_for(
    ready: Callable[[], bool], what: str, process: subprocess.Popen, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        with contextlib.suppress(Exception):
            if ready():
                return
        time.sleep(0.2)
    raise TimeoutError(f"{what} not ready after {timeout}s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _as_unprivileged(command: list[str]) -> list[str]:
    return ["runuser", "-u", "nobody", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    """A throwaway cluster (no fsync: its data does not outlive the test); yields its URL,
    naming the driver dagster-postgres installs (SQLAlchemy's default is another)."""
    import psycopg2

    folder = Path(tempfile.mkdtemp(prefix="newsfacts-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "nobody")
    data = folder / "data"
    port = free_port()
    try:
        init = [str(find_binary("initdb")), "-D", str(data), "-U", "postgres", "-A", "trust"]
        subprocess.run(
            _as_unprivileged([*init, "--no-sync", "-E", "UTF8"]),
            check=True,
            capture_output=True,
        )
        server = [str(find_binary("postgres")), "-D", str(data), "-p", str(port), "-k", str(folder)]
        settings = ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"]
        process = subprocess.Popen(
            _as_unprivileged([*server, *settings]),
            stdout=subprocess.DEVNULL,
            stderr=(folder / "server.log").open("w"),
        )
        url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        try:
            _wait_for(lambda: psycopg2.connect(url).close() is None, "postgres", process, 30)
            yield url.replace("postgresql://", "postgresql+psycopg2://", 1)
        finally:
            _stop(process)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def redis() -> Iterator[str]:
    """A Redis server without persistence; yields its URL."""
    import redis as client

    port = free_port()
    command = [str(find_binary("redis-server")), "--port", str(port), "--bind", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_for(lambda: client.Redis.from_url(url).ping(), "redis-server", process, 30)
        yield url
    finally:
        _stop(process)


@contextlib.contextmanager
def s3() -> Iterator[str]:
    """moto's S3-compatible server in this process; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
