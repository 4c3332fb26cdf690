"""Great Expectations in a process of its own, started early so that its import is off the
build's critical path.

Importing GX costs about 3 s of one core, in every run. A build spends its first seconds on
one core (start-up, reading the inbox), and a rebuild runs on one core almost throughout, so
`start()` forks a single worker that imports GX at once, beside the run; `call(fn, *args)`
then runs `fn` there and waits for it. Without `start()` (the UI's runs, tests), `call` runs
`fn` in the caller's process as before. Arguments and results cross as pickles: pass paths
and return plain data.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from newsfacts.parallel import forkserver_context

R = TypeVar("R")

_pool: ProcessPoolExecutor | None = None


def _import_gx() -> None:
    import great_expectations  # noqa: F401


def start() -> None:
    global _pool
    if _pool is None:
        pool = ProcessPoolExecutor(
            max_workers=1, mp_context=forkserver_context(_import_gx), initializer=_import_gx
        )
        pool.submit(_import_gx)  # the worker starts, and imports, now rather than at first use
        _pool = pool


def call(fn: Callable[..., R], *args: Any) -> R:
    if _pool is None:
        return fn(*args)
    return _pool.submit(fn, *args).result()


def stop() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
        _pool = None
