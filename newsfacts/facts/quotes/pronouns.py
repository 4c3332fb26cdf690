"""Speakers referred back to rather than named: "she said", "it added", "the chief stressed".

They resolve to a person already in view, the latest sentence first and its speaker or
subject before people it only mentions; gender comes from the reference or Mr/Ms, and a
title fits "the chief" to the person holding it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from itertools import islice

from newsfacts.facts.entities.regex_parts import word_set
from newsfacts.facts.quotes.context import (
    Event,
    Speaker,
    _after_preposition,
    _Context,
    _inside_quote,
    _sentence_of,
    add_event,
    last_before,
)
from newsfacts.facts.quotes.parsed import recent_body, recent_person

_MALE = word_set("Mr mr brother son father husband uncle boyfriend grandfather king prince actor")
_FEMALE = word_set(
    "Mrs Ms Miss sister daughter mother wife aunt girlfriend grandmother queen princess actress"
)


def gender_cue(text: str, start: int) -> str | None:
    """ "m" or "f" from the word right before a name: Mr/Ms, "her brother Tom", "his wife
    Kimberly". Gender is never guessed from first names."""
    before = text[max(0, start - 14) : start].replace(".", " ").split()
    word = before[-1] if before else ""
    return "m" if word in _MALE else "f" if word in _FEMALE else None


def _people_in_view(ctx: _Context) -> None:
    """Seed pronoun resolution with every person named outside quotes, and their gender."""
    for m in ctx.mentions:
        if m.type != "person" or _inside_quote(ctx, m):
            continue
        lo = ctx.sentences[_sentence_of(ctx, m.start)]
        possessive = ctx.text[m.end : m.end + 2] in ("’s", "'s")
        rank = 3 if possessive else 2 if _after_preposition(ctx, lo, m.start) else 1
        add_event(ctx, (m.start, rank, m.entity_id, m.name))
        known = ctx.index.entities.get(m.entity_id)
        cue = gender_cue(ctx.text, m.start)
        if known and known.gender:
            ctx.gender[m.entity_id] = known.gender
        elif cue:
            ctx.gender[m.entity_id] = cue


def _recent_people(ctx: _Context, pos: int) -> Iterator[tuple[str | None, str]]:
    """Antecedents for a pronoun at ``pos``: latest sentence first and, within a sentence,
    its speaker or subject before people it mentions in passing ("harm to Omar"). Read
    sentence by sentence back from ``pos``, as far as the caller needs."""
    seen: set[str] = set()
    here = _sentence_of(ctx, pos)
    # Within the last three sentences a speaker or subject comes before anyone named only as
    # an owner ("He then referred to Cooke’s testimony. … he concluded"): those come last.
    passing: list[Event] = []
    keys = ctx.event_sentences
    for k in range(bisect_right(keys, here) - 1, -1, -1):
        sentence = keys[k]
        events = [e for e in ctx.events_by_sentence[sentence] if e[0] < pos]
        for e in sorted(events, key=lambda e: (e[1], e[0])):
            if e[1] == 3 and here - sentence <= 3:
                passing.append(e)
            elif (key := e[2] or f"~{e[3]}") not in seen:
                seen.add(key)
                yield e[2], e[3]
    for e in passing:
        if (key := e[2] or f"~{e[3]}") not in seen:
            seen.add(key)
            yield e[2], e[3]


def _resolve_pronoun(ctx: _Context, pronoun: str, pos: int) -> Speaker:
    pronoun = pronoun.lower()
    if pronoun == "it":
        org = last_before(ctx, ("organisation",), pos)
        if org is not None:
            return org.entity_id, org.name, "pronoun"
        return recent_body(ctx, pos) or (None, None, "pronoun")
    if pronoun == "they":  # a body speaking as "they" only when it issued a statement
        clause = ctx.masked[pos : pos + 60]
        if re.match(r"\s*\w*\s*said in (?:a|an|the|their) (?:statement|post|release)", clause):
            return recent_body(ctx, pos) or (None, None, "pronoun")
        return None, None, "pronoun"
    # Gender comes from the reference and from Mr/Ms only: learning it from earlier pronouns
    # turned one wrong guess into a run of them.
    wanted = "m" if pronoun == "he" else "f"
    for eid, name in _recent_people(ctx, pos):
        if ctx.gender.get(eid or f"~{name}", wanted) == wanted:
            return eid, name, "pronoun"
    # Nobody the rules know is in view: ask the model who was named just before.
    found = recent_person(ctx, pos, wanted, gender_cue)
    return found or (None, None, "pronoun")


def _resolve_description(ctx: _Context, match: re.Match[str], pos: int) -> Speaker:
    """For "The Commission chief stressed": the recent person whose title fits, else an
    unnamed source described in words."""
    desc = " ".join(match.group("desc").split())
    if (match.group("det") or "").lower() == "the":
        words = desc.lower().split()[1:]
        best: tuple[int, str | None, str] | None = None
        for eid, name in islice(_recent_people(ctx, pos), 6):
            known = ctx.index.entities.get(eid) if eid else None
            titles = known.titles if known else ()
            phrase = " ".join(words)
            score = 2 if phrase in titles else int(any(words[-1] in t.split() for t in titles))
            if score and (best is None or score > best[0]):
                best = (score, eid, name)
        if best:
            return best[1], best[2], "pronoun"
        recent = next(_recent_people(ctx, pos), None)
        if match.group("head").endswith("year-old") and recent:  # "The 56-year-old said"
            return recent[0], recent[1], "pronoun"
    return None, desc, "explicit"
