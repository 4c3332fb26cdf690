"""Near-duplicate articles: syndicated or lightly edited copies of one story share a group.

MinHash signatures of word 3-shingles are computed per document (cheap, cacheable, done in
the extraction workers); grouping then needs only the signatures, via LSH candidate pairs that
are kept when their estimated Jaccard similarity reaches the threshold. Groups are the
connected components, named after their smallest article id so they are stable across runs.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping, Sequence

import numpy as np
from datasketch import MinHash, MinHashLSH
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

NUM_PERM = 128
SCHEME = "affine32"
SHINGLE_WORDS = 3
# Edited wire copies measure ~0.4 on 3-word shingles; unrelated reports of one event < 0.05.
DEFAULT_THRESHOLD = 0.3
_WORD = re.compile(r"\w+")
# One set of permutations for every signature: drawing them is most of a MinHash's set-up.
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + k]).encode() for i in range(len(words) - k + 1)}


def signature(text: str) -> list[int]:
    # CRC-32 instead of datasketch's default SHA-1: a C call per shingle, not a Python
    # function, at half the cost of the whole signature. The scheme premixes the 32-bit hash
    # (MurmurHash3 finaliser) before permuting, so its spread is what the estimate assumes.
    minhash = MinHash(
        num_perm=NUM_PERM,
        seed=1,
        scheme=SCHEME,
        hashfunc=zlib.crc32,
        permutations=_PERMUTATIONS,
    )
    minhash.update_batch(list(shingles(text)))
    return minhash.hashvalues.tolist()


def _bands(threshold: float) -> tuple[int, int]:
    """datasketch's choice of (bands, rows per band) for this threshold."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def _band_keys(matrix: np.ndarray, band: int, rows: int) -> np.ndarray:
    """One 64-bit key per row for its values in this band. Two bands with different values
    may share a key (odds 2^-64): that only adds a candidate pair, which is then measured."""
    keys = np.zeros(matrix.shape[0], dtype=np.uint64)
    for column in range(band * rows, (band + 1) * rows):
        keys = keys * np.uint64(0x9E3779B97F4A7C15) + matrix[:, column].astype(np.uint64)
    return keys


def _similar(matrix: np.ndarray, a: np.ndarray, b: np.ndarray, threshold: float) -> np.ndarray:
    """Estimated Jaccard ≥ threshold for each pair (a[i], b[i]), as datasketch estimates it:
    the share of equal signature positions."""
    out = np.empty(len(a), dtype=bool)
    step = 1 << 16  # pairs per slice: two slices of the matrix stay a few MB
    for start in range(0, len(a), step):
        x, y = matrix[a[start : start + step]], matrix[b[start : start + step]]
        out[start : start + step] = (x == y).mean(axis=1) >= threshold
    return out


def duplicate_group_index(matrix: np.ndarray, threshold: float = DEFAULT_THRESHOLD) -> np.ndarray:
    """For signatures as rows (in the order of sorted ids), the row index of each row's group
    name: the smallest row of its connected component.

    The components are those of the graph whose edges are LSH candidate pairs (rows equal on
    some band) with an estimated similarity ≥ threshold. Testing every candidate pair is
    quadratic in a bucket, and a wire story's bucket holds every syndicated copy (hundreds at
    50k documents); so each bucket's members are tested against its first member only, and a
    member that fails is tested against every other member of the bucket. That finds every
    edge between members that are not already in one component, so the components are the
    same as with all pairs.
    """
    n = matrix.shape[0]
    if n == 0:
        return np.empty(0, dtype=np.int64)
    bands, rows = _bands(threshold)
    heads = np.empty((bands, n), dtype=np.int64)
    for band in range(bands):
        _, first, bucket = np.unique(_band_keys(matrix, band, rows), True, True)
        heads[band] = first[bucket.ravel()]  # rows are in id order: first = smallest
    band_of, member = np.nonzero(heads != np.arange(n))
    head = heads[band_of, member]
    if len(member) == 0:
        return np.arange(n)
    codes, inverse = np.unique(head * n + member, return_inverse=True)
    pairs = np.column_stack([codes // n, codes % n])
    passed = _similar(matrix, pairs[:, 0], pairs[:, 1], threshold)
    edges = [pairs[passed]]
    # A member unlike its bucket's first row may still be like another member of the bucket.
    failed = ~passed[inverse.ravel()]
    for band, first_row, row in zip(band_of[failed], head[failed], member[failed], strict=True):
        others = np.flatnonzero(heads[band] == first_row)
        others = others[(others != row) & (others != first_row)]
        near = others[_similar(matrix, np.full(len(others), row), others, threshold)]
        edges.append(np.column_stack([np.full(len(near), row), near]))
    edge = np.concatenate(edges)
    graph = coo_matrix((np.ones(len(edge), dtype=np.int8), (edge[:, 0], edge[:, 1])), (n, n))
    _, component = connected_components(graph, directed=False)
    smallest = np.full(component.max() + 1, n, dtype=np.int64)
    np.minimum.at(smallest, component, np.arange(n))
    return smallest[component]


def duplicate_groups(
    signatures: Mapping[str, Sequence[int]], threshold: float = DEFAULT_THRESHOLD
) -> dict[str, str]:
    """Map every article id to its group id (its own id when it has no near-duplicate)."""
    ids = sorted(signatures)
    matrix = np.array([signatures[i] for i in ids], dtype=np.uint32).reshape(len(ids), NUM_PERM)
    index = duplicate_group_index(matrix, threshold)
    return {article_id: ids[i] for article_id, i in zip(ids, index, strict=True)}
