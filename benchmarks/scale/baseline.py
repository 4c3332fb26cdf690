"""The yardstick: plain trafilatura over the same files, in a process of its own.

`benchmarks/run.py --baseline-worker INBOX` runs this, so the baseline is measured exactly
like the build: a fresh process, sampled from start-up to exit.
"""

from __future__ import annotations

import json
from pathlib import Path


def inbox_files(inbox: Path) -> list[Path]:
    """The files the build reads: the same walk and order as `newsfacts.intake.inbox.iter_inbox`."""
    root = inbox.resolve()
    return [
        path
        for path in sorted(root.rglob("*"))
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(root).parts)
    ]


def baseline_worker(inbox: Path) -> int:
    """The reference: what one process running plain trafilatura over the files costs."""
    import trafilatura

    files = inbox_files(inbox)
    with_text = sum(1 for path in files if trafilatura.extract(path.read_bytes()))
    print(json.dumps({"documents": len(files), "with_text": with_text}))
    return 0
