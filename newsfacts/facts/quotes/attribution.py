"""Who said a quotation, read from the quote's own sentence.

The reporting verb nearest the quote is found before or after it (between the pieces of a
split quotation first), then its speaker: the subject before the verb ("Miller added"), the
name after an inverted one ("said Kaja Kallas"), or a description of an unnamed source ("an
anonymous White House official"). Pronouns and "the chief" are handed to ``pronouns``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from newsfacts.facts.entities.mentions import Mention
from newsfacts.facts.entities.person_names import _STOP_TOKENS, PERSON_NOUNS
from newsfacts.facts.entities.regex_parts import UPPERCASE, word_set
from newsfacts.facts.quotes.context import (
    MASK,
    Speaker,
    _after_preposition,
    _Context,
    _inside_quote,
    mentions_within,
    once,
)
from newsfacts.facts.quotes.pronouns import _resolve_description, _resolve_pronoun
from newsfacts.facts.quotes.quotations import Quotation
from newsfacts.facts.quotes.reporting_verbs import _VERBS

# Words that may stand between a subject and its verb: "Moscow also said", "X on Friday said".
_FILLER = re.compile(
    r"(?:[\s,]+|(?:also|again|has|had|have|then|later|earlier|further|previously|repeatedly|"
    r"now|once|still|yesterday|today|on|in|a|an|statement|interview|last|this|week|month|year|"
    r"night|morning|[A-Z][a-z]+day)\b)*"
)
_PRONOUN_END = re.compile(
    r"(?<!\w)(?P<p>[Hh]e|[Ss]he|[Tt]hey|[Ii]t)(?:\s+(?:also|again|then|later|further|has|had|"
    r"have|would|will|previously|repeatedly|once|now|still|firmly))*[\s,]*$"
)
_DETERMINER = r"[Tt]he|[Aa]n?|[Oo]ne|[Aa]nother|[Tt]wo|[Tt]hree|[Ss]everal|[Ss]ome|[Mm]any"
_DESCRIPTION_BODY = (
    rf"(?:[\w’'.-]+\s+){{0,4}}?(?P<head>{PERSON_NOUNS})"
    rf"(?:\s+(?:for|of|at|from|with)\s+[^,;:“”\"\x00]{{1,80}}?)?)[\s,]*$"
)
# Tried in order: with a determiner the phrase starts there ("But a spokesperson for …"),
# without one it may be a bare noun phrase ("Officials said").
_DESCRIPTIONS = (
    re.compile(rf"(?P<desc>\b(?P<det>{_DETERMINER})\s+{_DESCRIPTION_BODY}"),
    re.compile(rf"(?P<desc>(?P<det>){_DESCRIPTION_BODY}"),
)


def _description(span: str) -> re.Match[str] | None:
    return _DESCRIPTIONS[0].search(span) or _DESCRIPTIONS[1].search(span)


# A speaker phrase after the verb ends at punctuation, but not at the dot of "U.S. Attorney".
_OBJECT_STOP = re.compile(
    r"[,;:!?“”\"]|(?<!\b[A-Z])(?<!\b(?:Mr|Ms|Dr|St|Lt|Jr|Sr))(?<!\b(?:Mrs|Sen|Rep|Gov|Gen|Col))"
    r"(?<!\bProf|\bCapt)\.(?=\s|$)|\s(?:who|as|after|before|while|when|in a)\s"
)
# Verbs that come before their subject ("said X"); "told X" names the listener instead.
_INVERTIBLE = word_set(
    "said says added adds asked wrote explained continued insisted replied noted recalled "
    "remembers remembered quipped joked warned"
)
_FUNCTION_WORDS = word_set(
    "at in on of for to from with by before after while when and but or then as that which "
    "who because since if though although it he she they we i you this these those there"
)
_DESCRIPTION_OPENING = re.compile(
    rf"^\s*(?P<desc>(?P<det>{_DETERMINER})\s+(?:[\w’'.-]+\s+){{0,4}}?(?P<head>{PERSON_NOUNS})"
    rf"(?:\s+(?:for|of|at|from|with)\s+[^,;:“”\"\x00]{{1,80}}?)?)(?=[\s,])"
)
_NAME_BEFORE_VERB = re.compile(
    rf"(?<![\w’'-])(?:[Tt]he )?(?P<name>[{UPPERCASE}][\w’'&.-]*"
    rf"(?: (?:of |for |and |the )?[{UPPERCASE}][\w’'&.-]*){{0,5}})"
    r"[\s,]*(?:(?:also|again|has|had|have|then|later|previously|on \w+day)\s+)*$"
)
_APPOSITIVE = re.compile(
    rf"(?:^|(?<=[\s\x00”\"]))(?P<name>[{UPPERCASE}][\w’'&.-]*(?: [{UPPERCASE}][\w’'&.-]*){{0,3}}),"
    r"\s+(?:an?|the|who|one|his|her|their)\s[^,;\x00]{2,100},\s*$"
)
_LEADING_APPOSITIVE = re.compile(
    rf"^\s*(?P<name>[{UPPERCASE}][\w’'.-]+(?: [{UPPERCASE}][\w’'.-]*){{1,3}}),"
    r"\s[^;\x00]{2,120},\s*$"
)
# A sentence that opens with a name and a verb is about that person: "Aderholt returned …".
_NAME_OPENING = re.compile(
    rf"^\s*(?P<name>[{UPPERCASE}][\w’'-]+(?: [{UPPERCASE}][\w’'-]+){{0,2}})\s+"
    r"(?:also\s+|then\s+|later\s+)?[a-z]+(?:ed|s)\b"
)
# “…” introduced by its reporting clause: "said in a statement, “…", "snapping, “…".
_INTRODUCED = re.compile(rf"(?:{_VERBS.pattern})[^.!?“”\"\x00]{{0,40}}[,:]\s*$")


def _candidates(ctx: _Context, lo: int, hi: int) -> list[Mention]:
    """Mentions in [lo, hi) that could be a clause's subject: not quoted, not possessive
    ("Macron’s comments"), not after a preposition, not a modifier of a following name
    ("Trump Deputy Chief of Staff Stephen Miller")."""
    inside = [m for m in mentions_within(ctx, lo, hi) if not _inside_quote(ctx, m)]
    out = []
    for i, m in enumerate(inside):
        tail = ctx.text[m.end : m.end + 2]
        if tail in ("’s", "'s") or (m.surface.endswith("s") and tail[:1] in "’'" and tail):
            continue
        if _after_preposition(ctx, lo, m.start):
            continue
        nxt = inside[i + 1] if i + 1 < len(inside) else None
        if nxt is not None and nxt.type == "person":
            between = ctx.text[m.end : nxt.start]
            if "," not in between and all(t == "of" or t[0].isupper() for t in between.split()):
                continue
        out.append(m)
    return out


def _phrase(text: str) -> str | None:
    """A short noun phrase usable as an unnamed speaker ("officers", "the statement")."""
    phrase = " ".join(text.strip(" ,").split())
    words = phrase.split()
    if not words or len(words) > 6 or MASK in phrase or words[0].lower() in _FUNCTION_WORDS:
        return None
    return None if _VERBS.search(phrase) else phrase


def _subject(ctx: _Context, lo: int, verb_at: int, any_phrase: bool) -> Speaker | None:
    """Who is the subject of the reporting verb at ``verb_at``, reading back to ``lo``.
    ``any_phrase``: after a quote (“…,” the statement said) any short phrase is a speaker;
    before one it must look like a name or a description of a person."""
    span = ctx.masked[lo:verb_at]
    pronoun = _PRONOUN_END.search(span)
    if pronoun:
        return _resolve_pronoun(ctx, pronoun.group("p"), verb_at)
    cands = _candidates(ctx, lo, verb_at)
    # "Stafford, a member of the crew, responded"; "Rob Goldman, President Ascom North
    # America, says": the name the appositive describes, not a body or place inside it.
    appositive = _APPOSITIVE.search(span) or _LEADING_APPOSITIVE.match(span)
    if appositive and appositive.group("name").split()[0] not in _STOP_TOKENS:
        at = lo + appositive.start("name")
        named = [m for m in cands if at <= m.start < lo + appositive.end("name")]
        if named:
            return named[-1].entity_id, named[-1].name, "explicit"
        return None, appositive.group("name"), "explicit"
    if cands and _FILLER.fullmatch(ctx.masked[cands[-1].end : verb_at]):
        return cands[-1].entity_id, cands[-1].name, "explicit"
    people = [m for m in cands if m.type == "person"]
    if people:
        return people[-1].entity_id, people[-1].name, "explicit"
    description = _description(span)
    if description and (description.group("det") or any_phrase):
        return _resolve_description(ctx, description, verb_at)
    named = _NAME_BEFORE_VERB.search(span)  # "Twitter pledged": a body the reference lacks
    if (
        named
        and named.group("name").split()[0].lower() not in _FUNCTION_WORDS
        and not _after_preposition(ctx, lo, named.start("name") + lo)
    ):
        return None, named.group("name"), "explicit"
    if any_phrase:
        phrase = _phrase(span)
        return (None, phrase, "explicit") if phrase else None
    opening = _DESCRIPTION_OPENING.match(span)  # "The victim's mother testified, describing …"
    return _resolve_description(ctx, opening, verb_at) if opening else None


def _object(ctx: _Context, lo: int, hi: int) -> Speaker | None:
    """Speaker named after the verb: "said Kaja Kallas, …", "quoted an official as saying"."""
    stop = _OBJECT_STOP.search(ctx.masked, lo, hi)
    hi = stop.start() if stop else hi
    inside = mentions_within(ctx, lo, hi)
    people = [m for m in inside if m.type == "person"]
    if people:
        return people[0].entity_id, people[0].name, "explicit"
    description = _description(ctx.masked[lo:hi])
    if description:
        return None, " ".join(description.group("desc").split()), "explicit"
    if inside:
        return inside[0].entity_id, inside[0].name, "explicit"
    phrase = _phrase(ctx.masked[lo:hi])
    return (None, phrase, "explicit") if phrase else None


def _from_verb(ctx: _Context, lo: int, verb: re.Match[str], hi: int) -> Speaker | None:
    word = verb.group()
    if word.lower() == "according to":
        return _object(ctx, verb.end(), hi)
    if word == "quoted":
        as_saying = ctx.masked.find(" as ", verb.end(), hi)
        return _object(ctx, verb.end(), as_saying if as_saying > 0 else hi)
    before = ctx.masked[lo : verb.start()].strip(" \n")
    if not before.strip(","):  # inverted: “…,” said X
        return _object(ctx, verb.end(), hi)
    if before.endswith(",") and word in _INVERTIBLE:  # “…” announced in October, said X
        return _object(ctx, verb.end(), hi) or _subject(ctx, lo, verb.start(), any_phrase=True)
    return _subject(ctx, lo, verb.start(), any_phrase=True)


def _before(ctx: _Context, lo: int, hi: int) -> Speaker | None:
    """X said …: “…” — try the nearest reporting verb first, then earlier ones."""
    for verb in reversed(list(_VERBS.finditer(ctx.masked, lo, hi))):
        if re.search(r"(?<!\w)as\s+$", ctx.masked[max(lo, verb.start() - 4) : verb.start()]):
            continue  # "quoted X as saying": the verb "quoted" decides
        if verb.group().lower() == "according to" or verb.group() == "quoted":
            found = _from_verb(ctx, lo, verb, hi)
        else:
            found = _subject(ctx, lo, verb.start(), any_phrase=False)
        if found:
            return found
    return None


def _after(ctx: _Context, lo: int, hi: int) -> Speaker | None:
    """“…,” X said / said X / X, a resident who tweeted …, said: a verb soon after."""
    for verb in _VERBS.finditer(ctx.masked, lo, hi):
        if len(ctx.masked[lo : verb.start()].split()) > 20:
            break
        found = _from_verb(ctx, lo, verb, hi)
        if found:
            return found
    return None


def _between_marks(text: str, lo: int, hi: int) -> tuple[int, int]:
    """The text between two pieces of a quotation, without their quote marks."""
    while lo < hi and text[lo] in "”’'\"":
        lo += 1
    while hi > lo and text[hi - 1] in '“‘"':
        hi -= 1
    return lo, hi


def _speaker(ctx: _Context, q: Quotation, partial: bool) -> Speaker | None:
    s0 = ctx.sentences[bisect_right(ctx.sentences, q.open_at) - 1]
    nxt = bisect_right(ctx.sentences, q.close_end - 1)
    s1 = ctx.sentences[nxt] if nxt < len(ctx.sentences) else len(ctx.text)
    tries = []
    if len(q.parts) > 1 and "\n" not in ctx.text[q.parts[0][1] : q.parts[1][0]]:
        middle = _between_marks(ctx.text, q.parts[0][1], q.parts[1][0])
        tries.append(lambda: _after(ctx, *middle))  # “…,” said X, “…”
    if not ctx.masked[q.close_end : s1].strip() and s1 < len(ctx.text):
        # “…?” Aderholt asked again. — a quote ending in ? or ! ends the sentence too, so
        # a short attribution right after it is read from the next one.
        s1 = ctx.sentences[nxt + 1] if nxt + 1 < len(ctx.sentences) else len(ctx.text)
        verb = _VERBS.search(ctx.masked, q.close_end, s1)
        tail = ctx.masked[q.close_end : s1]
        short = len(tail.split()) <= 8 and "\n" not in tail.rstrip() and MASK not in tail
        if not short or not verb or len(ctx.masked[q.close_end : verb.start()].split()) > 4:
            s1 = q.close_end
    before = lambda: _before(ctx, s0, q.open_at)  # noqa: E731
    after = lambda: _after(ctx, q.close_end, s1)  # noqa: E731
    introduced = _INTRODUCED.search(ctx.masked, max(s0, q.open_at - 80), q.open_at)
    tries += [before, after] if partial or introduced else [after, before]
    for attempt in tries:
        found = attempt()
        if found:
            return found
    return None


def _introduced_before(ctx: _Context, q: Quotation) -> Speaker | None:
    """A quote paragraph whose speaker was introduced at the end of the paragraph before, with
    no quote marks: "Jane Roe, a nurse, says there are many reasons." ⏎ “…”."""
    para_start = ctx.text.rfind("\n", 0, q.open_at) + 1
    if ctx.masked[para_start : q.open_at].strip() or para_start < 2:
        return None
    prev_start = ctx.text.rfind("\n", 0, para_start - 1) + 1
    last = ctx.sentences[bisect_right(ctx.sentences, para_start - 2) - 1]
    lo = max(prev_start, last)
    sentence = ctx.masked[lo : para_start - 1]
    if MASK in sentence or not sentence.rstrip().endswith((".", ":")):
        return None
    verbs = list(_VERBS.finditer(ctx.masked, lo, para_start - 1))
    if not verbs or len(ctx.masked[lo : verbs[0].start()].split()) > 12:
        return None
    return _from_verb(ctx, lo, verbs[0], para_start - 1)


def _subject_before(ctx: _Context, q: Quotation, since: int) -> Speaker | None:
    """An unattributed quote right after a sentence about someone is theirs: "Aderholt
    returned to the issue later in the hearing. “What commercial launch vehicles…?”". Only
    a sentence of prose after ``since`` (the previous quote's end) counts, and only a person
    named at its start, where the subject is."""
    para_start = ctx.text.rfind("\n", 0, q.open_at) + 1
    lo = max(since, ctx.text.rfind("\n", 0, max(0, para_start - 1)) + 1)
    starts = ctx.sentences[bisect_left(ctx.sentences, lo) : bisect_left(ctx.sentences, q.open_at)]
    if not starts:
        return None
    s0 = starts[-1]
    sentence = ctx.masked[s0 : q.open_at]
    if MASK in sentence or len(sentence.split()) < 3:
        return None
    people = [m for m in _candidates(ctx, s0, q.open_at) if m.type == "person"]
    if people and len(ctx.masked[s0 : people[0].start].split()) <= 2:
        return people[0].entity_id, people[0].name, "continuation"
    said = _before(ctx, s0, q.open_at)  # "It’s easy, she says, for people to marvel …" “…”
    if said and (said[0] or said[1]):
        return said
    opening = _NAME_OPENING.match(sentence)
    name = opening.group("name") if opening else ""
    if name and name.split()[0] not in _STOP_TOKENS and (" " in name or _proper(ctx, name)):
        return None, name, "continuation"
    return None


def _proper(ctx: _Context, word: str) -> bool:
    """A capitalised word at a sentence start is a name if the article also capitalises it
    mid-sentence ("… asked Aderholt"), not an adverb ("Sometimes")."""
    return once(
        ctx,
        ("proper", word),
        lambda: re.search(rf"[\w,;] {re.escape(word)}\b", ctx.masked) is not None,
    )
