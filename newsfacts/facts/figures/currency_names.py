"""Currencies as news prose writes them: symbols, ISO codes and names, and which are ambiguous.

Most forms name one currency ("€", "C$", "CAD", "Canadian dollars"). A few name a family: a
bare "$" or "dollars" is the dollar of wherever the story is told (US, Canada, Australia…),
"¥" is yen or yuan, "kr" one of the Nordic crowns, "Rs" one of the South Asian rupees. For
those the text alone does not decide, so `currency_code` returns None and `currency_family`
the candidates, in the order `currency_choice` falls back through them.
"""

from __future__ import annotations

import re

DOLLARS = ("USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD")
FAMILIES: dict[str, tuple[str, ...]] = {
    "$": DOLLARS,
    "dollars": DOLLARS,
    "¥": ("JPY", "CNY"),
    "kr": ("SEK", "NOK", "DKK", "ISK"),
    "Rs": ("INR", "PKR", "LKR", "NPR"),
}
"""Ambiguous forms and the currencies they may be; the first is the default where one is
safe to assume ("$" → USD, "¥" → JPY, "Rs" → INR). The crowns have no default: a "kr" with
no other evidence is left unconverted."""
NO_DEFAULT = frozenset({"kr"})

CURRENCY_SYMBOLS: dict[str, str | None] = {
    "US$": "USD", "U.S.$": "USD", "$": None, "A$": "AUD", "AU$": "AUD", "C$": "CAD",
    "CA$": "CAD", "Can$": "CAD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "SG$": "SGD",
    "NT$": "TWD", "R$": "BRL", "Mex$": "MXN", "£": "GBP", "€": "EUR", "¥": None, "JP¥": "JPY",
    "CN¥": "CNY", "RMB": "CNY", "₹": "INR", "₽": "RUB", "₴": "UAH", "₩": "KRW", "₺": "TRY",
    "₪": "ILS",
}  # fmt: skip
"""Written before the amount; None marks a family (see `FAMILIES`)."""
CASED_SYMBOLS: dict[str, str | None] = {"Rs": None, "Rs.": None, "kr": None, "kr.": None}
"""Symbols that are only currency in this exact case ("Rs 500", not "RS 500" or "rs")."""

_ISO_LIST = (
    "USD EUR GBP JPY CHF CNY AUD CAD NZD HKD SGD INR RUB UAH KRW TRY SEK NOK DKK PLN CZK HUF "
    "RON BGN BRL MXN ZAR ILS IDR MYR PHP THB ISK SAR AED QAR NGN EGP KES PKR ARS CLP COP "
    "VND TWD LKR NPR"
)
ISO_CODES: frozenset[str] = frozenset(_ISO_LIST.split(" "))
# Currency names written after the amount, with the ISO code they mean (None: a family).
# Order matters: the first pattern that matches the whole word wins ("Australian dollars"
# before "dollars").
CURRENCY_WORDS: tuple[tuple[str, str | None], ...] = (
    (r"(?:US|U\.S\.|American)\s+dollars?", "USD"),
    (r"Australian\s+dollars?", "AUD"),
    (r"Canadian\s+dollars?", "CAD"),
    (r"New\s+Zealand\s+dollars?", "NZD"),
    (r"Hong\s+Kong\s+dollars?", "HKD"),
    (r"Singapore\s+dollars?", "SGD"),
    (r"Taiwan(?:ese)?\s+dollars?", "TWD"),
    (r"dollars?", None),
    (r"euros?", "EUR"),
    (r"(?:British\s+)?pounds?\s+sterling|sterling|British\s+pounds?", "GBP"),
    (r"pounds?", "GBP"),  # weight too: the caller only accepts it with a scale word
    (r"(?:Japanese\s+)?yen", "JPY"),
    (r"(?:Chinese\s+)?(?:yuan|renminbi)", "CNY"),
    (r"(?:Swiss\s+)?francs?", "CHF"),
    (r"(?:Russian\s+)?r(?:ou|u)bles?", "RUB"),
    (r"Indian\s+rupees?", "INR"),
    (r"Pakistani\s+rupees?", "PKR"),
    (r"Sri\s+Lankan\s+rupees?", "LKR"),
    (r"Nepal(?:i|ese)\s+rupees?", "NPR"),
    (r"rupees?", None),
    (r"(?:Ukrainian\s+)?hryvn[iy]as?", "UAH"),
    (r"(?:Polish\s+)?zlotys?", "PLN"),
    (r"(?:Swedish\s+)?kronor|Swedish\s+krona", "SEK"),
    (r"Norwegian\s+kron(?:er|e)", "NOK"),
    (r"Danish\s+kron(?:er|e)", "DKK"),
    (r"Icelandic\s+kr[oó]n(?:a|ur)", "ISK"),
    (r"(?:Hungarian\s+)?forints?", "HUF"),
    (r"(?:Turkish\s+)?liras?", "TRY"),
    (r"(?:Brazilian\s+)?reais", "BRL"),
    (r"(?:South\s+African\s+)?rand", "ZAR"),
    (r"(?:Mexican\s+)?pesos", "MXN"),
    (r"(?:Israeli\s+)?(?:new\s+)?shekels?", "ILS"),
)
_WORD_RES = tuple((re.compile(p, re.I), code) for p, code in CURRENCY_WORDS)
_FAMILY_WORDS = {"dollar": "dollars", "rupee": "Rs"}


def _normal(token: str) -> str:
    return " ".join(token.split())


def currency_code(token: str) -> str | None:
    """ISO 4217 code for a currency symbol, code or name as written in an article; None for
    an unknown token or one that names a family ("$", "dollars", "¥", "kr", "Rs")."""
    token = _normal(token)
    if token in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[token]
    if token in CASED_SYMBOLS:
        return CASED_SYMBOLS[token]
    if token.upper() in ISO_CODES and token.isupper():
        return token
    return next((code for regex, code in _WORD_RES if regex.fullmatch(token)), None)


def currency_family(token: str) -> str | None:
    """The family key (see `FAMILIES`) of an ambiguous form, None for an unambiguous one."""
    token = _normal(token)
    if currency_code(token) is not None:
        return None
    if token in FAMILIES:
        return token
    if token.rstrip(".") in FAMILIES:
        return token.rstrip(".")
    word = token.lower().removesuffix("s")
    if word in _FAMILY_WORDS and any(r.fullmatch(token) for r, _ in _WORD_RES):
        return _FAMILY_WORDS[word]
    return None


def is_currency(token: str) -> bool:
    """Whether a token names a currency, one or a family."""
    return currency_code(token) is not None or currency_family(token) is not None
