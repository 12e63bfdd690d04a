"""The cost of a bead: embedding dissimilarity against the document's hubness, plus length.

cost(x-y) = w(x, y) · (1 − cos(u, v)) / (1 − (hub(u) + hub(v))/2)
          + length_weight · GC(len u, len v) + merge_penalty · (x + y − 2)
          + paragraph_penalty · (paragraph breaks the bead disagrees with)
with w = (x+y)/2 by default (params.merge_weight; Vecalign's x·y is "product")
where u, v embed the concatenated sentences of each side and hub(u) is u's mean similarity to
the other side's sentences (Vecalign's normaliser, computed exactly as a dot product with the
mean vector). Without embeddings the cost is Gale–Church's: −log P(type) + GC(len).
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np

from aligner.align.length import LengthModel
from aligner.align.params import AlignParams
from aligner.data import join_sentences

# Gale & Church (1993) bead priors, extended to longer beads.
GC_PRIORS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2,
             (2, 2): 0.011, (3, 1): 0.004, (1, 3): 0.004, (4, 1): 0.0005, (1, 4): 0.0005}


def _merge_weight(kind: str, x: int, y: int) -> float:
    """How a bead's dissimilarity scales with its size (1 for a 1-1 bead)."""
    if kind == "product":  # Vecalign: x·y
        return float(x * y)
    if kind == "mean":  # sentences covered per side pair: (x + y) / 2
        return (x + y) / 2.0
    if kind == "max":
        return float(max(x, y))
    raise ValueError(f"unknown merge weight {kind!r}")


