"""Sentence alignment: embeddings and lengths scored per bead, the best path found by DP."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from aligner.align.boilerplate import deletion_weights
from aligner.align.length import document_length_model, load_length_prior, text_length
from aligner.align.params import DEFAULT_PARAMS, AlignParams
from aligner.align.scoring import BeadCosts, RunVectors, runs_to_refine
from aligner.align.search import align
from aligner.data import Bead, Document
from aligner.encoders.base import Encoder


def align_document(document: Document, encoder: Encoder, params: AlignParams = DEFAULT_PARAMS) -> list[Bead]:
    """Beads covering every sentence of both sides once, in order, each with its score."""
    src = [s.text for s in document.src]
    tgt = [s.text for s in document.tgt]
    src_lens = np.array([text_length(t) for t in src], dtype=np.float64)
    tgt_lens = np.array([text_length(t) for t in tgt], dtype=np.float64)
    src_runs = RunVectors(encoder.encode(src), src, document.src_lang, encoder.encode)
    tgt_runs = RunVectors(encoder.encode(tgt), tgt, document.tgt_lang, encoder.encode)
    prior = load_length_prior(document.src_lang, document.tgt_lang, src_lens.sum(), tgt_lens.sum())
    rows, cols = anchors(src_runs.of_length(1), tgt_runs.of_length(1), params.anchor_similarity)
    length = document_length_model(prior, src_lens[rows], tgt_lens[cols], (src_lens.sum(), tgt_lens.sum()))
    src_deletion, tgt_deletion = deletion_weights(src), deletion_weights(tgt)
    src_par, tgt_par = [s.paragraph for s in document.src], [s.paragraph for s in document.tgt]

    def search() -> list[Bead]:
        costs = BeadCosts(src_runs, tgt_runs, src_lens, tgt_lens, length, params,
                          src_deletion, tgt_deletion, src_par, tgt_par)
        return align(costs, len(src), len(tgt), params, src_lens, tgt_lens, length)

    # Pass 1 weighs merged beads with pooled sentence vectors (no encoder call); pass 2 embeds
    # the runs around the merges and deletions pass 1 chose, and searches again.
    beads = search()
    if src_runs.dimension:
        wanted_src, wanted_tgt = runs_to_refine(beads, len(src), len(tgt), params.max_side, params.refine_margin)
        src_runs.refine(wanted_src)
        tgt_runs.refine(wanted_tgt)
        beads = search()
    return [Bead(b.src, b.tgt, bead_score(src_runs, tgt_runs, b)) for b in beads]


def anchors(src_vecs: np.ndarray, tgt_vecs: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Sentence pairs that are each other's best match with cosine ≥ threshold (mutual best).

    Computed in row chunks so a long document never holds the whole similarity matrix.
    """
    n, m = len(src_vecs), len(tgt_vecs)
    if n == 0 or m == 0 or src_vecs.shape[1] == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    row_best = np.empty(n, dtype=np.int64)
    row_sim = np.empty(n, dtype=np.float64)
    col_best = np.zeros(m, dtype=np.int64)
    col_sim = np.full(m, -np.inf)
    chunk = max(1, 2_000_000 // m)
    for start in range(0, n, chunk):
        sims = src_vecs[start:start + chunk] @ tgt_vecs.T
        row_best[start:start + chunk] = sims.argmax(axis=1)
        row_sim[start:start + chunk] = sims.max(axis=1)
        top = sims.argmax(axis=0)
        top_sim = sims[top, np.arange(m)]
        better = top_sim > col_sim
        col_best[better] = top[better] + start
        col_sim[better] = top_sim[better]
    rows = np.nonzero((col_best[row_best] == np.arange(n)) & (row_sim >= threshold))[0]
    return rows, row_best[rows]


def bead_score(src_runs: RunVectors, tgt_runs: RunVectors, bead: Bead) -> float:
    """What a reviewer sees: the cosine of the two sides (0 for an unaligned or length-only bead)."""
    if not bead.is_aligned or src_runs.dimension == 0:
        return 0.0
    u = src_runs.of_length(len(bead.src))[bead.src[0]]
    v = tgt_runs.of_length(len(bead.tgt))[bead.tgt[0]]
    return float(np.clip(u @ v, -1.0, 1.0))


__all__ = ["AlignParams", "DEFAULT_PARAMS", "align_document"]
