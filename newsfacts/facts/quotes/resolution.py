"""From the words that name a speaker to an entity: "the company", "the senator", "Roe",
"a spokesperson for Acme" and names the reference lacks.

Attribution finds the words; this module decides whom they stand for, from the article
itself: a role or a body refers back to the person or organisation the article introduced
with it ("Sen. John Doe" … "the senator"; "Acme Corp" … "the company"), a bare surname to the
full name printed earlier, and a name nobody knows gets a provisional id that is the same in
every article (``nf:person:…`` or ``nf:org:…``), typed by the trained model when the words
alone cannot tell a person from a body.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from newsfacts.facts.entities.mentions import Mention
from newsfacts.facts.entities.person_names import (
    _ORG_TOKENS,
    _STOP_TOKENS,
    _TITLE_TOKENS,
    PERSON_NOUNS,
)
from newsfacts.facts.entities.reference import provisional_id
from newsfacts.facts.entities.regex_parts import UPPERCASE, word_set
from newsfacts.facts.quotes.context import (
    Speaker,
    _Context,
    all_outside_quotes,
    last_before,
    mentions_within,
    once,
)
from newsfacts.facts.quotes.parsed import entity_label, recent_body
from newsfacts.facts.quotes.pronouns import _recent_people

_HONORIFICS = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sen|Senator|Rep|Gov|Governor|Lt|Gen|Col|"
    r"Capt|Sgt|Rev|Fr|Sir|Dame|Lord|Lady|Judge|Justice)\.?\s+)+"
)
# Bodies that speak: "the company said", "the ministry said in a statement".
_BODY_NOUNS = word_set(
    "company firm group agency ministry department government bank police club team "
    "university school hospital organisation organization association union council "
    "committee commission court office authority board party campaign network studio "
    "brand retailer airline carrier manufacturer maker developer startup statement report "
    "study survey letter lawsuit complaint filing spokesperson spokesman spokeswoman "
    "representative representatives spokespeople"
)
_STATEMENT_NOUNS = word_set(
    "statement report study survey letter lawsuit complaint filing release post blog"
)
_SPOKES = word_set("spokesperson spokesman spokeswoman spokespeople representative")
_DETERMINERS = word_set("the a an its their his her this that one")
_PROPER = re.compile(
    rf"[{UPPERCASE}][\w’'&.-]*(?:\s+(?:of\s+|for\s+|and\s+|&\s+)?[{UPPERCASE}][\w’'&.-]*)*"
)
# Capitalised at a sentence start but not names: describe a speaker, never identify one.
_COMMON_WORDS = re.compile(
    rf"^(?:{PERSON_NOUNS}|those|these|some|many|most|all|both|each|few|several|others?|"
    r"everyone|everybody|nobody|someone|somebody)$"
)
_BODY_CUE = re.compile(r"\b(?:statement|spokes\w+|announced|press release|in a post)\b")
_ACRONYM = re.compile(rf"^[{UPPERCASE}][{UPPERCASE}&.]+s?$")


# Title words that name a role on their own ("chief of staff" gives "chief", not "of").
_ROLE_WORDS = _TITLE_TOKENS - word_set("of the state staff high general vice deputy")


def _after_titles(name: str) -> str:
    """ "Acme CEO Jane Roe", "Interior Minister Wolfgang Peschorn": the name after the role."""
    words = name.split()
    cut = max((i for i, w in enumerate(words[:-1]) if w.lower().strip(".,") in _ROLE_WORDS),
              default=-1)  # fmt: skip
    rest = words[cut + 1 :]
    return " ".join(rest) if cut >= 0 and len(rest) >= 2 and rest[0][:1].isupper() else name


def _before_affiliation(name: str) -> str:
    """ "Robin Biesbroek of the CDF": the person, not their affiliation ("Bank of America"
    and "University of Oslo" are names of their own)."""
    parts = re.split(r" (?:of|at|from) ", name, maxsplit=1)
    words = parts[0].split()
    if len(parts) == 2 and len(words) >= 2 and all(w[:1].isupper() for w in words):
        return name if _ORG_TOKENS & set(words) else parts[0]
    return name


def strip_honorifics(name: str) -> str:
    """ "Dr. Jane Roe" is Jane Roe: an honorific is not part of the person's name."""
    stripped = _HONORIFICS.sub("", name).strip()
    return stripped or name


