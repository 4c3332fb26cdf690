"""Percentages, distances and durations: a number followed by its unit, normalised.

Distances become metres and durations days, so figures written in miles and kilometres, or
in weeks and months, compare directly; an age ("23-year-old") is recognised and refused.
"""

from __future__ import annotations

import re
from typing import Literal

from newsfacts.facts.figures.table import _Candidate

_PERCENT = re.compile(r"\s?(?:(?P<pp>percentage[\s-]points?)|%|per\s?cent\b|percent\b|pc\b)", re.I)
# (how the unit starts, canonical name, metres per unit); first match wins.
_DISTANCE_UNITS = (
    ("km", "km", 1000.0), ("kilomet", "km", 1000.0), ("centimet", "cm", 0.01),
    ("cm", "cm", 0.01), ("millimet", "mm", 0.001), ("met", "m", 1.0),
    ("nautical", "nautical mile", 1852.0), ("mile", "mile", 1609.344), ("f", "ft", 0.3048),
    ("yard", "yard", 0.9144), ("inch", "inch", 0.0254),
    ("light", "light-year", 9.4607304725808e15),
)  # fmt: skip
_DISTANCE = re.compile(
    r"[-\s]?(?P<u>km|kilomet(?:re|er)s?|met(?:re|er)s?|nautical\s+miles?|miles?|feet|foot|"
    r"ft|yards?|centimet(?:re|er)s?|cm|millimet(?:re|er)s?|inch(?:es)?|light[-\s]years?)\b"
    r"(?![²³]|/|\s*(?:per|an\s+hour|a\s+day)\b)",
    re.I,
)
_DAYS_PER = {
    "second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1.0, "week": 7.0,
    "month": 365.25 / 12, "year": 365.25, "decade": 3652.5, "century": 36525.0,
}  # fmt: skip
_DURATION = re.compile(
    r"[-\s](?P<u>seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|"
    r"century|centuries)\b(?P<age>[-\s]old\b|\s+of\s+age\b)?",
    re.I,
)


def _singular(word: str) -> str:
    word = word.lower()
    return "century" if word.startswith("centur") else word.removesuffix("s")


def _unit_figure(
    text: str, start: int, end: int, value: float, high: float | None
) -> _Candidate | Literal[False] | None:
    """Percentage, distance or duration from the words after the number; False for an age."""
    if match := _PERCENT.match(text, end):
        unit = "pp" if match.group("pp") else "%"
        return _Candidate(start, match.end(), "percentage", value, high, unit, value, unit)
    if match := _DISTANCE.match(text, end):
        written = match.group("u").lower()
        unit, factor = next((u, f) for p, u, f in _DISTANCE_UNITS if written.startswith(p))
        scaled_high = high * factor if high is not None else None
        return _Candidate(
            start, match.end(), "distance", value * factor, scaled_high, "m", value, unit
        )
    if match := _DURATION.match(text, end):
        if match.group("age"):
            return False  # "23-year-old": an age, not a figure
        unit = _singular(match.group("u"))
        factor = _DAYS_PER[unit]
        scaled_high = high * factor if high is not None else None
        return _Candidate(
            start, match.end(), "duration", value * factor, scaled_high, "day", value, unit
        )
    return None
