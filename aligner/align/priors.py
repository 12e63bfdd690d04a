"""What the document itself says about its translation, so that no cost is fixed to one genre.

Texts differ in how loose the translation is: a literary or archaic rendering scores lower
cosines than news. `semantic_scale` measures it before any search, as the typical
dissimilarity of the document's mutual best pairs; every bead's dissimilarity is divided by it
(times a reference), so a typical true pair of this document costs the same in any text and the
prices of a deletion or a merge keep their meaning. Without it, a loose translation's true
pairs cost nearly a deletion each and the search leaves their sentences unaligned.
`matched_floor` places, from the same pairs, the cosine above which a sentence counts as
matched (its deletion costs more). `merge_penalty_from_path` prices merges from the first
pass's path: a document that keeps its sentence boundaries makes a merge dearer, so a sentence
with no counterpart is less often absorbed into its neighbour's unit. (How the sides' lengths
relate is estimated per document too: length.document_length_model before the search,
length.path_length_model from its first pass.)
"""

from __future__ import annotations

import math

import numpy as np

from aligner.align.params import AlignParams
from aligner.align.scoring import normalised_dissimilarity
from aligner.data import Bead


def semantic_scale(src_vecs: np.ndarray, tgt_vecs: np.ndarray, rows: np.ndarray, cols: np.ndarray,
                   params: AlignParams) -> float:
    """params.typical_dissimilarity ÷ the median hubness-normalised dissimilarity of the mutual
    best pairs (rows[k], cols[k]), bounded to [0.5, 2] so a document with almost no true pairs
    cannot rescale everything."""
    if len(rows) < 3 or src_vecs.shape[1] == 0:
        return 1.0
    sims = np.einsum("ij,ij->i", src_vecs[rows], tgt_vecs[cols])
    hub = (src_vecs[rows] @ tgt_vecs.mean(axis=0) + tgt_vecs[cols] @ src_vecs.mean(axis=0)) / 2.0
    typical = float(np.median(normalised_dissimilarity(sims, hub)))
    return float(np.clip(params.typical_dissimilarity / max(typical, 1e-3), 0.5, 2.0))


def matched_floor(mutual_best_sims: np.ndarray, params: AlignParams) -> float:
    """The cosine above which a sentence's best match makes leaving it unaligned dearer:
    params.matched_margin below the document's typical pair, the median cosine of its mutual
    best pairs (a loose translation's true pairs sit lower, and so do its matches), and never
    below params.lowest_matched_floor (two unrelated texts have a low typical pair too). With no
    mutual best pair nothing counts as matched."""
    if len(mutual_best_sims) == 0:
        return 1.0
    return max(float(np.median(mutual_best_sims)) - params.matched_margin, params.lowest_matched_floor)


def merge_penalty_from_path(beads: list[Bead], params: AlignParams) -> float:
    """The price per merged sentence for the second pass (hard EM on the bead type, as the
    length ratio is re-estimated): params.merge_penalty, plus params.merge_prior ·
    log(sparse_merges / share) when the first pass's share of sentences beyond 1-1 per aligned
    bead is below params.sparse_merges (the share smoothed with params.merge_prior_beads beads
    at that level)."""
    aligned = [b for b in beads if b.src and b.tgt]
    extra = sum(len(b.src) + len(b.tgt) - 2 for b in aligned)
    pseudo = params.merge_prior_beads
    if not aligned and pseudo <= 0:
        return params.merge_penalty
    share = (extra + pseudo * params.sparse_merges) / (len(aligned) + pseudo)
    if share <= 0 or share >= params.sparse_merges:
        return params.merge_penalty
    return params.merge_penalty + params.merge_prior * math.log(params.sparse_merges / share)
