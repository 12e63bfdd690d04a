"""Documents already aligned: a re-run of the same input skips splitting, encoding and search.

Keyed by everything the result depends on: the input text, languages, the encoder, the
parameters, and a fingerprint of the aligner's own code and models, so a changed program
never serves a stale alignment. Stored as JSON in SQLite beside the vector cache
(aligner.sqlite_store: shared by worker processes; an interrupted run keeps what it stored).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from aligner.align import AlignParams
from aligner.data import Alignment
from aligner.documents import TextPair
from aligner.results import alignment_from_lines, alignment_lines
from aligner.sqlite_store import SharedTable

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
        self._table = SharedTable(Path(folder) / "alignments.sqlite", "TEXT")

    @staticmethod
    def key(pair: TextPair, presplit: bool, encoder_name: str, params: AlignParams) -> str:
        parts = [code_fingerprint(), encoder_name, repr(params), str(presplit), pair.src_lang, pair.tgt_lang,
                 pair.src, pair.tgt, " ".join(pair.src_kinds), " ".join(pair.tgt_kinds)]
        return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=20).hexdigest()

    def get(self, key: str, name: str) -> Alignment | None:
        value = self._table.get_many([key]).get(key)
        return None if value is None else alignment_from_lines(value.split("\n"), name)

    def put(self, key: str, alignment: Alignment) -> None:
        """Stored as a results folder stores a document (results.alignment_lines), one JSON line each."""
        self._table.put_many([(key, "\n".join(alignment_lines(alignment, key)))])