def _body(ctx: _Context, noun: str, at: int) -> Speaker | None:
    """ "The company", "the statement": the organisation last named before, preferring one
    whose own name holds the noun ("the ministry" → "Ministry of Health")."""
    last = last_before(ctx, ("organisation", "group"), at)
    if last is None:
        named = [n for n in _PROPER.findall(ctx.masked[max(0, at - 1500) : at])
                 if _ORG_TOKENS & set(n.split())]  # fmt: skip
        if not named:
            return None
        return provisional_id(named[-1], "organisation"), named[-1], "pronoun"
    best = last_before(ctx, ("organisation", "group"), at, noun) or last
    return best.entity_id, best.name, "pronoun"


def _some_body(ctx: _Context, at: int) -> Speaker | None:
    """The body a statement or an unnamed spokesperson speaks for: one the model finds
    speaking just before, else the organisation last named."""
    return recent_body(ctx, at) or _body(ctx, "", at)


def _role(ctx: _Context, words: list[str], at: int) -> Speaker | None:
    """ "The senator", "the CEO of Acme": the person last introduced with that role, read from
    the words printed right before or after the name ("Sen. John Doe", "Jane Roe, a farmer")."""
    cut = next((i for i, w in enumerate(words) if w in ("of", "for", "at", "from")), len(words))
    role_words = [w for w in words[:cut] if w.lower() not in _DETERMINERS]
    if not role_words or _plural(role_words[-1]):  # "the physicians": a group, no one person
        return None
    head = role_words[-1]
    stems = {head.lower(), head.lower().rstrip("s"), head.lower()[:3]}
    people = all_outside_quotes(ctx, ("person",))
    introduced = once(ctx, ("introduced with",), lambda: _words_around(ctx, people))
    keys = [head.lower()] + ([("abbreviation", stem) for stem in stems] if len(head) > 3 else [])
    latest = [_last_ending_by(people, introduced.get(key, []), at) for key in keys]
    found = max((i for i in latest if i is not None), default=None)
    return (people[found].entity_id, people[found].name, "pronoun") if found is not None else None


def _last_ending_by(people: list[Mention], indices: list[int], at: int) -> int | None:
    k = bisect_left(indices, at, key=lambda i: people[i].start) - 1
    while k >= 0 and people[indices[k]].end > at:
        k -= 1
    return indices[k] if k >= 0 else None


def _words_around(ctx: _Context, people: list[Mention]) -> dict[object, list[int]]:
    """Each word printed right before or after a person's name (and each short one's first
    three letters, for "Sen." or "Gov."), with the people it stands next to."""
    out: dict[object, list[int]] = {}
    for i, m in enumerate(people):
        near = ctx.text[max(0, m.start - 40) : m.start] + " " + ctx.text[m.end : m.end + 60]
        near_words = {w.lower().rstrip(".,") for w in near.split()}
        for key in near_words | {("abbreviation", w[:3]) for w in near_words if len(w) <= 4}:
            out.setdefault(key, []).append(i)
    return out


def _organisation_in(ctx: _Context, phrase: str, at: int) -> Speaker | None:
    """ "A spokesperson for Acme", "a Microsoft spokesperson": the body they speak for."""
    lo = ctx.masked.rfind(phrase, max(0, at - 400), at + 400)
    if lo >= 0:
        inside = mentions_within(ctx, lo, lo + len(phrase))
        orgs = [m for m in inside if m.type in ("organisation", "group", "place")]
        if orgs:
            return orgs[-1].entity_id, orgs[-1].name, "explicit"
    names = [n for n in _PROPER.findall(phrase) if n.lower() not in _DETERMINERS]
    if names:
        return provisional_id(names[-1], "organisation"), names[-1], "explicit"
    return None


def _full_name(ctx: _Context, name: str) -> Speaker | None:
    """A name used alone ("Roe", "Hadvar") refers to the person printed in full before it."""
    return once(ctx, ("full name", name), lambda: _full_name_of(ctx, name))


def _full_name_of(ctx: _Context, name: str) -> Speaker | None:
    people = all_outside_quotes(ctx, ("person",))
    for m in people:
        if m.name.endswith(" " + name) or m.name.split()[0] == name:
            return m.entity_id, m.name, "explicit"
    # "Hauser said" after "Trevor Houser": a misspelt surname of someone already named.
    near = [m for m in people if len(name) >= 5 and _one_letter_apart(m.name.split()[-1], name)]
    if len({m.entity_id for m in near}) == 1:
        return near[0].entity_id, near[0].name, "explicit"
    longer = re.search(
        rf"(?<![\w’'-])((?:[{UPPERCASE}][\w’'-]+\s+|[{UPPERCASE}]\.\s+){{1,3}}){re.escape(name)}"
        r"(?![\w’'-])",
        ctx.masked,
    )
    if longer and not _ORG_TOKENS & set(longer.group(0).split()):
        words = strip_honorifics(longer.group(0)).split()
        while words and (words[0] in _STOP_TOKENS or words[0].lower().rstrip(".") in _TITLE_TOKENS):
            words = words[1:]  # "While Buckley", "Deputy Smith": not part of the name
        full = " ".join(words)
        if full != name and len(words) > 1:
            return provisional_id(full), full, "explicit"
    return None


