"""A quote-dense news article of any size, as plain text or HTML.

Real pages of several megabytes exist (live blogs, transcripts, a year of a columnist in one
file) and they are nearly all quotes: every paragraph a voice, attributed the ways news copy
does it ("…," said Jane Roe, a nurse. / She added: "…" / According to …), with money,
percentages and counts in between. The page is built from such paragraph shapes, filled from
pools of names, roles, places and figures by a seeded generator, so every paragraph differs
(the pipeline would otherwise see a run of exact repeats) and the same seed and size give the
same bytes.
"""

from __future__ import annotations

import html
import random
from collections.abc import Callable, Iterator


def _words(line: str) -> tuple[str, ...]:
    return tuple(line.split())


FIRST = _words(
    "Jane Maria Ahmed Olga Tomasz Priya Carlos Aiko Fatima Lars Ngozi Diego Hannah Kwame Ines "
    "Yusuf Elena Rafael Mei Oscar Amara Pavel Leila Samuel Chiara Mateo Nadia Viktor Rosa Femi"
)
LAST = _words(
    "Roe Santos Khan Petrova Nowak Raman Alvarez Tanaka Haddad Lindqvist Okafor Moreno Becker "
    "Mensah Duarte Demir Kowalski Ferreira Chen Lindgren Diallo Novak Rahimi Osei Ricci Herrera "
    "Haidari Sokolov Castillo Adeyemi Brennan Iwasaki Moretti Varga Quinn"
)
ROLES = (
    "a nurse",
    "a shop owner",
    "a retired teacher",
    "a city councillor",
    "a bus driver",
    "an economist at the central bank",
    "a spokesperson for the ministry",
    "a union organiser",
    "a farmer",
    "the mayor",
    "a senior analyst",
    "a paramedic",
    "a local resident",
    "the chief executive of Harbour Logistics",
    "a professor of public health",
)
PLACES = (
    "Lisbon",
    "Warsaw",
    "Nairobi",
    "Manila",
    "Rotterdam",
    "Accra",
    "Porto",
    "Gdansk",
    "Mombasa",
    "Valencia",
    "Leeds",
    "Bordeaux",
)
BODIES = (
    "the Ministry of Health",
    "the city council",
    "Harbour Logistics",
    "the Transport Workers Union",
    "the National Statistics Office",
    "the regional hospital board",
)
CLAIMS = (
    "We have waited three years for this and nobody in the capital seems to care",
    "The queues start before dawn and by noon the shelves are empty again",
    "It is not about the money, it is about whether anyone listens to us at all",
    "Every winter we are told it will be better next year, and every winter it is worse",
    "I have never seen the ward this full, not even during the pandemic",
    "If the bridge closes, half of my customers simply cannot reach the shop",
    "The figures speak for themselves, but the people behind them matter more",
    "We are asking for a fair deal, nothing more and nothing less",
    "My children ask me why the buses stopped running after eight",
    "There is a plan, and we will publish it before the end of the month",
)
MORE = (
    "Nobody should have to choose between heating and eating",
    "We will keep coming back until something changes",
    "The decision was made without asking a single person who lives here",
    "It is the busiest season we have had in a decade",
    "People are tired, but they are not giving up",
)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _money(rng: random.Random) -> str:
    amount = rng.choice((1.2, 3.5, 14, 250, 48, 7.8, 960))
    unit = rng.choice(("million", "billion", "", ""))
    sign = rng.choice(("$", "€", "£"))
    return f"{sign}{amount:g}{' ' + unit if unit else ''}"


def _percent(rng: random.Random) -> str:
    return f"{rng.choice((2, 4.5, 12, 17, 23, 31, 40, 65))}{rng.choice(('%', ' percent'))}"


def _said_after(rng: random.Random) -> str:
    name, role, claim = _name(rng), rng.choice(ROLES), rng.choice(CLAIMS)
    return f"“{claim},” said {name}, {role}, in {rng.choice(PLACES)}."


def _subject_said(rng: random.Random) -> str:
    name, claim, more = _name(rng), rng.choice(CLAIMS), rng.choice(MORE)
    return f"“{claim},” {name} said on Tuesday. “{more}.”"


def _she_added(rng: random.Random) -> str:
    name, role = _name(rng), rng.choice(ROLES)
    pronoun = rng.choice(("She", "He"))
    honorific = "Ms" if pronoun == "She" else "Mr"
    return (
        f"{honorific} {name}, {role}, said prices had risen by {_percent(rng)} since March. "
        f"{pronoun} added: “{rng.choice(MORE)}.”"
    )


def _split_quote(rng: random.Random) -> str:
    name, claim, more = _name(rng), rng.choice(CLAIMS), rng.choice(MORE)
    return f"“{claim},” said {name}, “and {more[0].lower()}{more[1:]}.”"


def _figures(rng: random.Random) -> str:
    body, place = rng.choice(BODIES), rng.choice(PLACES)
    return (
        f"According to {body}, {rng.randint(120, 9800):,} people in {place} waited more than "
        f"{rng.randint(2, 14)} hours last month, and spending rose to {_money(rng)}, up "
        f"{_percent(rng)} on the year before."
    )


def _statement(rng: random.Random) -> str:
    body = rng.choice(BODIES)
    return (
        f"In a statement, {body} said it would spend {_money(rng)} on {rng.randint(3, 40)} new "
        f"sites. “{rng.choice(CLAIMS)},” the statement said."
    )


def _introduced(rng: random.Random) -> str:
    name, role = _name(rng), rng.choice(ROLES)
    return (
        f"{name}, {role}, says there are many reasons for the delay.\n"
        f"“{rng.choice(CLAIMS)}. {rng.choice(MORE)}.”"
    )


SHAPES: tuple[Callable[[random.Random], str], ...] = (
    _said_after,
    _subject_said,
    _she_added,
    _split_quote,
    _figures,
    _statement,
    _introduced,
)


def paragraphs(seed: int = 0) -> Iterator[str]:
    """An endless run of article paragraphs; each shape comes round often, in no fixed order."""
    rng = random.Random(seed)
    while True:
        yield rng.choice(SHAPES)(rng)


def dense_text(size: int, seed: int = 0) -> str:
    """A plain-text article of about ``size`` bytes (UTF-8), whole paragraphs only."""
    lines = ["Voices from the queue: what people told us this winter", ""]
    total = sum(len(line.encode()) + 1 for line in lines)
    for para in paragraphs(seed):
        n = len(para.encode()) + 2
        if total + n > size and len(lines) > 2:
            break
        lines += [para, ""]
        total += n
    return "\n".join(lines)


def dense_html(size: int, seed: int = 0) -> str:
    """The same article as a page: a head with its metadata, the body as <p> paragraphs."""
    head = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Voices from the queue</title>"
        "<meta property='og:site_name' content='The Harbour Courier'>"
        "<meta property='article:published_time' content='2026-11-30'>"
        "</head><body><article><h1>Voices from the queue: what people told us this winter</h1>"
    )
    tail = "</article></body></html>"
    parts = [head]
    total = len(head.encode()) + len(tail.encode())
    for para in paragraphs(seed):
        p = "".join(f"<p>{html.escape(line, quote=False)}</p>\n" for line in para.split("\n"))
        n = len(p.encode())
        if total + n > size and len(parts) > 1:
            break
        parts.append(p)
        total += n
    parts.append(tail)
    return "".join(parts)
