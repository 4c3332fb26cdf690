"""How the text itself shows that a capitalised run is a person's name.

People missing from the reference are only counted when English news style marks them: a
title word before the name, a speech verb or a role appositive next to it, a surname later
used alone. This module holds those cues and the shapes a name may take, and yields the
candidate names they point at; matching and ids are left to the mentions module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsfacts.facts.entities.occurrences import not_overlapping, whole_word_starts
from newsfacts.facts.entities.regex_parts import UPPERCASE, _trie_regex, word_set

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
# "Erin Spiceland is a Software Engineer for SpaceX": a profile's way of naming its person.
_COPULA_ROLE_ANCHOR = re.compile(
    rf" (?:is|was|has been|had been) (?:an?|the) (?:[\w’'-]+ ){{0,4}}?(?i:{PERSON_NOUNS})\b"
)
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
    anchors_of = (_VERB_ANCHOR, _ROLE_ANCHOR, _COPULA_ROLE_ANCHOR)
    for anchors in (pattern.finditer(text) for pattern in anchors_of):
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
    printed = whole_word_starts(text, lone)
    for lone_name in lone:
        for at in not_overlapping(printed[lone_name], len(lone_name)):
            first = _TOKEN_AT_END.search(text, max(0, at - 30), at)
            if first and _valid_token(first.group(1)) and first.group(1) not in _ORG_TOKENS:
                start, end = at - len(first.group()), at + len(lone_name)
                found.append((start, end, text[start:end]))
                break
    return found
