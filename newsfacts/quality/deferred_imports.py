"""Modules that load on first use instead of when a library imports them.

Great Expectations imports ``scipy.stats`` and ``altair`` at start-up for expectations and
charts that newsfacts' suites never use; the two are about a third of GX's import, which every
build pays on its critical path. `defer` puts a placeholder in ``sys.modules`` so that the
library's ``from scipy import stats`` succeeds without loading anything; the first attribute
anybody reads from it (``stats.entropy``, its ``__path__`` for a submodule import, a version
probe) imports the real module and answers from it, so code that does use them still works.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from types import ModuleType
from typing import Any

_lock = threading.RLock()


class _Deferred(ModuleType):
    """Stands in for a module until its first attribute is read."""

    def __getattr__(self, attr: str) -> Any:
        return getattr(_load(self), attr)


def _load(placeholder: _Deferred) -> ModuleType:
    name = placeholder.__name__
    with _lock:
        if sys.modules.get(name) is placeholder:
            del sys.modules[name]
        real = importlib.import_module(name)
        # Later reads through the placeholder (held by whoever imported it) skip __getattr__.
        placeholder.__dict__.update(vars(real))
    return real


def defer(*names: str) -> list[str]:
    """Defer each module not imported yet and installed at all; returns those deferred.

    A name whose package is missing is left alone, so its import fails as it would have."""
    deferred = []
    with _lock:
        for name in names:
            if name in sys.modules:
                continue
            try:
                spec = importlib.util.find_spec(name)
            except (ImportError, ValueError):
                spec = None
            if spec is None:
                continue
            placeholder = _Deferred(name)
            placeholder.__spec__ = spec  # `importlib.util.find_spec(name)` keeps working
            sys.modules[name] = placeholder
            deferred.append(name)
    return deferred


def is_deferred(name: str) -> bool:
    """Whether ``name`` is still a placeholder (nobody has used it yet)."""
    return isinstance(sys.modules.get(name), _Deferred)
