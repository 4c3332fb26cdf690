"""The per-article state that speaker finding reads and updates.

Quoted words are masked out so nothing inside a quote passes for attribution; the context also
carries the article's mentions and sentence starts, and the people in view so far, which is
what pronouns are resolved against.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

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
Event = tuple[int, int, str | None, str]
T = TypeVar("T")


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
    # What the questions above are asked of, found once per article: a question answered by
    # reading every mention or the whole text again for each quote made a page of thousands
    # of quotes cost their square. ``mentions`` are in text order.
    mention_starts: list[int] = field(default_factory=list)
    events_by_sentence: dict[int, list[Event]] = field(default_factory=dict)
    event_sentences: list[int] = field(default_factory=list)  # keys of the above, in order
    known: dict[tuple[Any, ...], Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.mention_starts = [m.start for m in self.mentions]


def once(ctx: _Context, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()`` the first time ``key`` is asked about in this article, then kept: for
    answers that depend on the article alone, not on the quote being attributed."""
    if key not in ctx.known:
        ctx.known[key] = compute()
    return ctx.known[key]  # type: ignore[no-any-return]


def add_event(ctx: _Context, event: Event) -> None:
    """A person (or unnamed source) comes into view at ``event[0]``."""
    ctx.events.append(event)
    sentence = _sentence_of(ctx, event[0])
    if sentence not in ctx.events_by_sentence:
        ctx.events_by_sentence[sentence] = []
        insort(ctx.event_sentences, sentence)
    ctx.events_by_sentence[sentence].append(event)


def mentions_within(ctx: _Context, lo: int, hi: int) -> list[Mention]:
    """Mentions that lie in [lo, hi), in text order."""
    i, j = bisect_left(ctx.mention_starts, lo), bisect_right(ctx.mention_starts, hi)
    return [m for m in ctx.mentions[i:j] if m.end <= hi]


def _outside_quotes(ctx: _Context, kinds: tuple[str, ...], word: str | None) -> list[Mention]:
    def compute() -> list[Mention]:
        return [
            m for m in ctx.mentions
            if m.type in kinds and not _inside_quote(ctx, m)
            and (word is None or word in m.name.lower().split())
        ]  # fmt: skip

    return once(ctx, ("outside", kinds, word), compute)


def last_before(
    ctx: _Context, kinds: tuple[str, ...], at: int, word: str | None = None
) -> Mention | None:
    """The last mention of these types outside quotes that ends by ``at`` (with ``word`` in
    its name, if given)."""
    found = _outside_quotes(ctx, kinds, word)
    starts = once(ctx, ("starts", kinds, word), lambda: [m.start for m in found])
    i = bisect_left(starts, at) - 1
    while i >= 0 and found[i].end > at:  # one that straddles ``at``
        i -= 1
    return found[i] if i >= 0 else None


def all_outside_quotes(ctx: _Context, kinds: tuple[str, ...]) -> list[Mention]:
    """Every mention of these types outside quotes, in text order."""
    return _outside_quotes(ctx, kinds, None)


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
