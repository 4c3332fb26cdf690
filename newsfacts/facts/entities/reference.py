"""The hand-kept reference of known entities, and the ids of people it does not know.

Every entity id the pipeline emits is either a reference row or a provisional person id
derived from a normalised name; this module owns both, so ids stay stable across runs and
the reference's content hash can invalidate cached mentions when the table changes.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from newsfacts.facts.entities.regex_parts import _trie_regex

REFERENCE_PATH = Path(__file__).resolve().parents[3] / "seeds" / "reference" / "entities.csv"
ENTITY_TYPES = frozenset({"person", "organisation", "place", "group"})
PROVISIONAL_PREFIX = "nf:person:"
PROVISIONAL_ORG_PREFIX = "nf:org:"


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
class EntityIndex:
    """Everything matching needs, picklable so worker processes can receive it."""

    entities: dict[str, Entity]
    surface_to_ids: dict[str, tuple[str, ...]]
    pattern: re.Pattern[str]
    version: str


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


def slugify(name: str) -> str:
    """ASCII-ish slug that survives accents ("Tánaiste" -> "tanaiste") so the same person
    spelt with or without diacritics gets one provisional id."""
    table = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "ß": "ss"})
    decomposed = unicodedata.normalize("NFKD", name.translate(table))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "-", plain.lower()).strip("-")


def provisional_id(name: str, kind: str = "person") -> str:
    """Stable across articles: the same name always gives the same id."""
    return (PROVISIONAL_ORG_PREFIX if kind == "organisation" else PROVISIONAL_PREFIX) + slugify(
        name
    )


def entity_type(entity_id: str, index: EntityIndex) -> str:
    """Type of any id, including provisional ones that only exist in the tables."""
    if entity_id in index.entities:
        return index.entities[entity_id].type
    return "person" if entity_id.startswith(PROVISIONAL_PREFIX) else "organisation"
