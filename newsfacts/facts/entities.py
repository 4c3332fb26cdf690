"""Find people, organisations and places in article text and pin each to a stable entity id.

Known entities come from a small hand-kept reference table (``seeds/reference/entities.csv``)
so that every spelling an outlet uses ("Zelensky", "Zelenskiy", "Mr Zelenskyy") lands on one
id: that is what lets analysts count and join across outlets. People the table does not know
still get an id, a provisional ``nf:person:<slug>`` built from their normalised name, when the
text itself marks them as people (a title word before the name, a speech verb or a role
appositive next to it, a surname later used alone), so a new spokesman is counted rather than
lost; ``resolved`` tells the two kinds apart. Those cues are English ones and are only used
where an article is English (or of unknown language).

Aliases match case-sensitively (a row lists every casing it wants, plus an automatic
capitalised first letter for sentence starts): that is what keeps the pronoun "us" apart
from the country "US". All aliases go into one trie-shaped regex built once per index, so an
article costs one scan whatever the size of the reference.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

REFERENCE_PATH = Path(__file__).resolve().parents[2] / "seeds" / "reference" / "entities.csv"
ENTITY_TYPES = frozenset({"person", "organisation", "place", "group"})
PROVISIONAL_PREFIX = "nf:person:"

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
ENTITIES_SCHEMA: dict[str, pl.DataType] = {
    "entity_id": pl.String(),
    "name": pl.String(),
    "type": pl.String(),
    "wikidata_id": pl.String(),
    "article_count": pl.Int64(),
    "mention_count": pl.Int64(),
    "resolved": pl.Boolean(),
}


@dataclass(frozen=True)
class Entity:
    entity_id: str
    name: str
    type: str
    wikidata_id: str | None
    aliases: tuple[str, ...]
    titles: tuple[str, ...]
    gender: str | None  # "m" / "f": lets "she said" skip over a male antecedent
    stands_for: str | None  # capital used for its government ("Washington said") -> country


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


@dataclass(frozen=True)
class EntityIndex:
    """Everything matching needs, picklable so worker processes can receive it."""

    entities: dict[str, Entity]
    surface_to_ids: dict[str, tuple[str, ...]]
    pattern: re.Pattern[str]
    version: str


def _trie_regex(words: Iterable[str]) -> str:
    """Alternation shaped as a character trie: the engine tests one branch per character
    instead of every alias at every position, and greedy optional tails give longest match."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return emit(trie)


def word_set(text: str) -> frozenset[str]:
    """Word lists are kept as prose-like strings so they stay readable in review."""
    return frozenset(text.split())


# --- name shapes --------------------------------------------------------------------------


def _char_class(predicate: Callable[[str], bool], limit: int = 0x0530) -> str:
    """Regex class of the Latin/Greek/Cyrillic letters passing ``predicate``: ``re`` has no
    \\p{Lu}, and names like "Šakalienė" must still count as capitalised."""
    chars = [chr(c) for c in range(limit) if predicate(chr(c))]
    out: list[str] = []
    i = 0
    while i < len(chars):
        j = i
        while j + 1 < len(chars) and ord(chars[j + 1]) == ord(chars[j]) + 1:
            j += 1
        out.append(re.escape(chars[i]) + (f"-{re.escape(chars[j])}" if j > i else ""))
        i = j + 1
    return "".join(out)


