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
