"""Sentence alignment: embeddings and lengths scored per bead, the best path found by DP."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from aligner.align.boilerplate import deletion_weights
from aligner.align.confidence import with_confidence
from aligner.align.crossing import join_crossed_units
from aligner.align.length import (LengthModel, document_length_model, load_length_prior, pair_model,
                                  path_length_model, text_length)
from aligner.align.params import DEFAULT_PARAMS, AlignParams
from aligner.align.priors import matched_floor, merge_penalty_from_path, semantic_scale
from aligner.align.scoring import BeadCosts, RunVectors
from aligner.align.splice import splice
from aligner.align.search import best_path_with_margins, bead_types, competitive_runs, search_band
from aligner.align.blanks import around_blank_lines, unpair_kept_out
from aligner.align.glued import HeadingEnds, split_glued_headings
from aligner.data import Alignment, Bead, Document
from aligner.encoders.base import Encoder
from aligner.encoders.cache import RememberingEncoder

SearchFunction = Callable[[Document, Encoder, AlignParams], list[Bead]]


def align(document: Document, encoder: Encoder, params: AlignParams = DEFAULT_PARAMS,
          heading_ends: HeadingEnds | None = None, search: SearchFunction | None = None) -> Alignment:
    """The one entry point: every pass that turns a split document into its alignment.

    Passes, in order: the search (align_document) over the sentences that have text, blank
    lines and furniture put back where they stand (furniture and captions never inside a unit),
    then segmentation repair (glued headings cut, when the segmenter's `heading_ends` is given;
    pre-split input is never re-cut) and the search again around the cuts (splice.py; furniture
    taken out again of any unit they made), and last each bead's confidence (confidence.py),
    from the vectors the passes before it computed.
    `search` lets a baseline (the plain diagonal of `make bench`) stand in for the search.
    """
    search = search or align_document
    if heading_ends is not None:  # the search may run again after a cut: on the vectors it had
        encoder = RememberingEncoder(encoder)

    def searched(document: Document) -> list[Bead]:
        return around_blank_lines(document, lambda inner: search(inner, encoder, params))

    beads = unpair_kept_out(document, searched(document))
    if heading_ends is not None:
        repair = split_glued_headings(document, beads, encoder, params, heading_ends)
        document, beads = repair.document, repair.beads
        if repair.cut:  # the search decides the beads around the cuts (splice.py)
            beads = splice(beads, searched(document), repair.src_pieces, repair.tgt_pieces)
        beads = unpair_kept_out(document, beads)  # the repair may pair a sentence left unaligned
    return Alignment(document, with_confidence(document, beads, encoder.name))


def align_document(document: Document, encoder: Encoder, params: AlignParams = DEFAULT_PARAMS) -> list[Bead]:
    """Beads covering every sentence of both sides once, in order, each with its score.

    Two passes with an encoder: the first prices merges with pooled vectors and yields a path;
    the second searches with the merges it found competitive embedded exactly, and the length
    ratio and the price of a merge re-estimated from that path. Without an encoder, one pass on
    lengths alone. Last, neighbouring units that a name or number crosses are joined
    (crossing.py); a joined unit's score comes from the runs' vectors (pooled from its sentences
    unless a pass embedded it).
    """
    src = [s.text for s in document.src]
    tgt = [s.text for s in document.tgt]
    src_lens = np.array([text_length(t) for t in src], dtype=np.float64)
    tgt_lens = np.array([text_length(t) for t in tgt], dtype=np.float64)
    src_runs = RunVectors(encoder.encode(src), src, document.src_lang, encoder.encode)
    tgt_runs = RunVectors(encoder.encode(tgt), tgt, document.tgt_lang, encoder.encode)
    prior = load_length_prior(document.src_lang, document.tgt_lang, src_lens.sum(), tgt_lens.sum())
    matches = best_matches(src_runs.of_length(1), tgt_runs.of_length(1))
    rows, cols = matches.anchors(params.anchor_similarity)
    length = document_length_model(prior, src_lens[rows], tgt_lens[cols], (src_lens.sum(), tgt_lens.sum()))
    # the document's mutual best pairs say how loose its translation is: how far apart its true
    # pairs sit (the semantic scale) and where a match starts to count (the matched floor)
    mutual_rows, mutual_cols = matches.anchors(-1.0)
    scale = semantic_scale(src_runs.of_length(1), tgt_runs.of_length(1), mutual_rows, mutual_cols, params)
    floor = matched_floor(matches.row_sim[mutual_rows], params)
    src_matched, tgt_matched = matched_factors(matches, floor, src_runs.of_length(1), tgt_runs.of_length(1),
                                               src_lens, tgt_lens, params)
    src_deletion = deletion_weights(src, [s.line for s in document.src]) * src_matched
    target_factor = pair_model(document.src_lang, document.tgt_lang).get("target_deletion", 1.0)
    tgt_deletion = deletion_weights(tgt, [s.line for s in document.tgt]) * tgt_matched * target_factor
    src_par, tgt_par = [s.paragraph for s in document.src], [s.paragraph for s in document.tgt]
    n, m = len(src), len(tgt)

    def costs_with(length: LengthModel, params: AlignParams) -> BeadCosts:
        return BeadCosts(src_runs, tgt_runs, src_lens, tgt_lens, length, params, src_deletion, tgt_deletion,
                         src_par, tgt_par, scale, src_matched, tgt_matched)

    types = bead_types(params)
    forward = costs_with(length, params)
    band = search_band(forward, n, m, params, src_lens, tgt_lens, length)
    if src_runs.dimension and n and m:
        # Pass 1 prices merged beads with pooled sentence vectors (no encoder call); the encoder
        # then embeds the runs of every merge on a path within `refine_slack` of the best, the
        # length ratio is re-estimated from pass 1's path, and pass 2 searches with both. (The band
        # of a long document and the runs chosen for embedding follow pass 1's ratio.) Pass 2
        # also prices merges by how much pass 1 merged (priors.merge_penalty_from_path).
        wanted_src, wanted_tgt, first = competitive_runs(forward, n, m, band, types, params.refine_slack)
        src_runs.refine(wanted_src)
        tgt_runs.refine(wanted_tgt)
        forward = costs_with(path_length_model(prior, length, first, src_lens, tgt_lens),
                             replace(params, merge_penalty=merge_penalty_from_path(first, params)))
    # the same path as dp(), and how much worse the best path without each bead is (for the
    # confidence pass)
    beads, margins = best_path_with_margins(forward, n, m, band, types)
    drawn = [Bead(b.src, b.tgt, margin=margin) for b, margin in zip(beads, margins)]
    joined = join_crossed_units(document, drawn, params.max_align, params.max_side)
    return [replace(b, score=bead_score(src_runs, tgt_runs, b)) for b in joined]


@dataclass
class BestMatches:
    """Each sentence's most similar sentence on the other side, and that similarity."""

    row_best: np.ndarray
    row_sim: np.ndarray
    col_best: np.ndarray
    col_sim: np.ndarray

    def anchors(self, threshold: float) -> tuple[np.ndarray, np.ndarray]:
        """Pairs that are each other's best match with cosine ≥ threshold (mutual best)."""
        if len(self.row_best) == 0 or len(self.col_best) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        rows = np.nonzero((self.col_best[self.row_best] == np.arange(len(self.row_best)))
                          & (self.row_sim >= threshold))[0]
        return rows, self.row_best[rows]

    def unexplained(self, src_vecs: np.ndarray, tgt_vecs: np.ndarray, src_lens: np.ndarray,
                    tgt_lens: np.ndarray, params: AlignParams) -> tuple[np.ndarray, np.ndarray]:
        """Each side's best similarities, −1 where explained away: the best match prefers
        another sentence within params.duplicate_window of this one that repeats it (cosine ≥
        params.duplicate_similarity) and is at least as long (says all this one says). A
        headline restated by its lead both match the other side's lead; when the other side
        has no headline, the headline's match is the lead's."""

        def side(best: np.ndarray, sim: np.ndarray, rival_of: np.ndarray, vecs: np.ndarray,
                 lens: np.ndarray) -> np.ndarray:
            if len(best) == 0 or len(rival_of) == 0:
                return sim
            own = np.arange(len(best))
            rival = rival_of[best]
            near = (rival != own) & (np.abs(rival - own) <= params.duplicate_window)
            repeats = np.einsum("ij,ij->i", vecs, vecs[rival]) >= params.duplicate_similarity
            return np.where(near & repeats & (lens <= lens[rival]), -1.0, sim)

        return (side(self.row_best, self.row_sim, self.col_best, src_vecs, src_lens),
                side(self.col_best, self.col_sim, self.row_best, tgt_vecs, tgt_lens))


