"""Great Expectations in a process of its own, started early so that its import is off the
build's critical path.

Importing GX costs about 3 s of one core, in every run. A build spends its first seconds on
one core (start-up, reading the inbox), and a rebuild runs on one core almost throughout, so
`start()` forks a single worker that imports GX at once, beside the run; `call(fn, *args)`
then runs `fn` there and waits for it. Without `start()` (the UI's runs, tests), `call` runs
`fn` in the caller's process as before. Arguments and results cross as pickles: pass paths
and return plain data.

The worker lives as long as the build, beside its largest steps, so it hands back the memory
of each validation (~200 MB for 10k articles): Arrow buffers come from the C heap, which is
trimmed after each call, and polars' allocator purges freed pages at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from newsfacts.parallel import forkserver_context

R = TypeVar("R")

# Read by polars' jemalloc when it starts in a new process: the fork server (started here if
# nothing started it yet) and so its workers. Polars' own setting, which it puts first, purges
# freed pages half a second after the next allocation, which an idle worker never makes; the
# last value of an option wins.
_JEMALLOC_CONF = "_RJEM_MALLOC_CONF"
_PURGE_AT_ONCE = "dirty_decay_ms:0,muzzy_decay_ms:0"

_pool: ProcessPoolExecutor | None = None


def _prepare() -> None:
    import great_expectations  # noqa: F401
    import pyarrow

    # Arrow's default pool (its own jemalloc) keeps the buffers of the pandas frames GX reads.
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())
    # GX's modules are hundreds of thousands of objects that live as long as the worker: out
    # of the collector's sight, the collection after each call takes a millisecond, not 0.15 s.
    gc.collect()
    gc.freeze()


def _release() -> None:
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _run(fn: Callable[..., R], *args: Any) -> R:
    try:
        return fn(*args)
    finally:
        _release()


def start() -> None:
    global _pool
    if _pool is None:
        saved = os.environ.get(_JEMALLOC_CONF)
        os.environ[_JEMALLOC_CONF] = ",".join(filter(None, [saved, _PURGE_AT_ONCE]))
        try:
            pool = ProcessPoolExecutor(
                max_workers=1, mp_context=forkserver_context(_prepare), initializer=_prepare
            )
            pool.submit(_release)  # the worker starts, and imports, now rather than at first use
        finally:
            if saved is None:
                del os.environ[_JEMALLOC_CONF]
            else:
                os.environ[_JEMALLOC_CONF] = saved
        _pool = pool


def call(fn: Callable[..., R], *args: Any) -> R:
    if _pool is None:
        return fn(*args)
    return _pool.submit(_run, fn, *args).result()


def stop() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
        _pool = None
