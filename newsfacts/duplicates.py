"""Near-duplicate articles: syndicated or lightly edited copies of one story share a group.

MinHash signatures of word 3-shingles are computed per document (cheap, cacheable, done in
the extraction workers); grouping then needs only the signatures, via LSH candidate pairs that
are kept when their estimated Jaccard similarity reaches the threshold. Groups are the
connected components, named after their smallest article id so they are stable across runs.
"""

from __future__ import annotations

import re

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 128
SCHEME = "affine32"
SHINGLE_WORDS = 3
# Edited wire copies measure ~0.4 on 3-word shingles; unrelated reports of one event < 0.05.
DEFAULT_THRESHOLD = 0.3
_WORD = re.compile(r"\w+")


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + k]).encode() for i in range(len(words) - k + 1)}


def signature(text: str) -> list[int]:
    minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    minhash.update_batch(list(shingles(text)))
    return [int(v) for v in minhash.hashvalues]


def _lean(values: list[int]) -> LeanMinHash:
    return LeanMinHash(seed=1, hashvalues=np.asarray(values, dtype=np.uint64), scheme=SCHEME)


def duplicate_groups(
    signatures: dict[str, list[int]], threshold: float = DEFAULT_THRESHOLD
) -> dict[str, str]:
    """Map every article id to its group id (its own id when it has no near-duplicate)."""
    parent = {article_id: article_id for article_id in signatures}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    hashes = {aid: _lean(values) for aid, values in sorted(signatures.items())}
    for article_id, minhash in hashes.items():
        for other in lsh.query(minhash):
            a, b = find(article_id), find(other)
            # Already one group: the similarity could not change anything, skip computing it
            # (syndicated stories have hundreds of copies, each a candidate of every other).
            if a != b and minhash.jaccard(hashes[other]) >= threshold:
                parent[max(a, b)] = min(a, b)
        lsh.insert(article_id, minhash)
    return {article_id: find(article_id) for article_id in signatures}
