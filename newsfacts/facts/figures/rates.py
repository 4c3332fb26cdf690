"""Prices per unit ("$0.06/kWh", "$80 a barrel", "$50,000 a year", "$5 per share").

A price per unit is not a sum: adding "$80 a barrel" to "$2 billion" means nothing. So the
figure keeps its denominator in ``per`` and stays a money figure (its USD value is the price
per unit in dollars); queries that add sums leave out rows with a ``per``.
"""

from __future__ import annotations

import re

# Written denominator → canonical ``per``. Words only, so "$5 a piece of" or "$5 a company"
# is not taken for a price per unit.
_PER_UNITS: dict[str, str] = {
    "kwh": "kWh", "kilowatt-hour": "kWh", "kilowatt hour": "kWh", "mwh": "MWh",
    "megawatt-hour": "MWh", "megawatt hour": "MWh", "gj": "GJ", "mmbtu": "MMBtu",
    "barrel": "barrel", "bbl": "barrel", "gallon": "gallon", "litre": "litre",
    "liter": "litre", "l": "litre", "tonne": "tonne", "ton": "ton", "ounce": "ounce",
    "oz": "ounce", "troy ounce": "ounce", "pound": "pound", "lb": "pound", "kilogram": "kg",
    "kilo": "kg", "kg": "kg", "gram": "gram", "bushel": "bushel", "share": "share",
    "unit": "unit", "head": "person", "person": "person", "capita": "person",
    "passenger": "passenger", "ticket": "ticket", "household": "household",
    "night": "night", "hour": "hour", "hr": "hour", "day": "day", "week": "week",
    "month": "month", "mo": "month", "year": "year", "yr": "year", "annum": "year",
    "square foot": "square foot", "sq ft": "square foot", "square metre": "square metre",
    "square meter": "square metre", "sq m": "square metre", "acre": "acre",
    "hectare": "hectare", "mile": "mile", "km": "km", "kilometre": "km", "kilometer": "km",
    "minute": "minute", "w": "W", "watt": "W", "kw": "kW", "kilowatt": "kW", "mw": "MW",
    "megawatt": "MW", "seat": "seat", "vote": "vote", "dose": "dose", "pill": "pill",
}  # fmt: skip
_UNIT_WORDS = "|".join(
    sorted((re.escape(w).replace(r"\ ", r"\s+") for w in _PER_UNITS), key=len, reverse=True)
)
_RATE = re.compile(
    rf"(?:\s*/\s*|\s+(?:a|an|per|each)\s+)(?P<u>{_UNIT_WORDS})(?:e?s)?(?![\w-])"
    # "a year earlier", "a week ago": a time, not a denominator
    r"(?!\s+(?:earlier|ago|before|later|after|since|prior|previously|back|on)\b)",
    re.I,
)


def rate_after(text: str, end: int) -> tuple[str, int] | None:
    """(``per``, end of the denominator) when a price per unit follows a money amount."""
    match = _RATE.match(text, end)
    if match is None:
        return None
    written = " ".join(match.group("u").lower().split())
    return _PER_UNITS[written], match.end()
