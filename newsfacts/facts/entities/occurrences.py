"""Where each of many names is printed in a text as a whole word, and which stretches of
the text are already taken by a mention.

Searching the whole text once per name costs names × length: nothing on a news page, minutes
on a 9 MB transcript that names thousands of people. A name printed as a whole word starts
where a word starts and its first word is that whole word, so one pass over the text's words
finds every name at once; the per-name search stays for texts where it is cheaper.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A word as `is_word_char` has it: letters, digits, "_" and "-" ("\w" is alnum or "_").
_WORD = re.compile(r"[\w-]+")
# Below this many characters searched (names × text length), one search per name is faster
# than a pass over the words: an ordinary article, which is nearly every document.
_SEARCH_PER_NAME_UP_TO = 2_000_000


def is_word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] in "_-")


def _bounded(text: str, at: int, end: int) -> bool:
    return not is_word_char(text, at - 1) and not is_word_char(text, end)


def _by_search(text: str, form: str) -> list[int]:
    found = []
    at = text.find(form)
    while at != -1:
        if _bounded(text, at, at + len(form)):
            found.append(at)
        at = text.find(form, at + 1)
    return found


def whole_word_starts(text: str, forms: Iterable[str]) -> dict[str, list[int]]:
    """Every start, in text order, where each form is printed with no word character right
    before or after it (occurrences of one form may overlap, as a repeated search finds
    them)."""
    forms = list(dict.fromkeys(forms))
    if len(forms) * len(text) <= _SEARCH_PER_NAME_UP_TO:
        return {form: _by_search(text, form) for form in forms}
    out: dict[str, list[int]] = {form: [] for form in forms}
    by_word: dict[str, list[str]] = {}
    for form in forms:
        lead = _WORD.match(form)
        if lead is None:  # starts with no word character: only a search finds it
            out[form] = _by_search(text, form)
        else:
            by_word.setdefault(lead.group(), []).append(form)
    for word in _WORD.finditer(text):
        for form in by_word.get(word.group(), ()):
            at = word.start()
            if text.startswith(form, at) and not is_word_char(text, at + len(form)):
                out[form].append(at)
    return out


def not_overlapping(starts: list[int], length: int) -> list[int]:
    """The starts a left-to-right regex scan would match: each after the previous one's end."""
    kept: list[int] = []
    for at in starts:
        if not kept or at >= kept[-1] + length:
            kept.append(at)
    return kept


class Taken:
    """Stretches of a text already given to a mention; asking whether a span overlaps one
    costs the span's length, not the number of stretches taken so far."""

    def __init__(self, size: int, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._chars = bytearray(size)
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        if end > start:
            self._chars[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return end > start and self._chars.find(1, start, end) != -1
