"""How long a translation should be: a Gale–Church length model with parameters per language pair.

`models/SRC-TGT.json` holds what was estimated on development data (how, in models/README.md);
for a pair with no model the ratio is estimated from the document itself.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODELS = Path(__file__).resolve().parent.parent.parent / "models"
DEFAULT_VARIANCE = 6.8  # Gale & Church (1993), characters


@dataclass(frozen=True)
class LengthModel:
    """Target characters per source character (`ratio`) and the variance per source character."""

    ratio: float
    variance: float = DEFAULT_VARIANCE

    def delta(self, src_len: np.ndarray, tgt_len: np.ndarray) -> np.ndarray:
        """Gale–Church δ: how many standard deviations the target length is off its expectation."""
        mean = (src_len + tgt_len / self.ratio) / 2.0
        return (tgt_len - self.ratio * src_len) / np.sqrt(self.variance * np.maximum(mean, 1.0))

    def cost(self, src_len: np.ndarray, tgt_len: np.ndarray) -> np.ndarray:
        """−log of the two-tailed probability of δ (Gale–Church's match cost)."""
        z = np.abs(self.delta(src_len, tgt_len)) / math.sqrt(2.0)
        return -_log_erfc(z)


def _log_erfc(z: np.ndarray) -> np.ndarray:
    """log(erfc(z)) without underflow for large z."""
    z = np.asarray(z, dtype=np.float64)
    small = z < 5.0
    out = np.empty_like(z)
    out[small] = np.log(np.maximum(np.vectorize(math.erfc)(z[small]), 1e-300)) if small.any() else 0
    big = z[~small]
    out[~small] = -big * big - np.log(big * math.sqrt(math.pi)) + np.log1p(-0.5 / (big * big))
    return out


def text_length(text: str) -> int:
    """Characters that carry text: whitespace conventions differ between languages."""
    return sum(1 for ch in text if not ch.isspace())


def load_length_model(src_lang: str, tgt_lang: str, src_total: int, tgt_total: int) -> LengthModel:
    """The trained model of the pair if there is one, else the document's own length ratio."""
    pair = f"{_base(src_lang)}-{_base(tgt_lang)}"
    path = MODELS / f"{pair}.json"
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        return LengthModel(ratio=float(data["ratio"]), variance=float(data["variance"]))
    ratio = (tgt_total + 1.0) / (src_total + 1.0)
    return LengthModel(ratio=ratio, variance=DEFAULT_VARIANCE * max(ratio, 1 / ratio))


def _base(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()
