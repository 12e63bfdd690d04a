"""What the document itself says about its translation, so that no cost is fixed to one genre.

Texts differ in how loose the translation is (a literary or archaic rendering scores lower
cosines than news) and in how the lengths of the two sides relate. Both are estimated from
the document being aligned:

- `semantic_scale`, before any search: the typical dissimilarity of the document's mutual best
  pairs. Every bead's dissimilarity is divided by it (times a reference), so a typical true pair
  of this document costs the same in any text and the prices of a deletion or a merge keep
  their meaning; without it, a loose translation's true pairs cost nearly a deletion each and
  the search leaves their sentences unaligned.
- `path_length_model`, after a first search (hard EM, as hunalign re-estimates from its own
  first pass): the length ratio from the first search's aligned beads instead of from 1-1
  anchors, which are often one half of a 1-2 translation and bias the ratio low in a text that
  splits sentences.
"""

from __future__ import annotations

import numpy as np

from aligner.align.length import LengthModel, LengthPrior, document_length_model
from aligner.align.params import AlignParams
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
    typical = float(np.median((1.0 - sims) / np.maximum(1.0 - hub, 0.05)))
    return float(np.clip(params.typical_dissimilarity / max(typical, 1e-3), 0.5, 2.0))


def path_length_model(prior: LengthPrior, beads: list[Bead], src_lens: np.ndarray,
                      tgt_lens: np.ndarray) -> LengthModel:
    """The document's length model with the aligned beads of a first search as its pairs."""
    aligned = [b for b in beads if b.src and b.tgt]
    src = np.array([src_lens[list(b.src)].sum() for b in aligned], dtype=np.float64)
    tgt = np.array([tgt_lens[list(b.tgt)].sum() for b in aligned], dtype=np.float64)
    return document_length_model(prior, src, tgt, (float(src_lens.sum()), float(tgt_lens.sum())))
