"""Sentence boundaries, so mentions and quotes can be grouped by the sentence they sit in."""

from __future__ import annotations

import re

from newsfacts.facts.entities.regex_parts import UPPERCASE, word_set

_SENTENCE_END = re.compile(rf"[.!?…][”\"’)\]]*[ \t]+(?=[“\"‘(\[0-9{UPPERCASE}])|\n")
_ABBREVIATIONS = word_set(
    "Mr Mrs Ms Dr St Jr Sr Gen Gov Sen Rep Lt Col Capt Prof No Mt Ft Inc Ltd Co Corp vs "
    "U.S U.N U.K E.U Jan Feb Aug Sept Sep Oct Nov Dec"
)
_WORD_BEFORE_DOT = re.compile(r"([\w.]+)\.$")


def sentence_starts(text: str) -> list[int]:
    """Offsets where sentences begin. Rule-based on purpose: a sentence index only has to be
    good enough to group facts, and a model would cost more than the rest of the pipeline."""
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        if text[m.start()] == ".":
            word = _WORD_BEFORE_DOT.search(text, max(0, m.start() - 12), m.start() + 1)
            if word and (word.group(1) in _ABBREVIATIONS or len(word.group(1)) == 1):
                continue
        starts.append(m.end())
    return starts