def _expanded(ctx: _Context, acronym: str) -> Speaker | None:
    """ "The DEA" after "the Drug Enforcement Administration (DEA)": the body spelt out."""
    return once(ctx, ("expanded", acronym), lambda: _expanded_of(ctx, acronym))


def _expanded_of(ctx: _Context, acronym: str) -> Speaker | None:
    spelt = re.search(
        rf"((?:[{UPPERCASE}][\w’'-]*\s+(?:(?:of|for|and|on|the)\s+)*)+[{UPPERCASE}][\w’'-]*)"
        rf"\s+\({re.escape(acronym)}\)",
        ctx.masked,
    )
    if not spelt:
        return None
    full = spelt.group(1)
    full = re.sub(r"^(?:The|the)\s+", "", full)
    known = [m for m in ctx.mentions if m.name == full or ctx.text[m.start : m.end] == full]
    if known:
        return known[0].entity_id, known[0].name, "explicit"
    return provisional_id(full, "organisation"), full, "explicit"


def _one_letter_apart(a: str, b: str) -> bool:
    if len(a) != len(b) or a[0] != b[0]:
        return False
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _unknown(ctx: _Context, name: str, at: int) -> Speaker:
    """A name the reference lacks: a provisional person or organisation."""
    words = name.split()
    label = entity_label(ctx, name, at)
    if len(words) == 1 and label not in (None, "PERSON"):
        # The small model often takes a bare surname for a body ("Steenburgen said"): one
        # word is a body only with a body's cue in its sentence ("said in a statement").
        lo = max(0, at - 300)
        label = label if _BODY_CUE.search(ctx.masked, lo, at + 300) else None
    if label == "PERSON":
        kind = "person"
    elif label in ("ORG", "NORP", "GPE", "FAC") or _ORG_TOKENS & set(words) or _ACRONYM.match(name):
        kind = "organisation"
    else:  # a capitalised name that speaks: far more often a person than a body
        kind = "person"
    return provisional_id(name, kind), name, "explicit"


def resolve_speaker(ctx: _Context, found: Speaker, at: int) -> Speaker:
    """The entity the attribution's words stand for; words that name nobody are kept as the
    speaker's name with no id (an anonymous official, "officers")."""
    eid, name, how = found
    if eid or not name:
        return found
    name = _before_affiliation(_after_titles(strip_honorifics(" ".join(name.split()))))
    words = name.split()
    lower = [w.lower() for w in words]
    if _COMMON_WORDS.match(lower[0]):  # "Researchers", "Those", "Some 370 million people"
        return None, name, how
    if words[0][0].isupper() and lower[0] not in _DETERMINERS:
        if _ACRONYM.match(name):
            return _expanded(ctx, name) or _unknown(ctx, name, at)
        if len(words) == 1:
            return _full_name(ctx, name) or _unknown(ctx, name, at)
        same = _first_named(ctx).get(name)
        return (same.entity_id, same.name, how) if same else _unknown(ctx, name, at)
    if _SPOKES & set(lower):
        return _organisation_in(ctx, name, at) or _some_body(ctx, at) or found
    if lower[0] == "the" and len(words) <= 5:
        if lower[-1] in _BODY_NOUNS:
            noun = lower[-1]
            if noun in _STATEMENT_NOUNS:
                return _some_body(ctx, at) or found
            return _body(ctx, noun, at) or found
        return _role(ctx, words[1:], at) or _latest_person(ctx, lower[-1], at) or found
    return found


def _first_named(ctx: _Context) -> dict[str, Mention]:
    """The first mention outside quotes of each name of a person or body."""

    def compute() -> dict[str, Mention]:
        first: dict[str, Mention] = {}
        for m in all_outside_quotes(ctx, ("person", "organisation", "group")):
            first.setdefault(m.name, m)
        return first

    return once(ctx, ("first named",), compute)


def _plural(noun: str) -> bool:
    return noun.lower().endswith(("s", "people")) and not noun.lower().endswith(("ss", "us"))


def _latest_person(ctx: _Context, noun: str, at: int) -> Speaker | None:
    """ "Said the actor" with no one introduced as an actor: the person last in view, as a
    reader takes it, if the noun names a person at all."""
    if not _COMMON_WORDS.match(noun) or _plural(noun):
        return None
    recent = next(_recent_people(ctx, at), None)
    return (recent[0], recent[1], "pronoun") if recent and recent[0] else None
