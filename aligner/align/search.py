"""The dynamic programme: the cheapest monotone path of beads, inside a band.

Short documents are searched whole. Long ones coarse-to-fine (as Vecalign does): sentences are
pooled into blocks, the blocks aligned recursively, and the sentence-level search runs only in
a band around the block path, so time and memory grow linearly with document length.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from aligner.align.length import LengthModel
from aligner.align.params import AlignParams
from aligner.align.scoring import BeadCosts, RunVectors
from aligner.data import Bead

COARSE_TYPES = [(1, 1), (1, 2), (2, 1), (1, 0), (0, 1)]


def bead_types(params: AlignParams) -> list[tuple[int, int]]:
    """1-1 first, then every x-y with x + y ≤ max_align, then deletions."""
    types = [(x, y) for x in range(1, params.max_side + 1) for y in range(1, params.max_side + 1)
             if x + y <= params.max_align]
    types.sort(key=lambda t: (t[0] + t[1], t))
    return types + [(1, 0), (0, 1)]


@dataclass
class Band:
    """For each row i (0 … n), the columns lo[i] … hi[i] the search may visit."""

    lo: np.ndarray
    hi: np.ndarray

    @classmethod
    def full(cls, n: int, m: int) -> "Band":
        return cls(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64))

    @classmethod
    def around(cls, rows: np.ndarray, cols_lo: np.ndarray, cols_hi: np.ndarray, n: int, m: int,
               radius: int) -> "Band":
        """The smallest monotone band holding the given cells, widened by `radius`."""
        lo = np.full(n + 1, m, dtype=np.int64)
        hi = np.zeros(n + 1, dtype=np.int64)
        np.minimum.at(lo, rows, cols_lo)
        np.maximum.at(hi, rows, cols_hi)
        for _ in range(2):  # rows the path skipped take their neighbours' range
            lo = np.minimum.accumulate(lo[::-1])[::-1]
            hi = np.maximum.accumulate(hi)
        # widen in both directions: a row also sees the columns of rows within `radius`
        lo_w = lo.copy()
        hi_w = hi.copy()
        for r in range(1, radius + 1):
            lo_w[r:] = np.minimum(lo_w[r:], lo[:-r])
            hi_w[:-r] = np.maximum(hi_w[:-r], hi[r:])
        lo = np.clip(lo_w - radius, 0, m)
        hi = np.clip(hi_w + radius, 0, m)
        lo[0], hi[n] = 0, m
        return cls(lo, hi)

    def cells(self) -> int:
        return int((self.hi - self.lo + 1).sum())


def search_band(costs: BeadCosts, n: int, m: int, params: AlignParams,
                src_lens: np.ndarray, tgt_lens: np.ndarray, length: LengthModel) -> Band:
    """Where the search may go: everywhere for a short document, near the block path otherwise."""
    if (n + 1) * (m + 1) <= params.full_cells:
        return Band.full(n, m)
    return _coarse_band(costs, n, m, params, src_lens, tgt_lens, length)


def competitive_runs(forward: BeadCosts, backward: BeadCosts, n: int, m: int, band: Band,
                     types: list[tuple[int, int]], slack: float
                     ) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """The runs of every merged bead that lies on some path within `slack` of the best one.

    Forward and backward DP tables (the backward one on the reversed document) give, for a bead
    ending at (i, j), the best path through it: F(start) + cost + B(i, j). Only the runs of
    such competitive merges need the encoder; the rest of the runs stay pooled.
    """
    best_f, _ = dp_tables(forward, n, m, band, types)
    reverse = Band((m - band.hi[::-1]).copy(), (m - band.lo[::-1]).copy())
    best_b, _ = dp_tables(backward, n, m, reverse, types)
    total = best_f[n][m - int(band.lo[n])]
    src: dict[int, set[int]] = {}
    tgt: dict[int, set[int]] = {}
    widths = band.hi - band.lo + 1
    merges = [t for t, (x, y) in enumerate(types) if x and y and max(x, y) > 1]
    del_src = forward.deletion_src()
    for r0 in range(0, n + 1, CHUNK_ROWS):
        r1 = min(n + 1, r0 + CHUNK_ROWS)
        steps = _chunk_costs(forward, band, widths, r0, r1, types, del_src, only=set(merges))
        for i in range(r0, r1):
            lo, w = int(band.lo[i]), int(widths[i])
            js = np.arange(lo, lo + w)
            after = best_b[n - i][(m - js) - int(reverse.lo[n - i])]
            for t in merges:
                step = steps.get(t)
                if step is None:
                    continue
                x, y = types[t]
                idx = np.nonzero(np.isfinite(step[i - r0, :w]))[0]
                through = best_f[i - x][js[idx] - y - int(band.lo[i - x])] + step[i - r0, idx] + after[idx]
                for j in js[idx[through <= total + slack]]:
                    if x > 1:
                        src.setdefault(x, set()).add(i - x)
                    if y > 1:
                        tgt.setdefault(y, set()).add(int(j) - y)
    return src, tgt


CHUNK_ROWS = 128


def dp(costs: BeadCosts, n: int, m: int, band: Band, types: list[tuple[int, int]]) -> list[Bead]:
    """The best beads covering all n source and m target sentences, inside the band."""
    if n == 0 or m == 0:
        return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
    _, back = dp_tables(costs, n, m, band, types)
    return _backtrack(back, band, types, n, m)


def dp_tables(costs: BeadCosts, n: int, m: int, band: Band, types: list[tuple[int, int]]
              ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Row-by-row DP over the band: per row, the best cost of each cell and the bead type that
    reached it. Bead costs are computed a chunk of rows at a time (one vectorised call per bead
    type); each row then takes a few numpy operations per type."""
    del_src = costs.deletion_src()
    del_tgt = costs.deletion_tgt()
    widths = band.hi - band.lo + 1
    best: list[np.ndarray] = []
    back: list[np.ndarray] = []
    ins = types.index((0, 1))
    for r0 in range(0, n + 1, CHUNK_ROWS):
        r1 = min(n + 1, r0 + CHUNK_ROWS)
        steps = _chunk_costs(costs, band, widths, r0, r1, types, del_src)
        for i in range(r0, r1):
            lo, w = int(band.lo[i]), int(widths[i])
            js = np.arange(lo, lo + w)
            row = np.full(w, np.inf)
            arg = np.full(w, -1, dtype=np.int8)
            if i == 0 and lo == 0:
                row[0] = 0.0
            for t, (x, y) in enumerate(types):
                step = steps.get(t)
                if step is None:
                    continue
                step = step[i - r0, :w]
                valid = np.isfinite(step)
                if not valid.any():
                    continue
                idx = np.nonzero(valid)[0]
                cand = best[i - x][js[idx] - y - int(band.lo[i - x])] + step[idx]
                better = cand < row[idx]
                row[idx[better]] = cand[better]
                arg[idx[better]] = t
            # 0-1 beads move along the row: D[k] = C[k] + min_{k'≤k}(D'[k'] − C[k'])
            if w > 1:
                cum = np.cumsum(np.concatenate([[0.0], del_tgt[js[1:] - 1]]))
                scanned = np.minimum.accumulate(row - cum) + cum
                moved = scanned < row - 1e-12
                row = np.where(moved, scanned, row)
                arg[moved] = ins
            best.append(row)
            back.append(arg)
    return best, back


