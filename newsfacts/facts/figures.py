"""Numeric figures stated in an article: money, casualties, counts, distances, durations, shares.

Precision over recall: a number becomes a figure only when its context says what it
measures (a currency, a unit, a casualty verb, a counted noun). Bare numbers, years, dates,
times, ordinals and reference numbers ("Article 5") are skipped, because a wrong figure in
an analyst's sum is worse than a missing one.

Conventions (the table's contract):

* ``value`` is normalised: scale words applied (825 million -> 825000000.0), distances in
  metres (unit "m"), durations in days (unit "day"; a year is 365.25 days, a month 1/12 of
  that), percentages as written (4% -> 4.0, unit "%"; percentage points -> unit "pp").
  ``value_original``/``unit_original`` keep what the outlet wrote ("two-week" -> 2, "week").
* A dash range ("5-6 million") gives ``value`` = low end and ``value_high`` = high end.
* Money: ``value`` = ``amount_original`` in ``currency`` (ISO 4217); ``amount_usd`` is
  ``round(amount_original * fx_rate, 2)`` at the ECB rate of the publication date.
* An outlet's own conversion ("€200 billion ($234 billion)") is kept as a row with
  ``is_conversion`` = True and ``equivalent_of`` = the main amount's ``figure_id``: it is
  the same sum, never to be added.
* Values that are not finite ("10^400 dollars") are skipped; huge finite ones are kept.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass, fields, replace
from datetime import date
from itertools import pairwise
from typing import Any, Literal

import polars as pl

from newsfacts.facts.currency import CURRENCY_SYMBOLS, CURRENCY_WORDS, ISO_CODES, FxConverter
from newsfacts.facts.currency import currency_code as _currency_code
from newsfacts.facts.numbers import (
    NUMBER,
    NUMBER_START,
    WORD_VALUES,
    has_scale,
    is_dot_grouped,
    is_year_like,
    number_pattern,
    parse_number,
)

FIGURES_VERSION = "figures-1"
"""Bump when extraction rules change, so cached figure tables are rebuilt."""

FIGURES_SCHEMA: dict[str, pl.DataType] = {
    "figure_id": pl.String(),
    "article_id": pl.String(),
    "sentence": pl.String(),
    "start": pl.Int64(),
    "end": pl.Int64(),
    "raw": pl.String(),
    "kind": pl.String(),
    "value": pl.Float64(),
    "value_high": pl.Float64(),
    "unit": pl.String(),
    "value_original": pl.Float64(),
    "unit_original": pl.String(),
    "counted": pl.String(),
    "qualifier": pl.String(),
    "currency": pl.String(),
    "amount_original": pl.Float64(),
    "amount_usd": pl.Float64(),
    "fx_rate": pl.Float64(),
    "fx_rate_date": pl.Date(),
    "fx_source": pl.String(),
    "fx_note": pl.String(),
    "is_conversion": pl.Boolean(),
    "equivalent_of": pl.String(),
}


@dataclass(frozen=True)
class Figure:
    """One row of the figures table; field order is ``FIGURES_SCHEMA``'s."""

    figure_id: str
    article_id: str
    sentence: str
    start: int
    end: int
    raw: str
    kind: str
    value: float
    value_high: float | None
    unit: str | None
    value_original: float
    unit_original: str | None
    counted: str | None = None
    qualifier: str | None = None
    currency: str | None = None
    amount_original: float | None = None
    amount_usd: float | None = None
    fx_rate: float | None = None
    fx_rate_date: date | None = None
    fx_source: str | None = None
    fx_note: str | None = None
    is_conversion: bool = False
    equivalent_of: str | None = None


_FIELDS = tuple(f.name for f in fields(Figure))
assert tuple(FIGURES_SCHEMA) == _FIELDS, "Figure fields and FIGURES_SCHEMA drifted apart"


