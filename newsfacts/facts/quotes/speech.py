"""Whether a quotation is speech at all, and whether it is a whole sentence of it.

Terms and scare quotes ("so-called “coalition of the willing”"), titles of works and quotes
in headline-like lines get no speaker, so they are never counted as someone's words; a
fragment woven into the writer's sentence is marked partial.
"""

from __future__ import annotations

import re

from newsfacts.facts.entities.regex_parts import word_set
from newsfacts.facts.quotes.context import _Context
from newsfacts.facts.quotes.quotations import Quotation
from newsfacts.facts.quotes.reporting_verbs import _VERBS

_TERM_BEFORE = re.compile(r"(?:so-called|dubbed|known as|nicknamed|termed)\s*$", re.I)
_SENTENCE_PUNCT_END = re.compile(r"[.!?…][”\"’)\]]*$")
_SMALL_WORDS = word_set("of the a an and in on at for to de la du von van")


def _is_partial(ctx: _Context, q: Quotation, para_start: int) -> bool:
    """A fragment woven into the writer's sentence, as opposed to a sentence of speech."""
    first = ctx.text[q.parts[0][0] : q.parts[0][1]]
    lead = next((c for c in first if c.isalnum()), "")
    if not (lead.isupper() or lead.isdigit()):
        return True
    before = ctx.masked[para_start : q.open_at].rstrip()
    if not before or before[-1] in ".!?…:,;—–-([":
        return False
    if before[-1] in '”"’' and before[-2:-1] in (".", "!", "?", "…"):
        return False
    verbs = list(_VERBS.finditer(before, max(0, len(before) - 24)))
    return not (verbs and verbs[-1].end() == len(before))  # said “We …


def _title_like(quoted: str, partial: bool) -> bool:
    """“The Crown”, “Mrs Maisel”: names of works or things, not speech."""
    words = re.findall(r"[^\W_][\w’'-]*", quoted)
    return (
        0 < len(words) <= 8
        and (partial or len(words) > 1)
        and words[0][0].isupper()
        and all(w[0].isupper() or w[0].isdigit() or w in _SMALL_WORDS for w in words)
    )


def _one_capitalised_word(ctx: _Context, q: Quotation, quoted: str) -> bool:
    """“Parasite,” the Korean satire, … — one capitalised word is a name, unless a reporting
    verb follows at once (“Absolutely,” she said)."""
    words = re.findall(r"[^\W_][\w’'-]*", quoted)
    if len(words) != 1 or not words[0][0].isupper():
        return False
    after = ctx.masked[q.close_end : q.close_end + 40]
    verb = _VERBS.search(after)
    return not (verb and len(after[: verb.start()].split()) <= 2)


def _not_speech(ctx: _Context, q: Quotation, partial: bool, para: tuple[int, int]) -> str | None:
    """Why a quotation is nobody's speech: a term, a title of a work, a headline-like line
    (no closing punctuation); None when it may be speech."""
    quoted = " ".join(ctx.text[s:e] for s, e in q.parts)
    if _TERM_BEFORE.search(ctx.masked[para[0] : q.open_at]):
        return "term"
    if _title_like(quoted, partial) or _one_capitalised_word(ctx, q, quoted):
        return "title"
    if _headline_like(ctx.text[para[0] : para[1]]):
        return "headline"
    return None


_SENTENCE_INSIDE = re.compile(r"[.!?…][”\"’)\]]*\s+[“\"‘(]?[A-Z0-9]")


def _headline_like(paragraph: str) -> bool:
    """A short line with no sentence in it: a headline or a caption restating the body. A
    paragraph of sentences that happens to end in an address, a link or a page's trailing
    markup is prose, and its quotes are speech."""
    line = paragraph.strip()
    if _SENTENCE_PUNCT_END.search(line):
        return False
    return len(line.split()) <= 30 and not _SENTENCE_INSIDE.search(line)
