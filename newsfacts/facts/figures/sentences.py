"""Sentence boundaries, so each figure carries the sentence an analyst can check it against.

Abbreviations ("Mr.", "U.S.") and initials do not end a sentence; a paragraph always does.
"""

from __future__ import annotations

import re


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


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
