"""Any sentence-transformers model, by name or local path (`--encoder st:PATH`).

An optional extra (`pip install aligner[st]`, which pins torch): nothing is downloaded at run
time, so a name must already be in the local Hugging Face cache.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from aligner.encoders.base import normalise_rows
from aligner.errors import InputError

BATCH = 64


class SentenceTransformerEncoder:
    def __init__(self, model: str) -> None:
        local = Path(model).expanduser()
        self._path = str(local.resolve()) if local.exists() else model
        self.name = f"st:{self._path}"  # a local model is named by its absolute path (cache keys)
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError:
                raise InputError("--encoder", "sentence-transformers is not installed; pip install 'aligner[st]'") from None
            self._model = SentenceTransformer(self._path, device="cpu", local_files_only=True)
        return self._model

    @property
    def dimension(self) -> int:
        return int(self._load().get_sentence_embedding_dimension())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._load().encode(list(texts), batch_size=BATCH, convert_to_numpy=True,
                                      show_progress_bar=False)
        return normalise_rows(vectors)