UPPERCASE = _char_class(str.isupper)
_PARTICLES = "von|van|de|der|den|del|della|di|da|du|la|le|bin|ibn|al|el|ter|ten|dos|das"
# Hyphenated parts are capitalised ("Waller-Bridge") or short syllables ("Tsai Ing-wen"), but
# not the suffixes of compounds ("Trump-era", "US-led").
_COMPOUND = r"(?:led|era|run|wide|based|backed|style|like|born|made|owned|linked|type|ish)"
_TOKEN = (
    rf"[{UPPERCASE}][^\W\d_]*"
    rf"(?:[’'\-][{UPPERCASE}][^\W\d_]*|-(?!{_COMPOUND}(?![\w-]))[a-z]{{2,4}}(?![\w-]))*"
)
_INITIAL = rf"[{UPPERCASE}]\. "  # "Sonya A. Zoghlin", "Donald J. Trump"
NAME_PATTERN = rf"{_TOKEN}(?: (?:{_INITIAL})?(?:(?:{_PARTICLES}) ){{0,2}}{_TOKEN}){{0,3}}"
_NAME_TOKEN = re.compile(rf"(?<!\S)(?:{_INITIAL})?(?:(?:{_PARTICLES}) )*{_TOKEN}")
_SENTENCE_OPENING = re.compile(r"(?:^|[.!?:“\"]\s*|\n)$")
_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z]+(?![\w-])")
# A capitalised word, possibly possessive ("Swift’s"), for the standalone-surname rule.
_CAP_WORD = re.compile(rf"(?<![\w’'-])[{UPPERCASE}][^\W\d_]+(?=[’']s\b|[^\w’'-]|$)")
_GENERATIONAL = word_set("Jr Sr II III IV")
_SUFFIX = r"(?: (?:Jr|Sr|II|III|IV)\.?)?"  # "James Kennedy Jr." is surnamed Kennedy
_SURNAME = re.compile(rf"(?<!\S)(?P<surname>(?:(?:{_PARTICLES}) )*[^\s.]+){_SUFFIX}$")


def surname(name: str) -> str:
    """The part of a full name used alone later: "von der Leyen", "Kennedy" (not "Jr")."""
    m = _SURNAME.search(name)
    return m.group("surname") if m else name


# Nouns that make a phrase a description of a person: "a São Paulo resident", "the minister".
PERSON_NOUNS = (
    r"officials?|sources?|spokesman|spokeswoman|spokesperson|diplomats?|ministers?|president|"
    r"chancellor|chief|secretary|envoy|ambassador|aides?|advis[eo]rs?|analysts?|experts?|"
    r"leaders?|lawmakers?|senator|governor|mayor|general|commander|officers?|prosecutor|"
    r"lawyer|attorney|judge|residents?|witness(?:es)?|representative|negotiator|premier|"
    r"commissioner|director|chair(?:man|woman)?|economist|researchers?|scientists?|professor|"
    r"editor|reporter|journalist|correspondent|author|writer|founder|executive|ceo|manager|"
    r"coordinator|consultant|engineer|historian|activists?|campaigner|politician|candidate|"
    r"member|student|teacher|doctor|nurse|farmer|owner|merchant|winemaker|producer|creator|"
    r"actor|actress|singer|player|coach|soldiers?|veteran|survivor|victim|mother|father|"
    r"man|woman|person|people|head|partner|worker|employee|astronomer|ecologist|biologist|"
    r"boss|striker|midfielder|defender|goalkeeper|\d+-year-old"
)

TITLE_WORDS: tuple[str, ...] = (
    "mr", "mrs", "ms", "miss", "mme", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "president", "vice president", "vice-president", "prime minister", "minister",
    "chancellor", "secretary", "secretary of state", "secretary-general", "secretary general",
    "press secretary", "spokesman", "spokeswoman", "spokesperson", "diplomat", "ambassador",
    "envoy", "official", "chief", "chief of staff", "chief executive", "deputy", "adviser",
    "advisor", "aide", "senator", "sen", "rep", "representative", "congressman",
    "congresswoman", "governor", "gov", "mayor", "general", "gen", "commander", "admiral",
    "colonel", "col", "lt", "captain", "capt", "judge", "attorney general", "prosecutor",
    "lawyer", "attorney", "district attorney", "administrator", "analyst", "director", "ceo",
    "chairman", "chairwoman", "leader", "king", "queen", "prince", "princess", "pope",
    "tánaiste", "taoiseach", "premier", "speaker",
    "mp", "mep", "commissioner", "negotiator", "economist", "researcher", "founder",
    "high representative",
)  # fmt: skip
# The name is captured in a lookahead so a run of titles ("Deputy Chief of Staff Stephen
# Miller") is tried title by title instead of being swallowed by the first one.
_TITLED_NAME = re.compile(
    rf"(?<![\w-])(?i:{_trie_regex(TITLE_WORDS)})(?![\w-])(?=\.?,? (?P<name>{NAME_PATTERN}))"
)
SPEECH_VERBS = (
    "said|says|told|tells|added|adds|warned|warns|insisted|argued|noted|explained|declared|"
    "announced|stressed|wrote|replied|responded|asked|urged|claimed|acknowledged|admitted|"
    "quipped|joked|remarked|commented|countered|recalled|recalls|remembers|remembered|"
    "explains|notes|writes|insists|argues|whispers|whispered"
)
# Anchors first, names second: scanning for a name at every position is what costs time.
_VERB_ANCHOR = re.compile(rf" (?:{SPEECH_VERBS})\b")
# "Alberto Shiguematsu, a São Paulo resident who …": an appositive naming a person's role.
_ROLE_ANCHOR = re.compile(rf", (?:(?:an?|the) )?(?:[\w’'-]+ ){{0,4}}?(?:{PERSON_NOUNS})\b")
_TOKEN_AT_END = re.compile(rf"(?<![\w’'-])({_TOKEN}) $")
_NAME_AT_END = re.compile(rf"(?<![\w’'-]){NAME_PATTERN}$")
_NAME_AFTER_VERB = re.compile(
    rf"\b(?:said|says|added|told|quipped|joked|according to) (?P<name>{NAME_PATTERN})"
)

