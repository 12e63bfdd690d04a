"""Documents already aligned: a re-run of the same input skips splitting, encoding and search.

Keyed by everything the result depends on: the input text, languages, the encoder, the
parameters, and a fingerprint of the aligner's own code and models, so a changed program
never serves a stale alignment. Stored as JSON in SQLite beside the vector cache (WAL mode:
shared safely between worker processes; an interrupted run loses nothing already stored).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from aligner.align import AlignParams
from aligner.data import Alignment, Bead, Document, Sentence
from aligner.documents import TextPair

PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the aligner's source and models: any change to them invalidates the cache."""
    digest = hashlib.blake2b(digest_size=16)
    files = sorted(PACKAGE.rglob("*.py")) + sorted((PACKAGE.parent / "models").glob("*.json"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class AlignmentCache:
    def __init__(self, folder: Path) -> None:
        self._path = Path(folder) / "alignments.sqlite"
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self._path, timeout=60)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS alignments (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            self._db = db
        return self._db

    @staticmethod
    def key(pair: TextPair, presplit: bool, encoder_name: str, params: AlignParams) -> str:
        parts = [code_fingerprint(), encoder_name, repr(params), str(presplit), pair.src_lang, pair.tgt_lang,
                 pair.src, pair.tgt]
        return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=20).hexdigest()

    def get(self, key: str, name: str) -> Alignment | None:
        row = self._connect().execute("SELECT value FROM alignments WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        data = json.loads(row[0])
        document = Document(name, data["src_lang"], data["tgt_lang"],
                            [Sentence(*s) for s in data["src"]], [Sentence(*s) for s in data["tgt"]])
        return Alignment(document, [Bead(tuple(b[0]), tuple(b[1]), b[2]) for b in data["beads"]])

    def put(self, key: str, alignment: Alignment) -> None:
        doc = alignment.document
        value = json.dumps({
            "src_lang": doc.src_lang, "tgt_lang": doc.tgt_lang,
            "src": [list(asdict(s).values()) for s in doc.src], "tgt": [list(asdict(s).values()) for s in doc.tgt],
            "beads": [[list(b.src), list(b.tgt), b.score] for b in alignment.beads],
        }, ensure_ascii=False)
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO alignments VALUES (?, ?)", (key, value))