def figure_id(article_id: str, start: int, end: int) -> str:
    """Stable across runs, so downstream joins and links survive re-extraction."""
    return hashlib.sha256(f"{article_id}|{start}|{end}".encode()).hexdigest()[:16]


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# --- Sentences -------------------------------------------------------------------------------
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_LAST_TOKEN = re.compile(r"([\w.]+)$")
_ABBREVIATIONS = _words(
    "mr mrs ms dr st prof gen col lt sgt capt cmdr adm maj rep sen gov pres jr sr no nos vs "
    "etc inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec u.s u.n u.k e.g "
    "i.e a.m p.m approx fig vol mt rev dept est"
)
_LINE = re.compile(r"[^\n]+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; paragraphs ("\\n") always end one."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        begin = line.start()
        for end in _SENTENCE_END.finditer(text, line.start(), line.end()):
            token = _LAST_TOKEN.search(text, begin, end.start())
            word = token.group(1).lower() if token else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            spans.append((begin, end.end()))
            begin = end.end() + 1
        spans.append((begin, line.end()))
    return spans


# --- Shared context patterns -----------------------------------------------------------------
_QUALIFIERS = (
    r"at\s+least|at\s+most|more\s+than|less\s+than|fewer\s+than|up\s+to|as\s+many\s+as|"
    r"as\s+much\s+as|as\s+few\s+as|as\s+little\s+as|close\s+to|just\s+over|just\s+under|"
    r"well\s+over|well\s+under|in\s+excess\s+of|upwards\s+of|an\s+estimated|estimated|"
    r"nearly|almost|about|around|roughly|approximately|approx\.|some|over|under|below|above|"
    r"exactly|only|circa|~"
)
_QUALIFIER_BEFORE = re.compile(rf"(?<![\w])({_QUALIFIERS})\s*[(\[]?\s*$", re.I)
_QUALIFIER_NAMES = {"an estimated": "estimated", "approx.": "approximately", "~": "about"}
_LOOKBACK = 60

_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
)
_DATE_BEFORE = re.compile(rf"(?-i:\b(?:{_MONTHS}))\.?\s+$")
_DATE_OR_TIME_AFTER = re.compile(
    rf"\s*(?:(?-i:(?:{_MONTHS})\b)|(?:a\.m\.|p\.m\.|am\b|pm\b|gmt\b|bst\b|cet\b|utc\b|"
    r"o['’]clock|hrs\b|h\d))",
    re.I,
)
# Reference numbers, not quantities: "Article 5", "Flight 370", "aged 23".
_REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:no|nos|number|page|article|section|chapter|resolution|flight|route|room|"
    r"highway|interstate|level|category|phase|stage|day|week|year|season|episode|part|gate|"
    r"platform|terminal|line|bus|size|aged|age|ages|version|model|grade|rank|ranked|"
    r"paragraph|clause|rule|item|sector|district|ward|zone|unit|block|lot)\.?|#)\s*$",
    re.I,
)
_NUMBER_BEFORE = re.compile(rf"(?:\d|\b(?:{'|'.join(WORD_VALUES)}))[ \t]+$", re.I)
_WORD_BEFORE = re.compile(r"([A-Za-z][\w’'-]*)[ \t]+$")


def _qualifier(text: str, start: int) -> str | None:
    match = _QUALIFIER_BEFORE.search(text, max(0, start - 25), start)
    if not match:
        return None
    word = " ".join(match.group(1).lower().split())
    return _QUALIFIER_NAMES.get(word, word)


# --- Money -----------------------------------------------------------------------------------
def _alternation(options: list[str]) -> str:
    return "|".join(sorted(options, key=len, reverse=True))


_SYMBOLS = _alternation([re.escape(s) for s in CURRENCY_SYMBOLS])
_CODES = _alternation(sorted(ISO_CODES))
_NAMES = "|".join(p for p, _ in CURRENCY_WORDS)
_MONEY_NUMBER = number_pattern(abbreviations=True)
# "$825 million" (symbol or code first) | "825 million US dollars" (name or code after).
_MONEY = re.compile(
    rf"(?<![\w$£€¥₹₽₴₩₺₪])(?P<sym>{_SYMBOLS}|(?-i:{_CODES}))\s?(?P<pnum>{_MONEY_NUMBER})"
    rf"(?:\s+(?:US\s+)?dollars\b)?"
    rf"|{NUMBER_START}(?P<snum>{_MONEY_NUMBER})[^\S\n]?"
    rf"(?P<word>(?:{_NAMES})(?![\w])|(?-i:{_CODES})\b)",
    re.I,
)
_CONVERSION_GAP = re.compile(
    rf"\s*(?:[(\[]\s*(?:or\s+)?|,?\s+or\s+|\s*[—–]\s*)(?:(?:{_QUALIFIERS})\s+)?(?:US\s+)?",
    re.I,
)
_CLOSE_PAREN = re.compile(r"\s*[)\]]")


