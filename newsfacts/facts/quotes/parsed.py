"""The trained model's reading of a sentence, for what the rules leave open.

Rules attribute most quotes from the words next to them; the parse is asked only when they
find no speaker, or a pronoun with nobody in view, or a name they cannot type. It reads the
quote's sentence (and the one after it): the subject of the verb that governs the quotation,
whatever the verb ("concluded", "mused", "writes in a commentary"), and the people the model
finds in the sentences before a pronoun. Each call marks the context, so the share of quotes
that needed the model is measured, not guessed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING

from newsfacts.facts.entities.mentions import Mention
from newsfacts.facts.entities.person_names import PERSON_NOUNS
from newsfacts.facts.entities.reference import provisional_id
from newsfacts.facts.entities.sentences import sentence_starts
from newsfacts.facts.quotes.context import MASK, Speaker, _Context, mentions_within, once
from newsfacts.facts.quotes.quotations import Quotation
from newsfacts.facts.quotes.reporting_verbs import _VERBS
from newsfacts.runtime.nlp import english

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_SUBJECTS = ("nsubj", "nsubjpass")
# A subject the model finds is taken only if it can speak: a name, a pronoun, or a phrase
# headed by a person or a body ("the lack of data said" is a parse, not a speaker).
_SPEAKING_NOUN = re.compile(
    rf"^(?:{PERSON_NOUNS}|company|firm|agency|ministry|department|government|police|group|"
    r"statement|report|study|spokespeople|board|council|committee|union|court)$",
    re.IGNORECASE,
)
_PRONOUNS = {
    "he": "he",
    "she": "she",
    "they": "they",
    "it": "it",
    "we": None,
    "i": None,
    "you": None,
    "one": None,
}
_WINDOW = 600


def _parse(ctx: _Context, lo: int, hi: int, entities: bool = True) -> Doc | None:
    """The model's doc of ``text[lo:hi]``; without ``entities`` only the parser runs (the
    recogniser has its own embedding layer and costs as much again)."""
    nlp = english()
    if nlp is None or hi <= lo:
        return None
    key = (lo, hi, entities)
    if key not in ctx.parses and (lo, hi, True) in ctx.parses:
        key = (lo, hi, True)
    if key not in ctx.parses:
        doc = nlp.make_doc(ctx.text[lo:hi])
        for name, component in nlp.pipeline:
            if entities or name != "ner":
                doc = component(doc)
        ctx.parses[key] = doc
    ctx.model_used = True
    return ctx.parses[key]


def _sentence_bounds(ctx: _Context, at: int) -> tuple[int, int]:
    """The sentence of the clean text (not the masked one: a parse needs the quote's own
    sentence ends) that holds ``at``; its starts are found once per article."""
    if ctx.text_sentences is None:
        ctx.text_sentences = sentence_starts(ctx.text)
    starts = ctx.text_sentences
    i = bisect_right(starts, at)
    lo = max(starts[i - 1] if i else 0, at - _WINDOW)
    hi = min(starts[i] if i < len(starts) else len(ctx.text), at + _WINDOW)
    return lo, hi


def entity_label(ctx: _Context, name: str, at: int) -> str | None:
    """The model's label for ``name`` where it is printed near ``at`` (PERSON, ORG, GPE…)."""
    lo, hi = _sentence_bounds(ctx, at)
    where = ctx.text.find(name, lo, hi)
    if where < 0:
        where = ctx.text.rfind(name, 0, at + 400)
        if where < 0:
            return None
        lo, hi = _sentence_bounds(ctx, where)
    doc = _parse(ctx, lo, hi)
    if doc is None:
        return None
    start, end = where - lo, where - lo + len(name)
    return next((e.label_ for e in doc.ents if e.start_char < end and start < e.end_char), None)


def _quoted(ctx: _Context, lo: int, token: Token) -> bool:
    at = lo + token.idx
    return at < len(ctx.masked) and ctx.masked[at] == MASK


def _name_of(ctx: _Context, lo: int, subject: Token, doc: Doc) -> Speaker | None:
    """The speaker a subject token stands for: a mention, an entity the model found, the words
    of the subject's phrase ("the head of the agency"), or a pronoun left for the caller
    (``(None, "she", "pronoun")``)."""
    word = subject.text.lower()
    if word in _PRONOUNS:  # resolved by the caller, against the people in view
        pronoun = _PRONOUNS[word]
        return (None, pronoun, "pronoun") if pronoun else None
    span = doc[subject.left_edge.i : subject.i + 1]
    s, e = lo + span.start_char, lo + span.end_char
    inside = mentions_within(ctx, s, e)
    if inside:
        best = next((m for m in reversed(inside) if m.type == "person"), inside[-1])
        return best.entity_id, best.name, "explicit"
    words = span.text.split()
    if subject.text[:1].isupper():  # a name: the capitalised run that ends in the subject
        run = [subject]
        while run[0].i > span.start and (doc[run[0].i - 1].text[:1].isupper()):
            run.insert(0, doc[run[0].i - 1])
        return None, " ".join(t.text for t in run), "explicit"  # typed by the resolver
    if 0 < len(words) <= 6 and _SPEAKING_NOUN.search(subject.text):
        return None, span.text, "explicit"  # "the agency's director", "a spokesperson"
    return None