_MONTHS_DAYS = (
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
    "May June July August September October November December"
)
_DEMONYMS = (
    "Russian Ukrainian American British French German Irish Lithuanian Latvian Estonian "
    "Polish Italian Spanish European Israeli Palestinian Iranian Turkish Chinese Japanese "
    "Indian Canadian Australian Danish Swedish Finnish Norwegian Dutch Belgian Greek Hungarian "
    "Czech Slovak Romanian Bulgarian Serbian Croatian Georgian Belarusian Syrian Lebanese "
    "Saudi Egyptian Korean North South East West Western Eastern Northern Southern Kremlin "
    "Afghan Pakistani Iraqi Qatari Emirati Yemeni Somali Thai Swiss Welsh Scottish English "
    "Flemish Catalan Kurdish Arab Jewish Democratic Republican Conservative Liberal Labour "
    "Senate House Federal National Royal United New Old Great Big Little Central"
)
_STOP_TOKENS = word_set(
    "The A An And But Or Nor For So Yet In On At To From By With Of As If When While After "
    "Before Since During This That These Those It Its He She We They His Her Their Our "
    "Your My I You Asked Meanwhile However Also Then Now Both Former Acting Top Senior "
    "Why What Where How Who Whom Whose Which Though Although According Despite Because "
    "Unlike Like Within Without Following Under Over Amid Among Against Across Yes No Not "
    "Only Even Still Just More Most Many Some All Every Each Other Another Such Thanks "
    "There Here Instead Indeed Perhaps Maybe Moreover Furthermore Later Earlier Today "
    "Yesterday Tomorrow Last Next First Second Third Finally Once Until Unless Whether "
    "Into Through Throughout Toward Towards Upon Via Per Either Neither Several Few Much "
    "Any Dear Hello Welcome Please Read Watch See Click Jr Sr II III IV "
    f"Foreign Defence Defense Deputy Vice Prime Press Chief Staff State {_MONTHS_DAYS} "
    f"{_DEMONYMS}"
)
_TITLE_TOKENS = frozenset(w for t in TITLE_WORDS for w in t.split())
# A capitalised run containing one of these names a body, not a person ("Microsoft Corp").
_ORG_TOKENS = word_set(
    "Corp Corporation Inc Ltd Co Company Group Party Council Ministry Agency University "
    "Institute Bank Times Post News Journal Press Association Union Committee Commission "
    "Department Office Court Fund Foundation Airlines Motors Technologies Labs LLC Plc AG SA "
    "GmbH Reuters Associated Network Club Team School College Hospital Police Army Navy "
    "Insider Herald Tribune Guardian Telegraph Independent Mail Express Today Daily Weekly "
    "Magazine Review Gazette Chronicle Observer Wire Radio TV Television Channel Center Centre "
    "Studios Productions Records Entertainment Media Capital Partners Holdings Systems Series "
    "Democrats Republicans Conservatives Liberals Tories Socialists Greens Authority Services "
    "Service Administration Board Bureau Organisation Organization Force Forces Command "
    "Parliament Assembly Senate Congress Government Federation League Alliance Coalition "
    "Movement Front Church Society Trust Initiative Programme Program Utilities Embassy "
    "Museum Stadium Airport Prison County City Province Region District Amphitheatre "
    "Amphitheater Arena Avenue Street Road Square Pavilion Hall Theatre Theater Edition Finals "
    "Cup Reports Rights Statehouse"
)
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|to|from|into|near|outside|around|across|via|through|towards?|of|for|"
    r"visit|visits|visited|visiting)\s+(?:the\s+)?$",
    re.IGNORECASE,
)

