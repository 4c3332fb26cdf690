"""Entity matching on the seeds and on small constructed cases."""

from __future__ import annotations

import csv
import pickle
import re
from pathlib import Path

import polars as pl
import pytest

from newsfacts.facts.entities.mentions import (
    MENTIONS_SCHEMA,
    Mention,
    find_mentions,
    mentions_frame,
)
from newsfacts.facts.entities.reference import (
    REFERENCE_PATH,
    EntityIndex,
    load_reference,
    provisional_id,
    reference_version,
    slugify,
)
from newsfacts.facts.entities.table import ENTITIES_SCHEMA, entities_frame


@pytest.fixture(scope="module")
def index() -> EntityIndex:
    return load_reference()


@pytest.fixture(scope="module")
def seed_mentions(seed_texts: dict[str, str], index: EntityIndex) -> dict[str, list[Mention]]:
    return {key: find_mentions(text, index) for key, text in seed_texts.items()}


def _ids(mentions: list[Mention]) -> set[str]:
    return {m.entity_id for m in mentions}


def test_every_spelling_of_zelenskyy_is_one_entity(seed_mentions: dict[str, list[Mention]]):
    found = [m for ms in seed_mentions.values() for m in ms if "Zelensk" in m.surface]
    assert {m.entity_id for m in found} == {"person:volodymyr-zelenskyy"}
    surfaces = {m.surface for m in found}
    assert {"Volodymyr Zelensky", "Volodymyr Zelenskyy", "Volodymyr Zelenskiy"} <= surfaces
    assert "Zelenskiy" in surfaces  # the "Mr Zelenskiy" of 003
    assert all(m.resolved for m in found)


def test_uk_and_britain_are_one_entity(seed_mentions: dict[str, list[Mention]]):
    uk_id = "place:united-kingdom"
    uk = {m.surface for ms in seed_mentions.values() for m in ms if m.entity_id == uk_id}
    assert {"UK", "Britain"} <= uk


def test_us_is_the_country_and_us_the_pronoun_is_not(
    seed_texts: dict[str, str], seed_mentions: dict[str, list[Mention]]
):
    for key in ("003", "004"):
        us = [m for m in seed_mentions[key] if m.entity_id == "place:united-states"]
        assert any(m.surface == "US" for m in us)
        assert all(m.surface != "us" for m in us)
    for key, phrase in (("003", "those of us"), ("004", "all of us")):
        at = seed_texts[key].index(phrase) + len(phrase) - 2
        assert not [m for m in seed_mentions[key] if m.start <= at < m.end]


def test_people_of_003_are_found_even_without_reference(seed_mentions: dict[str, list[Mention]]):
    by_id = {m.entity_id: m for m in seed_mentions["003"]}
    assert {"person:dmitry-peskov", "person:maria-zakharova"} <= set(by_id)
    kelley = by_id["nf:person:john-kelley"]
    assert kelley.name == "John Kelley" and not kelley.resolved and kelley.type == "person"


def test_titles_honorifics_and_possessives(
    seed_texts: dict[str, str], seed_mentions: dict[str, list[Mention]]
):
    def entity_at(key: str, phrase: str) -> str:
        at = seed_texts[key].index(phrase)
        return next(m.entity_id for m in seed_mentions[key] if m.start <= at < m.end)

    assert entity_at("003", "Simon Harris said") == "person:simon-harris"  # after "Tánaiste"
    assert entity_at("003", "Dmitry Peskov") == "person:dmitry-peskov"
    assert entity_at("003", "Kremlin spokesman") == "org:kremlin"
    assert entity_at("000", "Leavitt noted") == "person:karoline-leavitt"  # "Ms Leavitt"
    assert entity_at("000", "Ukraine’s military") == "place:ukraine"
    assert entity_at("004", "Macron’s comments") == "person:emmanuel-macron"


def test_longest_alias_wins(seed_mentions: dict[str, list[Mention]]):
    surfaces = {(m.surface, m.entity_id) for ms in seed_mentions.values() for m in ms}
    assert ("UN Security Council", "org:un-security-council") in surfaces
    assert ("U.N. Security Council", "org:un-security-council") in surfaces
    assert ("European Union", "org:european-union") in surfaces
    assert not any(m.surface == "UN" for m in seed_mentions["000"])


def test_surname_after_full_name_and_bracketed_first_name(
    seed_mentions: dict[str, list[Mention]],
):
    miller = [m for m in seed_mentions["004"] if m.entity_id == "nf:person:stephen-miller"]
    assert {m.surface for m in miller} == {"Stephen Miller", "Miller"}
    # "(Russian President Vladimir) Putin": the first name is Putin, not a new person.
    assert not any(m.entity_id.startswith("nf:") for m in seed_mentions["000"])


def test_washington_is_the_government_unless_it_is_a_place(
    seed_mentions: dict[str, list[Mention]],
):
    assert "place:united-states" in {
        m.entity_id for m in seed_mentions["003"] if m.surface == "Washington"
    }
    assert {m.entity_id for m in seed_mentions["004"] if m.surface == "Washington"} == {
        "place:washington-dc"
    }


