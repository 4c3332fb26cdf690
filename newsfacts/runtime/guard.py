"""A per-document guard: one document whose work raises or runs past its time budget becomes
a `Failure` (held back with its reason by the stage), never the failure of a whole step.

The budget is a real-time alarm, so it needs the main thread of its process (pool workers and
Dagster's step processes have it); elsewhere documents run without one. An alarm interrupts
Python code only between bytecodes: one call into C that never returns is out of its reach.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

DEFAULT_DOCUMENT_SECONDS = 120.0


@dataclass(frozen=True)
class Failure:
    """Why one document produced no result: ``kind`` is "raised" or "timeout"."""

    kind: str
    message: str


class DocumentTimeout(BaseException):
    """Raised by the alarm. A BaseException, so that the domain's own ``except Exception``
    (a parser bug on one page) cannot swallow it and run on."""


def document_seconds() -> float | None:
    """The budget per document: NEWSFACTS_DOCUMENT_SECONDS, or the default; 0 turns it off."""
    value = float(os.environ.get("NEWSFACTS_DOCUMENT_SECONDS") or DEFAULT_DOCUMENT_SECONDS)
    return value if value > 0 else None


def _on_alarm(_signum: int, _frame: Any) -> None:
    raise DocumentTimeout


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def guarded(fn: Callable[[Any], Any], item: Any, seconds: float | None) -> Any:
    """``fn(item)``, or a `Failure` saying why there is no result."""
    try:
        with time_budget(seconds):
            return fn(item)
    except DocumentTimeout:
        return Failure("timeout", f"over the time budget of {seconds:g} s per document")
    except Exception as exc:
        return Failure("raised", f"{type(exc).__name__}: {exc}"[:2000])


def guarded_batch(
    fn: Callable[[list[Any]], Any], batch: list[Any], seconds: float | None
) -> list[Any]:
    """``fn(batch)``; if the batch fails, each item again on its own, so that only the bad
    ones fail."""
    whole = guarded(fn, batch, seconds * len(batch) if seconds else None)
    if not isinstance(whole, Failure):
        return list(whole)
    if len(batch) == 1:
        return [whole]
    return [_single(fn, item, seconds) for item in batch]


def _single(fn: Callable[[list[Any]], Any], item: Any, seconds: float | None) -> Any:
    result = guarded(fn, [item], seconds)
    return result if isinstance(result, Failure) else next(iter(result))