# --- sentences ----------------------------------------------------------------------------

_SENTENCE_END = re.compile(rf"[.!?…][”\"’)\]]*[ \t]+(?=[“\"‘(\[0-9{UPPERCASE}])|\n")
_ABBREVIATIONS = word_set(
    "Mr Mrs Ms Dr St Jr Sr Gen Gov Sen Rep Lt Col Capt Prof No Mt Ft Inc Ltd Co Corp vs "
    "U.S U.N U.K E.U Jan Feb Aug Sept Sep Oct Nov Dec"
)
_WORD_BEFORE_DOT = re.compile(r"([\w.]+)\.$")


def sentence_starts(text: str) -> list[int]:
    """Offsets where sentences begin. Rule-based on purpose: a sentence index only has to be
    good enough to group facts, and a model would cost more than the rest of the pipeline."""
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        if text[m.start()] == ".":
            word = _WORD_BEFORE_DOT.search(text, max(0, m.start() - 12), m.start() + 1)
            if word and (word.group(1) in _ABBREVIATIONS or len(word.group(1)) == 1):
                continue
        starts.append(m.end())
    return starts


# --- reference ----------------------------------------------------------------------------


def reference_version(path: Path | None = None) -> str:
    """Content hash of the reference, so cached mentions are invalidated when it changes."""
    return hashlib.sha256((path or REFERENCE_PATH).read_bytes()).hexdigest()[:12]


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def _variants(alias: str) -> set[str]:
    """Spellings one alias stands for: sentence-initial capital, either apostrophe."""
    alias = unicodedata.normalize("NFC", alias)
    out = {alias, alias[0].upper() + alias[1:]}
    out |= {v.replace("’", "'") for v in out} | {v.replace("'", "’") for v in out}
    return out


def load_reference(path: Path | None = None) -> EntityIndex:
    path = path or REFERENCE_PATH
    entities: dict[str, Entity] = {}
    surface_to_ids: dict[str, tuple[str, ...]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            entity_id = row["entity_id"].strip()
            if entity_id in entities:
                raise ValueError(f"{path}: duplicate entity_id {entity_id}")
            if row["type"] not in ENTITY_TYPES:
                raise ValueError(f"{path}: {entity_id} has unknown type {row['type']!r}")
            name = row["name"].strip()
            aliases = tuple(dict.fromkeys((name, *_split(row.get("aliases")))))
            entities[entity_id] = Entity(
                entity_id=entity_id,
                name=name,
                type=row["type"],
                wikidata_id=(row.get("wikidata_id") or "").strip() or None,
                aliases=aliases,
                titles=tuple(t.lower() for t in _split(row.get("title"))),
                gender=(row.get("gender") or "").strip() or None,
                stands_for=(row.get("stands_for") or "").strip() or None,
            )
            for surface in {v for a in aliases for v in _variants(a)}:
                ids = surface_to_ids.get(surface, ())
                if entity_id not in ids:
                    surface_to_ids[surface] = (*ids, entity_id)
    for entity in entities.values():
        if entity.stands_for and entity.stands_for not in entities:
            raise ValueError(f"{path}: {entity.entity_id} stands for unknown {entity.stands_for}")
    body = _trie_regex(surface_to_ids)
    pattern = re.compile(rf"(?<!\w)(?:{body})(?!\w)")
    return EntityIndex(entities, surface_to_ids, pattern, reference_version(path))


# --- matching -----------------------------------------------------------------------------


def slugify(name: str) -> str:
    """ASCII-ish slug that survives accents ("Tánaiste" -> "tanaiste") so the same person
    spelt with or without diacritics gets one provisional id."""
    table = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "ß": "ss"})
    decomposed = unicodedata.normalize("NFKD", name.translate(table))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "-", plain.lower()).strip("-")


def provisional_id(name: str) -> str:
    return PROVISIONAL_PREFIX + slugify(name)


def _valid_token(token: str) -> bool:
    word = token.split(" ")[-1]
    return not (
        word in _STOP_TOKENS
        or word.lower() in _TITLE_TOKENS
        or (len(word) > 1 and word.isupper())
        or len(word) < 2
    )