def best_matches(src_vecs: np.ndarray, tgt_vecs: np.ndarray, window: int = 200) -> BestMatches:
    """Best matches within `window` sentences of the diagonal, in row chunks: linear in length.

    A long document never holds a whole similarity matrix, and no step is quadratic; the
    window is wide enough for the one-sided insertions of real documents.
    """
    n, m = len(src_vecs), len(tgt_vecs)
    result = BestMatches(np.zeros(n, dtype=np.int64), np.full(n, -1.0), np.zeros(m, dtype=np.int64),
                         np.full(m, -1.0))
    if n == 0 or m == 0 or src_vecs.shape[1] == 0:
        return result
    chunk = 256
    for start in range(0, n, chunk):
        end = min(start + chunk, n)
        lo = max(0, int(start * m / n) - window)
        hi = min(m, int(end * m / n) + window + 1)
        sims = src_vecs[start:end] @ tgt_vecs[lo:hi].T
        result.row_best[start:end] = sims.argmax(axis=1) + lo
        result.row_sim[start:end] = sims.max(axis=1)
        top = sims.argmax(axis=0)
        top_sim = sims[top, np.arange(hi - lo)]
        better = top_sim > result.col_sim[lo:hi]
        result.col_best[lo:hi][better] = top[better] + start
        result.col_sim[lo:hi][better] = top_sim[better]
    return result