def _governing_verb(ctx: _Context, lo: int, doc: Doc, q: Quotation) -> Token | None:
    """The reporting verb outside the quote that the quoted words hang from (ccomp,
    parataxis…) and that has a subject of its own outside the quote; the parse finds it
    where the rules' word order does not ("the 'Pose' actor previously said on …")."""
    qs, qe = q.open_at - lo, q.close_end - lo
    for token in doc:
        if _quoted(ctx, lo, token) or qs <= token.idx < qe:
            continue
        if not _VERBS.fullmatch(token.text):  # "it hits you — “Oh, …”" is not a report of speech
            continue
        if not any(c.dep_ in _SUBJECTS and not _quoted(ctx, lo, c) for c in token.children):
            continue
        if any(qs <= c.idx < qe for c in token.subtree if c.i != token.i):
            return token
    return None


def parsed_speaker(ctx: _Context, q: Quotation) -> Speaker | None:
    """Who the parse says is speaking: the subject of the verb governing the quotation."""
    lo, _ = _sentence_bounds(ctx, q.open_at)
    # The sentence that holds the quote's end, or the one right after a quote ending in ? or !
    # ("“…?” Holmes testified."), but never past the paragraph.
    _, hi = _sentence_bounds(ctx, max(q.open_at, q.close_end))
    para_end = ctx.text.find("\n", q.close_end)
    hi = min(hi, para_end if para_end >= 0 else len(ctx.text))
    doc = _parse(ctx, lo, hi, entities=False)  # an unknown name is typed later, if at all
    if doc is None:
        return None
    verb = _governing_verb(ctx, lo, doc, q)
    if verb is None:
        return None
    subject = next(
        (c for c in verb.children if c.dep_ in _SUBJECTS and not _quoted(ctx, lo, c)), None
    )
    return _name_of(ctx, lo, subject, doc) if subject is not None else None


def recent_person(
    ctx: _Context,
    at: int,
    wanted: str | None = None,
    cue: Callable[[str, int], str | None] | None = None,
) -> Speaker | None:
    """A pronoun with nobody in view: the person the model finds last in the two sentences
    before it, the subject of a sentence before anyone it only mentions."""
    lo, _ = _sentence_bounds(ctx, max(0, at - 1))
    prev_lo, _ = _sentence_bounds(ctx, max(0, lo - 2))
    doc: Span | Doc | None = _parse(ctx, prev_lo, at)
    if doc is None:
        return None
    people = [e for e in doc.ents if e.label_ == "PERSON" and not _quoted(ctx, prev_lo, e.root)]
    if wanted and cue:  # "her brother Tom" is no "she"
        people = [e for e in people if cue(ctx.text, prev_lo + e.start_char) in (None, wanted)]
        fitting = [e for e in people if cue(ctx.text, prev_lo + e.start_char) == wanted]
        people = fitting or people
    if not people:
        return None
    subjects = [e for e in people if e.root.dep_ in _SUBJECTS]
    chosen = (subjects or people)[-1]
    return None, chosen.text, "pronoun"


def recent_body(ctx: _Context, at: int) -> Speaker | None:
    """ "The statement said", "it added", "the spokesperson said" with no body the rules know:
    the organisation the model finds speaking (or named) in the two sentences before."""
    lo, _ = _sentence_bounds(ctx, max(0, at - 1))
    prev_lo, _ = _sentence_bounds(ctx, max(0, lo - 2))
    doc = _parse(ctx, prev_lo, at)
    if doc is None:
        return None
    found: str | None = None
    for token in doc:
        if token.dep_ not in _SUBJECTS or _quoted(ctx, prev_lo, token):
            continue
        if not _VERBS.fullmatch(token.head.text):
            continue
        phrase = doc[token.left_edge.i : token.i + 1]
        labels = {e.label_ for e in doc.ents if phrase.start <= e.start and e.end <= phrase.end}
        if "PERSON" in labels or token.text.lower() in _PRONOUNS:
            continue
        if labels & {"ORG", "GPE", "NORP"} or token.text[:1].isupper():
            words = phrase.text.split()
            found = " ".join(words[1:] if words[0].lower() in ("the", "a", "an") else words)
    if found is None:  # a body named as a subject, else the first named ("told NBC News"
        # names the listener, not the body the spokesperson speaks for)
        orgs = [e for e in doc.ents if e.label_ == "ORG" and not _quoted(ctx, prev_lo, e.root)]
        subjects = [e for e in orgs if e.root.dep_ in _SUBJECTS]
        found = subjects[-1].text if subjects else (orgs[0].text if orgs else None)
    if not found:
        return None
    known = _last_by_name(ctx).get(found)
    if known:
        return known.entity_id, known.name, "pronoun"
    return provisional_id(found, "organisation"), found, "pronoun"


def _last_by_name(ctx: _Context) -> dict[str, Mention]:
    """The last mention of each name, and of each surface form, the article prints."""

    def compute() -> dict[str, Mention]:
        last: dict[str, Mention] = {}
        for m in ctx.mentions:
            last[m.name] = last[m.surface] = m
        return last

    return once(ctx, ("last by name",), compute)
