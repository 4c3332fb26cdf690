"""Mentions: every place an article names an entity, pinned to its id.

Reference aliases are matched first, then people the reference lacks (when the article's
language lets the English cues be trusted), then bare surnames of people already named, so
each stretch of text belongs to at most one entity.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

import polars as pl

from newsfacts.facts.entities.occurrences import Taken, whole_word_starts
from newsfacts.facts.entities.person_names import _person_candidates, surname
from newsfacts.facts.entities.reference import EntityIndex, provisional_id
from newsfacts.facts.entities.sentences import sentence_starts

MENTIONS_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.String(),
    "entity_id": pl.String(),
    "entity_name": pl.String(),
    "entity_type": pl.String(),
    "surface": pl.String(),
    "start": pl.Int64(),
    "end": pl.Int64(),
    "sentence_index": pl.Int64(),
    "resolved": pl.Boolean(),
}


@dataclass(frozen=True)
class Mention:
    entity_id: str
    name: str
    type: str
    surface: str
    start: int
    end: int
    sentence_index: int
    resolved: bool


_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|to|from|into|near|outside|around|across|via|through|towards?|of|for|"
    r"visit|visits|visited|visiting)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


Hit = tuple[int, int, str, str, str, bool]  # start, end, entity_id, name, type, resolved


def _reference_hits(text: str, index: EntityIndex) -> list[Hit]:
    hits: list[Hit] = []
    ambiguous: list[tuple[int, int, tuple[str, ...]]] = []
    for m in index.pattern.finditer(text):
        ids = index.surface_to_ids[m.group()]
        if len(ids) > 1:
            ambiguous.append((m.start(), m.end(), ids))
            continue
        entity = index.entities[ids[0]]
        before = text[max(0, m.start() - 20) : m.start()]
        if entity.stands_for and not _LOCATIVE_BEFORE.search(before):
            entity = index.entities[entity.stands_for]
        hits.append((m.start(), m.end(), entity.entity_id, entity.name, entity.type, True))
    seen = {h[2] for h in hits}
    for start, end, ids in ambiguous:  # a shared alias means whoever the article named in full
        known = [i for i in ids if i in seen]
        if len(known) == 1:
            e = index.entities[known[0]]
            hits.append((start, end, e.entity_id, e.name, e.type, True))
    return hits


def _provisional_ids(full_names: list[str]) -> dict[str, str]:
    """Full name -> provisional id; "Pat Carlineo" and "Patrick W. Carlineo" in one article
    are one person, so their bare surname stays usable."""
    ids: dict[str, str] = {}
    people: dict[str, list[tuple[str, str]]] = {}  # surname -> (first name, id), in order
    for name in full_names:
        if name in ids:
            continue
        first, last = name.split()[0], surname(name)
        namesakes = people.setdefault(last, [])
        same = [pid for f, pid in namesakes if f.startswith(first) or first.startswith(f)]
        ids[name] = same[0] if same else provisional_id(name)
        if not same:
            namesakes.append((first, ids[name]))
    return ids


def _provisional_hits(text: str, index: EntityIndex, hits: list[Hit]) -> list[Hit]:
    """People the reference does not know: full names define ids, bare surnames join them."""
    taken = Taken(len(text), ((h[0], h[1]) for h in hits))
    seen = {h[2] for h in hits}
    candidates = sorted(
        (c for c in _person_candidates(text) if not taken.overlaps(c[0], c[1])),
        key=lambda c: (c[0], -c[1]),
    )
    full_names = _provisional_ids([c[2] for c in candidates if " " in c[2]])
    by_surname: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for name, pid in full_names.items():
        by_surname.setdefault(surname(name), set()).add(pid)
        names.setdefault(pid, name)
    out: list[Hit] = []
    for start, end, name in candidates:
        if taken.overlaps(start, end):
            continue
        taken.add(start, end)
        # A first name alone ("President Vladimir) Putin") is the named person, not a new one.
        owners = [i for i in seen if index.entities[i].name.startswith(name + " ")]
        if len(owners) == 1:
            e = index.entities[owners[0]]
            out.append((start, end, e.entity_id, e.name, e.type, True))
            continue
        pids = by_surname.get(name, set())
        pid = next(iter(pids)) if len(pids) == 1 else full_names.get(name, provisional_id(name))
        names.setdefault(pid, name)
        out.append((start, end, pid, names[pid], "person", False))
    return out


def _surname_hits(text: str, index: EntityIndex, hits: list[Hit]) -> list[Hit]:
    """Bare surnames (and repeated full names) of people already named in this article."""
    dynamic: dict[str, set[str]] = {}
    for _, _, eid, name, etype, _ in hits:
        if etype == "person":
            for form in {name, surname(name)}:
                if form not in index.surface_to_ids:
                    dynamic.setdefault(form, set()).add(eid)
    usable = {form: ids.pop() for form, ids in dynamic.items() if len(ids) == 1}
    if not usable:
        return []
    taken = Taken(len(text), ((h[0], h[1]) for h in hits))
    lookup = {h[2]: h for h in hits}
    out: list[Hit] = []
    # Not a regex: the forms differ per article, and compiling a fresh pattern for each of
    # 50k articles would cost more than the search.
    forms = sorted(usable, key=len, reverse=True)
    printed = whole_word_starts(text, forms)
    for form in forms:
        for at in printed[form]:
            end = at + len(form)
            if not taken.overlaps(at, end):
                _, _, eid, name, etype, resolved = lookup[usable[form]]
                out.append((at, end, eid, name, etype, resolved))
                taken.add(at, end)
    return out


def find_mentions(text: str, index: EntityIndex, provisional: bool = True) -> list[Mention]:
    """Mentions in text order. ``provisional=False`` keeps to the reference: the cues for
    unknown people (titles, speech verbs, capitalised names) are English ones, and in German,
    where every noun is capitalised, they would find people everywhere."""
    hits = _reference_hits(text, index)
    if provisional:
        hits += _provisional_hits(text, index, hits)
    hits += _surname_hits(text, index, hits)
    starts = sentence_starts(text)
    return [
        Mention(eid, name, etype, text[s:e], s, e, bisect_right(starts, s) - 1, resolved)
        for s, e, eid, name, etype, resolved in sorted(hits)
    ]


def mentions_frame(articles: pl.DataFrame, index: EntityIndex) -> pl.DataFrame:
    """Mentions of every article; an optional ``language`` column limits the search for
    unknown people to English (or undetected) articles, see ``find_mentions``."""
    language = articles["language"] if "language" in articles.columns else None
    langs = language.to_list() if language is not None else [None] * articles.height
    rows = [
        (article_id, m.entity_id, m.name, m.type, m.surface, m.start, m.end,
         m.sentence_index, m.resolved)
        for (article_id, text), lang in zip(
            articles.select("article_id", "text").iter_rows(), langs, strict=True
        )
        for m in find_mentions(text or "", index, provisional=lang in (None, "en"))
    ]  # fmt: skip
    return pl.DataFrame(rows, schema=MENTIONS_SCHEMA, orient="row")
