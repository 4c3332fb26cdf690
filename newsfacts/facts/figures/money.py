"""Money amounts: a number with a currency symbol, ISO code or currency name around it.

Money is found before any other figure so that its digits are not read again as counts.
"""

from __future__ import annotations

import re

from newsfacts.facts.figures.currency_names import (
    CASED_SYMBOLS,
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    ISO_CODES,
    currency_code,
    is_currency,
)
from newsfacts.facts.figures.numbers import NUMBER_START, has_scale, number_pattern, parse_number
from newsfacts.facts.figures.rates import rate_after
from newsfacts.facts.figures.table import _Candidate


def _alternation(options: list[str]) -> str:
    return "|".join(sorted(options, key=len, reverse=True))


_SYMBOLS = _alternation([re.escape(s) for s in CURRENCY_SYMBOLS])
_CASED = _alternation([re.escape(s) for s in CASED_SYMBOLS])
_CODES = _alternation(sorted(ISO_CODES))
_NAMES = "|".join(p for p, _ in CURRENCY_WORDS)
_MONEY_NUMBER = number_pattern(abbreviations=True)
# "$825 million" (symbol or code first) | "825 million US dollars" (name or code after).
_MONEY = re.compile(
    rf"(?<![\w$£€¥₹₽₴₩₺₪])(?P<sym>{_SYMBOLS}|(?-i:{_CODES}|{_CASED}))\s?(?P<pnum>{_MONEY_NUMBER})"
    rf"(?P<after>\s+(?:US\s+)?dollars\b)?"
    rf"|{NUMBER_START}(?P<snum>{_MONEY_NUMBER})[^\S\n]?"
    rf"(?P<word>(?:{_NAMES})(?![\w])|(?-i:{_CODES})\b|(?-i:kr)(?![\w]))",
    re.I,
)


def _money(text: str) -> list[_Candidate]:
    """Amounts with a currency; found first so their digits are not re-read as counts."""
    found: list[_Candidate] = []
    for match in _MONEY.finditer(text):
        number = match.group("pnum") or match.group("snum")
        token = match.group("sym") or match.group("word")
        parsed = parse_number(number)
        if parsed is None or not is_currency(token):
            continue
        code = currency_code(token)  # None for "$", "¥", "kr", "Rs": decided by `pricing`
        if code is None and "US" in (match.group("after") or ""):
            code = "USD"  # "$5 million US dollars"
        low, high, in_words = parsed
        is_pound_word = match.group("word") and code == "GBP" and "sterling" not in token.lower()
        if is_pound_word and not has_scale(number):
            continue  # "200 pounds" is as likely a weight as a sum
        if in_words and low == 1 and not number.lower().startswith("a "):
            continue  # "one dollar", "one euro": idiom more often than a figure
        end, per = match.end(), None
        if rate := rate_after(text, end):
            per, end = rate
        candidate = _Candidate(match.start(), end, "money", low, high, code, low, token)
        candidate.currency, candidate.per = code, per
        found.append(candidate)
    return found
