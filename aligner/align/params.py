"""Every tunable of the aligner in one place, with the reason for its value."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class AlignParams:
    # Largest beads: one sentence facing up to `max_side` (literary and OCR'd texts have 1-5
    # beads), other merges up to `max_align` sentences in all (2-4, 3-3: a loose translation
    # regroups a passage's clauses across sentences); larger ones cost search time and are rare.
    max_align: int = 6
    max_side: int = 5
    # Cost of leaving one sentence unaligned, in units of the normalised dissimilarity of a bead.
    deletion: float = 0.6
    # Weight of the length model (Gale–Church) beside the embedding dissimilarity.
    length_weight: float = 0.07
    # How a bead's dissimilarity grows with its size: "mean" (x+y)/2 counts the sentences it
    # covers per side (Vecalign's x·y "product" makes a true 1-2 lose to 1-1 plus a deletion).
    merge_weight: str = "mean"
    # Price per sentence beyond a 1-1 bead: a bead-type prior in cost form, so merges earn their place.
    merge_penalty: float = 0.25
    # ... priced by the document in the second pass (priors.merge_penalty_from_path): a
    # document whose first pass regroups fewer than `sparse_merges` sentences beyond 1-1 per
    # aligned bead (news keeps its sentences; literary and archaic texts regroup a third or
    # more) pays merge_prior · log(sparse_merges / its share) more per merged sentence, its
    # share counted with `merge_prior_beads` beads at sparse_merges so a short document stays
    # near the default. Merges never get cheaper: the default is already the price for texts
    # that regroup.
    sparse_merges: float = 0.1
    merge_prior: float = 0.2
    merge_prior_beads: float = 5.0
    # Price of a bead that starts a paragraph on one side only or spans a paragraph break.
    paragraph_penalty: float = 0.3
    # Weight, inside that price, of starting a paragraph on one side only (vs spanning a break).
    paragraph_start: float = 1.0
    # A sentence whose best match on the other side has cosine s costs 1 + matched_deletion ·
    # max(0, s − floor) times a deletion: one that matches something is seldom untranslated. The
    # floor is matched_margin below the document's typical pair (the median cosine of its mutual
    # best pairs, priors.matched_floor), so a loose translation's weaker matches count too; .34
    # keeps news (typical pair .69) at the fixed floor it had, .35.
    matched_deletion: float = 3.0
    matched_margin: float = 0.34
    # ... but never below lowest_matched_floor: a cosine that sentences of unrelated texts reach
    # (1 pair in 10 between chapters of different novels, MAC) is no evidence of a translation,
    # and a wrongly paired file would otherwise have every deletion priced as matched.
    lowest_matched_floor: float = 0.2
    # ... unless that match is explained away: its best match prefers a sentence at most
    # `duplicate_window` sentences from it that repeats it (cosine ≥ duplicate_similarity) and
    # is no shorter (a headline restated by the lead); then the match is the neighbour's, and
    # this sentence's deletion costs a plain deletion.
    duplicate_similarity: float = 0.6
    duplicate_window: int = 2
    # Mutual best 1-1 pairs at least this similar estimate the document's length model
    # (length.document_length_model).
    anchor_similarity: float = 0.5
    # The encoder embeds the runs of the merges on paths within this much of the first search's
    # best; other runs stay pooled sums of their sentences' vectors (cheap, a little less exact).
    refine_slack: float = 0.15
    # What a typical true pair of a document costs: each document's dissimilarities are rescaled
    # so that the median of its mutual best pairs sits here (priors.semantic_scale).
    typical_dissimilarity: float = 0.40
    # A glued heading (align/glued.py) is cut only if both new pairs reach this cosine and beat
    # the crossed pairs by the margin: a cut must be evidence on both sides, not a guess.
    glued_similarity: float = 0.6
    glued_margin: float = 0.15
    # The same for a title glued to the lead sentence on both sides, where both cuts are guesses
    # from the segmenter (tried in the first aligned bead only).
    title_similarity: float = 0.45
    title_margin: float = 0.1
    # Documents up to this many DP cells are searched whole; larger ones coarse-to-fine (memory).
    full_cells: int = 250_000
    # Half-width, in sentences, of the band searched around the coarse path.
    band_radius: int = 12

DEFAULT_PARAMS = AlignParams()


def with_max_side(params: AlignParams, max_side: int) -> AlignParams:
    """The parameters with beads of up to 1-N and N-1 (other merges no larger than before,
    nor than N + 1 sentences in all)."""
    if max_side < 1:
        raise ValueError(f"must be at least 1, not {max_side}")
    return replace(params, max_side=max_side, max_align=min(params.max_align, max_side + 1))
