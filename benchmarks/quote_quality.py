"""Score quote extraction against the hand-annotated gold in tests/data/quotes_gold.json.

Usage: python benchmarks/quote_quality.py [--seeds DIR] [--gold FILE]

A predicted quote matches a gold quote of the same article when one normalised text starts
with the other (the gold stores only the first words). Rows the extractor itself marks as
not speech (attribution "none") are left out of precision: they are published as terms and
titles, not as anyone's quote. Speaker accuracy is the share of matched quotes whose
speaker_entity_id equals the gold one (null for unnamed sources counts as a value).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from newsfacts.extract.text import extract  # noqa: E402
from newsfacts.facts.entities.mentions import find_mentions  # noqa: E402
from newsfacts.facts.entities.reference import load_reference  # noqa: E402
from newsfacts.facts.quotes.table import Quote, extract_quotes  # noqa: E402
from newsfacts.intake.formats import decode, detect_format  # noqa: E402

DEFAULT_SEEDS = REPO / "seeds" / "articles"
DEFAULT_GOLD = REPO / "tests" / "data" / "quotes_gold.json"


@dataclass
class Scores:
    gold: int = 0
    predicted: int = 0
    not_speech: int = 0
    matched: int = 0
    right_speaker: int = 0
    right_partial: int = 0
    seconds_per_article: float = 0.0
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


def seed_texts(seeds: Path) -> dict[str, str]:
    """Clean text per seed, keyed by the file's three-character prefix ("000" …)."""
    texts = {}
    for path in sorted(p for p in seeds.iterdir() if p.is_file()):
        data = path.read_bytes()
        raw, _encoding = decode(data)
        texts[path.name[:3]] = extract(raw, detect_format(data)).text
    return texts


def _same(predicted: str, gold_prefix: str) -> bool:
    p, g = normalise(predicted), normalise(gold_prefix)
    return bool(p and g) and (p.startswith(g) or g.startswith(p))


def score(predicted: dict[str, list[Quote]], gold: list[dict]) -> Scores:
    s = Scores(gold=len(gold))
    speech = {a: [q for q in qs if q.attribution != "none"] for a, qs in predicted.items()}
    s.predicted = sum(len(qs) for qs in speech.values())
    s.not_speech = sum(len(qs) for qs in predicted.values()) - s.predicted
    used: set[tuple[str, int]] = set()
    for g in gold:
        candidates = [
            (i, q)
            for i, q in enumerate(speech.get(g["article"], []))
            if (g["article"], i) not in used and _same(q.quote_text, g["prefix"])
        ]
        if not candidates:
            s.misses.append(f"{g['article']}: {g['prefix']!r}")
            continue
        i, q = candidates[0]
        used.add((g["article"], i))
        s.matched += 1
        s.right_partial += q.is_partial == g["is_partial"]
        if q.speaker_entity_id == g["speaker"]:
            s.right_speaker += 1
        else:
            s.wrong_speaker.append(
                f"{g['article']}: {g['prefix']!r} -> {q.speaker_entity_id} "
                f"({q.speaker_name}), gold {g['speaker']}"
            )
    for article, qs in speech.items():
        s.extra += [f"{article}: {q.quote_text[:50]!r}" for i, q in enumerate(qs)
                    if (article, i) not in used]  # fmt: skip
    return s


def evaluate(seeds: Path = DEFAULT_SEEDS, gold_path: Path = DEFAULT_GOLD) -> Scores:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["quotes"]
    texts = seed_texts(seeds)
    index = load_reference()
    predicted: dict[str, list[Quote]] = {}
    for timed in (False, True):  # the first pass compiles and caches regexes: not timed
        started = time.process_time()
        predicted = {
            article: extract_quotes(text, find_mentions(text, index), index)
            for article, text in texts.items()
        }
        elapsed = time.process_time() - started if timed else 0.0
    result = score(predicted, gold)
    result.seconds_per_article = elapsed / max(len(texts), 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    args = parser.parse_args(argv)
    s = evaluate(args.seeds, args.gold)
    print(f"gold quotes       {s.gold}")
    print(f"predicted quotes  {s.predicted}  (+{s.not_speech} marked not speech)")
    print(f"precision         {s.precision:.3f}")
    print(f"recall            {s.recall:.3f}")
    print(f"F1                {s.f1:.3f}")
    print(f"speaker accuracy  {s.speaker_accuracy:.3f}  ({s.right_speaker}/{s.matched})")
    print(f"is_partial right  {s.right_partial}/{s.matched}")
    print(f"CPU time          {s.seconds_per_article * 1000:.1f} ms/article (mentions + quotes)")
    for label, rows in (("missed", s.misses), ("extra", s.extra), ("speaker", s.wrong_speaker)):
        for row in rows:
            print(f"  {label:8} {row}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
