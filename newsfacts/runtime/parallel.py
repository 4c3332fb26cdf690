"""Run a per-item function over many items on every core, in order-preserving chunks.

Small inputs run inline: starting worker processes costs more than extracting a handful of
documents, and inline runs keep tracebacks simple.
"""

from __future__ import annotations

import functools
import math
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from typing import Any, TypeVar

from newsfacts.runtime.guard import document_seconds, guarded, guarded_batch

T = TypeVar("T")
R = TypeVar("R")

INLINE_BELOW = 64
# Chunks are small so that the last chunks of a stage end at nearly the same time on every
# worker (a 64-document chunk of HTML is several seconds of one idle core at the end); the
# per-chunk cost (pickling, one queue round trip) is well under a millisecond.
DEFAULT_CHUNK_SIZE = 16
# Enough chunks per worker that the sizes even out, whatever the input size.
MIN_CHUNKS_PER_WORKER = 4
# Chunks in flight (queued, running or done but not yet consumed) per worker. Results are
# yielded in input order, so a slow chunk at the head holds back the rest: a deeper window
# keeps the other workers busy meanwhile, and memory stays bounded by window × chunk size.
WINDOW_PER_WORKER = 4
# The pipeline's per-document work: imported once in the fork server, whichever stage starts it,
# so that workers of later stages are cheap forks too (a missing module is skipped).
WORK_MODULES = ("newsfacts.extract.articles", "newsfacts.facts.per_document")


def default_workers() -> int:
    env = os.environ.get("NEWSFACTS_WORKERS")
    if env:
        return max(1, int(env))
    return max(1, len(os.sched_getaffinity(0)))


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _apply(fn: Callable[..., Any], chunk: Sequence[T], batched: bool = False) -> list[Any]:
    """Results of one chunk; an item whose work raised or overran its budget yields a
    `Failure` in its place (see `newsfacts.runtime.guard`)."""
    seconds = document_seconds()
    if batched:
        return guarded_batch(fn, list(chunk), seconds)
    return [guarded(fn, item, seconds) for item in chunk]


def _module_of(fn: Callable[..., Any]) -> str | None:
    while isinstance(fn, functools.partial):
        fn = fn.func
    module = getattr(fn, "__module__", None)
    return module if module and module != "__main__" else None


def forkserver_context(fn: Callable[..., Any]) -> multiprocessing.context.BaseContext:
    """A forkserver context whose server has `fn`'s module imported before it forks workers.

    forkserver: workers start from a clean process, not a fork of a threaded Dagster run. The
    server is started once per process; importing the work module there (trafilatura, language
    models, …) means each worker of each pool is a cheap fork that shares those pages, instead
    of a fresh process paying a second or more of imports. Only the first call's preload can
    take effect (the server then runs until the process exits), hence the fixed list of work
    modules besides `fn`'s own.
    """
    context = multiprocessing.get_context("forkserver")
    modules = [_module_of(fn), *WORK_MODULES]
    # '__main__' is the default preload; keeping it lets workers unpickle objects defined there.
    context.set_forkserver_preload(["__main__", *dict.fromkeys(m for m in modules if m)])
    return context


def map_items(
    fn: Callable[..., Any],
    items: Iterable[T],
    workers: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    batched: bool = False,
) -> Iterator[list[R]]:
    """Yield results chunk by chunk, in input order, so callers can stream them to disk.

    `fn` must be a module-level function (it is pickled to the workers). `chunk_size` is an
    upper bound: small inputs are cut finer so every worker gets several chunks. `items` may
    be lazy (a generator): it is then pulled only as chunks are handed out, so payloads such
    as article texts need not all be in memory at once. With `batched`, `fn` takes a whole
    chunk (a list) and returns one result per item, in order.
    """
    workers = default_workers() if workers is None else workers
    iterator = iter(items)
    head = list(islice(iterator, INLINE_BELOW))
    if workers <= 1 or len(head) < INLINE_BELOW:
        for chunk in _chunks(chain(head, iterator), chunk_size):
            yield _apply(fn, chunk, batched)
        return
    size = chunk_size
    if isinstance(items, Sized):
        size = max(1, min(size, math.ceil(len(items) / (workers * MIN_CHUNKS_PER_WORKER))))
        workers = min(workers, math.ceil(len(items) / size))
    window = workers * WINDOW_PER_WORKER
    with ProcessPoolExecutor(max_workers=workers, mp_context=forkserver_context(fn)) as pool:
        pending: deque[Future[list[R]]] = deque()
        try:
            for chunk in _chunks(chain(head, iterator), size):
                pending.append(pool.submit(_apply, fn, chunk, batched))
                # A bounded window keeps memory flat however many items there are.
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BaseException:
            # A failed chunk or a consumer that stopped early: leaving the pool must not wait
            # for the rest of the window to be computed for nothing.
            for future in pending:
                future.cancel()
            raise