def test_unknown_people_get_provisional_ids_that_surnames_join(index: EntityIndex):
    text = (
        "Foreign Minister Sergei Lavrov met envoys. “No deal,” Lavrov said. "
        "Jane Okafor, a Lagos resident, agreed. Okafor said so. Microsoft Corp said nothing."
    )
    found = {(m.surface, m.entity_id, m.resolved) for m in find_mentions(text, index)}
    assert ("Sergei Lavrov", "nf:person:sergei-lavrov", False) in found
    assert ("Lavrov", "nf:person:sergei-lavrov", False) in found
    assert ("Jane Okafor", "nf:person:jane-okafor", False) in found
    assert ("Okafor", "nf:person:jane-okafor", False) in found
    assert not any("microsoft" in eid for _, eid, _ in found)


def test_slugs_are_accent_free():
    assert slugify("Tánaiste Dovilė Šakalienė") == "tanaiste-dovile-sakaliene"
    assert provisional_id("Łukasz O’Brien") == "nf:person:lukasz-o-brien"


def test_shared_alias_goes_to_whoever_was_named_in_full(tmp_path: Path):
    path = tmp_path / "entities.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["entity_id", "name", "wikidata_id", "type", "aliases", "title"])
        writer.writerow(["person:simon-harris", "Simon Harris", "", "person", "Harris", ""])
        writer.writerow(["person:kamala-harris", "Kamala Harris", "", "person", "Harris", ""])
    index = load_reference(path)
    found = find_mentions("Kamala Harris spoke. Later Harris left.", index)
    assert [m.entity_id for m in found] == ["person:kamala-harris"] * 2
    assert find_mentions("Harris left.", index) == []  # no one to disambiguate with


def test_reference_is_well_formed_and_covers_the_seeds(index: EntityIndex):
    assert re.fullmatch(r"[0-9a-f]{12}", reference_version())
    with REFERENCE_PATH.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        assert re.fullmatch(r"(person|org|place|group):[a-z0-9-]+", row["entity_id"]), row
        assert row["wikidata_id"] == "" or re.fullmatch(r"Q[1-9]\d*", row["wikidata_id"])
    expected = {
        "person:kaja-kallas", "person:dovile-sakaliene", "person:karoline-leavitt",
        "person:simon-harris", "person:ursula-von-der-leyen", "person:donald-trump",
        "person:vladimir-putin", "person:volodymyr-zelenskyy", "person:emmanuel-macron",
        "person:friedrich-merz", "place:kyiv", "place:copenhagen", "place:brussels",
        "place:latvia", "place:lithuania", "place:pokrovsk", "place:toulon", "place:ireland",
        "org:un-security-council", "org:european-commission", "org:white-house",
        "org:kremlin", "org:afp", "org:deutsche-welle", "org:british-council",
    }  # fmt: skip
    assert expected <= set(index.entities)


def test_index_survives_pickling(index: EntityIndex, seed_texts: dict[str, str]):
    clone = pickle.loads(pickle.dumps(index))
    text = seed_texts["004"]
    assert find_mentions(text, clone) == find_mentions(text, index)


def test_frames_have_the_published_schema(seed_texts: dict[str, str], index: EntityIndex):
    articles = pl.DataFrame({"article_id": list(seed_texts), "text": list(seed_texts.values())})
    mentions = mentions_frame(articles, index)
    assert mentions.schema == pl.Schema(MENTIONS_SCHEMA)
    for row in mentions.iter_rows(named=True):
        assert seed_texts[row["article_id"]][row["start"] : row["end"]] == row["surface"]
    quotes = pl.DataFrame(
        {"article_id": ["004"], "speaker_entity_id": ["nf:person:only-speaks"],
         "speaker_name": ["Only Speaks"]}
    )  # fmt: skip
    entities = entities_frame(mentions, index, quotes)
    assert entities.schema == pl.Schema(ENTITIES_SCHEMA)
    assert entities["entity_id"].is_unique().all()
    zelenskyy = entities.filter(pl.col("entity_id") == "person:volodymyr-zelenskyy").row(
        0, named=True
    )
    assert zelenskyy["wikidata_id"] == "Q3874799" and zelenskyy["article_count"] == 5
    speaker = entities.filter(pl.col("entity_id") == "nf:person:only-speaks").row(0, named=True)
    assert speaker["mention_count"] == 0 and speaker["type"] == "person"
    assert not speaker["resolved"]


def test_empty_inputs_keep_their_schema(index: EntityIndex):
    empty_articles = pl.DataFrame(schema={"article_id": pl.String(), "text": pl.String()})
    mentions = mentions_frame(empty_articles, index)
    assert mentions.schema == pl.Schema(MENTIONS_SCHEMA) and mentions.height == 0
    entities = entities_frame(mentions, index)
    assert entities.schema == pl.Schema(ENTITIES_SCHEMA) and entities.height == 0
    assert find_mentions("", index) == []


def test_surname_used_alone_marks_a_person_but_not_in_other_languages(index: EntityIndex):
    text = "Taylor Swift posted a letter. Big Machine replied. Later Swift got support."
    found = {(m.surface, m.entity_id) for m in find_mentions(text, index)}
    assert ("Taylor Swift", "nf:person:taylor-swift") in found
    assert ("Swift", "nf:person:taylor-swift") in found
    assert not any("machine" in eid for _, eid in found)
    german = "Künstliche Intelligenz verändert alles. Intelligenz ist gefragt."
    assert find_mentions(german, index, provisional=False) == []
    articles = pl.DataFrame(
        {"article_id": ["en", "de"], "text": [text, text], "language": ["en", "de"]}
    )
    mentions = mentions_frame(articles, index)
    assert mentions.filter(pl.col("article_id") == "de").height == 0
    assert mentions.filter(pl.col("article_id") == "en").height >= 2
