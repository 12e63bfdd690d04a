"""How long a translation should be: a Gale–Church length model with parameters per language pair.

`models/SRC-TGT.json` holds what was estimated on development data (how, in models/README.md):
a prior. Every document's own ratio is then estimated twice: from its mutual-best 1-1 pairs
before the search (document_length_model; a pair with no model starts from the document's
character totals), and again from the aligned beads of the first search pass
(path_length_model), which the second pass uses.
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import numpy as np

from aligner.data import Bead, base_language

def _models_folder() -> Path:
    """models/ beside the package (a checkout, an editable install), else where a regular
    install puts it (pyproject's data-files: PREFIX/share/aligner/models)."""
    beside = Path(__file__).resolve().parent.parent.parent / "models"
    return beside if beside.is_dir() else Path(sys.prefix) / "share" / "aligner" / "models"


MODELS = _models_folder()
DEFAULT_VARIANCE = 6.8  # Gale & Church (1993), characters


@dataclass(frozen=True)
class LengthModel:
    """Target characters per source character (`ratio`) and the variance per source character."""

    ratio: float
    variance: float = DEFAULT_VARIANCE
    # Share of translations whose length the Gaussian does not describe (free renderings,
    # added explanations): a flat component of the mixture, so the cost is bounded.
    outlier: float = 0.0

    def delta(self, src_len: np.ndarray, tgt_len: np.ndarray) -> np.ndarray:
        """Gale–Church δ: how many standard deviations the target length is off its expectation."""
        mean = (src_len + tgt_len / self.ratio) / 2.0
        return (tgt_len - self.ratio * src_len) / np.sqrt(self.variance * np.maximum(mean, 1.0))

    def cost(self, src_len: np.ndarray, tgt_len: np.ndarray) -> np.ndarray:
        """−log of the two-tailed probability of δ (Gale–Church's match cost)."""
        z = np.abs(self.delta(src_len, tgt_len)) / math.sqrt(2.0)
        if self.outlier <= 0:
            return -_log_erfc(z)
        # bounded, so read from a fine table: the search prices millions of beads per document
        table = _mixture_cost_table(self.outlier)
        return table[np.minimum(np.rint(z * TABLE_STEPS), len(table) - 1).astype(np.intp)]


TABLE_STEPS = 1024  # table points per unit of z; the cost changes by < 0.01 between two
TABLE_END = 8.0  # beyond it the mixture's cost equals −log(outlier) to 1e-12


@lru_cache(maxsize=8)
def _mixture_cost_table(outlier: float) -> np.ndarray:
    """−log((1 − outlier)·erfc(z) + outlier) at z = k / TABLE_STEPS, k = 0 … TABLE_END·TABLE_STEPS."""
    z = np.arange(int(TABLE_END * TABLE_STEPS) + 1) / TABLE_STEPS
    return -np.log((1.0 - outlier) * np.exp(_log_erfc(z)) + outlier)


_ERFC_POLY = (-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806,
              0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277)


def _log_erfc(z: np.ndarray) -> np.ndarray:
    """log(erfc(z)) for z ≥ 0, vectorised and without underflow.

    The Chebyshev fit of Numerical Recipes (erfcc, fractional error < 1.2e-7) in log form:
    erfc(z) = t·exp(−z² + P(t)) with t = 1/(1 + z/2).
    """
    z = np.asarray(z, dtype=np.float64)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = np.zeros_like(z)
    for coefficient in reversed(_ERFC_POLY):
        poly = poly * t + coefficient
    return np.log(t) - z * z + poly


def text_length(text: str) -> int:
    """Characters that carry text: whitespace conventions differ between languages."""
    return len("".join(text.split()))  # str.split() splits on exactly the str.isspace() characters


# Without a trained model: how far (log-sd) a document's ratio strays from its own total ratio
# (deleted sentences skew the total), and the within-document variance Gale & Church measured.
TOTAL_RATIO_LOG_SD = 0.15
OUTLIER = 0.03  # share of free translations whose length the Gaussian does not model


@dataclass(frozen=True)
class LengthPrior:
    """What a pair's model says before seeing a document: a ratio, its spread, the variance."""

    ratio: float
    ratio_log_sd: float
    variance: float  # per character, around the document's own ratio
    outlier: float = OUTLIER


@lru_cache(maxsize=32)
def pair_model(src_lang: str, tgt_lang: str) -> Mapping[str, object]:
    """What was learned for the language pair (models/SRC-TGT.json), or {} for an unknown pair;
    read once per process (the search and the confidence pass of every document ask)."""
    path = MODELS / f"{base_language(src_lang)}-{base_language(tgt_lang)}.json"
    return MappingProxyType(json.loads(path.read_text(encoding="utf-8")) if path.exists() else {})


def load_length_prior(src_lang: str, tgt_lang: str, src_total: float, tgt_total: float) -> LengthPrior:
    """The trained prior of the pair (models/SRC-TGT.json), else one centred on the document's totals."""
    data = pair_model(src_lang, tgt_lang)
    if data:
        return LengthPrior(float(data["ratio"]), float(data.get("ratio_log_sd", 0.0)),
                           float(data.get("variance_within_document", data["variance"])),
                           float(data.get("outlier", OUTLIER)))
    ratio = (tgt_total + 1.0) / (src_total + 1.0)
    return LengthPrior(ratio, TOTAL_RATIO_LOG_SD, DEFAULT_VARIANCE * max(ratio, 1 / ratio))


def document_length_model(prior: LengthPrior, src_lens: np.ndarray, tgt_lens: np.ndarray,
                          totals: tuple[float, float] | None = None) -> LengthModel:
    """The document's own length ratio: the prior updated with sentence pairs known to match.

    Translators' verbosity differs between documents (on NTREX ko-en the per-document ratio
    ranges 1.55–2.32, log-sd 0.11; the seeds' press releases are near 2.6), so a fixed ratio
    charges correct beads several standard deviations. Each matched pair (an anchor) observes
    log(tgt/src) with variance ≈ variance / (ratio² · src_len) (delta method); the prior on the
    log ratio is Gaussian with sd `ratio_log_sd`; the estimate is the precision-weighted mean.
    Pairs further than 3 sd from the prior (a 1-2 translation seen as 1-1) are left out.
    With no anchors (no encoder), `totals` — the document's character counts — observe the
    log ratio with sd TOTAL_RATIO_LOG_SD (deleted sentences skew them).
    """
    src_lens = np.asarray(src_lens, dtype=np.float64)
    tgt_lens = np.asarray(tgt_lens, dtype=np.float64)
    log_prior = math.log(prior.ratio)
    if prior.ratio_log_sd <= 0:
        return LengthModel(prior.ratio, prior.variance, prior.outlier)
    keep = (src_lens > 0) & (tgt_lens > 0)
    src_lens, tgt_lens = src_lens[keep], tgt_lens[keep]
    obs = np.log(tgt_lens / src_lens)
    obs_var = prior.variance / (prior.ratio ** 2 * src_lens)
    ok = np.abs(obs - log_prior) <= 3.0 * np.sqrt(obs_var + prior.ratio_log_sd ** 2)
    anchors_precision = float((1.0 / obs_var[ok]).sum())
    anchors_mean = float((obs[ok] / obs_var[ok]).sum()) / anchors_precision if ok.any() else 0.0
    mean, precision = _updated(log_prior, 1.0 / prior.ratio_log_sd ** 2, anchors_mean, anchors_precision)
    if not ok.any() and totals is not None and min(totals) > 0:
        mean, _ = _updated(mean, precision, math.log(totals[1] / totals[0]), 1.0 / TOTAL_RATIO_LOG_SD ** 2)
    return LengthModel(math.exp(mean), prior.variance, prior.outlier)


def _updated(mean: float, precision: float, observed: float, observed_precision: float) -> tuple[float, float]:
    """A Gaussian belief (mean, precision) updated with an observation: precision-weighted."""
    total = precision + observed_precision
    return (mean * precision + observed * observed_precision) / total, total


def path_length_model(prior: LengthPrior, first: LengthModel, beads: list[Bead], src_lens: np.ndarray,
                      tgt_lens: np.ndarray) -> LengthModel:
    """The length model re-estimated from a first search's path (hard EM, as hunalign does).

    The 1-1 anchors of `document_length_model` are often one half of a 1-2 translation, which
    biases the ratio low in a text that splits sentences; the path's aligned beads see whole
    translations. Their text observes the log ratio once, with variance
    variance / (ratio² · characters); the prior's weight is what keeps a very short document's
    estimate near the pair's typical ratio. No outlier test: the path is one observation of the
    whole document, and its ratio may lie far from a prior learned on another genre.
    """
    aligned = [b for b in beads if b.src and b.tgt]
    src_total = float(sum(src_lens[list(b.src)].sum() for b in aligned))
    tgt_total = float(sum(tgt_lens[list(b.tgt)].sum() for b in aligned))
    if src_total <= 0 or tgt_total <= 0 or prior.ratio_log_sd <= 0:
        return first
    mean, _ = _updated(math.log(prior.ratio), 1.0 / prior.ratio_log_sd ** 2,
                       math.log(tgt_total / src_total), first.ratio ** 2 * src_total / first.variance)
    return LengthModel(math.exp(mean), first.variance, first.outlier)
