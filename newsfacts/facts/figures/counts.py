"""Counted nouns: "100,000 Russian troops", "a 27-nation bloc".

A plain number is a figure only when a plural noun (or a hyphenated compound) right after it
says what it counts; labels and names before a number ("Article 5", "Boeing 737") and units
of measure rule a count out.
"""

from __future__ import annotations

import re

from newsfacts.facts.figures.numbers import WORD_VALUES
from newsfacts.facts.figures.sentences import _words

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
