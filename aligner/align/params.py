"""Every tunable of the aligner in one place, with the reason for its value."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AlignParams:
    # Largest bead: x + y sentences with at most `max_side` on one side (1-4 and 4-1 by default).
    max_align: int = 5
    max_side: int = 4
    # Cost of leaving one sentence unaligned, in units of a normalised 1-1 dissimilarity
    # (≈0.3 for a true translation pair, ≈1.0 for a random pair).
    deletion: float = 0.6
    # Weight of the length model relative to the embedding dissimilarity.
    length_weight: float = 0.1
    merge_weight: str = "product"
    # Extra cost per sentence beyond a 1-1 bead: merges must earn their place.
    merge_penalty: float = 0.05
    # Cost of a bead that disagrees with the paragraph structure: it starts a paragraph on one
    # side only, or one of its sides spans a paragraph break. Pre-split input has no paragraphs.
    paragraph_penalty: float = 0.0
    paragraph_start: float = 1.0
    # Mutual-best 1-1 pairs at least this similar are anchors: they estimate the document's
    # length ratio (length.document_length_model).
    anchor_similarity: float = 0.5
    # Re-estimate the ratio from the first alignment's beads and align again (hard EM).
    length_reestimate: bool = True
    # Search: documents up to this many DP cells are searched whole; larger ones coarse-to-fine.
    full_cells: int = 250_000
    # Half-width, in sentences, of the band searched around the coarse path.
    band_radius: int = 12


DEFAULT_PARAMS = AlignParams()
