"""`newsfacts doctor`: what is wrong with a data dir, and with `--repair`, the fix.

Builds repair what they can on their own (see `newsfacts.store.integrity`); this command is
for an operator who wants to see the state first, or to repair without building.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsfacts.runtime.stage_cache import damaged_cache_parts, discard_part


def cmd_doctor(args: argparse.Namespace) -> int:
    from newsfacts.store.integrity import inspect, repair
    from newsfacts.store.publish import LockedError, data_dir_lock

    data_dir = Path(args.data_dir).resolve()
    if not data_dir.is_dir():
        print(f"error: data dir {data_dir} does not exist", file=sys.stderr)
        return 2
    health = inspect(data_dir, deep=True)
    cache = damaged_cache_parts(data_dir / "cache")
    print(f"data dir {data_dir}")
    for check in health.versions:
        state = "sound" if check.sound else "DAMAGED: " + "; ".join(check.problems)
        marker = "*" if check.version == health.latest else " "
        print(f" {marker} {check.version}  {state}")
    problems = health.problems + [f"cache part {p} is unreadable" for p in cache]
    if not problems:
        print("no problems found")
        return 0
    for problem in problems:
        print(f"problem: {problem}")
    if not args.repair:
        print("run `newsfacts doctor --repair` to fix these (damaged files are moved aside)")
        return 1
    try:
        with data_dir_lock(data_dir, wait=False):
            for line in repair(data_dir, health):
                print(f"repaired: {line}")
            for part in cache:
                discard_part(part)
                print(f"repaired: removed unreadable cache part {part} (recomputed next build)")
    except LockedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    return 0


def integrity_lines(data_dir: Path) -> list[str]:
    """Problems `newsfacts versions` lists under its table."""
    from newsfacts.store.integrity import inspect

    return inspect(data_dir, deep=True).problems