def _chunk_costs(costs: BeadCosts, band: Band, widths: np.ndarray, r0: int, r1: int,
                 types: list[tuple[int, int]], del_src: np.ndarray,
                 only: set[int] | None = None) -> dict[int, np.ndarray]:
    """For rows r0 … r1−1, per bead type, the cost of the bead ending at each band cell
    (rows × max width; inf where the bead would start outside the band or the document)."""
    rows = np.arange(r0, r1)[:, None]
    k = np.arange(int(widths[r0:r1].max()))[None, :]
    cols = band.lo[r0:r1, None] + k
    inside = k < widths[r0:r1, None]
    steps: dict[int, np.ndarray] = {}
    for t, (x, y) in enumerate(types):
        if x == 0 or (only is not None and t not in only):
            continue
        prev = np.clip(rows - x, 0, None)
        ok = inside & (rows - x >= 0) & (cols - y >= band.lo[prev]) & (cols - y <= band.hi[prev])
        if not ok.any():
            continue
        full_rows = np.broadcast_to(rows, ok.shape)[ok]
        step = np.full(ok.shape, np.inf)
        step[ok] = del_src[full_rows - 1] if y == 0 else costs.cells(x, y, full_rows, cols[ok])
        steps[t] = step
    return steps


def _backtrack(back: list[np.ndarray], band: Band, types: list[tuple[int, int]], n: int, m: int) -> list[Bead]:
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        t = int(back[i][j - int(band.lo[i])])
        if t < 0:
            raise RuntimeError(f"alignment search found no path through ({i}, {j})")
        x, y = types[t]
        beads.append(Bead(tuple(range(i - x, i)), tuple(range(j - y, j))))
        i, j = i - x, j - y
    beads.reverse()
    return beads


def _coarse_band(costs: BeadCosts, n: int, m: int, params: AlignParams, src_lens: np.ndarray,
                 tgt_lens: np.ndarray, length: LengthModel) -> Band:
    """Align blocks of sentences, then allow the sentence search near the block path only."""
    blocks = max(2, int(math.sqrt(params.full_cells / 4)))
    blocks = min(blocks, n, m)
    src_bounds = np.unique(np.round(np.linspace(0, n, blocks + 1)).astype(np.int64))
    tgt_bounds = np.unique(np.round(np.linspace(0, m, blocks + 1)).astype(np.int64))
    src_vec = _pool(costs.src_runs.of_length(1), src_bounds)
    tgt_vec = _pool(costs.tgt_runs.of_length(1), tgt_bounds)
    src_blen = np.add.reduceat(src_lens, src_bounds[:-1]).astype(np.float64)
    tgt_blen = np.add.reduceat(tgt_lens, tgt_bounds[:-1]).astype(np.float64)
    coarse = BeadCosts(RunVectors(src_vec), RunVectors(tgt_vec), src_blen, tgt_blen, length, params)
    nb, mb = len(src_bounds) - 1, len(tgt_bounds) - 1
    coarse_beads = dp(coarse, nb, mb, Band.full(nb, mb), COARSE_TYPES)
    rows, los, his = [], [], []
    i = j = 0
    for bead in coarse_beads:
        i2, j2 = i + len(bead.src), j + len(bead.tgt)
        r0, r1 = src_bounds[i], src_bounds[i2]
        c0, c1 = tgt_bounds[j], tgt_bounds[j2]
        span = np.arange(r0, r1 + 1)
        rows.append(span)
        los.append(np.full(span.shape, c0))
        his.append(np.full(span.shape, c1))
        i, j = i2, j2
    return Band.around(np.concatenate(rows), np.concatenate(los), np.concatenate(his), n, m,
                       params.band_radius)


def _pool(vectors: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    if vectors.shape[1] == 0:
        return np.zeros((len(bounds) - 1, 0), dtype=np.float32)
    sums = np.add.reduceat(vectors, bounds[:-1], axis=0)
    return sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
