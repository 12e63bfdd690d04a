"""Sentence alignment: embeddings and lengths scored per bead, the best path found by DP."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from aligner.align.boilerplate import deletion_weights
from aligner.align.length import load_length_model, text_length
from aligner.align.params import DEFAULT_PARAMS, AlignParams
from aligner.align.scoring import BeadCosts, RunVectors
from aligner.align.search import align
from aligner.data import Bead, Document
from aligner.encoders.base import Encoder


def align_document(document: Document, encoder: Encoder, params: AlignParams = DEFAULT_PARAMS) -> list[Bead]:
    """Beads covering every sentence of both sides once, in order, each with its score."""
    src = [s.text for s in document.src]
    tgt = [s.text for s in document.tgt]
    src_lens = np.array([text_length(t) for t in src], dtype=np.float64)
    tgt_lens = np.array([text_length(t) for t in tgt], dtype=np.float64)
    length = load_length_model(document.src_lang, document.tgt_lang, int(src_lens.sum()), int(tgt_lens.sum()))
    src_runs = RunVectors(encoder.encode(src), src, document.src_lang, encoder.encode)
    tgt_runs = RunVectors(encoder.encode(tgt), tgt, document.tgt_lang, encoder.encode)
    costs = BeadCosts(src_runs, tgt_runs, src_lens, tgt_lens, length, params,
                      deletion_weights(src), deletion_weights(tgt))
    beads = align(costs, len(src), len(tgt), params, src_lens, tgt_lens, length)
    return [Bead(b.src, b.tgt, bead_score(src_runs, tgt_runs, b)) for b in beads]


def bead_score(src_runs: RunVectors, tgt_runs: RunVectors, bead: Bead) -> float:
    """What a reviewer sees: the cosine of the two sides (0 for an unaligned or length-only bead)."""
    if not bead.is_aligned or src_runs.dimension == 0:
        return 0.0
    u = src_runs.of_length(len(bead.src))[bead.src[0]]
    v = tgt_runs.of_length(len(bead.tgt))[bead.tgt[0]]
    return float(np.clip(u @ v, -1.0, 1.0))


__all__ = ["AlignParams", "DEFAULT_PARAMS", "align_document"]