def matched_factors(matches: BestMatches, floor: float, src_vecs: np.ndarray, tgt_vecs: np.ndarray,
                    src_lens: np.ndarray, tgt_lens: np.ndarray, params: AlignParams) -> tuple[np.ndarray, np.ndarray]:
    """Per sentence of each side, the factor its deletion cost is multiplied by for its best
    match. A sentence with a close match on the other side is unlikely to have no counterpart:
    its deletion costs more, in proportion to how far its best similarity clears the
    document's floor (priors.matched_floor), unless the match is explained away
    (BestMatches.unexplained). Without an encoder nothing is matched: 1 everywhere."""
    if src_vecs.shape[1] == 0:
        return np.ones(len(src_vecs)), np.ones(len(tgt_vecs))
    src_sim, tgt_sim = matches.unexplained(src_vecs, tgt_vecs, src_lens, tgt_lens, params)
    return (1.0 + params.matched_deletion * np.maximum(src_sim - floor, 0.0),
            1.0 + params.matched_deletion * np.maximum(tgt_sim - floor, 0.0))


def bead_score(src_runs: RunVectors, tgt_runs: RunVectors, bead: Bead) -> float:
    """What a reviewer sees: the cosine of the two sides (0 for an unaligned or length-only bead)."""
    if not bead.is_aligned or src_runs.dimension == 0:
        return 0.0
    u = src_runs.of_length(len(bead.src))[bead.src[0]]
    v = tgt_runs.of_length(len(bead.tgt))[bead.tgt[0]]
    return float(np.clip(u @ v, -1.0, 1.0))


__all__ = ["AlignParams", "DEFAULT_PARAMS", "align", "align_document"]
