"""Ranges ("2–3 hours", "between $5 and $7 million", "£588-million to £600-million") and
compound durations ("4 minutes and 15 seconds") as one figure each.

A range keeps both ends (``value`` the low, ``value_max`` the high), because an analyst who
sums or compares "5 to 7 million people" needs to know it was never one number. "From 5 to
7" after a verb of change ("rose from $5 to $7") is two values at two times, not a range, and
stays two figures. A scale or unit written once applies to both ends: "between $5 and $7
million" is 5-7 million, "5 to 10 years" 5-10 years.
"""

from __future__ import annotations

import re
from dataclasses import replace

from newsfacts.facts.figures.numbers import scale_of
from newsfacts.facts.figures.table import _Candidate

# Connectors between the two ends, as (regex after the low end, needs "between" before it).
_TO = re.compile(r"\s*(?:to|[-–—])\s*|\s+and\s+", re.I)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+(?:\S+\s+)?$", re.I)
_CHANGE_BEFORE = re.compile(
    r"\b(?:r[io]se|rising|fell|fall(?:s|ing)?|increas\w*|decreas\w*|climb\w*|jump\w*|"
    r"dropp?\w*|grew|grow\w*|slipp?\w*|cut|rais\w*|lower\w*|boost\w*|went|gone|moved?|"
    r"surg\w*|soar\w*|plung\w*|slump\w*|doubl\w*|tripl\w*|revised|chang\w*|going|"
    r"reduc\w*|expand\w*|shr[ai]nk\w*|slash\w*|widen\w*|narrow\w*|improv\w*)\s+"
    r"(?:[\w’'-]+,?\s+){0,6}?from\s+(?:\S+\s+)?$",
    re.I,
)
_SECONDS_PER = {
    "second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0, "week": 604800.0,
    "month": 2629800.0, "year": 31557600.0, "decade": 315576000.0, "century": 3155760000.0,
}  # fmt: skip
_COMPOUND_GAP = re.compile(r",?\s+(?:and\s+)?|\s*,\s*", re.I)


def range_connector(text: str, start: int, end: int) -> int | None:
    """Where the high end may start after a low end at ``start:end``, or None when what
    follows is not a range connector (or "and" without "between", or a change "from…to")."""
    match = _TO.match(text, end)
    if match is None or not text[match.end() : match.end() + 1].strip():
        return None
    before = text[max(0, start - 60) : start]
    if "and" in match.group().lower() and not _BETWEEN_BEFORE.search(before):
        return None
    if _CHANGE_BEFORE.search(before):
        return None
    return match.end()


def _scaled_low(low: float, low_raw: str, high: _Candidate, high_raw: str) -> float | None:
    """The low end in the high end's scale: "between $5 and $7 million" → 5 million."""
    scale = scale_of(high_raw)
    if scale != 1.0 and scale_of(low_raw) == 1.0 and low * scale <= high.value_original:
        low *= scale
    return low if low < high.value_original else None


def with_low(
    high: _Candidate, start: int, low: float, low_raw: str, text: str
) -> _Candidate | None:
    """The range from a bare low number ("5" in "5 to 10 years") to a figure ``high``."""
    if high.value_high is not None:
        return None  # "5 to 6-7 hours": not one range
    low = _scaled_low(low, low_raw, high, text[high.start : high.end])
    if low is None:
        return None
    factor = high.value / high.value_original if high.value_original else 1.0
    return replace(high, start=start, value=low * factor, value_high=high.value, value_original=low)


def _same_measure(a: _Candidate, b: _Candidate) -> bool:
    """Both ends measure one thing: one currency, one counted noun, or one normalised unit
    ("three weeks to five years" is a range of durations)."""
    if a.kind != b.kind:
        return False
    if a.kind == "money":
        return (a.currency or a.unit_original) == (b.currency or b.unit_original) and not a.per
    return a.unit == b.unit and a.counted == b.counted


def merge_ranges(text: str, found: list[_Candidate]) -> list[_Candidate]:
    """Join "£588-million to £600-million" and "between $5 and $7 million" into one figure."""
    merged: list[_Candidate] = []
    for c in sorted(found, key=lambda c: c.start):
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.value_high is None
            and _same_measure(previous, c)
            and range_connector(text, previous.start, previous.end) == c.start
        ):
            factor = c.value / c.value_original if c.value_original else 1.0
            if previous.unit_original == c.unit_original:
                low = _scaled_low(
                    previous.value_original,
                    text[previous.start : previous.end],
                    c,
                    text[c.start : c.end],
                )
            else:  # "three weeks to five years": the low end in the high end's unit
                low = previous.value / factor if previous.value < c.value else None
            if low is not None:
                merged[-1] = replace(
                    c,
                    start=previous.start,
                    value=low * factor,
                    value_high=c.value_high if c.value_high is not None else c.value,
                    value_original=low,
                )
                continue
        merged.append(c)
    return merged


def merge_compound_durations(text: str, found: list[_Candidate]) -> list[_Candidate]:
    """ "4 minutes and 15 seconds", "2 hours 30 minutes": one duration, the sum."""
    merged: list[_Candidate] = []
    for c in sorted(found, key=lambda c: c.start):
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.kind == c.kind == "duration"
            and previous.value_high is None
            and c.value_high is None
            and c.value < _unit_days(previous)
            and _COMPOUND_GAP.fullmatch(text, previous.end, c.start)
        ):
            smaller = c.unit_original or "day"
            total = previous.value + c.value
            merged[-1] = replace(
                previous,
                end=c.end,
                value=total,
                value_original=total * 86400.0 / _SECONDS_PER[smaller],
                unit_original=smaller,
            )
            continue
        merged.append(c)
    return merged


def _unit_days(c: _Candidate) -> float:
    """One of the candidate's written units, in days: "4 minutes" → 1/1440."""
    return _SECONDS_PER.get(c.unit_original or "day", 86400.0) / 86400.0


def duration_seconds(c: _Candidate) -> float | None:
    """A duration in seconds, exact for whole written units (15 s, not 15.000000000000002)."""
    if c.kind != "duration":
        return None
    per = _SECONDS_PER.get(c.unit_original or "")
    return c.value_original * per if per is not None else c.value * 86400.0
