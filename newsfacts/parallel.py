"""Run a per-item function over many items on every core, in order-preserving chunks.

Small inputs run inline: starting worker processes costs more than extracting a handful of
documents, and inline runs keep tracebacks simple.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

INLINE_BELOW = 64


def default_workers() -> int:
    env = os.environ.get("NEWSFACTS_WORKERS")
    if env:
        return max(1, int(env))
    return max(1, len(os.sched_getaffinity(0)))


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _apply(fn: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [fn(item) for item in chunk]


def map_items(
    fn: Callable[[T], R],
    items: Sequence[T],
    workers: int | None = None,
    chunk_size: int = 64,
) -> Iterator[list[R]]:
    """Yield results chunk by chunk, in input order, so callers can stream them to disk.

    `fn` must be a module-level function (it is pickled to the workers).
    """
    workers = default_workers() if workers is None else workers
    if workers <= 1 or len(items) < INLINE_BELOW:
        for chunk in _chunks(items, chunk_size):
            yield _apply(fn, chunk)
        return
    # forkserver: workers start from a clean process, not a fork of a threaded Dagster run.
    context = multiprocessing.get_context("forkserver")
    window = workers * 2
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque[Future[list[R]]] = deque()
        for chunk in _chunks(items, chunk_size):
            pending.append(pool.submit(_apply, fn, chunk))
            # A bounded window keeps memory flat however many items there are.
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