@dataclass
class _Candidate:
    start: int
    end: int
    kind: str
    value: float
    value_high: float | None
    unit: str | None
    value_original: float
    unit_original: str | None
    counted: str | None = None
    currency: str | None = None


def _money(text: str) -> list[_Candidate]:
    """Amounts with a currency; found first so their digits are not re-read as counts."""
    found: list[_Candidate] = []
    for match in _MONEY.finditer(text):
        number = match.group("pnum") or match.group("snum")
        token = match.group("sym") or match.group("word")
        parsed = parse_number(number)
        code = _currency_code(token)
        if parsed is None or code is None:
            continue
        low, high, in_words = parsed
        is_pound_word = match.group("word") and code == "GBP" and "sterling" not in token.lower()
        if is_pound_word and not has_scale(number):
            continue  # "200 pounds" is as likely a weight as a sum
        if in_words and low == 1 and not number.lower().startswith("a "):
            continue  # "one dollar", "one euro": idiom more often than a figure
        span = match.start(), match.end()
        found.append(_Candidate(*span, "money", low, high, code, low, token, currency=code))
    return found


# --- Units -----------------------------------------------------------------------------------
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


# --- Casualties ------------------------------------------------------------------------------
_PEOPLE = (
    r"people|persons?|civilians?|soldiers?|troops|servicemen|service\s+members|children|child|"
    r"kids|women|woman|men|man|others|residents?|passengers?|police\s+officers|policemen|"
    r"officers?|workers?|journalists?|fighters?|militants?|insurgents?|rebels?|protesters?|"
    r"demonstrators?|pilgrims?|migrants?|refugees?|patients?|students?|employees?|guards?|"
    r"firefighters?|rescuers?|staff|members|Britons|(?-i:[A-Z][a-z]+(?:ians|ans|is|ese))"
)
_AUX = r"were|was|have|has|had|been|are|is|being|reportedly|also|now|all|later|confirmed"
_KILLED = r"killed|dead|died|perished|lost\s+their\s+lives"
_WOUNDED = r"wounded|injured|hurt"
_CASUALTY_AFTER = re.compile(
    rf"(?:\s+(?:more|other|[A-Za-z][\w’'-]*)){{0,2}}?\s+(?P<noun>{_PEOPLE})"
    rf"(?:\s+(?:{_AUX})){{0,3}}\s+(?P<verb>{_KILLED}|{_WOUNDED})\b"
    rf"|(?:\s+(?:{_AUX})){{0,2}}\s+(?P<bare>{_KILLED}|{_WOUNDED}|deaths|fatalities|"
    r"casualties|injuries)\b",
    re.I,
)
_CASUALTY_VERB_BEFORE = re.compile(
    rf"\b(?P<verb>kill(?:ed|ing|s)?|wound(?:ed|ing|s)?|injur(?:ed|ing|es|e)|hurt(?:ing)?)"
    rf"\s+(?:(?:{_QUALIFIERS})\s+)?$"
    rf"|\b(?:death|casualty)\s+toll\b[^.\n]{{0,40}}?\b(?:to|at|of|reached|hit|is|was)"
    rf"\s+(?:(?:{_QUALIFIERS})\s+)?$",
    re.I,
)
_VICTIMS_AFTER = re.compile(
    rf"(?:\s+(?:more|other|[A-Za-z][\w’'-]*)){{0,2}}?\s+(?P<noun>{_PEOPLE})\b"
    r"|(?=\s*(?:[,.;:)—–]|$|\s+(?:and|in|on|at|across|during|when|after|while|since|"
    r"including|as|with|near|before|overnight|yesterday|today)\b))",
    re.I,
)
_NOUN_NAMES = {
    "people": "people",
    "person": "people",
    "persons": "people",
    "others": "people",
    "child": "children",
}
_NOUN_NAMES |= {"man": "men", "woman": "women", "staff": "staff", "kids": "children"}


def _victims(noun: str | None) -> str:
    if noun is None:
        return "people"
    noun = " ".join(noun.split())
    lowered = noun.lower()
    if lowered in _NOUN_NAMES:
        return _NOUN_NAMES[lowered]
    plural = lowered if lowered.endswith(("s", "men", "children")) else lowered + "s"
    return noun if noun[0].isupper() else plural


