"""The quotes table: one row per quotation of every article, with its speaker and how it was
attributed; a quote that runs on from the previous one keeps that quote's speaker."""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass, replace

import polars as pl

from newsfacts.facts.entities.mentions import Mention, find_mentions
from newsfacts.facts.entities.reference import EntityIndex, entity_type
from newsfacts.facts.entities.sentences import sentence_starts
from newsfacts.facts.quotes.attribution import (
    _between_marks,
    _description,
    _introduced_before,
    _speaker,
    _subject_before,
)
from newsfacts.facts.quotes.context import (
    Speaker,
    _Context,
    _inside_quote,
    _mask,
    add_event,
    once,
)
from newsfacts.facts.quotes.parsed import parsed_speaker
from newsfacts.facts.quotes.pronouns import _people_in_view, _resolve_pronoun
from newsfacts.facts.quotes.quotations import Quotation, find_quotations
from newsfacts.facts.quotes.reporting_verbs import _VERBS
from newsfacts.facts.quotes.resolution import resolve_speaker
from newsfacts.facts.quotes.speech import _SENTENCE_PUNCT_END, _is_partial, _not_speech

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
    "utterance_id": pl.String(),
    "speaker_method": pl.String(),
}
# What the per-document step yields: every quotation found, with why it is not speech
# (term, title, headline, phrase, examples) or null. Only speech is published; the rest is
# counted.
QUOTE_ROWS_SCHEMA: dict[str, pl.DataType] = QUOTES_SCHEMA | {"not_speech": pl.String()}


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
    not_speech: str | None = None  # term/title/headline/phrase/examples: not published
    speaker_method: str = "rules"  # "model" when the trained model was asked
    utterance: int = 0  # position of the utterance's first part among the article's quotes


def _continues(
    ctx: _Context,
    prev: Quote | None,
    para: int,
    partial: bool,
    quoted: str,
    para_starts: list[int],
) -> Speaker | None:
    """A full quote sentence with no attribution carries on the previous quote's speaker,
    if no paragraph of prose came between (a caption or an embedded post does not count)."""
    if prev is None or partial or prev.attribution == "none" or len(quoted.split()) < 3:
        return None
    lines = once(ctx, ("lines",), lambda: ctx.text.split("\n"))
    last = bisect_right(para_starts, prev.end) - 1  # newlines before the previous quote's end
    between = lines[last + 1 : para]
    if any(_SENTENCE_PUNCT_END.search(line) for line in between):
        return None
    return prev.speaker_entity_id, prev.speaker_name, "continuation"


def _main_person(ctx: _Context) -> Speaker | None:
    """A quote with no speaker anywhere near it, in a piece about one person (a profile, an
    interview, a first-person essay with pull quotes): that person, if the article names
    nobody else."""
    return once(ctx, ("main person",), lambda: _main_person_of(ctx))


def _main_person_of(ctx: _Context) -> Speaker | None:
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for m in ctx.mentions:
        if m.type == "person" and not _inside_quote(ctx, m):
            counts[m.entity_id] = counts.get(m.entity_id, 0) + 1
            names[m.entity_id] = m.name
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if len(ranked) != 1 or ranked[0][1] < 2:  # in news naming several people, guessing is worse
        return None
    return ranked[0][0], names[ranked[0][0]], "context"


def _utterance(
    text: str, earlier: list[Quote], found: Speaker | None, start: int, para: int
) -> int:
    """A quote that goes on in the same paragraph with only its attribution in between (“It
    is over,” she said. “We go home.”) is the same utterance as the quote before it; reporter's
    prose in between, or a partial quote before, makes it a new one."""
    prev = earlier[-1] if earlier else None
    if prev is None or found is None or prev.paragraph_index != para:
        return len(earlier)
    same = found[0] is not None and found[0] == prev.speaker_entity_id  # “…,” he said
    if found[2] != "continuation" and not same:
        return len(earlier)
    between = text[slice(*_between_marks(text, prev.end, start))]
    # Only the attribution: one reporting verb with its speaker and their description
    # ("said David Udell, Group President, Asia Pacific, Hyatt Hotels Corporation."), not a
    # clause of the reporter's ("she said firmly, warning that Europe would not …").
    verbs = _VERBS.findall(between)
    if prev.is_partial or len(between.split()) > 30 or len(verbs) != 1 or " that " in between:
        return len(earlier)
    return prev.utterance


