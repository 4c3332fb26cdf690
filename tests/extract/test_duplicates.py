from __future__ import annotations

import numpy as np

from newsfacts.extract.duplicates import (
    NUM_PERM,
    _bands,
    _smallest_in_component,
    duplicate_groups,
    shingles,
    signature,
)


def test_edited_wire_copies_group_and_other_reports_do_not(seed_texts: dict[str, str]) -> None:
    groups = duplicate_groups({k: signature(v) for k, v in seed_texts.items()})
    assert groups["000"] == groups["001"] == "000"
    assert groups["003"] == "003"
    assert groups["004"] == "004"
    assert groups["002"] == "002"


def test_a_lightly_edited_copy_joins_its_original(seed_texts: dict[str, str]) -> None:
    original = seed_texts["003"]
    edited = original.replace("Kyiv", "Kiev").replace("said", "says")
    groups = duplicate_groups({"a": signature(original), "b": signature(edited)})
    assert groups == {"a": "a", "b": "a"}


def test_short_texts_still_have_shingles() -> None:
    assert shingles("Two words") == {b"two words"}
    assert shingles("") == set()


def test_bands_are_datasketchs_choice_for_every_threshold_it_accepts() -> None:
    from datasketch import MinHashLSH

    for percent in range(1, 100):
        threshold = percent / 100
        try:
            lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        except ValueError:  # datasketch refuses splits of one band
            continue
        assert _bands(threshold) == (lsh.b, lsh.r), threshold


def test_components_carry_their_smallest_node_as_scipy_finds_them() -> None:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    rng = np.random.default_rng(7)
    graphs = [(5000, np.column_stack([np.arange(4999, 0, -1), np.arange(4998, -1, -1)]))]
    for _ in range(200):
        n = int(rng.integers(1, 400))
        graphs.append((n, rng.integers(0, n, (int(rng.integers(1, 600)), 2))))
    for n, edges in graphs:
        ones = np.ones(len(edges), dtype=np.int8)
        graph = coo_matrix((ones, (edges[:, 0], edges[:, 1])), shape=(n, n))
        _, component = connected_components(graph, directed=False)
        smallest = np.full(component.max() + 1, n)
        np.minimum.at(smallest, component, np.arange(n))
        assert np.array_equal(_smallest_in_component(n, edges), smallest[component])


def test_signatures_are_datasketchs_minhash(seed_texts: dict[str, str]) -> None:
    import random
    import zlib

    from datasketch import MinHash

    permutations = MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32").permutations
    draw = random.Random(3)
    words = ["Kyiv", "said", "€5m", "the", "troops", "Zelenskyy", "1,000", "U.N."]
    texts = ["", "one", "two words", *seed_texts.values()]
    texts += [" ".join(draw.choices(words, k=draw.randint(0, 300))) for _ in range(100)]
    for text in texts:
        reference = MinHash(
            num_perm=NUM_PERM,
            seed=1,
            scheme="affine32",
            hashfunc=zlib.crc32,
            permutations=permutations,
        )
        reference.update_batch(list(shingles(text)))
        assert signature(text) == reference.hashvalues.tolist(), text[:80]