def _harm(verb: str) -> str:
    verb = verb.lower()
    if verb.startswith(("wound", "injur", "hurt")):
        return "wounded"
    return "casualties" if verb.startswith("casualt") else "killed"


def _casualty(text: str, start: int, end: int) -> str | None:
    """What a casualty number counts ("people killed"), or None if it is not one."""
    if match := _CASUALTY_AFTER.match(text, end):
        if match.group("bare"):
            harm = _harm(match.group("bare"))
            return harm if harm == "casualties" else f"people {harm}"
        return f"{_victims(match.group('noun'))} {_harm(match.group('verb'))}"
    before = _CASUALTY_VERB_BEFORE.search(text, max(0, start - _LOOKBACK), start)
    if before and (victims := _VICTIMS_AFTER.match(text, end)):
        harm = _harm(before.group("verb") or "killed")
        return f"{_victims(victims.group('noun'))} {harm}"
    return None


# --- Counts ----------------------------------------------------------------------------------
# "27-nation bloc", "15-member council": the compound names what is counted.
_COMPOUND_NOUNS = (
    "member|nation|country|seat|page|vessel|ship|storey|story|floor|person|"
    "man|car|vehicle|bed|room|team|player|judge|aircraft|jet|plane|bus|truck|tank|school|home|"
    "house|store|shop|hospital|village|city|town|county"
)
_COMPOUND = re.compile(rf"-(?P<noun>{_COMPOUND_NOUNS})\b(?!-)", re.I)
_COMPOUND_PLURALS = {"person": "people", "man": "men", "aircraft": "aircraft"}
_RATE_AFTER = re.compile(
    r"\s*(?:/|per\b|an?\s+(?:second|minute|hour|day|week|month|year|share)\b)", re.I
)
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z][A-Za-z’'-]*)")
_IRREGULAR_PLURALS = _words(
    "people children men women police personnel staff aircraft cattle sheep"
)
_FUNCTION_WORDS = _words(
    """the a an of and or but nor to in on at for by with from into onto over under about after
    before during since until than that this these those which who whom whose what when where
    why how as per each every all both either neither no not so such too very most least few
    many much its their his her our my your we they he she it i you me him them us be is are
    was were been being have has had do does did will would shall should can could may might
    must said says say told according if then there here while whether though although
    because also just only even still yet already again ever never now up down out off away
    back via ago among between against within without across through around near"""
)
_NOT_PLURAL = _words(
    """this thus yes plus perhaps always towards afterwards besides unless whereas sometimes
    does goes says makes takes gets comes seems means remains includes becomes shows puts
    sets runs lets aims wants needs looks leads keeps holds gives tells calls uses works plays
    helps allows turns moves lives starts ends hits sits stands rises falls grows reaches wins
    loses adds pays asks feels knows thinks hopes plans owns news series species politics
    economics physics ethics tactics times percent stats odds basis crisis analysis"""
)
# Measurement and time words: counted elsewhere or not counts at all ("5 tonnes").
_UNIT_HEADS = _words(
    """seconds minutes hours days weeks months years decades centuries metres meters
    kilometres kilometers miles feet yards inches tonnes tons kilograms kilos grams pounds
    ounces litres liters gallons barrels degrees acres hectares points percentages
    dollars euros cents pence bucks millimetres millimeters inches light-years watts
    kilowatts megawatts gigawatts volts microns nanometres nanometers bytes kilobytes megabytes
    gigabytes terabytes gigabits megabits pixels calories decibels knots mph kph
    cup tablespoon teaspoon tbsp tsp oz lb lbs kg ml scoop slice pinch square cubic sq"""
)
# Capitalised words that may open a count ("Some 30 people", "The 27 members").
_CAPITALISED_OK = _FUNCTION_WORDS | _words(
    """some nearly almost roughly approximately estimated only exactly another more other
    fewer less over under just well circa"""
)


def _is_head(word: str) -> bool:
    lowered = word.lower()
    if not word.islower() or lowered in _UNIT_HEADS or lowered in _NOT_PLURAL:
        return False
    if lowered in _IRREGULAR_PLURALS:
        return True
    return (
        len(lowered) > 3
        and lowered.endswith("s")
        and not lowered.endswith(("ss", "us", "is", "'s", "’s"))
    )


def _counted_noun(text: str, end: int) -> str | None:
    """Head noun of "100,000 Russian troops": up to two modifiers, then a plural noun."""
    position = end
    for _ in range(3):
        match = _NEXT_WORD.match(text, position)
        if match is None:
            return None
        word = match.group(1)
        if _is_head(word):
            # "60 frames per second" is a rate, not a number of frames.
            return None if _RATE_AFTER.match(text, match.end()) else word.lower()
        lowered = word.lower()
        if lowered in _FUNCTION_WORDS or lowered in _UNIT_HEADS or lowered.endswith("ly"):
            return None  # "5 were", "3 tonnes", "23 badly": not a counted noun
        position = match.end()
    return None


def _is_reference(text: str, start: int) -> bool:
    """ "Article 5 guarantees", "Boeing 737 jets": a name or label before the number."""
    window = text[max(0, start - 30) : start]
    if _REFERENCE_BEFORE.search(window) or _NUMBER_BEFORE.search(window):
        return True  # "No. 10", "400 737 jets"
    match = _WORD_BEFORE.search(window)
    if match is None:
        return False
    word = match.group(1)
    possessive = word.endswith(("’s", "'s"))  # "Europe’s 27 nations" is a count
    named = any(c.isupper() for c in word)  # "Boeing 737", "iPhone 11"
    return named and not possessive and word.lower() not in _CAPITALISED_OK


def _count(text: str, start: int, end: int) -> tuple[str, int] | None:
    if match := _COMPOUND.match(text, end):
        noun = match.group("noun").lower()
        plural = _COMPOUND_PLURALS.get(noun) or (
            noun[:-1] + "ies" if noun.endswith("y") and noun[-2] not in "aeiou" else noun + "s"
        )
        return plural, match.end()
    if _is_reference(text, start):
        return None
    noun = _counted_noun(text, end)
    return (noun, end) if noun else None


_ONE_DAY = re.compile(r"one\s+day", re.I)


# --- Assembly --------------------------------------------------------------------------------
def _number_figures(text: str, taken: list[tuple[int, int]]) -> list[_Candidate]:
    """Classify every number outside ``taken`` (money) spans; unclassifiable ones are dropped.

    Order matters: a unit beats a casualty reading, which beats a plain count, so "killed 23
    people" is one casualty row and not also a count of people.
    """
    found: list[_Candidate] = []
    spans = iter(sorted(taken))
    blocker = next(spans, None)
    for match in NUMBER.finditer(text):
        start, end = match.span()
        while blocker is not None and blocker[1] <= start:
            blocker = next(spans, None)
        if blocker is not None and blocker[0] < end:
            continue  # part of a money expression
        number = match.group("num")
        parsed = parse_number(number)
        if parsed is None:
            continue
        value, high, in_words = parsed
        if high is not None and high <= value:
            continue  # "3-1" is a score, "2025-08" a date
        if _DATE_BEFORE.search(text, max(0, start - 12), start) or _DATE_OR_TIME_AFTER.match(
            text, end
        ):
            continue
        unit = _unit_figure(text, start, end, value, high)
        if unit is False or (unit and in_words and _ONE_DAY.fullmatch(text, start, unit.end)):
            continue  # an age, or "one day" (mostly "some day")
        if unit is not None:
            if unit.kind == "percentage" or not (is_year_like(number) or is_dot_grouped(number)):
                found.append(unit)
            continue
        if is_year_like(number) or is_dot_grouped(number) or not value.is_integer():
            continue  # "1994 pact", "70.000 Muslims", "2.5 microns": not head counts
        if counted := _casualty(text, start, end):
            casualty = _Candidate(start, end, "casualties", value, high, None, value, None, counted)
            found.append(casualty)
            continue
        if value < 2:
            continue  # "one power", "1 cup blueberries": a single item is rarely a figure
        if counted_end := _count(text, start, end):
            noun, stop = counted_end
            found.append(_Candidate(start, stop, "count", value, high, None, value, None, noun))
    return found


def _link_conversions(text: str, figures: list[Figure]) -> list[Figure]:
    """Mark "€200 billion ($234 billion)", "39 miles (63 km)": the second restates the first."""
    linked = list(figures)
    for a, b in pairwise(range(len(linked))):
        main, other = linked[a], linked[b]
        if main.kind not in ("money", "distance") or other.kind != main.kind:
            continue
        same_unit = (main.currency or main.unit_original) == (other.currency or other.unit_original)
        if main.is_conversion or same_unit:
            continue  # "$5 million ($6 million)" is a correction or a range, not a conversion
        gap = _CONVERSION_GAP.fullmatch(text, main.end, other.start)
        if gap is None:
            continue
        opened = "(" in gap.group() or "[" in gap.group()
        if opened and not _CLOSE_PAREN.match(text, other.end):
            continue
        linked[b] = replace(other, is_conversion=True, equivalent_of=main.figure_id)
    return linked


def extract_figures(
    text: str, published_at: date | None, fx: FxConverter, article_id: str = ""
) -> list[Figure]:
    """All figures of one clean article text, in reading order; ``text[start:end] == raw``."""
    money = _money(text)
    candidates = money + _number_figures(text, [(c.start, c.end) for c in money])
    candidates.sort(key=lambda c: c.start)
    sentences = sentence_spans(text)
    starts = [s for s, _ in sentences]
    figures: list[Figure] = []
    for c in candidates:
        s_start, s_end = sentences[max(0, bisect_right(starts, c.start) - 1)]
        conversion: dict[str, Any] = {}
        if c.kind == "money" and c.currency:
            converted = fx.to_usd(c.value, c.currency, published_at)
            conversion = {
                "currency": c.currency,
                "amount_original": c.value,
                "amount_usd": converted.amount_usd,
                "fx_rate": converted.fx_rate,
                "fx_rate_date": converted.fx_rate_date,
                "fx_source": converted.fx_source,
                "fx_note": converted.fx_note,
            }
        figures.append(
            Figure(
                figure_id=figure_id(article_id, c.start, c.end),
                article_id=article_id,
                sentence=text[s_start:s_end].strip(),
                start=c.start,
                end=c.end,
                raw=text[c.start : c.end],
                kind=c.kind,
                value=c.value,
                value_high=c.value_high,
                unit=c.unit,
                value_original=c.value_original,
                unit_original=c.unit_original,
                counted=c.counted,
                qualifier=_qualifier(text, c.start),
                **conversion,
            )
        )
    return _link_conversions(text, figures)


def figures_frame(articles: pl.DataFrame, fx: FxConverter) -> pl.DataFrame:
    """Figures of every article, typed by ``FIGURES_SCHEMA`` even when there are none.

    The rules read English; when ``articles`` has a ``language`` column, articles detected as
    another language are skipped rather than mined for false figures ("25 anos").
    """
    if "language" in articles.columns:
        english = pl.col("language").is_null() | pl.col("language").str.starts_with("en")
        articles = articles.filter(english)
    rows: list[tuple[object, ...]] = []
    for article_id, text, published_at in articles.select(
        "article_id", "text", "published_at"
    ).iter_rows():
        for f in extract_figures(text or "", published_at, fx, article_id):
            rows.append(tuple(getattr(f, name) for name in _FIELDS))
    return pl.DataFrame(rows, schema=FIGURES_SCHEMA, orient="row")


def conversion_disagreements(figures: pl.DataFrame, tolerance: float = 0.05) -> pl.DataFrame:
    """Outlet conversions whose USD value is off the main amount's by more than ``tolerance``.

    A large gap means a misread amount or currency (ours or the outlet's), so the quality
    suite surfaces these pairs instead of trusting either number.
    """
    conversions = figures.filter(pl.col("is_conversion") & pl.col("equivalent_of").is_not_null())
    pairs = conversions.select(
        "article_id",
        pl.col("equivalent_of").alias("figure_id"),
        pl.col("figure_id").alias("conversion_figure_id"),
        pl.col("raw").alias("conversion_raw"),
        pl.col("amount_usd").alias("conversion_amount_usd"),
    ).join(
        figures.select("article_id", "figure_id", "raw", "amount_usd"),
        on=["article_id", "figure_id"],
        how="inner",
    )
    difference = (pl.col("conversion_amount_usd") - pl.col("amount_usd")).abs() / pl.col(
        "amount_usd"
    ).abs()
    return (
        pairs.with_columns(difference.alias("relative_difference"))
        .filter(pl.col("relative_difference") > tolerance)
        .select(
            "article_id",
            "figure_id",
            "conversion_figure_id",
            "raw",
            "conversion_raw",
            "amount_usd",
            "conversion_amount_usd",
            "relative_difference",
        )
    )