def _parsed(ctx: _Context, q: Quotation) -> Speaker | None:
    """The model's subject of the governing verb, for quotes the rules find no speaker for."""
    found = parsed_speaker(ctx, q)
    if found and found[2] == "pronoun" and found[1]:
        return _resolve_pronoun(ctx, found[1], q.open_at)
    return found


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
            ctx.model_used = False
            found = _speaker(ctx, q, partial) or (None if partial else _introduced_before(ctx, q))
            found = found or (
                None if partial else _subject_before(ctx, q, quotes[-1].end if quotes else 0)
            )
            found = found or _continues(
                ctx, quotes[-1] if quotes else None, para, partial, " ".join(pieces), para_starts
            )
            if found is None and not partial:
                found = _parsed(ctx, q)
            if found and (found[2] != "continuation" or not found[0]):
                found = resolve_speaker(ctx, found, q.open_at)
            if found is None and not partial:
                found = _main_person(ctx)
        if found is None and not not_speech and (partial or len(" ".join(pieces).split()) < 4):
            not_speech = "phrase"  # a quoted word or phrase nobody is said to have spoken
        speaker_id, speaker_name, attribution = found or (None, None, "none")
        if speaker_id and entity_type(speaker_id, index) == "person":
            add_event(ctx, (end, 0, speaker_id, speaker_name or speaker_id))
        elif speaker_name and not speaker_id and _description(speaker_name):
            add_event(ctx, (end, 0, None, speaker_name))  # "a spokesperson … said" / "he said"
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
                is_partial=partial or bool(not_speech),
                paragraph_index=para,
                not_speech=not_speech,
                speaker_method="model" if ctx.model_used else "rules",
                utterance=_utterance(text, quotes, None if partial else found, start, para),
            )
        )
    return _examples_left_out(text, quotes)


def _examples_left_out(text: str, quotes: list[Quote]) -> list[Quote]:
    """Three or more quotes in a row with nothing between them and nobody saying them are
    examples ("barriers and fears: “I’m not an expert.” “I don’t know how to write a
    proposal.” …"), not anyone's words."""
    out = list(quotes)
    i = 0
    while i < len(out):
        j = i
        while (
            j + 1 < len(out)
            and out[j + 1].paragraph_index == out[i].paragraph_index
            and not text[out[j].end : out[j + 1].start].strip(' ”“"’‘,;')
        ):
            j += 1
        run = out[i : j + 1]
        if len(run) >= 3 and all(q.attribution in ("none", "context") for q in run):
            for k in range(i, j + 1):
                out[k] = replace(out[k], not_speech="examples", speaker_entity_id=None,
                                 speaker_name=None, attribution="none")  # fmt: skip
        i = j + 1
    return out


def quotes_for_text(text: str, index: EntityIndex) -> list[Quote]:
    """The published quotes of one text (speech only), its mentions found on the way."""
    return [q for q in extract_quotes(text, find_mentions(text, index), index) if not q.not_speech]


def quote_row(article_id: str, quotes: list[Quote], i: int) -> dict[str, object]:
    """One quotation as a row of QUOTE_ROWS_SCHEMA; its utterance id is the id of the
    utterance's first part, so it is as stable as quote ids are."""
    q, first = quotes[i], quotes[quotes[i].utterance]
    return {
        "quote_id": quote_id(article_id, q.start, q.end),
        "article_id": article_id,
        "text": q.text,
        "quote_text": q.quote_text,
        "speaker_entity_id": q.speaker_entity_id,
        "speaker_name": q.speaker_name,
        "attribution": q.attribution,
        "is_partial": q.is_partial,
        "start": q.start,
        "end": q.end,
        "paragraph_index": q.paragraph_index,
        "utterance_id": quote_id(article_id, first.start, first.end),
        "speaker_method": q.speaker_method,
        "not_speech": q.not_speech,
    }


def speech_only(rows: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, int]]:
    """The published quotes, and how many quotations were left out as not speech, by why."""
    left_out = rows.filter(pl.col("not_speech").is_not_null())["not_speech"].value_counts()
    counts = dict(zip(left_out["not_speech"], left_out["count"], strict=True))
    return rows.filter(pl.col("not_speech").is_null()).select(list(QUOTES_SCHEMA)), counts


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
    """The published quotes of these articles (speech only)."""
    by_article = _mention_lists(mentions)
    rows = []
    for aid, text in articles.select("article_id", "text").iter_rows():
        found = extract_quotes(text or "", by_article.get(aid, []), index)
        rows += [quote_row(aid, found, i) for i in range(len(found))]
    return speech_only(pl.DataFrame(rows, schema=QUOTE_ROWS_SCHEMA, orient="row"))[0]
