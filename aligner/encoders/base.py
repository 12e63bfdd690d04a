"""What every encoder offers: a name and `encode(texts) -> L2-normalised float32 array`."""

from __future__ import annotations

from typing import Protocol, Sequence

import numpy as np


class Encoder(Protocol):
    """A sentence encoder. `dimension == 0` means it carries no meaning (length-only alignment)."""

    name: str

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Unit-length rows, so a dot product is a cosine; a zero row stays zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def batches(texts: Sequence[str], size: int) -> list[list[int]]:
    """Indices grouped by text length, so each batch pads little."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    return [order[k:k + size] for k in range(0, len(order), size)]


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
