"""Great Expectations in a process of its own, started early so that its import is off the
build's critical path.

Importing GX costs over a second of one core in every run. A build spends its first seconds on
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
import stat as stat_module
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from newsfacts.runtime.parallel import forkserver_context

R = TypeVar("R")

# Read by polars' jemalloc when it starts in a new process: the fork server (started here if
# nothing started it yet) and so its workers. Polars' own setting, which it puts first, purges
# freed pages half a second after the next allocation, which an idle worker never makes; the
# last value of an option wins.
_JEMALLOC_CONF = "_RJEM_MALLOC_CONF"
_PURGE_AT_ONCE = "dirty_decay_ms:0,muzzy_decay_ms:0"

_pool: ProcessPoolExecutor | None = None
_starting: threading.Thread | None = None
_start_error: BaseException | None = None
_prefetched: dict[str, Future[Any]] = {}


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


def _start() -> None:
    global _pool, _start_error
    saved = os.environ.get(_JEMALLOC_CONF)
    os.environ[_JEMALLOC_CONF] = ",".join(filter(None, [saved, _PURGE_AT_ONCE]))
    try:
        pool = ProcessPoolExecutor(
            max_workers=1, mp_context=forkserver_context(_prepare), initializer=_prepare
        )
        pool.submit(_release)  # the worker starts, and imports, now rather than at first use
        _pool = pool
    except BaseException as exc:  # raised again to the first caller
        _start_error = exc
    finally:
        if saved is None:
            os.environ.pop(_JEMALLOC_CONF, None)
        else:
            os.environ[_JEMALLOC_CONF] = saved


def start() -> None:
    """Start the worker in the background. Starting the fork server it comes from (which
    imports the extraction modules first) would otherwise hold the caller for most of a
    second, time the caller can spend on its own imports."""
    global _starting
    if _pool is None and _starting is None:
        _starting = threading.Thread(target=_start, name="newsfacts-gx-start", daemon=True)
        _starting.start()


def _started(report: bool = True) -> ProcessPoolExecutor | None:
    """The worker's pool once started; a failure to start is raised to the first caller
    that reports it (not `prefetch`, so that it surfaces in a check, as a validation error)."""
    global _starting, _start_error
    if _starting is not None:
        _starting.join()
        _starting = None
    if _start_error is not None and report:
        error, _start_error = _start_error, None
        raise RuntimeError("the Great Expectations worker did not start") from error
    return _pool


def _files(value: Any) -> Iterator[Path]:
    if isinstance(value, Path):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _files(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _files(item)


def _key(fn: Callable[..., Any], args: tuple[Any, ...]) -> str:
    """The call, with the identity, size and modification time of every file it names: a
    result computed from a file is not taken for a call after that file was replaced. (Not
    of folders: a folder named is where the call writes, and writing changes its time.)"""
    stats: list[tuple[Any, ...]] = []
    for path in _files(args):
        try:
            stat = path.stat()
        except OSError:
            stats.append((str(path),))
        else:
            if not stat_module.S_ISDIR(stat.st_mode):
                stats.append((str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns))
    return repr((fn.__module__, fn.__qualname__, args, stats))


def prefetch(fn: Callable[..., Any], *args: Any) -> None:
    """Start `fn(*args)` in the worker now and return at once; a later `call` of the same
    function on the same arguments (and unchanged files) takes that result. This is how a
    table's validation runs while the build computes the next table. Without a worker,
    nothing happens: the call then runs as usual."""
    pool = _started(report=False)
    if pool is not None:
        _prefetched.setdefault(_key(fn, args), pool.submit(_run, fn, *args))


def call(fn: Callable[..., R], *args: Any) -> R:
    pool = _started()
    if pool is None:
        return fn(*args)
    future = _prefetched.pop(_key(fn, args), None)
    return (future or pool.submit(_run, fn, *args)).result()


def stop() -> None:
    global _pool
    with contextlib.suppress(RuntimeError):  # a worker that never started has nothing to stop
        _started()
    _prefetched.clear()
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
        _pool = None
