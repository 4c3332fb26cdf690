"""Finding the quotations in a text: pairing quote marks into spans of quoted words.

Quote marks are “ ”, straight " and the ‘‘ ’’ pairs of AP copy; single quotes are left
alone, they are apostrophes far more often than quotes. A mark that does not close within
its paragraph, and is not carried on by the next paragraph opening with a mark, is ignored:
guessing its end would swallow the article. A quotation already carried over paragraphs
whose last closing mark is missing ends with its last paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from newsfacts.facts.quotes.reporting_verbs import _VERBS

MAX_PARAGRAPHS = 8  # a quotation "continued" further than this is a missing closing mark


Parts = tuple[tuple[int, int], ...]  # content spans of one quotation, marks excluded


@dataclass(frozen=True)
class Quotation:
    """One quotation as found: its pieces of quoted words, and where its outer marks are."""

    parts: Parts  # quoted words of each piece, marks excluded
    open_at: int  # first character of the opening mark
    close_end: int  # just past the closing mark


# Besides “ ” and ", AP-style copy closes with two apostrophes (’’ or '') and may open with ‘‘.
_MARKS = re.compile(r"‘‘|’’|''|[“”\"]")


def _is_opening(text: str, m: re.Match[str]) -> bool:
    mark = m.group()
    if mark != '"':
        return mark in ("“", "‘‘")
    before = text[m.start() - 1] if m.start() else " "
    after = text[m.end()] if m.end() < len(text) else " "
    return (before.isspace() or before in "([{—–-/") and not after.isspace()


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_quotations(text: str) -> list[Quotation]:
    """Pair quote marks paragraph by paragraph; see the module docstring for what is kept."""
    para_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    found: list[Quotation] = []
    parts: list[tuple[int, int]] = []
    first: re.Match[str] | None = None  # opening mark of the quotation
    current: re.Match[str] | None = None  # opening mark of its current piece
    open_para = 0
    for m in _MARKS.finditer(text):
        para = bisect_right(para_starts, m.start()) - 1
        opening = _is_opening(text, m)
        if current is not None and para != open_para:
            carried = para == open_para + 1 and m.start() == para_starts[para] and opening
            if carried and len(parts) < MAX_PARAGRAPHS:
                parts.append(_strip(text, current.end(), para_starts[para] - 1))
                current, open_para = m, para
                continue
            if parts and first is not None:  # a carried quotation whose last mark is missing
                parts.append(_strip(text, current.end(), para_starts[open_para + 1] - 1))
                found.append(Quotation(tuple(parts), first.start(), parts[-1][1]))
            first = current = None
            parts = []
        if opening:
            first = current = m
            open_para, parts = para, []
        elif current is not None and first is not None:
            parts.append(_strip(text, current.end(), m.start()))
            if any(re.search(r"\w", text[s:e]) for s, e in parts):
                found.append(Quotation(tuple(parts), first.start(), m.end()))
            first = current = None
            parts = []
    return _merge_split(text, found)


def _merge_split(text: str, quotations: list[Quotation]) -> list[Quotation]:
    """“Secondly, of course,” said Sakaliene, “financial pain…” is one quotation: the first
    piece ends on a comma and only a short reporting clause ending on a comma lies between."""
    merged: list[Quotation] = []
    for q in quotations:
        if merged:
            prev = merged[-1]
            between = text[prev.close_end : q.open_at]
            if (
                text[prev.parts[-1][0] : prev.parts[-1][1]].endswith(",")
                and re.fullmatch(r"\s*[^“”\"\n.!?]{1,80}?,\s*", between)
                and _VERBS.search(between)
            ):
                merged[-1] = Quotation(prev.parts + q.parts, prev.open_at, q.close_end)
                continue
        merged.append(q)
    return merged
