"""The per-article state that speaker finding reads and updates.

Quoted words are masked out so nothing inside a quote passes for attribution; the context also
carries the article's mentions and sentence starts, and the people in view so far, which is
what pronouns are resolved against.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from newsfacts.facts.entities.mentions import Mention
from newsfacts.facts.entities.reference import EntityIndex
from newsfacts.facts.entities.regex_parts import word_set
from newsfacts.facts.quotes.quotations import Quotation

MASK = "\x00"  # stands in for quoted words, so nothing inside a quote looks like attribution
_PREPOSITIONS = word_set(
    "about of with by to for from on against between among toward towards into at in over "
    "under via without including like near beside alongside behind"
)
_WORDS = re.compile(r"[^\W\d_][\w’'.-]*|\S")


Speaker = tuple[str | None, str | None, str]  # (entity_id, name, attribution)


@dataclass
class _Context:
    """Per-article state: the masked text, and who was last in view for pronouns."""

    text: str
    masked: str
    mentions: list[Mention]
    index: EntityIndex
    sentences: list[int] = field(default_factory=list)
    # (pos, rank, entity_id, name) of people in view: rank 0 a quote's speaker, 1 a subject-
    # like mention, 2 one after a preposition, 3 a possessive ("Smith's dog"). Unnamed
    # sources have no id but count too.
    events: list[tuple[int, int, str | None, str]] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)
    parses: dict[tuple[int, int, bool], Any] = field(default_factory=dict)  # model docs by span
    text_sentences: list[int] | None = None  # sentence starts of the unmasked text, for parses
    model_used: bool = False  # set when the trained model was asked about the current quote


def _mask(text: str, quotations: list[Quotation]) -> str:
    """Blank out quoted words but keep a final . ! ? so a quote still ends its sentence."""
    chars = list(text)
    for q in quotations:
        for start, end in q.parts:
            keep = end - 1 if end > start and text[end - 1] in ".!?" else end
            for i in range(start, keep):
                if chars[i] != "\n":
                    chars[i] = MASK
    return "".join(chars)


def _inside_quote(ctx: _Context, m: Mention) -> bool:
    return ctx.masked[m.start] == MASK


def _after_preposition(ctx: _Context, lo: int, at: int) -> bool:
    """In "talks with Russian President Vladimir Putin", Putin is not the subject."""
    tokens = _WORDS.findall(ctx.masked[lo:at])
    i = len(tokens) - 1
    while i >= 0:
        tok = tokens[i]
        if tok[0].isupper() or (tok == "of" and i > 0 and tokens[i - 1][0].isupper()):
            i -= 1
            continue
        return tok.lower() in _PREPOSITIONS
    return False


def _sentence_of(ctx: _Context, pos: int) -> int:
    return bisect_right(ctx.sentences, pos) - 1
