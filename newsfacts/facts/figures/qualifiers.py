"""Hedge words written before a number ("at least", "nearly", "up to").

A figure keeps its hedge as ``qualifier``, because "at least 21 killed" and "21 killed" are
not the same claim; money conversions and casualty phrasings also allow a hedge inside them.
"""

from __future__ import annotations

import re

_QUALIFIERS = (
    r"at\s+least|at\s+most|more\s+than|less\s+than|fewer\s+than|up\s+to|as\s+many\s+as|"
    r"as\s+much\s+as|as\s+few\s+as|as\s+little\s+as|close\s+to|just\s+over|just\s+under|"
    r"well\s+over|well\s+under|in\s+excess\s+of|upwards\s+of|an\s+estimated|estimated|"
    r"nearly|almost|about|around|roughly|approximately|approx\.|some|over|under|below|above|"
    r"exactly|only|circa|~"
)
_QUALIFIER_BEFORE = re.compile(rf"(?<![\w])({_QUALIFIERS})\s*[(\[]?\s*$", re.I)
_QUALIFIER_NAMES = {"an estimated": "estimated", "approx.": "approximately", "~": "about"}


def _qualifier(text: str, start: int) -> str | None:
    match = _QUALIFIER_BEFORE.search(text, max(0, start - 25), start)
    if not match:
        return None
    word = " ".join(match.group(1).lower().split())
    return _QUALIFIER_NAMES.get(word, word)
