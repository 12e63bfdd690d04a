"""Sentence alignment: embeddings and lengths scored per bead, the best path found by DP."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from aligner.align.boilerplate import deletion_weights
from aligner.align.length import document_length_model, load_length_prior, pair_model, text_length
from aligner.align.params import DEFAULT_PARAMS, AlignParams
from aligner.align.priors import DocumentPriors, semantic_scale, type_costs
from aligner.align.scoring import BeadCosts, RunVectors
from aligner.align.search import bead_types, competitive_runs, dp, search_band
from aligner.align.blanks import around_blank_lines
from aligner.align.glued import HeadingEnds, split_glued_headings
from aligner.data import Alignment, Bead, Document
from aligner.encoders.base import Encoder

SearchFunction = Callable[[Document, Encoder, AlignParams], list[Bead]]


def align(document: Document, encoder: Encoder, params: AlignParams = DEFAULT_PARAMS,
          heading_ends: HeadingEnds | None = None, search: SearchFunction | None = None) -> Alignment:
    """The one entry point: every pass that turns a split document into its alignment.

    Passes, in order: the search (align_document) over the sentences that have text, blank
    lines put back where they stand, then segmentation repair (glued headings cut, when the
    segmenter's `heading_ends` is given; pre-split input is never re-cut). `search` lets a
    baseline (the plain diagonal of `make bench`) stand in for the search.
    """
    search = search or align_document
    beads = around_blank_lines(document, lambda inner: search(inner, encoder, params))
    if heading_ends is not None:
        document, beads = split_glued_headings(document, beads, encoder, params, heading_ends)
    return Alignment(document, beads)


def align_document(document: Document, encoder: Encoder, params: AlignParams = DEFAULT_PARAMS) -> list[Bead]:
    """Beads covering every sentence of both sides once, in order, each with its score."""
    src = [s.text for s in document.src]
    tgt = [s.text for s in document.tgt]
    src_lens = np.array([text_length(t) for t in src], dtype=np.float64)
    tgt_lens = np.array([text_length(t) for t in tgt], dtype=np.float64)
    src_runs = RunVectors(encoder.encode(src), src, document.src_lang, encoder.encode)
    tgt_runs = RunVectors(encoder.encode(tgt), tgt, document.tgt_lang, encoder.encode)
    prior = load_length_prior(document.src_lang, document.tgt_lang, src_lens.sum(), tgt_lens.sum())
    matches = best_matches(src_runs.of_length(1), tgt_runs.of_length(1))
    rows, cols = matches.anchors(params.anchor_similarity)
    length = document_length_model(prior, src_lens[rows], tgt_lens[cols], (src_lens.sum(), tgt_lens.sum()),
                                   params.variance_pseudo)
    src_deletion = deletion_weights(src) * _matched(matches.row_sim, params)
    target_factor = pair_model(document.src_lang, document.tgt_lang).get("target_deletion", 1.0)
    tgt_deletion = deletion_weights(tgt) * _matched(matches.col_sim, params) * target_factor
    src_par, tgt_par = [s.paragraph for s in document.src], [s.paragraph for s in document.tgt]
    n, m = len(src), len(tgt)
    mutual_rows, mutual_cols = matches.anchors(-1.0)
    priors = DocumentPriors(semantic_scale(src_runs.of_length(1), tgt_runs.of_length(1), mutual_rows, mutual_cols, params))

    def costs_of(src_side: RunVectors, tgt_side: RunVectors, reverse: bool = False) -> BeadCosts:
        """The bead costs of the document, or of the document read backwards (both sides)."""
        step = -1 if reverse else 1
        return BeadCosts(src_side, tgt_side, src_lens[::step], tgt_lens[::step], length, params,
                         src_deletion[::step], tgt_deletion[::step], src_par[::step], tgt_par[::step], priors)

    types = bead_types(params)
    forward = costs_of(src_runs, tgt_runs)
    band = search_band(forward, n, m, params, src_lens, tgt_lens, length)
    if src_runs.dimension and n and m:
        # Pass 1 prices merged beads with pooled sentence vectors (no encoder call); the encoder
        # then embeds the runs of every merge on a path within `refine_slack` of the best, and
        # pass 2 searches with them.
        backward = costs_of(RunVectors(src_runs.of_length(1)[::-1].copy()),
                            RunVectors(tgt_runs.of_length(1)[::-1].copy()), reverse=True)
        wanted_src, wanted_tgt, first = competitive_runs(forward, backward, n, m, band, types, params.refine_slack)
        src_runs.refine(wanted_src)
        tgt_runs.refine(wanted_tgt)
        priors = replace(priors, type_costs=type_costs(first, params))
        if params.length_from_path:
            length = _path_length_model(prior, first, src_lens, tgt_lens, params)
        forward = costs_of(src_runs, tgt_runs)
    beads = dp(forward, n, m, band, types)
    if src_runs.dimension:
        beads = _peel_paragraph_openers(beads, forward, matches)
    beads = [Bead(b.src, b.tgt, bead_score(src_runs, tgt_runs, b)) for b in beads]
    return _unpair_unrelated(beads, params) if src_runs.dimension else beads


def _peel_paragraph_openers(beads: list[Bead], costs: BeadCosts, matches: BestMatches) -> list[Bead]:
    """Leave a paragraph's first sentence unaligned if it matches nothing on the other side
    and that is cheaper once the bead after it counts as starting the paragraph.

    The search prices a bead's paragraph fit by where the bead itself starts, so a caption or
    a stray quote heading a paragraph on one side gets merged into the next sentence's bead:
    left unaligned, it would make that bead start mid-paragraph on one side and pay
    paragraph_penalty. Here the choice is made again with that penalty lifted, for sentences
    whose best cosine with any sentence of the other side is below `unrelated_similarity`.
    NTREX raw dev: the two stray sentences peeled had best matches .13 and .17; the three
    openers that translate part of their bead (left merged) .25, .27 and .30.
    """
    out: list[Bead] = []
    for bead in beads:
        while bead.is_aligned and (opener := _opener_to_peel(bead, costs, matches)) is not None:
            if opener == "src":
                out.append(Bead(bead.src[:1], ()))
                bead = Bead(bead.src[1:], bead.tgt)
            else:
                out.append(Bead((), bead.tgt[:1]))
                bead = Bead(bead.src, bead.tgt[1:])
        out.append(bead)
    return out


def _opener_to_peel(bead: Bead, costs: BeadCosts, matches: BestMatches) -> str | None:
    """The side ("src" or "tgt") whose first sentence in the bead opens a paragraph where the
    other side's does too, matches nothing, and is cheaper unaligned, with the rest of the bead
    counted as starting the paragraph."""
    x, y = len(bead.src), len(bead.tgt)
    if not (costs.has_paragraphs and costs.src_break[bead.src[0]] and costs.tgt_break[bead.tgt[0]]):
        return None
    end = (np.array([bead.src[-1] + 1]), np.array([bead.tgt[-1] + 1]))
    merged = float(costs.cells(x, y, *end)[0])
    # the price the rest pays for starting mid-paragraph on the peeled side, lifted
    lifted = costs.params.paragraph_penalty * costs.params.paragraph_start
    unrelated = costs.params.unrelated_similarity
    first, other_first = bead.src[0], bead.tgt[0]
    for side, (dx, dy), opener, deletion, best in (
            ("src", (1, 0), first, costs.deletion_src, matches.row_sim),
            ("tgt", (0, 1), other_first, costs.deletion_tgt, matches.col_sim)):
        if min(x - dx, y - dy) < 1 or best[opener] >= unrelated:
            continue
        costs.refine({x - 1: {first + 1}} if dx else {}, {y - 1: {other_first + 1}} if dy else {})
        rest = float(costs.cells(x - dx, y - dy, *end)[0])
        if costs.starts_apart(np.array([first + dx]), np.array([other_first + dy]))[0]:
            rest -= lifted
        if float(deletion()[opener]) + rest < merged:
            return side
    return None


def _unpair_unrelated(beads: list[Bead], params: AlignParams) -> list[Bead]:
    """A pair whose two sides share no meaning is two sentences without counterpart, not a
    translation: the search took it only because two deletions cost more than one bad pair."""
    out: list[Bead] = []
    for bead in beads:
        if bead.is_aligned and bead.score < params.unrelated_similarity:
            out += [Bead((i,), ()) for i in bead.src] + [Bead((), (j,)) for j in bead.tgt]
        else:
            out.append(bead)
    return out


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


def _path_length_model(prior, beads: list[Bead], src_lens: np.ndarray, tgt_lens: np.ndarray,
                       params: AlignParams):
    """The length model again, from the aligned beads of a first search rather than from 1-1
    anchors: an anchor is often one half of a 1-2 translation, which biases the ratio low in a
    text that splits sentences (the ratio from anchors is 0.85 of the gold's on a literary
    Chinese–English set, 0.92 on Bible verses; from the first path 0.98 and 1.0)."""
    aligned = [b for b in beads if b.src and b.tgt]
    src = np.array([src_lens[list(b.src)].sum() for b in aligned], dtype=np.float64)
    tgt = np.array([tgt_lens[list(b.tgt)].sum() for b in aligned], dtype=np.float64)
    return document_length_model(prior, src, tgt, (src_lens.sum(), tgt_lens.sum()), params.variance_pseudo)


def _matched(best_sim: np.ndarray, params: AlignParams) -> np.ndarray:
    """A sentence with a close match on the other side is unlikely to have no counterpart:
    its deletion costs more, in proportion to how far its best similarity clears the floor."""
    return 1.0 + params.matched_deletion * np.maximum(best_sim - params.matched_floor, 0.0)


def bead_score(src_runs: RunVectors, tgt_runs: RunVectors, bead: Bead) -> float:
    """What a reviewer sees: the cosine of the two sides (0 for an unaligned or length-only bead)."""
    if not bead.is_aligned or src_runs.dimension == 0:
        return 0.0
    u = src_runs.of_length(len(bead.src))[bead.src[0]]
    v = tgt_runs.of_length(len(bead.tgt))[bead.tgt[0]]
    return float(np.clip(u @ v, -1.0, 1.0))


__all__ = ["AlignParams", "DEFAULT_PARAMS", "align", "align_document"]
