"""Quote extraction and attribution on the seeds, on constructed cases and against the gold."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import polars as pl
import pytest

from newsfacts.facts.entities.mentions import find_mentions, mentions_frame
from newsfacts.facts.entities.reference import EntityIndex, load_reference
from newsfacts.facts.quotes.table import (
    QUOTES_SCHEMA,
    Quote,
    extract_quotes,
    quote_id,
    quotes_frame,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def index() -> EntityIndex:
    return load_reference()


@pytest.fixture(scope="module")
def seed_quotes(seed_texts: dict[str, str], index: EntityIndex) -> dict[str, list[Quote]]:
    return {k: extract_quotes(t, find_mentions(t, index), index) for k, t in seed_texts.items()}


def _quotes(text: str, index: EntityIndex) -> list[Quote]:
    return extract_quotes(text, find_mentions(text, index), index)


def _find(quotes: list[Quote], prefix: str) -> Quote:
    return next(q for q in quotes if q.quote_text.startswith(prefix))


def test_offsets_index_the_clean_text(
    seed_texts: dict[str, str], seed_quotes: dict[str, list[Quote]]
):
    for key, quotes in seed_quotes.items():
        assert quotes, key
        for q in quotes:
            assert seed_texts[key][q.start : q.end] == q.text


def test_every_quote_of_001_has_its_speaker(seed_quotes: dict[str, list[Quote]]):
    expected = [
        ("Everybody understands", "person:kaja-kallas", "explicit"),
        ("was not happy", "person:karoline-leavitt", "pronoun"),
        ("Perhaps both sides", "person:karoline-leavitt", "explicit"),
        ("The president wants", "person:karoline-leavitt", "continuation"),
        ("We are discussing", "person:kaja-kallas", "explicit"),
        ("naive", "person:dovile-sakaliene", "explicit"),
        ("all Putin is doing", "person:dovile-sakaliene", "explicit"),
        ("That is one power we are not using enough yet", "person:dovile-sakaliene", "pronoun"),
        ("Over $200 billion", "person:dovile-sakaliene", "continuation"),
        ("It’s imperative", "person:simon-harris", "pronoun"),
    ]
    got = [(q.quote_text, q.speaker_entity_id, q.attribution) for q in seed_quotes["001"]]
    assert len(got) == len(expected)
    for (text, speaker, how), (prefix, want, want_how) in zip(got, expected, strict=True):
        assert text.startswith(prefix) and (speaker, how) == (want, want_how), text


def test_people_of_003_are_credited(seed_quotes: dict[str, list[Quote]]):
    quotes = seed_quotes["003"]
    assert _find(quotes, "The United States calls").speaker_entity_id == "nf:person:john-kelley"
    kelley_again = _find(quotes, "Russia must decide now")
    assert (kelley_again.speaker_entity_id, kelley_again.attribution) == (
        "nf:person:john-kelley",
        "pronoun",
    )
    assert _find(quotes, "Putin does not rule out").speaker_entity_id == "person:dmitry-peskov"
    assert _find(quotes, "Unfortunately").speaker_entity_id == "person:dmitry-peskov"
    assert _find(quotes, "Security guarantees").speaker_entity_id == "person:maria-zakharova"
    this_line = _find(quotes, "This line [of proposals]")
    assert (this_line.speaker_entity_id, this_line.attribution) == (
        "person:maria-zakharova",
        "continuation",
    )


def test_quote_split_around_its_attribution_is_one_row(
    seed_texts: dict[str, str], seed_quotes: dict[str, list[Quote]]
):
    rows = [q for q in seed_quotes["004"] if "Secondly" in q.text or "financial pain" in q.text]
    assert len(rows) == 1
    q = rows[0]
    assert q.text == seed_texts["004"][q.start : q.end]
    assert "said Sakaliene" in q.text and "said Sakaliene" not in q.quote_text
    assert q.quote_text.startswith("Secondly, of course, financial pain to Russia.")
    assert (q.speaker_entity_id, q.is_partial) == ("person:dovile-sakaliene", False)


def test_unbalanced_mark_does_not_swallow_the_article(seed_quotes: dict[str, list[Quote]]):
    quotes = seed_quotes["004"]
    assert all("\n" not in q.text for q in quotes)
    assert not [q for q in quotes if q.paragraph_index == 9]  # “coalition of willing’ headline


def test_terms_and_unnamed_sources(seed_quotes: dict[str, list[Quote]]):
    quotes = seed_quotes["004"]
    term = _find(quotes, "coalition of the willing")
    assert (term.attribution, term.is_partial, term.speaker_entity_id) == ("none", True, None)
    anonymous = _find(quotes, "President Trump and his national security team")
    assert anonymous.speaker_entity_id is None
    assert anonymous.speaker_name == "an anonymous White House official"
    assert anonymous.attribution == "explicit"


def test_partial_quotes_keep_their_speaker(seed_quotes: dict[str, list[Quote]]):
    for key, prefix, speaker in (
        ("000", "naive", "person:dovile-sakaliene"),
        ("002", "come to the negotiating table", "person:ursula-von-der-leyen"),
        ("002", "an important role", "person:ursula-von-der-leyen"),  # "The Commission chief"
        ("003", "cast doubt", "place:united-states"),
        ("004", "played", "person:emmanuel-macron"),
        ("004", "two weeks", "person:donald-trump"),
    ):
        q = _find(seed_quotes[key], prefix)
        assert (q.is_partial, q.speaker_entity_id) == (True, speaker), (key, prefix)


def test_quote_running_over_paragraphs_is_one_row(index: EntityIndex):
    text = (
        "Minister Jane Okafor said: “We will not stop.\n"
        "“We will keep going until it is done,” she added.\n"
        "Nothing else happened."
    )
    quotes = _quotes(text, index)
    assert len(quotes) == 1
    q = quotes[0]
    assert text[q.start : q.end] == q.text
    assert q.quote_text == "We will not stop.\nWe will keep going until it is done"
    assert (q.speaker_entity_id, q.paragraph_index) == ("nf:person:jane-okafor", 0)


def test_straight_quotes_and_gendered_pronouns(index: EntityIndex):
    text = (
        'Kaja Kallas met Donald Trump. "We agreed on nothing," she said.\n'
        '"Nothing at all," Mr Trump added. "It was a long day."'
    )
    quotes = _quotes(text, index)
    assert [(q.quote_text, q.speaker_entity_id, q.attribution) for q in quotes] == [
        ("We agreed on nothing", "person:kaja-kallas", "pronoun"),
        ("Nothing at all", "person:donald-trump", "explicit"),
        ("It was a long day.", "person:donald-trump", "continuation"),
    ]


def test_stray_marks_and_titles_are_not_speech(index: EntityIndex):
    text = (
        "Critics loved “The Crown” and “Mrs Maisel” this year.\n"
        "He said “this never closes and the rest of the article is not a quote.\n"
        "Another paragraph follows."
    )
    quotes = _quotes(text, index)
    assert [(q.quote_text, q.attribution) for q in quotes] == [
        ("The Crown", "none"),
        ("Mrs Maisel", "none"),
    ]


def test_quote_ids_are_stable_and_frame_has_schema(seed_texts: dict[str, str], index: EntityIndex):
    articles = pl.DataFrame({"article_id": list(seed_texts), "text": list(seed_texts.values())})
    frame = quotes_frame(articles, mentions_frame(articles, index), index)
    assert frame.schema == pl.Schema(QUOTES_SCHEMA)
    assert frame["quote_id"].is_unique().all()
    row = frame.row(0, named=True)
    assert row["quote_id"] == quote_id(row["article_id"], row["start"], row["end"])
    assert set(frame["attribution"]) <= {"explicit", "pronoun", "continuation", "context", "none"}
    texts = dict(zip(articles["article_id"], articles["text"], strict=True))
    for r in frame.iter_rows(named=True):
        assert texts[r["article_id"]][r["start"] : r["end"]] == r["text"]
    empty = quotes_frame(articles.clear(), mentions_frame(articles.clear(), index), index)
    assert empty.schema == pl.Schema(QUOTES_SCHEMA) and empty.height == 0


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "quote_quality", REPO / "benchmarks" / "quote_quality.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def test_quality_against_hand_annotated_gold():
    scores = _benchmark().evaluate()
    assert scores.gold == 55
    assert scores.recall >= 0.9, scores.misses
    assert scores.precision >= 0.9, scores.extra
    assert scores.speaker_accuracy >= 0.9, scores.wrong_speaker


@pytest.mark.corpus
def test_quality_on_the_hand_annotated_corpus_pages(corpora: Path):
    # A floor under what benchmarks/RESULTS.md reports for the dev pages, so a change that
    # makes the rules worse on real news fails here before it is measured there.
    scores = _benchmark().evaluate("dev", corpora)
    assert not scores.drifted, scores.drifted
    assert scores.recall_full >= 0.95, scores.misses
    assert scores.precision >= 0.9, scores.extra
    assert scores.speaker_accuracy >= 0.85, scores.wrong_speaker


@pytest.mark.corpus
def test_real_pages_do_not_break_extraction(corpora: Path, index: EntityIndex):
    from newsfacts.extract.text import ExtractionError, extract_html

    pages = sorted((corpora / "trafilatura-cache" / "html").glob("*.html"))[:40]
    if not pages:
        pytest.skip("no cached HTML pages")
    for page in pages:
        try:
            text = extract_html(page.read_text(encoding="utf-8", errors="replace")).text
        except ExtractionError:
            continue
        for q in _quotes(text, index):
            assert text[q.start : q.end] == q.text, page.name
            assert q.text.count("\n") <= 8, page.name


def test_ap_marks_and_quotation_interrupted_by_an_embedded_post(index: EntityIndex):
    text = (
        "“It was an attempt to mislead voters,’’ Will Moy, chief executive of Full Fact, told "
        "the BBC.\n"
        'Tottenham said in a statement: "Jose is one of the best managers.\n'
        '"He has won titles in four countries.\n'
        "Club statement\n"
        '"He is the right man for us."'
    )
    quotes = _quotes(text, index)
    assert [(q.quote_text, q.speaker_entity_id, q.speaker_name, q.attribution) for q in quotes] == [
        ("It was an attempt to mislead voters", "nf:person:will-moy", "Will Moy", "explicit"),
        (
            "Jose is one of the best managers.\nHe has won titles in four countries.",
            "nf:org:tottenham",  # a body the reference lacks: provisional, same id everywhere
            "Tottenham",
            "explicit",
        ),
        ("He is the right man for us.", "nf:org:tottenham", "Tottenham", "continuation"),
    ]
    assert all(text[q.start : q.end] == q.text for q in quotes)


def test_pronoun_prefers_the_subject_of_the_last_sentence(index: EntityIndex):
    text = (
        "Sonya A. Zoghlin, the defendant’s attorney, told reporters her client meant no harm "
        "to Ilhan Omar.\n"
        "“He regrets it,” she said."
    )
    (q,) = _quotes(text, index)
    assert (q.speaker_entity_id, q.attribution) == ("nf:person:sonya-a-zoghlin", "pronoun")
