"""Every tunable of the aligner in one place, with the reason for its value."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class AlignParams:
    # Largest beads: one sentence facing up to `max_side` (1-5 and 5-1; Text+Berg's gold has 1-5
    # beads), other merges up to `max_align` sentences in all (2-3, 3-2 …). Dev strict F1 (USE)
    # seg/tb/raw: 1-4 and x + y ≤ 5: .9932/.9037/.9708; adding 1-5, 5-1: .9932/.9097/.9708;
    # also 2-4, 4-2, 3-3 (x + y ≤ 6): .9932/.9129/.9708, but the search on Text+Berg takes 0.155
    # instead of 0.13 s, and its time after the load is about 2× one encoder pass already.
    max_align: int = 5
    max_side: int = 5
    # Cost of leaving one sentence unaligned, in units of a normalised 1-1 dissimilarity
    # (≈0.3 for a true translation pair, ≈1.0 for a random pair).
    deletion: float = 0.6
    # Weight of the length model relative to the embedding dissimilarity.
    length_weight: float = 0.1
    # How a bead's dissimilarity grows with its size. "mean" = (x+y)/2, the sentences it
    # covers per side, plus an explicit price per extra sentence (merge_penalty), i.e. a bead-type
    # prior in cost form. Vecalign's "product" x·y makes a 1-2 cost twice a 1-1, so a true
    # split translation loses to 1-1 + a deletion (the seeds' 1-2 units came out 1-1 + 0-1).
    # Dev (USE, strict F1): product/0.05: seg .994 tb .854 raw .926; mean/0.3: .996 .881 .930.
    merge_weight: str = "mean"
    # Extra cost per sentence beyond a 1-1 bead: merges must earn their place.
    merge_penalty: float = 0.25
    # Cost of a bead that disagrees with the paragraph structure: it starts a paragraph on one
    # side only, or one of its sides spans a paragraph break. Pre-split input has no paragraphs.
    # Dev raw (USE): 0 → .9256, 0.3 → .9300 strict F1; seeds: keeps the 2-1 subtitle bullets
    # inside their paragraph instead of gluing the second bullet to the lead sentence.
    paragraph_penalty: float = 0.3
    # Weight, inside that penalty, of starting a paragraph on one side only (vs. spanning a break).
    paragraph_start: float = 1.0
    # Deletion of a sentence whose best match on the other side has cosine s costs
    # 1 + matched_deletion · max(0, s − matched_floor) times the plain deletion: a sentence
    # that matches something well is seldom one with no counterpart.
    # Dev (USE, strict F1 seg/tb/raw): off .9958/.8745/.9274; 3.0 above 0.35 (with
    # merge_penalty .25) .9924/.9056/.9229.
    matched_deletion: float = 3.0
    matched_floor: float = 0.35
    # Mutual-best 1-1 pairs at least this similar are anchors: they estimate the document's
    # length ratio (length.document_length_model).
    anchor_similarity: float = 0.5
    # Pass 2 embeds the runs of every merged bead on a path within this much of pass 1's best
    # (forward + backward DP with pooled run vectors); all other runs stay pooled sums.
    # Dev (cached USE vectors; strict F1 tb/seg/raw, run strings embedded on tb):
    # 0.1 .8950/.9915/.9265, 179; 0.15 .9037/.9924/.9265, 209; 0.2 .9017/.9907/.9247, 246;
    # 0.3 .9024/.9907/.9247, 352. Quality is flat from 0.15 up; below it tb falls.
    refine_slack: float = 0.15
    # What a typical true pair of the document costs: every bead's dissimilarity is rescaled so
    # that the median of the document's mutual best pairs sits here (priors.semantic_scale).
    typical_dissimilarity: float = 0.37
    # A glued heading (align/glued.py) is cut only if both new pairs have cosine at least
    # `glued_similarity` and beat the crossed pairs by `glued_margin`. Estimated on the NTREX
    # raw dev documents, from every line-initial 2-1/1-2 bead with a candidate cut, as
    # (weaker pair, margin): true headings .61/.48 .69/.21 .68/.30 .74/.43 .64/.32 .74/.23
    # .72/.16 .69/.40; wrong cuts .64/.12 .51/.19 .55/.14 .53/.10 .75/.01 .58/.37, and two
    # true 2-1 translations cut where the other side's sentences meet (.69/.41, .66/.20),
    # which a block score does not see. Raw strict F1: no cut .9265, these values .9444; with
    # cuts repeated inside the parts (up to 3 rounds) .9506.
    glued_similarity: float = 0.6
    glued_margin: float = 0.15
    # The same for a document's title glued to its lead sentence on both sides (both cuts are
    # proposed places, tried in the first aligned bead only). NTREX raw dev, (weaker pair,
    # crossed): true titles .71/.56 .63/.28 .50/.10 .49/.31 .58/.38 .77/.28; a title the gold
    # leaves glued .81/.69; a title on its own line .58/.29 (now never tried: it does not end
    # like a sentence); all other first beads .07–.45. Raw strict F1: .9559 at .6/.15, .9638
    # at .5/.1 and at .45/.15, .9664 at .45/.1 and at .4/.05 (before the stray-opener step).
    title_similarity: float = 0.45
    title_margin: float = 0.1
    # Search: documents up to this many DP cells are searched whole; larger ones coarse-to-fine.
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