def _breaks(paragraphs: Sequence[int] | None, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Per position k (0 … count), whether a paragraph starts there, and a cumulative count.

    Position k is the gap before sentence k; the two ends of the document are breaks. Without
    paragraph information (pre-split input: all sentences in paragraph 0) only the ends are.
    """
    brk = np.zeros(count + 1, dtype=bool)
    brk[0] = brk[count] = True
    if paragraphs is not None and count > 1:
        par = np.asarray(paragraphs)
        brk[1:count] = par[1:] != par[:-1]
    cum = np.concatenate([[0], np.cumsum(brk)]).astype(np.float64)
    return brk, cum  # cum[k] = breaks at positions before k


def _matched_before(factors: np.ndarray | None, count: int) -> np.ndarray:
    """Per position k (0 … count), how many sentences before k match something on the other side
    (the aligner's matched factors: > 1 where a sentence's deletion is dearer for its match)."""
    matched = np.zeros(count, dtype=bool) if factors is None else np.asarray(factors) > 1.0
    return np.concatenate([[0], np.cumsum(matched)])


def normalised_dissimilarity(sim: np.ndarray, hub: np.ndarray) -> np.ndarray:
    """1 − cosine, relative to how far the sides' random level (hub) is from a perfect match."""
    return (1.0 - sim) / np.maximum(1.0 - hub, 0.05)


class RunVectors:
    """Vectors of runs of consecutive sentences of one side (row s: sentences s … s+length−1).

    A run starts as the normalised sum of its members' vectors (free); `refine` replaces the
    runs the search is actually weighing by the encoder's embedding of their joined text
    (what the encoder sees of a merged bead). Without an encoder (`encode=None`) runs stay pooled.
    """

    def __init__(self, sentence_vectors: np.ndarray, texts: Sequence[str] = (), lang: str = "",
                 encode: Callable[[list[str]], np.ndarray] | None = None) -> None:
        self._texts = list(texts)
        self._lang = lang
        self._encode = encode
        self._by_length: dict[int, np.ndarray] = {1: sentence_vectors}
        self._exact: dict[int, np.ndarray] = {1: np.ones(len(sentence_vectors), dtype=bool)}
        self._norms: dict[int, np.ndarray] = {1: np.ones(len(sentence_vectors))}
        self.embedded = 0  # run strings sent to the encoder

    def of_length(self, length: int) -> np.ndarray:
        if length not in self._by_length:
            self._by_length[length], self._norms[length] = self._pooled(length)
            self._exact[length] = np.zeros(len(self._by_length[length]), dtype=bool)
        return self._by_length[length]

    def exact(self, length: int) -> np.ndarray:
        """Per run start, whether the run's vector is the encoder's (sentences, refined runs)."""
        self.of_length(length)
        return self._exact[length]

    def sum_norms(self, length: int) -> np.ndarray:
        """Per run start, the length of the sum of its sentence vectors (what pooling divides by)."""
        self.of_length(length)
        return self._norms[length]

    def _pooled(self, length: int) -> tuple[np.ndarray, np.ndarray]:
        vectors = self._by_length[1]
        count = max(len(vectors) - length + 1, 0)
        if count == 0 or vectors.shape[1] == 0:
            return np.zeros((count, vectors.shape[1]), dtype=np.float32), np.ones(count)
        summed = sum(vectors[s:s + count] for s in range(length))
        norms = np.maximum(np.linalg.norm(summed, axis=1), 1e-12)
        return (summed / norms[:, None]).astype(np.float32), norms.astype(np.float64)

    def refine(self, wanted: dict[int, set[int]]) -> None:
        """Embed the joined text of the runs {length: starts} not embedded yet, in one call."""
        if self._encode is None or self.dimension == 0:
            return
        todo: list[tuple[int, int]] = []
        for length, starts in wanted.items():
            vectors, exact = self.of_length(length), self._exact[length]
            todo += [(length, s) for s in sorted(starts) if 0 <= s < len(vectors) and not exact[s]]
        if not todo:
            return
        embedded = self._encode([join_sentences(self._texts[s:s + n], self._lang) for n, s in todo])
        for (length, start), vector in zip(todo, embedded):
            self._by_length[length][start] = vector
            self._exact[length][start] = True
        self.embedded += len(todo)

    @property
    def dimension(self) -> int:
        return self._by_length[1].shape[1]


class SentencePairSums:
    """Cosines of every sentence pair in a block of the two sides, and their 2-D prefix sums.

    A pooled run's vector is its sentences' sum divided by that sum's length, so the cosine of
    two pooled runs is a window sum of sentence-pair cosines divided by the two lengths: one
    matrix product per block serves every bead type, where a product per type would multiply
    512-d vectors again for each.
    """

    def __init__(self, src: np.ndarray, tgt: np.ndarray, rows: tuple[int, int], cols: tuple[int, int]) -> None:
        (self.r0, self.r1), (self.c0, self.c1) = rows, cols
        self.cosines = src[self.r0:self.r1] @ tgt[self.c0:self.c1].T
        self.prefix = np.zeros((self.r1 - self.r0 + 1, self.c1 - self.c0 + 1))
        np.cumsum(np.cumsum(self.cosines, axis=0, dtype=np.float64), axis=1, out=self.prefix[1:, 1:])

    def covers(self, rows: tuple[int, int], cols: tuple[int, int]) -> bool:
        return self.r0 <= rows[0] and rows[1] <= self.r1 and self.c0 <= cols[0] and cols[1] <= self.c1

    def window(self, x: int, y: int, s: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Sum of the cosines of sentences s … s+x−1 with sentences t … t+y−1."""
        s, t = s - self.r0, t - self.c0
        if x == 1 and y == 1:
            return self.cosines[s, t].astype(np.float64)
        width = self.prefix.shape[1]
        corner = s * width + t  # the window's four corners in the flattened prefix sums
        flat = self.prefix.ravel()
        return flat.take(corner + (x * width + y)) - flat.take(corner + y) - flat.take(corner + x * width) \
            + flat.take(corner)


def _products(src: np.ndarray, tgt: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """src[rows[k]] · tgt[cols[k]] for every k, from one product of the distinct rows with the
    span of columns (the cells of a few whole runs: few rows, many columns)."""
    unique_rows, row_at = np.unique(rows, return_inverse=True)
    first = int(cols.min())
    return (src[unique_rows] @ tgt[first:int(cols.max()) + 1].T)[row_at, cols - first]


class BeadCosts:
    """Costs of beads ending at given DP cells, and of leaving each sentence unaligned, for the
    runs as they are when it is made (refine the runs first: it caches their hubness)."""

    def __init__(self, src_runs: RunVectors, tgt_runs: RunVectors, src_lens: np.ndarray,
                 tgt_lens: np.ndarray, length: LengthModel, params: AlignParams,
                 src_deletion_weights: np.ndarray | None = None,
                 tgt_deletion_weights: np.ndarray | None = None,
                 src_paragraphs: Sequence[int] | None = None,
                 tgt_paragraphs: Sequence[int] | None = None, semantic_scale: float = 1.0,
                 src_matched: np.ndarray | None = None, tgt_matched: np.ndarray | None = None) -> None:
        self.src_runs, self.tgt_runs = src_runs, tgt_runs
        self.semantic_scale = semantic_scale
        self.src_matched_cum = _matched_before(src_matched, len(src_lens))
        self.tgt_matched_cum = _matched_before(tgt_matched, len(tgt_lens))
        self.src_break, self.src_break_cum = _breaks(src_paragraphs, len(src_lens))
        self.tgt_break, self.tgt_break_cum = _breaks(tgt_paragraphs, len(tgt_lens))
        # without a break inside either side (pre-split input) no bead can misfit: skip the sum
        self.has_paragraphs = bool(self.src_break[1:-1].any() or self.tgt_break[1:-1].any())
        self.src_weights = src_deletion_weights if src_deletion_weights is not None else np.ones(len(src_lens))
        self.tgt_weights = tgt_deletion_weights if tgt_deletion_weights is not None else np.ones(len(tgt_lens))
        self.src_cum = np.concatenate([[0], np.cumsum(src_lens)]).astype(np.float64)
        self.tgt_cum = np.concatenate([[0], np.cumsum(tgt_lens)]).astype(np.float64)
        self.length, self.params = length, params
        self.semantic = src_runs.dimension > 0
        if self.semantic:
            self._src_mean = src_runs.of_length(1).mean(axis=0)
            self._tgt_mean = tgt_runs.of_length(1).mean(axis=0)
        self._hub: dict[tuple[str, int], np.ndarray] = {}
        self._pair_sums: SentencePairSums | None = None

    def _hubness(self, side: str, length: int) -> np.ndarray:
        key = (side, length)
        if key not in self._hub:
            runs = (self.src_runs if side == "src" else self.tgt_runs).of_length(length)
            other_mean = self._tgt_mean if side == "src" else self._src_mean
            self._hub[key] = runs @ other_mean
        return self._hub[key]

    def cells(self, x: int, y: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Costs of the x-y beads ending at cells (rows[k], cols[k]), x, y ≥ 1.

        Similarities come from one matrix product over the sentences a chunk of DP rows touches
        (similarities()), so a chunk costs a BLAS call rather than a Python loop.
        """
        src_len = self.src_cum[rows] - self.src_cum[rows - x]
        tgt_len = self.tgt_cum[cols] - self.tgt_cum[cols - y]
        length_cost = self.length.cost(src_len, tgt_len)
        if not self.semantic:
            return length_cost - math.log(GC_PRIORS.get((x, y), 1e-4))
        s0, t0 = rows - x, cols - y
        sim = self.similarities(x, y, s0, t0)
        hub = (self._hubness("src", x)[s0] + self._hubness("tgt", y)[t0]) / 2.0
        dissimilarity = self.semantic_scale * normalised_dissimilarity(sim, hub)
        p = self.params
        cost = _merge_weight(p.merge_weight, x, y) * dissimilarity + p.length_weight * length_cost + p.merge_penalty * (x + y - 2)
        if p.paragraph_penalty and self.has_paragraphs:
            cost = cost + p.paragraph_penalty * self._paragraph_misfit(x, y, rows, cols)
        return cost

    def similarities(self, x: int, y: int, s0: np.ndarray, t0: np.ndarray) -> np.ndarray:
        """Cosines of the x-sentence runs starting at s0 with the y-sentence runs at t0.

        Pooled runs are read from window sums of sentence-pair cosines; a run the encoder
        embedded whole is multiplied out with the runs it faces.
        """
        rows = (int(s0.min()), int(s0.max()) + x)
        cols = (int(t0.min()), int(t0.max()) + y)
        if self._pair_sums is None or not self._pair_sums.covers(rows, cols):
            # the cells of one DP chunk for every bead type: their runs reach up to max_side
            # sentences further than the first type's
            pad = self.params.max_side
            src, tgt = self.src_runs.of_length(1), self.tgt_runs.of_length(1)
            self._pair_sums = SentencePairSums(src, tgt, (max(rows[0] - pad, 0), min(rows[1] + pad, len(src))),
                                               (max(cols[0] - pad, 0), min(cols[1] + pad, len(tgt))))
        sim = self._pair_sums.window(x, y, s0, t0)
        if x > 1 or y > 1:
            sim /= self.src_runs.sum_norms(x)[s0] * self.tgt_runs.sum_norms(y)[t0]
            src_exact = self.src_runs.exact(x)[s0] if x > 1 else np.zeros(len(s0), dtype=bool)
            tgt_exact = self.tgt_runs.exact(y)[t0] & ~src_exact if y > 1 else np.zeros(len(t0), dtype=bool)
            if src_exact.any():
                sim[src_exact] = _products(self.src_runs.of_length(x), self.tgt_runs.of_length(y),
                                           s0[src_exact], t0[src_exact])
            if tgt_exact.any():
                sim[tgt_exact] = _products(self.tgt_runs.of_length(y), self.src_runs.of_length(x),
                                           t0[tgt_exact], s0[tgt_exact])
        return sim

    def _paragraph_misfit(self, x: int, y: int, i: np.ndarray, js: np.ndarray) -> np.ndarray:
        """How many ways the bead disagrees with the paragraph structure of the two sides.

        One for starting a new paragraph on one side only (the other side is mid-paragraph),
        one for every paragraph break inside either side of the bead.
        """
        s0, t0 = i - x, js - y
        start = self.params.paragraph_start * self.starts_apart(s0, t0).astype(np.float64)
        inside_src = self.src_break_cum[i] - self.src_break_cum[s0 + 1]
        inside_tgt = self.tgt_break_cum[js] - self.tgt_break_cum[t0 + 1]
        return start + inside_src + inside_tgt

    def starts_apart(self, s0: np.ndarray, t0: np.ndarray) -> np.ndarray:
        """Whether beads starting at s0, t0 start a paragraph on one side only (never at a side's
        first sentence: leading deletions make a document's first bead start anywhere).

        A bead one sentence into a paragraph on one side, where the other side starts one, is
        not apart: the paragraph's first sentence may have no counterpart (a caption, a quote
        from elsewhere) and be left unaligned; every other path to that start puts the opener in
        the bead before, which then spans a paragraph break and pays for that instead. Up to
        max_side sentences in (a passage the translation left out), only if none of the
        sentences before the bead matches anything on the other side: without that evidence a
        wider waiver lets a loose translation's units drift across paragraph breaks.
        """
        src, tgt = self.src_break[s0], self.tgt_break[t0]
        src_after = self._after_opening(self.src_break, self.src_matched_cum, s0)
        tgt_after = self._after_opening(self.tgt_break, self.tgt_matched_cum, t0)
        apart = (src != tgt) & ~(tgt & src_after) & ~(src & tgt_after)
        return apart & (s0 > 0) & (t0 > 0)

    def _after_opening(self, breaks: np.ndarray, matched_cum: np.ndarray, start: np.ndarray) -> np.ndarray:
        """Whether a bead starting at `start` follows a paragraph's opening sentences that may
        all be left unaligned: one sentence, or up to max_side that match nothing."""
        after = breaks[np.maximum(start - 1, 0)] & (start > 1)
        for back in range(2, self.params.max_side + 1):
            opening = np.maximum(start - back, 0)
            after |= breaks[opening] & (start > back) & (matched_cum[start] == matched_cum[opening])
        return after

    def deletion_src(self) -> np.ndarray:
        """Cost of leaving each source sentence unaligned."""
        return self._deletion(self.src_cum, src=True) * self.src_weights

    def deletion_tgt(self) -> np.ndarray:
        return self._deletion(self.tgt_cum, src=False) * self.tgt_weights

    def _deletion(self, cum: np.ndarray, src: bool) -> np.ndarray:
        lens = np.diff(cum)
        if self.semantic:
            return np.full(lens.shape, self.params.deletion)
        zero = np.zeros_like(lens)
        cost = self.length.cost(lens, zero) if src else self.length.cost(zero, lens)
        return cost - math.log(GC_PRIORS[(1, 0)])
