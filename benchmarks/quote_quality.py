"""Score quote extraction and speakers against hand-annotated gold sets.

Usage: python benchmarks/quote_quality.py [--set seeds|dev|test|aeb ...] [--corpora DIR] [-v]

Gold sets: the seeds (``tests/data/quotes_gold.json``, speakers as entity ids) and the pages
of ``benchmarks/quotes_gold/`` (speakers as a reader writes them; conventions in its
README). A predicted utterance matches a gold quote of the same page when one normalised
text starts with the other (the gold stores only the first words); the parts of one
utterance (same ``utterance_id``) count once. Speaker accuracy is the share of matched
quotes whose speaker is right: the gold entity id for the seeds; for the corpus sets, the
predicted speaker's name equal to the gold name or one of its other full names, or both
null for an unnamed source.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.corpora import DEFAULT_CORPORA, CorporaMissing, corpus_dir  # noqa: E402
from benchmarks.page_text import page_text  # noqa: E402
from benchmarks.sections import write_section  # noqa: E402
from newsfacts.facts.entities.reference import EntityIndex, load_reference  # noqa: E402
from newsfacts.facts.quotes.table import Quote, quotes_for_text  # noqa: E402

DEFAULT_SEEDS = REPO / "seeds" / "articles"
SEED_GOLD = REPO / "tests" / "data" / "quotes_gold.json"
GOLD_DIR = REPO / "benchmarks" / "quotes_gold"
CORPUS_SETS = ("dev", "test", "aeb")
BEGIN = "<!-- quote quality: written by benchmarks/quote_quality.py --markdown, kept by run.py -->"
END = "<!-- /quote quality -->"
_HONORIFIC = re.compile(
    r"^(?:mr|mrs|ms|miss|dr|prof|professor|sen|senator|rep|gov|governor|lt|gen|col|capt|"
    r"sir|dame|lord|lady|president|the)\.?\s+"
)


@dataclass(frozen=True)
class GoldQuote:
    page: str
    prefix: str
    is_partial: bool
    speaker_id: str | None = None  # seeds: the entity id
    speaker_names: tuple[str, ...] | None = None  # corpus sets: () for an unnamed source


@dataclass
class Scores:
    name: str = ""
    pages: int = 0
    gold: int = 0
    gold_full: int = 0
    predicted: int = 0
    matched: int = 0
    matched_full: int = 0
    right_speaker: int = 0
    right_partial: int = 0
    model_quotes: int = 0
    seconds_per_page: float = 0.0
    drifted: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    wrong_speaker: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def recall_full(self) -> float:
        return self.matched_full / self.gold_full if self.gold_full else 0.0

    @property
    def recall_partial(self) -> float:
        partial_gold = self.gold - self.gold_full
        return (self.matched - self.matched_full) / partial_gold if partial_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.right_speaker / self.matched if self.matched else 0.0


def normalise(text: str) -> str:
    """Compare words, not typography: quote styles and trailing commas differ by outlet."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"\s+", " ", text)
    return text.strip(" .,;:!?…\"'“”")


def name_key(name: str | None) -> str:
    """A speaker's name without case, accents, punctuation or honorifics."""
    if not name:
        return ""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    plain = re.sub(r"[^\w\s&-]+", " ", plain.replace("’", "'").replace("'s ", " "))
    plain = " ".join(plain.split())
    while (stripped := _HONORIFIC.sub("", plain)) != plain:
        plain = stripped
    return plain


def _same(predicted: str, gold_prefix: str) -> bool:
    p, g = normalise(predicted), normalise(gold_prefix)
    return bool(p and g) and (p.startswith(g) or g.startswith(p))


def _right_speaker(q: Quote, g: GoldQuote, index: EntityIndex) -> bool:
    if g.speaker_names is None:
        return q.speaker_entity_id == g.speaker_id
    if not g.speaker_names:
        return q.speaker_entity_id is None
    wanted = {name_key(n) for n in g.speaker_names}
    known = index.entities.get(q.speaker_entity_id or "")
    names = {q.speaker_name, *(known.aliases if known else ())}
    return bool(q.speaker_entity_id) and any(name_key(n) in wanted for n in names)


def _utterances(quotes: list[Quote]) -> list[list[Quote]]:
    groups: dict[int, list[Quote]] = {}
    for q in quotes:
        groups.setdefault(q.utterance, []).append(q)
    return list(groups.values())


def score(
    name: str, predicted: dict[str, list[Quote]], gold: list[GoldQuote], index: EntityIndex
) -> Scores:
    s = Scores(name=name, pages=len(predicted), gold=len(gold))
    s.gold_full = sum(not g.is_partial for g in gold)
    groups = {page: _utterances(qs) for page, qs in predicted.items()}
    s.predicted = sum(len(gs) for gs in groups.values())
    s.model_quotes = sum(any(q.speaker_method == "model" for q in g) for gs in groups.values()
                         for g in gs)  # fmt: skip
    used: set[tuple[str, int]] = set()
    for g in gold:
        found = next(
            (
                (i, q)
                for i, group in enumerate(groups.get(g.page, []))
                if (g.page, i) not in used
                for q in group
                if _same(q.quote_text, g.prefix)
            ),
            None,
        )
        if found is None:
            s.misses.append(f"{g.page}: {g.prefix!r}")
            continue
        i, q = found
        used.add((g.page, i))
        s.matched += 1
        s.matched_full += not g.is_partial
        s.right_partial += q.is_partial == g.is_partial
        if _right_speaker(q, g, index):
            s.right_speaker += 1
        else:
            want = g.speaker_id if g.speaker_names is None else (g.speaker_names or None)
            s.wrong_speaker.append(
                f"{g.page}: {g.prefix!r} -> {q.speaker_entity_id} ({q.speaker_name}, "
                f"{q.attribution}), gold {want}"
            )
    for page, gs in groups.items():
        s.extra += [f"{page}: {grp[0].quote_text[:60]!r}" for i, grp in enumerate(gs)
                    if (page, i) not in used]  # fmt: skip
    return s


