"""Casualty figures: numbers of people killed or wounded, from the verbs around the number.

"23 people were killed", "killed at least 21" and "the death toll rose to 25" all name what
is counted as "<victims> <harm>" ("people killed", "civilians wounded"), so tolls reported
by different outlets can be compared.
"""

from __future__ import annotations

import re

from newsfacts.facts.figures.qualifiers import _QUALIFIERS

_LOOKBACK = 60

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
