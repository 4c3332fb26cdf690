"""Which currency an ambiguous "$", "dollars", "¥", "kr" or "Rs" is, from the article's evidence.

A bare "$" in a Toronto paper is a Canadian dollar, in a New York paper a US one; storing
every "$" as USD mislabels sums and makes the outlet's own conversions ("26 million euros
($40 million)") disagree with the ECB rate. The evidence is weighed in a fixed order, and the
one that decided is kept as ``currency_source``:

1. ``explicit``: the form names one currency (US$, C$, CAD, "Canadian dollars", €, £).
2. ``conversion``: the article restates an amount in a named currency next to the ambiguous
   one; the currencies of the family whose ECB rate makes the two agree fit. Close rates (the
   Canadian, Singapore and Australian dollars) may all fit; the next evidence then chooses
   among them, and without any the family's order does.
3. ``outlet``: the outlet's country (`seeds/reference/outlets.csv`: names, domains, country
   domains), when that country's currency is in the family.
4. ``place``: a place named in the sentence (one country only), else the dateline
   ("TORONTO —"), from `seeds/reference/places.csv`.
5. ``default``: the family's usual reading ("$" → USD, "¥" → JPY, "Rs" → INR); the Nordic
   crowns have none and stay unconverted, with a note.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

from newsfacts.facts.figures.currency_names import FAMILIES, NO_DEFAULT

REFERENCE_DIR = Path(__file__).resolve().parents[3] / "seeds" / "reference"
CONVERSION_TOLERANCE = 0.05
"""How far an outlet's own conversion may be from the ECB rate (rounding, a rate of another
day); the same bound the quality suite holds conversions to."""

COUNTRY_CURRENCY: dict[str, str] = {
    "US": "USD", "CA": "CAD", "AU": "AUD", "NZ": "NZD", "HK": "HKD", "SG": "SGD", "TW": "TWD",
    "JP": "JPY", "CN": "CNY", "IN": "INR", "PK": "PKR", "LK": "LKR", "NP": "NPR", "SE": "SEK",
    "NO": "NOK", "DK": "DKK", "IS": "ISK",
}  # fmt: skip


@dataclass(frozen=True)
class Places:
    """The outlet and place reference: outlet names, domains and country domains, and place
    names (countries, demonyms, cities), each with an ISO 3166 country code."""

    names: dict[str, str]
    domains: dict[str, str]
    tlds: dict[str, str]
    places: dict[str, str]
    pattern: re.Pattern[str]
    version: str

    def outlet_country(self, outlet: str | None, url: str | None) -> str | None:
        if outlet and (country := self.names.get(outlet.strip().lower())):
            return country
        host = (urlparse(url).hostname or "") if url else ""
        host = host.lower().removeprefix("www.")
        if host:
            for domain, country in self.domains.items():
                if host == domain or host.endswith("." + domain):
                    return country
            for tld, country in self.tlds.items():
                if host.endswith(tld):
                    return country
        return None

    def countries_in(self, text: str) -> set[str]:
        return {self.places[m.group()] for m in self.pattern.finditer(text)}


@cache
def load_places(folder: Path = REFERENCE_DIR) -> Places:
    names: dict[str, str] = {}
    domains: dict[str, str] = {}
    tlds: dict[str, str] = {}
    outlets_file, places_file = folder / "outlets.csv", folder / "places.csv"
    with outlets_file.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            table = {"name": names, "domain": domains, "tld": tlds}[row["kind"]]
            key = row["match"].strip()
            table[key.lower() if row["kind"] != "tld" else key] = row["country"].strip()
    with places_file.open(newline="", encoding="utf-8") as handle:
        places = {row["place"].strip(): row["country"].strip() for row in csv.DictReader(handle)}
    # Longest first, case-sensitive, not inside a word ("US" not in "USB", "India" in "Indian"
    # is "Indian").
    alternation = "|".join(re.escape(p) for p in sorted(places, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w.])(?:{alternation})(?![\w]|\.\w)")
    digest = hashlib.sha256(outlets_file.read_bytes() + places_file.read_bytes()).hexdigest()
    return Places(names, domains, tlds, places, pattern, f"places-{digest[:12]}")


_DATELINE = re.compile(
    r"\s*(?P<place>[A-Z][A-Za-zé.' ]{1,30}?)(?:,\s*[A-Z][A-Za-z. ]{1,20}?)?\s*"
    r"(?:\([^)\n]{1,40}\)\s*)?(?:—|–|-{1,2})\s"
)


def dateline_country(text_head: str, places: Places) -> str | None:
    """The country of a dateline at the start of the text ("TORONTO —", "Ottawa (Reuters) -")."""
    match = _DATELINE.match(text_head)
    if match is None:
        return None
    written = match.group("place").strip()
    for candidate in (written, written.title()):
        if candidate in places.places:
            return places.places[candidate]
    return None


@dataclass(frozen=True)
class Evidence:
    """What an article offers for one ambiguous amount, already reduced to currencies."""

    fits: tuple[str, ...] | None  # currencies a written conversion fits, best first
    outlet: str | None
    place: str | None


def choose(family: str, evidence: Evidence) -> tuple[str | None, str]:
    """(currency, currency_source) for an ambiguous form of ``family``."""
    members = FAMILIES[family]
    candidates = evidence.fits if evidence.fits else members
    if evidence.fits and len(evidence.fits) == 1:
        return evidence.fits[0], "conversion"
    for source in ("outlet", "place"):
        code = getattr(evidence, source)
        if code in candidates:
            return code, source
    if evidence.fits:
        # Rates within a few per cent of each other (CAD, SGD, AUD) fit one rounded
        # conversion alike: the closest is noise, the most widely written one a better bet.
        return next(code for code in members if code in evidence.fits), "conversion"
    if family in NO_DEFAULT:
        return None, "default"
    return members[0], "default"


def conversion_fits(
    family: str, amount: float, other_usd: float | None, usd_rate: Callable[[str], float | None]
) -> tuple[str, ...]:
    """Members of ``family`` at whose rate ``amount`` is within tolerance of ``other_usd``
    (the restated amount in USD), closest first."""
    if not other_usd:
        return ()
    gaps: list[tuple[float, str]] = []
    for code in FAMILIES[family]:
        rate = usd_rate(code)
        if rate is None:
            continue
        gap = abs(amount * rate - other_usd) / abs(other_usd)
        if gap <= CONVERSION_TOLERANCE:
            gaps.append((gap, code))
    return tuple(code for _, code in sorted(gaps))


def place_currency(family: str, sentence: str, text_head: str, places: Places) -> str | None:
    """The family member of the one country the sentence names, else of the dateline."""
    members = FAMILIES[family]
    named = {COUNTRY_CURRENCY.get(c) for c in places.countries_in(sentence)} & set(members)
    if len(named) == 1:
        return named.pop()
    code = COUNTRY_CURRENCY.get(dateline_country(text_head, places) or "")
    return code if code in members else None


def outlet_currency(family: str, country: str | None) -> str | None:
    code = COUNTRY_CURRENCY.get(country or "")
    return code if code in FAMILIES[family] else None
