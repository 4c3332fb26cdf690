"""What the trained model says a name is (PERSON, ORG, GPE…), asked only for names the
reference and the article's own cues leave open, and only on the sentence that holds them."""

from __future__ import annotations

from newsfacts.facts.entities.sentences import sentence_starts
from newsfacts.runtime.nlp import english


def _sentence(text: str, at: int) -> tuple[int, int]:
    starts = sentence_starts(text[max(0, at - 600) : at + 600])
    base = max(0, at - 600)
    lo = max((base + s for s in starts if base + s <= at), default=base)
    hi = min((base + s for s in starts if base + s > at), default=min(len(text), at + 600))
    return lo, hi


def entity_label(text: str, name: str, at: int) -> str | None:
    """The model's label for ``name`` where it is printed near ``at``; None when the model is
    not installed or does not take the words for an entity."""
    nlp = english()
    if nlp is None:
        return None
    lo, hi = _sentence(text, at)
    where = text.find(name, lo, hi)
    if where < 0:
        where = text.rfind(name, 0, at + 400)
        if where < 0:
            return None
        lo, hi = _sentence(text, where)
    doc = nlp(text[lo:hi])
    start, end = where - lo, where - lo + len(name)
    for ent in doc.ents:
        if ent.start_char < end and start < ent.end_char:
            return ent.label_
    return None
