"""What the document itself says about its translation, estimated before and after a first search.

Texts differ in how loose the translation is (a literary or archaic rendering scores lower
cosines than news), how much of each side has no counterpart (press-release furniture vs a
faithful novel), and how often one sentence becomes two. Constants fit on one kind of text
misprice the others, so the costs the search sees are scaled by what this document shows:

- `semantic_scale`: the typical dissimilarity of the document's own best pairs, before any
  search. The dissimilarity of every bead is divided by it (times a reference), so "a typical
  true pair of this document" costs the same everywhere and the deletion and merge prices keep
  their meaning.
- `type_costs`: after a first search (hard EM, as hunalign re-estimates from its own first
  pass), each bead type's share of the beads, smoothed toward a reference share, becomes a
  cost adjustment −temperature · log(share / reference share): a document full of 1-2 beads
  makes 1-2 beads cheaper, one with no deletions makes deletions dearer.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from aligner.align.params import AlignParams
from aligner.data import Bead

# Bead types pooled by what they are: 1-1, one sentence facing several (1-n, n-1), several
# facing several, and a sentence with no counterpart (per side).
CLASSES = ("1-1", "1-n", "n-1", "n-m", "1-0", "0-1")


def bead_class(x: int, y: int) -> str:
    if x == 0 or y == 0:
        return "1-0" if y == 0 else "0-1"
    if x == 1 and y == 1:
        return "1-1"
    if x == 1:
        return "1-n"
    if y == 1:
        return "n-1"
    return "n-m"


@dataclass(frozen=True)
class DocumentPriors:
    """Per-document cost adjustments; the defaults change nothing."""

    semantic_scale: float = 1.0
    type_costs: dict[str, float] = field(default_factory=dict)

    def bead_cost(self, x: int, y: int) -> float:
        return self.type_costs.get(bead_class(x, y), 0.0)


def semantic_scale(src_vecs: np.ndarray, tgt_vecs: np.ndarray, rows: np.ndarray, cols: np.ndarray,
                   params: AlignParams) -> float:
    """Reference ÷ the median hubness-normalised dissimilarity of the mutual best pairs.

    Mutual best pairs are mostly true translations in any document; their median says how
    close this document's translations sit in the encoder's space. Bounded to [0.5, 2] so a
    document with almost no true pairs cannot rescale everything.
    """
    if params.typical_dissimilarity is None or len(rows) < 3 or src_vecs.shape[1] == 0:
        return 1.0
    sims = np.einsum("ij,ij->i", src_vecs[rows], tgt_vecs[cols])
    hub = (src_vecs[rows] @ tgt_vecs.mean(axis=0) + tgt_vecs[cols] @ src_vecs.mean(axis=0)) / 2.0
    typical = float(np.median((1.0 - sims) / np.maximum(1.0 - hub, 0.05)))
    return float(np.clip(params.typical_dissimilarity / max(typical, 1e-3), 0.5, 2.0))


def type_costs(beads: list[Bead], params: AlignParams) -> dict[str, float]:
    """Cost adjustment per bead class from a first search's beads (see the module docstring).

    Shares are per bead for the aligned classes and per sentence of the side for deletions;
    each is smoothed toward the reference with `prior_strength` pseudo-beads, so a short
    document keeps close to the reference.
    """
    if params.prior_temperature <= 0 or not beads:
        return {}
    counts = Counter(bead_class(len(b.src), len(b.tgt)) for b in beads)
    total = sum(counts.values())
    strength = params.prior_strength
    out = {}
    for name, reference in zip(CLASSES, params.reference_shares):
        share = (counts[name] + strength * reference) / (total + strength)
        out[name] = -params.prior_temperature * math.log(share / reference)
    return out