def _name_run(name: str, from_end: bool) -> str:
    """Longest run of plausible name tokens at one end of a capitalised sequence: "German
    Chancellor Friedrich Merz" -> "Friedrich Merz" when the name sits before a verb."""
    tokens = _NAME_TOKEN.findall(name)
    run: list[str] = []
    for token in reversed(tokens) if from_end else tokens:
        if not _valid_token(token):
            break
        run.append(token)
    if from_end:
        run.reverse()
    return " ".join(run).strip()


def _names_before(text: str, anchors: Iterable[re.Match[str]]) -> Iterable[tuple[int, str]]:
    """(start, name) of a capitalised name ending right where each anchor begins."""
    for anchor in anchors:
        lo = max(0, anchor.start() - 100)
        window = text[lo : anchor.start()]  # "Big Machine, says": no, an appositive's end
        m = _NAME_AT_END.search(window)
        if m and not window[: m.start()].endswith(("the ", "The ")):  # "the … Authority said"
            yield lo + m.start(), m.group()


def _names_with_standalone_surname(text: str) -> list[tuple[int, int, str]]:
    """ "Taylor Swift posted …" then "Swift got …": a two- or three-word capitalised name
    whose last word also stands alone elsewhere is a person named and then referred to by
    surname, as news style does; "Big Machine" (never "Machine" alone) is not."""
    words = [(m.start(), m.end()) for m in _CAP_WORD.finditer(text)]
    runs: list[list[tuple[int, int]]] = []
    for start, end in words:
        if runs and text[runs[-1][-1][1] : start] == " ":
            runs[-1].append((start, end))
        else:
            runs.append([(start, end)])
    alone = {  # standing alone, or after a word that is no name ("Later Swift got …")
        text[r[-1][0] : r[-1][1]]
        for r in runs
        if len(r) == 1 or not _valid_token(text[r[-2][0] : r[-2][1]])
    }
    found = []
    common: set[str] | None = None  # words also written in lower case: "Why", "Getting"
    for whole in runs:
        if len(whole) > 2 and text[whole[-1][0] : whole[-1][1]] in _GENERATIONAL:
            whole = whole[:-1]  # "Patrick Carlineo Jr."
        if len(whole) < 2 or text[whole[-1][0] : whole[-1][1]] not in alone:
            continue
        run: list[tuple[int, int]] = []  # "Browns DL Sheldon Richardson" -> the name at its end
        for start, end in reversed(whole):
            if len(run) == 3 or not _valid_token(text[start:end]):
                break
            run.insert(0, (start, end))
        tokens = [text[s:e] for s, e in run]
        if len(run) < 2 or tokens[-1] not in alone:
            continue
        opens_sentence = _SENTENCE_OPENING.search(text, max(0, run[0][0] - 3), run[0][0])
        if opens_sentence and tokens[0].endswith(("ing", "ly")):
            continue  # "Getting Disney …": a capitalised first word proves little
        if common is None:
            common = set(_LOWER_WORD.findall(text))
        if not _ORG_TOKENS.intersection(tokens) and not common.intersection(
            t.lower() for t in tokens
        ):
            found.append((run[0][0], run[-1][1], " ".join(tokens)))
    return found


