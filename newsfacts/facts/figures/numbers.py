"""Recognise and evaluate the numbers written in news prose: digits, words and scale words.

One regular expression (``NUMBER``) finds a number expression and one function
(``parse_number``) turns its text into floats, so the figure rules never re-implement the
grammar. Plural vague quantities ("hundreds", "dozens", "tens of thousands") are deliberately
outside the grammar: they are not figures anyone can sum.
"""

from __future__ import annotations

import math
import re

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
WORD_VALUES: dict[str, int] = {**_UNITS, **_TEENS, **_TENS}

# Multipliers written after a number. Single letters only count when glued to the digits
# ("$3.5m"), because "5 m" is as likely metres as millions.
SCALE_WORDS: dict[str, float] = {
    "dozen": 12.0,
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "lakh": 1e5,  # Indian English: ₹5 lakh, ₹100 crore
    "crore": 1e7,
}
SCALE_ABBREVIATIONS: dict[str, float] = {
    "k": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "tn": 1e12,
    "trn": 1e12,
}


def _alternation(words: list[str]) -> str:
    # Longest first, so "eighteen" is not read as "eight" + "een".
    return "|".join(sorted(words, key=len, reverse=True))


_W_UNIT = rf"(?:{_alternation(list(_UNITS))})"
_W_99 = (
    rf"(?:(?:{_alternation(list(_TENS))})(?:[-\s]{_W_UNIT})?"
    rf"|{_alternation(list(_TEENS))}|{_W_UNIT})"
)
_WORDS = rf"{_W_99}(?:\s+hundred(?:\s+(?:and\s+)?{_W_99})?)?(?![\w])"
_DIGITS = (
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 100,000 / 1,000,000.5
    r"|\d+(?:\.\d+)?(?:\s?(?:\^|\*\*)\s?\d+|[eE][+-]?\d+)?"  # 825 / 3.5 / 10^30 / 1e30
)
_SCALE_WORD = rf"(?:{_alternation(list(SCALE_WORDS))})(?![\w])"
_SCALE_ABBR = rf"(?:{_alternation(list(SCALE_ABBREVIATIONS))})(?![\w])"

# A bare "a" is a number only in "a million", "a dozen", …
_A_SCALE = rf"(?:half\s+)?a\s+(?={_SCALE_WORD})"
_CORE = rf"(?:{_DIGITS}|{_WORDS})"


def number_pattern(*, abbreviations: bool) -> str:
    """Regex source for one number expression: core, optional dash range, optional scale.

    Scale abbreviations ("bn", "m") are only safe next to a currency, so callers choose.
    """
    scale = rf"(?:\s+{_SCALE_WORD}|\s?-?{_SCALE_WORD}"
    scale += rf"|{_SCALE_ABBR})" if abbreviations else ")"
    return (
        rf"(?:{_A_SCALE}{_SCALE_WORD}|{_CORE}(?:\s?[-–]\s?{_CORE})?{scale}?)"
        rf"(?![\w]|[.,:/\-–]\d)"
    )


# Not glued to a preceding word, decimal, code or date ("F-16", "3.5", "2025-08-29").
NUMBER_START = r"(?<![\w.,/:\-–$£€¥₹₽₴#])"
NUMBER = re.compile(NUMBER_START + rf"(?P<num>{number_pattern(abbreviations=False)})", re.I)

_PARSE = re.compile(
    rf"(?:(?P<half>half\s+)?a\s+|(?P<low>{_CORE})(?:\s?-\s?(?P<high>{_CORE}))?)"
    rf"(?:(?:\s+|\s?-?)(?P<scale>{_SCALE_WORD}|{_SCALE_ABBR}))?",
)


def _core_value(text: str) -> float | None:
    if text[:1].isdigit():
        token = text.replace(",", "").replace(" ", "").replace("**", "^")
        try:
            if "^" in token:
                base, _, exponent = token.partition("^")
                return math.pow(float(base), float(exponent))
            return float(token)
        except (OverflowError, ValueError):
            return None
    total = 0.0
    for word in re.split(r"[-\s]+", text):
        if word == "hundred":
            total *= 100
        elif word != "and":
            total += WORD_VALUES[word]
    return total


def parse_number(text: str) -> tuple[float, float | None, bool] | None:
    """Evaluate a ``NUMBER`` match: ``(value, range_high, written_in_words)``.

    Returns None for values that are not finite (absurd exponents), so a caller can skip
    them with one rule instead of carrying infinities into Parquet.
    """
    lowered = " ".join(text.lower().replace("–", "-").split())
    match = _PARSE.fullmatch(lowered)
    if match is None:
        return None
    scale_word = match.group("scale")
    scale = 1.0
    if scale_word:
        scale = SCALE_WORDS.get(scale_word) or SCALE_ABBREVIATIONS[scale_word]
    low_text, high_text = match.group("low"), match.group("high")
    low = _core_value(low_text) if low_text else (0.5 if match.group("half") else 1.0)
    high = _core_value(high_text) if high_text else None
    if low is None or (high_text and high is None):
        return None
    low *= scale
    if high is not None:
        high *= scale
    if not math.isfinite(low) or (high is not None and not math.isfinite(high)):
        return None
    return low, high, lowered[:1].isalpha()


_SCALE_AT_END = re.compile(rf"(?:{_SCALE_WORD}|{_SCALE_ABBR})$", re.I)


def has_scale(text: str) -> bool:
    """Whether a number expression ends in a scale ("200 million", "3.5m")."""
    return bool(_SCALE_AT_END.search(text.strip()))


_SCALE_IN = re.compile(rf"\d[\d.,]*\s?-?(?P<s>{_SCALE_WORD}|{_SCALE_ABBR})", re.I)


def scale_of(text: str) -> float:
    """The multiplier a figure's text writes after its number ("$7 million" → 1e6), else 1."""
    match = _SCALE_IN.search(text)
    if match is None:
        return 1.0
    word = match.group("s").lower()
    return SCALE_WORDS.get(word) or SCALE_ABBREVIATIONS.get(word, 1.0)


_GROUPED_BY_DOTS = re.compile(r"\d{1,3}(?:\.\d{3})+")


def is_dot_grouped(text: str) -> bool:
    """ "70.000" is thousands in German but a decimal in English: too ambiguous to count."""
    return bool(_GROUPED_BY_DOTS.fullmatch(text.strip()))


def is_year_like(text: str) -> bool:
    """A bare four-digit integer a reader would take for a year ("1994", "2022")."""
    return len(text) == 4 and text.isdigit() and 1800 <= int(text) <= 2100
