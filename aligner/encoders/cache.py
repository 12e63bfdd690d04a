"""An on-disk cache of sentence vectors keyed by encoder and text, so a re-run skips the encoder.

SQLite in WAL mode: several worker processes may read and write at once, and a run that is
interrupted loses at most the batch it was encoding (each batch is committed on its own).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Sequence

import numpy as np

from aligner.encoders.base import Encoder

CHUNK = 500


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
        self._path = Path(folder) / "vectors.sqlite"
        self._db: sqlite3.Connection | None = None
        self.hits = self.misses = 0

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self._path, timeout=60)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)")
            self._db = db
        return self._db

    def _key(self, text: str) -> bytes:
        return hashlib.blake2b(f"{self.name}\x1f{text}".encode("utf-8"), digest_size=16).digest()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return self.inner.encode(texts)
        db = self._connect()
        keys = [self._key(t) for t in texts]
        found: dict[bytes, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), CHUNK):
            chunk = unique[start:start + CHUNK]
            marks = ",".join("?" * len(chunk))
            for key, blob in db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in found))
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        for start in range(0, len(missing), CHUNK * 4):
            batch = missing[start:start + CHUNK * 4]
            vectors = self.inner.encode(batch).astype(np.float32)
            rows = [(self._key(t), v.tobytes()) for t, v in zip(batch, vectors)]
            with db:
                db.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?)", rows)
            for (key, _), vector in zip(rows, vectors):
                found[key] = vector
        return np.stack([found[k] for k in keys])
