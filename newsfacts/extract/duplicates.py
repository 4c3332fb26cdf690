"""Near-duplicate articles: syndicated or lightly edited copies of one story share a group.

MinHash signatures of word 3-shingles are computed per document (cheap, cacheable, done in
the extraction workers); grouping then needs only the signatures, via LSH candidate pairs that
are kept when their estimated Jaccard similarity reaches the threshold. Groups are the
connected components, named after their smallest article id so they are stable across runs.

Signatures and bands are datasketch's (the tests compare them) and components scipy's, all
computed here with numpy: a rebuild is mostly fixed cost, and importing datasketch (which
pulls in `scipy.integrate`) and scipy's graph module in the main process would take a third
of a second of each one.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping, Sequence
from functools import cache

import numpy as np

NUM_PERM = 128
SHINGLE_WORDS = 3
# Edited wire copies measure ~0.4 on 3-word shingles; unrelated reports of one event < 0.05.
DEFAULT_THRESHOLD = 0.3
_WORD = re.compile(r"\w+")
# Quadrature nodes for the banding error integrals: their integrands are polynomials of
# degree bands * rows <= NUM_PERM, which Gauss-Legendre with this many nodes integrates exactly.
_NODES = NUM_PERM // 2 + 1
# MurmurHash3's 32-bit finaliser: shift, multiplier, shift, multiplier, shift.
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)
_EMPTY = 0xFFFFFFFF  # a signature position no shingle lowered


def _permutations(seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations h -> a*h + b (mod 2^32, `a` odd) of datasketch's "affine32"
    MinHash with this seed, drawn as it draws them."""
    draw = np.random.RandomState(seed)
    a = draw.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = draw.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


_A, _B = _permutations()


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + k]).encode() for i in range(len(words) - k + 1)}


def signature(text: str) -> list[int]:
    """datasketch's `MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32",
    hashfunc=zlib.crc32)` of the text's shingles. CRC-32 rather than datasketch's default
    SHA-1: a C call per shingle. The finaliser premixes it before permuting, so its spread is
    what the estimate assumes."""
    h = np.fromiter(map(zlib.crc32, shingles(text)), dtype=np.uint32)
    if h.size == 0:
        return [_EMPTY] * NUM_PERM
    shift1, multiply1, shift2, multiply2, shift3 = (np.uint32(c) for c in _FMIX32)
    h = (h ^ (h >> shift1)) * multiply1
    h = (h ^ (h >> shift2)) * multiply2
    h = h ^ (h >> shift3)
    return (h[:, None] * _A + _B).min(axis=0).tolist()


@cache
def _bands(threshold: float) -> tuple[int, int]:
    """datasketch's choice of (bands, rows per band) for this threshold (`MinHashLSH` with
    equal weights): the split of the signature with the least false-positive plus
    false-negative probability mass around the threshold, every split at once."""
    splits = [(b, r) for b in range(1, NUM_PERM + 1) for r in range(1, NUM_PERM // b + 1)]
    bands, rows = np.array(splits, dtype=np.float64).T[:, :, None]
    nodes, weights = np.polynomial.legendre.leggauss(_NODES)

    def integral(low: float, high: float, candidate: bool) -> np.ndarray:
        s = low + (high - low) / 2 * (nodes + 1)
        hit = 1 - (1 - s**rows) ** bands  # probability that a pair at similarity s is a candidate
        return (high - low) / 2 * ((hit if candidate else 1 - hit) @ weights)

    error = 0.5 * integral(0.0, threshold, True) + 0.5 * integral(threshold, 1.0, False)
    return splits[int(np.argmin(error))]  # the first of equal errors, as datasketch keeps it


def _smallest_in_component(n: int, edges: np.ndarray) -> np.ndarray:
    """For each of n nodes, the smallest node of its connected component. Each round hooks
    both ends of every edge to the smaller of their labels, then follows labels to their
    fixed point; a label is always a node of the same component no larger than the node, so
    at the end every component carries its smallest node."""
    label = np.arange(n)
    a, b = edges[:, 0], edges[:, 1]
    while True:
        low = np.minimum(label[a], label[b])
        hooked = label.copy()
        np.minimum.at(hooked, a, low)
        np.minimum.at(hooked, b, low)
        np.minimum.at(hooked, label[a], low)
        np.minimum.at(hooked, label[b], low)
        while not np.array_equal(jumped := hooked[hooked], hooked):
            hooked = jumped
        if np.array_equal(hooked, label):
            return label
        label = hooked


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
    return _smallest_in_component(n, np.concatenate(edges))


def duplicate_groups(
    signatures: Mapping[str, Sequence[int]], threshold: float = DEFAULT_THRESHOLD
) -> dict[str, str]:
    """Map every article id to its group id (its own id when it has no near-duplicate)."""
    ids = sorted(signatures)
    matrix = np.array([signatures[i] for i in ids], dtype=np.uint32).reshape(len(ids), NUM_PERM)
    index = duplicate_group_index(matrix, threshold)
    return {article_id: ids[i] for article_id, i in zip(ids, index, strict=True)}