def _seed_set(seeds: Path) -> tuple[dict[str, str], list[GoldQuote]]:
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))["quotes"]
    texts = {p.name[:3]: page_text(p) for p in sorted(seeds.iterdir()) if p.is_file()}
    quotes = [GoldQuote(g["article"], g["prefix"], g["is_partial"], g["speaker"]) for g in gold]
    return texts, quotes


def _corpus_set(name: str, corpora: Path) -> tuple[dict[str, str], list[GoldQuote], list[str]]:
    data = json.loads((GOLD_DIR / f"{name}.json").read_text(encoding="utf-8"))
    base = corpus_dir(corpora, data["corpus"]) / "html"
    texts: dict[str, str] = {}
    quotes: list[GoldQuote] = []
    drifted = []
    for page, entry in data["pages"].items():
        path = base / page if (base / page).exists() else base / f"{page}.gz"
        texts[page] = text = page_text(path)
        if hashlib.sha256(text.encode()).hexdigest() != entry.get("text_sha256", ""):
            drifted.append(page)
        for g in entry["quotes"]:
            names = (g["speaker"], *g.get("also", ())) if g["speaker"] else ()
            quotes.append(GoldQuote(page, g["prefix"], g["is_partial"], None, names))
    return texts, quotes, drifted


def evaluate(
    name: str = "seeds", corpora: Path = DEFAULT_CORPORA, seeds: Path = DEFAULT_SEEDS
) -> Scores:
    drifted: list[str] = []
    if name == "seeds":
        texts, gold = _seed_set(seeds)
    else:
        texts, gold, drifted = _corpus_set(name, corpora)
    index = load_reference()
    predicted: dict[str, list[Quote]] = {}
    elapsed = 0.0
    for timed in (False, True):  # the first pass compiles and caches regexes: not timed
        started = time.process_time()
        predicted = {page: quotes_for_text(text, index) for page, text in texts.items()}
        elapsed = time.process_time() - started if timed else 0.0
    result = score(name, predicted, gold, index)
    result.drifted = drifted
    result.seconds_per_page = elapsed / max(len(texts), 1)
    return result


def table(results: list[Scores]) -> str:
    lines = [
        "| set | pages | gold quotes (full) | emitted | precision | recall | full-quote recall "
        "| partial recall | speaker accuracy | ms/page |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in results:
        lines.append(
            f"| {s.name} | {s.pages} | {s.gold} ({s.gold_full}) | {s.predicted} "
            f"| {s.precision:.3f} | {s.recall:.3f} | {s.recall_full:.3f} "
            f"| {s.recall_partial:.3f} | {s.speaker_accuracy:.3f} ({s.right_speaker}/{s.matched}) "
            f"| {s.seconds_per_page * 1000:.1f} |"
        )
    return "\n".join(lines)


def section(results: list[Scores]) -> str:
    model = sum(s.model_quotes for s in results)
    emitted = sum(s.predicted for s in results)
    lines = [
        BEGIN,
        "## Quotes and speakers against the hand-annotated gold",
        "",
        "`python benchmarks/quote_quality.py --markdown benchmarks/RESULTS.md`; gold and its "
        "conventions in `benchmarks/quotes_gold/`. `dev` is what the rules were written on; "
        "`test` and `aeb` are held back (never read while writing rules).",
        "",
        table(results),
        "",
        f"Quotes whose speaker needed the trained model: {model} of {emitted} emitted "
        f"({model / max(emitted, 1):.1%}).",
        END,
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="sets", action="append", choices=("seeds", *CORPUS_SETS))
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every error")
    parser.add_argument("--markdown", type=Path, help="write the table into this RESULTS.md")
    args = parser.parse_args(argv)
    results = []
    for name in args.sets or ("seeds", *CORPUS_SETS):
        if name != "seeds" and not (GOLD_DIR / f"{name}.json").is_file():
            print(f"skipping {name}: no {GOLD_DIR / name}.json", file=sys.stderr)
            continue
        try:
            results.append(evaluate(name, args.corpora, args.seeds))
        except CorporaMissing as exc:
            print(f"skipping {name}: {exc}", file=sys.stderr)
    print(table(results))
    if args.markdown and not args.sets:  # a partial run would drop the other sets' rows
        write_section(args.markdown, section(results), BEGIN, END)
    for s in results:
        if s.drifted:
            print(f"{s.name}: clean text changed since annotation: {', '.join(s.drifted)}")
        if args.verbose:
            for label, rows in (("missed", s.misses), ("extra", s.extra),
                                ("speaker", s.wrong_speaker)):  # fmt: skip
                for row in rows:
                    print(f"  {s.name:5} {label:8} {row}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
