"""No encoder: sentence lengths alone decide (a Gale–Church aligner)."""

from __future__ import annotations

from typing import Sequence

import numpy as np


class NoEncoder:
    name = "none"
    dimension = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.zeros((len(texts), 0), dtype=np.float32)
