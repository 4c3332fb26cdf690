"""Direct quotations in clean article text, and who said them.

Row contract: ``start``/``end`` delimit the quoted words without their quote marks, and
``text`` is always exactly ``article_text[start:end]`` so any row can be highlighted in its
source. A quotation can come in pieces, split around its attribution (“Secondly,” said X,
“financial pain…”) or running over paragraphs (a paragraph left open, the next reopening
with “). Such a quotation is still one row: its span runs from the first piece to the last,
so ``text`` includes what lies between, while ``quote_text`` holds only the spoken words
(pieces joined by a space, or a newline across paragraphs). The comma that punctuates the
attribution (“…,” she said) is not part of ``quote_text``.

``attribution``:
  explicit      the speaker is named in the quote's own sentence ("said Kaja Kallas", "Miller
                added", "the US told"), or an unnamed source is described there ("an anonymous
                White House official": ``speaker_name`` set, ``speaker_entity_id`` null);
  pronoun       "she said", "he added", "the Commission chief stressed": a person in view
                before it (latest sentence first, its subject before people it only
                mentions; gender from the reference or Mr/Ms; a title for "the chief");
                speaker null when nobody fits ("they said", "it said" with no known body);
  continuation  a quote sentence without attribution after a quote in the same or the
                previous paragraph (captions and embedded posts between do not count): same
                speaker, null included;
  none          not the speech of anyone we can name: terms and scare quotes ("so-called
                “coalition of the willing”"), quotes inside headline-like lines (they restate
                the body and would double count), fragments with no reporting verb. Kept so
                nothing vanishes silently; terms, titles and headline quotes are
                ``is_partial``, a full sentence we could not attribute is not.

Quote marks are “ ”, straight " and the ‘‘ ’’ pairs of AP copy; single quotes are left
alone, they are apostrophes far more often than quotes. A mark that does not close within
its paragraph, and is not carried on by the next paragraph opening with a mark, is ignored:
guessing its end would swallow the article. A quotation already carried over paragraphs
whose last closing mark is missing ends with its last paragraph.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass, field

import polars as pl

from newsfacts.facts.entities.mentions import Mention
from newsfacts.facts.entities.person_names import PERSON_NOUNS
from newsfacts.facts.entities.reference import EntityIndex, entity_type
from newsfacts.facts.entities.regex_parts import UPPERCASE, word_set
from newsfacts.facts.entities.sentences import sentence_starts

QUOTES_SCHEMA: dict[str, pl.DataType] = {
    "quote_id": pl.String(),
    "article_id": pl.String(),
    "text": pl.String(),
    "quote_text": pl.String(),
    "speaker_entity_id": pl.String(),
    "speaker_name": pl.String(),
    "attribution": pl.String(),
    "is_partial": pl.Boolean(),
    "start": pl.Int64(),
    "end": pl.Int64(),
    "paragraph_index": pl.Int64(),
}

MASK = "\x00"  # stands in for quoted words, so nothing inside a quote looks like attribution
MAX_PARAGRAPHS = 8  # a quotation "continued" further than this is a missing closing mark

_VERBS = re.compile(
    r"(?<![\w-])(?:said|says|say|told|tells|added|adds|adding|saying|stated|states|warned|"
    r"warns|warning|insisted|insists|insisting|argued|argues|arguing|noted|notes|noting|"
    r"explained|explains|declared|declares|announced|announces|claimed|claims|claiming|"
    r"stressed|stresses|stressing|described|describes|describing|wrote|writes|tweeted|posted|"
    r"asked|asks|replied|replies|responded|snapped|snapping|urged|urges|urging|called for|"
    r"calls for|calling for|quoted|acknowledged|acknowledging|admitted|admits|conceded|"
    r"predicted|vowed|vows|pledged|promised|suggested|suggests|continued|concluded|recalled|"
    r"complained|accused|demanded|cautioned|emphasi[sz]ed|emphasi[sz]ing|underlined|"
    r"reiterated|reiterating|confirmed|denied|threatened|lamented|quipped|joked|remarked|"
    r"commented|observed|countered|retorted|shouted|exclaimed|whispers|whispered|recalls|"
    r"remembers|remembered|pointed out|points out|ruled|[Aa]ccording to)(?![\w-])"
)
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
    r"[,;:!?“”\"]|(?<!\b[A-Z])\.(?=\s|$)|\s(?:who|as|after|before|while|when|in a)\s"
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
_TERM_BEFORE = re.compile(r"(?:so-called|dubbed|known as|nicknamed|termed)\s*$", re.I)
# “…” introduced by its reporting clause: "said in a statement, “…", "snapping, “…".
_INTRODUCED = re.compile(rf"(?:{_VERBS.pattern})[^.!?“”\"\x00]{{0,40}}[,:]\s*$")
_SENTENCE_PUNCT_END = re.compile(r"[.!?…][”\"’)\]]*$")
_PREPOSITIONS = word_set(
    "about of with by to for from on against between among toward towards into at in over "
    "under via without including like near beside alongside behind"
)
_WORDS = re.compile(r"[^\W\d_][\w’'.-]*|\S")
_SMALL_WORDS = word_set("of the a an and in on at for to de la du von van")


@dataclass(frozen=True)
class Quote:
    start: int
    end: int
    text: str
    quote_text: str
    speaker_entity_id: str | None
    speaker_name: str | None
    attribution: str
    is_partial: bool
    paragraph_index: int


Parts = tuple[tuple[int, int], ...]  # content spans of one quotation, marks excluded
Speaker = tuple[str | None, str | None, str]  # (entity_id, name, attribution)


# --- finding quotations -------------------------------------------------------------------


@dataclass(frozen=True)
class Quotation:
    """One quotation as found: its pieces of quoted words, and where its outer marks are."""

    parts: Parts  # quoted words of each piece, marks excluded
    open_at: int  # first character of the opening mark
    close_end: int  # just past the closing mark


# Besides “ ” and ", AP-style copy closes with two apostrophes (’’ or '') and may open with ‘‘.
_MARKS = re.compile(r"‘‘|’’|''|[“”\"]")


def _is_opening(text: str, m: re.Match[str]) -> bool:
    mark = m.group()
    if mark != '"':
        return mark in ("“", "‘‘")
    before = text[m.start() - 1] if m.start() else " "
    after = text[m.end()] if m.end() < len(text) else " "
    return (before.isspace() or before in "([{—–-/") and not after.isspace()


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_quotations(text: str) -> list[Quotation]:
    """Pair quote marks paragraph by paragraph; see the module docstring for what is kept."""
    para_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    found: list[Quotation] = []
    parts: list[tuple[int, int]] = []
    first: re.Match[str] | None = None  # opening mark of the quotation
    current: re.Match[str] | None = None  # opening mark of its current piece
    open_para = 0
    for m in _MARKS.finditer(text):
        para = bisect_right(para_starts, m.start()) - 1
        opening = _is_opening(text, m)
        if current is not None and para != open_para:
            carried = para == open_para + 1 and m.start() == para_starts[para] and opening
            if carried and len(parts) < MAX_PARAGRAPHS:
                parts.append(_strip(text, current.end(), para_starts[para] - 1))
                current, open_para = m, para
                continue
            if parts and first is not None:  # a carried quotation whose last mark is missing
                parts.append(_strip(text, current.end(), para_starts[open_para + 1] - 1))
                found.append(Quotation(tuple(parts), first.start(), parts[-1][1]))
            first = current = None
            parts = []
        if opening:
            first = current = m
            open_para, parts = para, []
        elif current is not None and first is not None:
            parts.append(_strip(text, current.end(), m.start()))
            if any(re.search(r"\w", text[s:e]) for s, e in parts):
                found.append(Quotation(tuple(parts), first.start(), m.end()))
            first = current = None
            parts = []
    return _merge_split(text, found)


def _merge_split(text: str, quotations: list[Quotation]) -> list[Quotation]:
    """“Secondly, of course,” said Sakaliene, “financial pain…” is one quotation: the first
    piece ends on a comma and only a short reporting clause ending on a comma lies between."""
    merged: list[Quotation] = []
    for q in quotations:
        if merged:
            prev = merged[-1]
            between = text[prev.close_end : q.open_at]
            if (
                text[prev.parts[-1][0] : prev.parts[-1][1]].endswith(",")
                and re.fullmatch(r"\s*[^“”\"\n.!?]{1,80}?,\s*", between)
                and _VERBS.search(between)
            ):
                merged[-1] = Quotation(prev.parts + q.parts, prev.open_at, q.close_end)
                continue
        merged.append(q)
    return merged


# --- attribution --------------------------------------------------------------------------


@dataclass
class _Context:
    """Per-article state: the masked text, and who was last in view for pronouns."""

    text: str
    masked: str
    mentions: list[Mention]
    index: EntityIndex
    sentences: list[int] = field(default_factory=list)
    # (pos, rank, entity_id, name) of people in view: rank 0 a quote's speaker, 1 a subject-
    # like mention, 2 one after a preposition. Unnamed sources have no id but count too.
    events: list[tuple[int, int, str | None, str]] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)


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


def _candidates(ctx: _Context, lo: int, hi: int) -> list[Mention]:
    """Mentions in [lo, hi) that could be a clause's subject: not quoted, not possessive
    ("Macron’s comments"), not after a preposition, not a modifier of a following name
    ("Trump Deputy Chief of Staff Stephen Miller")."""
    inside = [
        m for m in ctx.mentions if lo <= m.start and m.end <= hi and not _inside_quote(ctx, m)
    ]
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


def _sentence_of(ctx: _Context, pos: int) -> int:
    return bisect_right(ctx.sentences, pos) - 1


def _recent_people(ctx: _Context, pos: int) -> list[tuple[str | None, str]]:
    """Antecedents for a pronoun at ``pos``: latest sentence first and, within a sentence,
    its speaker or subject before people it mentions in passing ("harm to Omar")."""
    seen: dict[str, tuple[str | None, str]] = {}
    earlier = [e for e in ctx.events if e[0] < pos]
    for _, _, eid, name in sorted(earlier, key=lambda e: (-_sentence_of(ctx, e[0]), e[1], e[0])):
        seen.setdefault(eid or f"~{name}", (eid, name))
    return list(seen.values())


def _resolve_pronoun(ctx: _Context, pronoun: str, pos: int) -> Speaker:
    pronoun = pronoun.lower()
    if pronoun == "it":
        orgs = [m for m in ctx.mentions if m.end <= pos and m.type == "organisation"]
        orgs = [m for m in orgs if not _inside_quote(ctx, m)]
        return (orgs[-1].entity_id, orgs[-1].name, "pronoun") if orgs else (None, None, "pronoun")
    if pronoun == "they":
        return None, None, "pronoun"
    # Gender comes from the reference and from Mr/Ms only: learning it from earlier pronouns
    # turned one wrong guess into a run of them.
    wanted = "m" if pronoun == "he" else "f"
    for eid, name in _recent_people(ctx, pos):
        if ctx.gender.get(eid or f"~{name}", wanted) == wanted:
            return eid, name, "pronoun"
    return None, None, "pronoun"


def _resolve_description(ctx: _Context, match: re.Match[str], pos: int) -> Speaker:
    """For "The Commission chief stressed": the recent person whose title fits, else an
    unnamed source described in words."""
    desc = " ".join(match.group("desc").split())
    if (match.group("det") or "").lower() == "the":
        words = desc.lower().split()[1:]
        best: tuple[int, str | None, str] | None = None
        for eid, name in _recent_people(ctx, pos)[:6]:
            known = ctx.index.entities.get(eid) if eid else None
            titles = known.titles if known else ()
            phrase = " ".join(words)
            score = 2 if phrase in titles else int(any(words[-1] in t.split() for t in titles))
            if score and (best is None or score > best[0]):
                best = (score, eid, name)
        if best:
            return best[1], best[2], "pronoun"
        recent = _recent_people(ctx, pos)
        if match.group("head").endswith("year-old") and recent:  # "The 56-year-old said"
            return recent[0][0], recent[0][1], "pronoun"
    return None, desc, "explicit"


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
    inside = [m for m in ctx.mentions if lo <= m.start and m.end <= hi]
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


# --- assembling rows ----------------------------------------------------------------------


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
    before = lambda: _before(ctx, s0, q.open_at)  # noqa: E731
    after = lambda: _after(ctx, q.close_end, s1)  # noqa: E731
    introduced = _INTRODUCED.search(ctx.masked, max(s0, q.open_at - 80), q.open_at)
    tries += [before, after] if partial or introduced else [after, before]
    for attempt in tries:
        found = attempt()
        if found:
            return found
    return None


def _people_in_view(ctx: _Context) -> None:
    """Seed pronoun resolution with every person named outside quotes, and their gender."""
    for m in ctx.mentions:
        if m.type != "person" or _inside_quote(ctx, m):
            continue
        lo = ctx.sentences[_sentence_of(ctx, m.start)]
        rank = 2 if _after_preposition(ctx, lo, m.start) else 1
        ctx.events.append((m.start, rank, m.entity_id, m.name))
        known = ctx.index.entities.get(m.entity_id)
        honorific = re.search(r"\b(Mrs?|Ms|Miss)\.? $", ctx.text[max(0, m.start - 6) : m.start])
        if known and known.gender:
            ctx.gender[m.entity_id] = known.gender
        elif honorific:
            ctx.gender[m.entity_id] = "m" if honorific.group(1) == "Mr" else "f"


def _not_speech(ctx: _Context, q: Quotation, partial: bool, para: tuple[int, int]) -> bool:
    """Terms, titles of works and quotes in headline-like lines (no closing punctuation)."""
    quoted = " ".join(ctx.text[s:e] for s, e in q.parts)
    return bool(
        _TERM_BEFORE.search(ctx.masked[para[0] : q.open_at])
        or _title_like(quoted, partial)
        or not _SENTENCE_PUNCT_END.search(ctx.text[para[0] : para[1]])
    )


def _continues(
    ctx: _Context, prev: Quote | None, para: int, partial: bool, quoted: str
) -> Speaker | None:
    """A full quote sentence with no attribution carries on the previous quote's speaker,
    if no paragraph of prose came between (a caption or an embedded post does not count)."""
    if prev is None or partial or prev.attribution == "none" or len(quoted.split()) < 3:
        return None
    lines = ctx.text.split("\n")
    last = ctx.text.count("\n", 0, prev.end)
    between = lines[last + 1 : para]
    if any(_SENTENCE_PUNCT_END.search(line) for line in between):
        return None
    return prev.speaker_entity_id, prev.speaker_name, "continuation"


def extract_quotes(text: str, mentions: list[Mention], index: EntityIndex) -> list[Quote]:
    quotations = find_quotations(text)
    masked = _mask(text, quotations)
    ctx = _Context(text, masked, sorted(mentions, key=lambda m: m.start), index)
    ctx.sentences = sentence_starts(masked)
    _people_in_view(ctx)
    para_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    quotes: list[Quote] = []
    for q in quotations:
        start, end = q.parts[0][0], q.parts[-1][1]
        para = bisect_right(para_starts, start) - 1
        para_end = para_starts[para + 1] - 1 if para + 1 < len(para_starts) else len(text)
        partial = _is_partial(ctx, q, para_starts[para])
        pieces = [text[s:e] for s, e in q.parts]
        not_speech = _not_speech(ctx, q, partial, (para_starts[para], para_end))
        found: Speaker | None = None
        if not not_speech:
            found = _speaker(ctx, q, partial) or _continues(
                ctx, quotes[-1] if quotes else None, para, partial, " ".join(pieces)
            )
        speaker_id, speaker_name, attribution = found or (None, None, "none")
        if speaker_id and entity_type(speaker_id, index) == "person":
            ctx.events.append((end, 0, speaker_id, speaker_name or speaker_id))
        elif speaker_name and not speaker_id and _description(speaker_name):
            ctx.events.append((end, 0, None, speaker_name))  # "a spokesperson … said" / "he said"
        joiner = "\n" if "\n" in text[start:end] else " "
        quotes.append(
            Quote(
                start=start,
                end=end,
                text=text[start:end],
                quote_text=joiner.join(pieces).strip().removesuffix(",").strip(),
                speaker_entity_id=speaker_id,
                speaker_name=speaker_name,
                attribution=attribution,
                is_partial=partial or not_speech,
                paragraph_index=para,
            )
        )
    return quotes


def quote_id(article_id: str, start: int, end: int) -> str:
    return hashlib.sha256(f"{article_id}|{start}|{end}".encode()).hexdigest()[:16]


def _mention_lists(mentions: pl.DataFrame) -> dict[str, list[Mention]]:
    out: dict[str, list[Mention]] = {}
    cols = ("article_id", "entity_id", "entity_name", "entity_type", "surface", "start", "end",
            "sentence_index", "resolved")  # fmt: skip
    for aid, eid, name, etype, surface, s, e, sent, resolved in mentions.select(cols).iter_rows():
        out.setdefault(aid, []).append(Mention(eid, name, etype, surface, s, e, sent, resolved))
    return out


def quotes_frame(
    articles: pl.DataFrame, mentions: pl.DataFrame, index: EntityIndex
) -> pl.DataFrame:
    by_article = _mention_lists(mentions)
    rows = [
        (quote_id(aid, q.start, q.end), aid, q.text, q.quote_text, q.speaker_entity_id,
         q.speaker_name, q.attribution, q.is_partial, q.start, q.end, q.paragraph_index)
        for aid, text in articles.select("article_id", "text").iter_rows()
        for q in extract_quotes(text or "", by_article.get(aid, []), index)
    ]  # fmt: skip
    return pl.DataFrame(rows, schema=QUOTES_SCHEMA, orient="row")
