"""Caches of sentence vectors, so a text already embedded skips the encoder: on disk, keyed by
encoder and text, for re-runs (CachedEncoder); in memory, for the passes of one run
(RememberingEncoder).

The disk cache is SQLite in WAL mode: several worker processes may read and write at once, and
a run that is interrupted loses at most the batch it was encoding (each batch is committed on
its own).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Sequence

import numpy as np

from aligner.encoders.base import Encoder
from aligner.sqlite_store import SharedTable

BATCH = 2000


def default_cache_dir() -> Path:
    if os.environ.get("ALIGNER_CACHE_DIR"):
        return Path(os.environ["ALIGNER_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "aligner"


class CachedEncoder:
    """Wraps an encoder; vectors already computed for the same encoder and text come from disk."""

    def __init__(self, inner: Encoder, folder: Path) -> None:
        self.inner = inner
        self.name = inner.name
        self._table = SharedTable(Path(folder) / "vectors.sqlite", "BLOB")
        self.hits = self.misses = 0

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def _key(self, text: str) -> bytes:
        return hashlib.blake2b(f"{self.name}\x1f{text}".encode("utf-8"), digest_size=16).digest()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return self.inner.encode(texts)
        keys = [self._key(t) for t in texts]
        found = {k: np.frombuffer(v, dtype=np.float32) for k, v in self._table.get_many(list(dict.fromkeys(keys))).items()}
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in found))
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        for start in range(0, len(missing), BATCH):
            batch = missing[start:start + BATCH]
            vectors = self.inner.encode(batch).astype(np.float32)
            rows = [(self._key(t), v.tobytes()) for t, v in zip(batch, vectors)]
            self._table.put_many(rows)  # committed batch by batch: an interrupted run keeps them
            for (key, _), vector in zip(rows, vectors):
                found[key] = vector
        return np.stack([found[k] for k in keys])


class RememberingEncoder:
    """An encoder that keeps the vectors it has computed: the search run again around a
    repair's cuts asks for the sentences and runs it asked for before, and `make tune` aligns the
    same sets once per setting. A call with no known text goes to the encoder as it is; in a
    call with some, only the unknown texts are embedded, as a batch of their own. (The ONNX
    encoder's vectors depend a little on the batch, so such a vector can differ from a fresh
    call's in the last digits.)"""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.name = inner.name
        self._seen: dict[str, np.ndarray] = {}

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not any(text in self._seen for text in texts):
            vectors = self.inner.encode(texts)
            self._seen.update(zip(texts, vectors))
            return vectors
        missing = [text for text in dict.fromkeys(texts) if text not in self._seen]
        if missing:
            self._seen.update(zip(missing, self.inner.encode(missing)))
        return np.stack([self._seen[text] for text in texts])