def _person_candidates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) for capitalised names that their context marks as people."""
    found: list[tuple[int, int, str]] = []
    for m in _TITLED_NAME.finditer(text):
        if text[m.end() : m.end() + 1] == "." and len(m.group()) > 4:
            continue  # "… said the spokesman. According to …": the title ended a sentence
        if not _ORG_TOKENS.intersection(m.group("name").split()):
            name = _name_run(m.group("name"), from_end=False)
            if name:
                found.append((m.start("name"), m.start("name") + len(name), name))
    raw = [(m.start("name"), m.group("name"), False) for m in _NAME_AFTER_VERB.finditer(text)]
    for anchors in (_VERB_ANCHOR.finditer(text), _ROLE_ANCHOR.finditer(text)):
        raw += [(start, name, True) for start, name in _names_before(text, anchors)]
    lone: set[str] = set()
    for start, raw_name, from_end in raw:
        if _ORG_TOKENS.intersection(raw_name.split()):
            continue
        name = _name_run(raw_name, from_end)
        start += len(raw_name) - len(name) if from_end else 0
        if len(name.split()) >= 2:
            found.append((start, start + len(name), name))
        elif name:
            lone.add(name)
    found += _names_with_standalone_surname(text)
    # "Onwurah said": a person if the article also writes "Chi Onwurah" somewhere, since a
    # lone capitalised word before "said" is as often a company or a country.
    for lone_name in lone:
        for m in re.finditer(rf"(?<![\w-]){re.escape(lone_name)}(?![\w-])", text):
            first = _TOKEN_AT_END.search(text, max(0, m.start() - 30), m.start())
            if first and _valid_token(first.group(1)) and first.group(1) not in _ORG_TOKENS:
                start = m.start() - len(first.group())
                found.append((start, m.end(), text[start : m.end()]))
                break
    return found


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


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
    people: list[tuple[str, str, str]] = []  # (first name, surname, id)
    for name in full_names:
        if name in ids:
            continue
        first, last = name.split()[0], surname(name)
        same = [
            pid
            for f, sn, pid in people
            if sn == last and (f.startswith(first) or first.startswith(f))
        ]
        ids[name] = same[0] if same else provisional_id(name)
        if not same:
            people.append((first, last, ids[name]))
    return ids


def _provisional_hits(text: str, index: EntityIndex, hits: list[Hit]) -> list[Hit]:
    """People the reference does not know: full names define ids, bare surnames join them."""
    taken = [(h[0], h[1]) for h in hits]
    seen = {h[2] for h in hits}
    candidates = sorted(
        (c for c in _person_candidates(text) if not _overlaps(taken, c[0], c[1])),
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
        if _overlaps(taken, start, end):
            continue
        taken.append((start, end))
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
    taken = [(h[0], h[1]) for h in hits]
    lookup = {h[2]: h for h in hits}
    out: list[Hit] = []
    # str.find per form rather than a regex: the forms differ per article, and compiling a
    # fresh pattern for each of 50k articles would cost more than the search.
    for form in sorted(usable, key=len, reverse=True):
        at = text.find(form)
        while at != -1:
            end = at + len(form)
            bounded = not _is_word_char(text, at - 1) and not _is_word_char(text, end)
            if bounded and not _overlaps(taken, at, end):
                _, _, eid, name, etype, resolved = lookup[usable[form]]
                out.append((at, end, eid, name, etype, resolved))
                taken.append((at, end))
            at = text.find(form, at + 1)
    return out


def _is_word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] in "_-")


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


# --- frames -------------------------------------------------------------------------------


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


def entity_type(entity_id: str, index: EntityIndex) -> str:
    """Type of any id, including provisional ones that only exist in the tables."""
    if entity_id in index.entities:
        return index.entities[entity_id].type
    return "person" if entity_id.startswith(PROVISIONAL_PREFIX) else "organisation"


def entities_frame(
    mentions: pl.DataFrame, index: EntityIndex, quotes: pl.DataFrame | None = None
) -> pl.DataFrame:
    """One row per entity seen in these articles; quote speakers count even when the
    speaker was never matched as a mention, so every speaker id joins to a row."""
    parts = [
        mentions.select(
            "article_id", "entity_id", pl.col("entity_name").alias("name"),
            pl.lit(1, pl.Int64).alias("is_mention"),
        )
    ]  # fmt: skip
    if quotes is not None and quotes.height:
        parts.append(
            quotes.filter(pl.col("speaker_entity_id").is_not_null()).select(
                "article_id", pl.col("speaker_entity_id").alias("entity_id"),
                pl.col("speaker_name").alias("name"), pl.lit(0, pl.Int64).alias("is_mention"),
            )
        )  # fmt: skip
    seen = pl.concat(parts)
    if seen.height == 0:
        return pl.DataFrame(schema=ENTITIES_SCHEMA)
    grouped = seen.group_by("entity_id").agg(
        pl.col("name").drop_nulls().mode().sort().first().alias("name"),
        pl.col("article_id").n_unique().alias("article_count"),
        pl.col("is_mention").sum().alias("mention_count"),
    )
    rows = []
    for entity_id, name, article_count, mention_count in grouped.iter_rows():
        known = index.entities.get(entity_id)
        rows.append(
            (
                entity_id,
                known.name if known else name,
                entity_type(entity_id, index),
                known.wikidata_id if known else None,
                article_count,
                mention_count,
                known is not None,
            )
        )
    return pl.DataFrame(rows, schema=ENTITIES_SCHEMA, orient="row").sort(
        ["mention_count", "entity_id"], descending=[True, False]
    )
