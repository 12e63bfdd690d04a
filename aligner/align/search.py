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

# Blocks of sentences are aligned with few bead types: their lengths already even out splits.
COARSE_TYPES = [(1, 1), (1, 2), (2, 1), (1, 0), (0, 1)]


def bead_types(params: AlignParams) -> list[tuple[int, int]]:
    """1-1 first, then every 1-N and N-1 up to max_side and every other x-y with x + y ≤
    max_align, then deletions."""
    types = [(x, y) for x in range(1, params.max_side + 1) for y in range(1, params.max_side + 1)
             if x + y <= params.max_align or min(x, y) == 1]
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


def competitive_runs(costs: BeadCosts, n: int, m: int, band: Band, types: list[tuple[int, int]], slack: float
                     ) -> tuple[dict[int, set[int]], dict[int, set[int]], list[Bead]]:
    """The runs of every merged bead that lies on some path within `slack` of the best one,
    and the best path itself.

    The forward and backward tables give, for a bead ending at (i, j), the best path through
    it: F(start) + cost + B(i, j). Only the runs of such competitive merges need the encoder;
    the rest of the runs stay pooled.
    """
    merges = [t for t, (x, y) in enumerate(types) if x and y and max(x, y) > 1]
    fwd, ending, bwd = both_tables(costs, n, m, band, types)
    limit = fwd.best[fwd.cell(n, m)] + slack
    rows, cols = fwd.cells()
    hits: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (row, merge number, column)
    for number, t in enumerate(merges):
        x, y = types[t]
        step = ending[t][:-1]
        ok = np.isfinite(step)
        through = fwd.best[fwd.sources(rows, cols, x, y, ok)] + step + bwd.best[:-1]
        hit = np.nonzero(ok & (through <= limit))[0]
        hits.append((rows[hit], np.full(len(hit), number), cols[hit]))
    src: dict[int, set[int]] = {}
    tgt: dict[int, set[int]] = {}
    if hits:  # in row, merge, column order: the order the runs reach the encoder in
        i_all, t_all, j_all = (np.concatenate(parts) for parts in zip(*hits))
        order = np.lexsort((j_all, t_all, i_all))
        for i, number, j in zip(i_all[order].tolist(), t_all[order].tolist(), j_all[order].tolist()):
            x, y = types[merges[number]]
            if x > 1:
                src.setdefault(x, set()).add(i - x)
            if y > 1:
                tgt.setdefault(y, set()).add(j - y)
    return src, tgt, _backtrack(fwd, types, n, m)


CHUNK_ROWS = 128  # DP rows whose bead costs are computed in one vectorised call (memory vs calls)


def dp(costs: BeadCosts, n: int, m: int, band: Band, types: list[tuple[int, int]]) -> list[Bead]:
    """The best beads covering all n source and m target sentences, inside the band."""
    if n == 0 or m == 0:
        return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
    table, _ = dp_tables(costs, n, m, band, types)
    return _backtrack(table, types, n, m)


@dataclass
class Table:
    """A DP table over the band, its rows one after another in flat arrays.

    Cell (i, j) is at start[i] + j − lo[i]; one extra cell at the end holds inf, for beads that
    would start or end outside the band. `best` is the cheapest path to a cell (dp_tables) or
    from it to the end (backward_table); `back`, in the forward table, the type of its last bead
    (meaningful only where `best` is finite).
    """

    best: np.ndarray
    back: np.ndarray
    start: np.ndarray
    lo: np.ndarray

    @classmethod
    def empty(cls, band: Band) -> "Table":
        widths = band.hi - band.lo + 1
        start = np.concatenate([[0], np.cumsum(widths)]).astype(np.intp)
        best = np.full(int(start[-1]) + 1, np.inf)
        return cls(best, np.full(len(best), -1, dtype=np.int16), start, band.lo.astype(np.intp))

    def cell(self, i: int, j: int) -> int:
        return int(self.start[i] + j - self.lo[i])

    def cells(self) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of every cell, in the flat order (the inf cell left out)."""
        widths = np.diff(self.start)
        rows = np.repeat(np.arange(len(widths)), widths)
        return rows, self.lo[rows] + np.arange(int(self.start[-1])) - self.start[rows]

    def at(self, band: "Band", i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """The flat index of cells (i, j), or of the inf cell where (i, j) is outside the band."""
        ok = (i >= 0) & (i < len(self.lo)) & (j >= 0)
        i = np.where(ok, i, 0)
        ok &= (j >= band.lo[i]) & (j <= band.hi[i])
        return np.where(ok, self.start[i] + j - self.lo[i], len(self.best) - 1)

    def sources(self, rows: np.ndarray, cols: np.ndarray, x: int, y: int, ok: np.ndarray) -> np.ndarray:
        """Where x-y beads ending at the given cells start; the inf cell where not `ok`."""
        prev = np.where(ok, rows - x, 0)
        return np.where(ok, self.start[prev] + cols - y - self.lo[prev], len(self.best) - 1)


def dp_tables(costs: BeadCosts, n: int, m: int, band: Band, types: list[tuple[int, int]]
              ) -> tuple[Table, dict[int, np.ndarray]]:
    """Row-by-row DP over the band: per row, the best cost of each cell and the bead type that
    reached it. Bead costs are computed a chunk of rows at a time (one vectorised call per bead
    type); each row then gathers the candidates of every type in one indexing call, and takes the
    first cheapest (types in order, as a strict `<` over them would). Also returns, per bead
    type with a source side, the cost of the bead ending at each cell (in the table's flat
    order; inf where none can end there), for the backward table and the margins."""
    del_src = costs.deletion_src()
    del_tgt = costs.deletion_tgt()
    widths = band.hi - band.lo + 1
    table = Table.empty(band)
    best, back = table.best, table.back
    ins = types.index((0, 1))
    ending = {t: np.full(len(best), np.inf) for t, (x, _) in enumerate(types) if x}
    for r0 in range(0, n + 1, CHUNK_ROWS):
        r1 = min(n + 1, r0 + CHUNK_ROWS)
        steps = _chunk_costs(costs, band, widths, r0, r1, types, del_src)
        rows, cols, inside = _chunk_cells(band, widths, r0, r1)
        for t, step in steps.items():
            ending[t][table.start[r0]:table.start[r1]] = step[inside]
        order = [t for t in range(len(types)) if t in steps]
        type_of = np.array(order + [-1], dtype=np.int16)
        # per row, cell and type: where the bead starts (the inf cell if it cannot) and its cost
        start = np.empty((r1 - r0, len(order), cols.shape[1]), dtype=np.intp)
        step = np.empty(start.shape)
        for k, t in enumerate(order):
            ok = np.isfinite(steps[t])
            start[:, k] = table.sources(rows, cols, *types[t], ok)
            step[:, k] = np.where(ok, steps[t], np.inf)
        # 0-1 beads move along the row: D[k] = C[k] + min_{k'≤k}(D'[k'] − C[k'])
        gaps = np.where(inside[:, 1:], del_tgt[np.clip(cols[:, 1:] - 1, 0, max(m - 1, 0))], 0.0) \
            if m else np.zeros((r1 - r0, cols.shape[1] - 1))
        cum = np.cumsum(np.concatenate([np.zeros((r1 - r0, 1)), gaps], axis=1), axis=1)
        ks = np.arange(cols.shape[1])
        for i in range(r0, r1):
            r, w, s = i - r0, int(widths[i]), int(table.start[i])
            if order:
                cand = best[start[r, :, :w]]
                cand += step[r, :, :w]
                pick = cand.argmin(axis=0)
                row = cand[pick, ks[:w]]
                arg = type_of[pick]
            else:
                row = np.full(w, np.inf)
                arg = np.full(w, -1, dtype=np.int16)
            if i == 0 and band.lo[0] == 0:
                row[0] = 0.0
            c = cum[r, :w]
            scanned = np.minimum.accumulate(row - c) + c
            moved = scanned < row - 1e-12
            best[s:s + w] = np.where(moved, scanned, row)
            arg[moved] = ins
            back[s:s + w] = arg
    return table, ending


def both_tables(costs: BeadCosts, n: int, m: int, band: Band, types: list[tuple[int, int]]
                ) -> tuple[Table, dict[int, np.ndarray], Table]:
    """The forward table, the bead costs it priced, and the backward table computed from them."""
    forward, ending = dp_tables(costs, n, m, band, types)
    return forward, ending, backward_table(ending, costs.deletion_tgt(), n, m, band, types)


def backward_table(ending: dict[int, np.ndarray], del_tgt: np.ndarray, n: int, m: int, band: Band,
                   types: list[tuple[int, int]]) -> Table:
    """The cheapest path from each cell to the end (n, m), in the forward table's layout, from
    the bead costs the forward pass computed (dp_tables): rows from the last, each taking the
    cheapest bead that starts at its cells, then 0-1 beads along the row from its right end."""
    widths = band.hi - band.lo + 1
    table = Table.empty(band)
    best = table.best
    order = sorted(ending)
    for r0 in reversed(range(0, n + 1, CHUNK_ROWS)):
        r1 = min(n + 1, r0 + CHUNK_ROWS)
        rows, cols, inside = _chunk_cells(band, widths, r0, r1)
        # per row, cell and type: where the bead starting there ends (the inf cell if it cannot), its cost
        end = np.empty((r1 - r0, len(order), cols.shape[1]), dtype=np.intp)
        for k, t in enumerate(order):
            x, y = types[t]
            end[:, k] = np.where(inside, table.at(band, rows + x, cols + y), len(best) - 1)
        step = np.stack([ending[t][end[:, k]] for k, t in enumerate(order)], axis=1)
        gaps = np.where(inside, del_tgt[np.clip(cols, 0, max(m - 1, 0))], 0.0) if m else np.zeros(cols.shape)
        for i in range(r1 - 1, r0 - 1, -1):
            r, w, s = i - r0, int(widths[i]), int(table.start[i])
            row = (best[end[r, :, :w]] + step[r, :, :w]).min(axis=0)
            if i == n:
                row[m - band.lo[n]] = 0.0
            # 0-1 beads move right along the row: B[k] = min(row[k], gap[k] + B[k + 1])
            c = np.concatenate([[0.0], np.cumsum(gaps[r, :w - 1])])
            scanned = np.minimum.accumulate((row + c)[::-1])[::-1] - c
            best[s:s + w] = np.where(scanned < row - 1e-12, scanned, row)
    return table


def _chunk_cells(band: Band, widths: np.ndarray, r0: int, r1: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows r0 … r1−1 as a rows × max-width grid: row and column of each cell, and which are in the band."""
    rows = np.arange(r0, r1)[:, None]
    k = np.arange(int(widths[r0:r1].max()))[None, :]
    cols = band.lo[r0:r1, None] + k
    inside = k < widths[r0:r1, None]
    return np.broadcast_to(rows, cols.shape), cols, inside


def _chunk_costs(costs: BeadCosts, band: Band, widths: np.ndarray, r0: int, r1: int,
                 types: list[tuple[int, int]], del_src: np.ndarray) -> dict[int, np.ndarray]:
    """For rows r0 … r1−1, per bead type, the cost of the bead ending at each band cell
    (rows × max width; inf where the bead would start outside the band or the document)."""
    rows = np.arange(r0, r1)[:, None]
    k = np.arange(int(widths[r0:r1].max()))[None, :]
    cols = band.lo[r0:r1, None] + k
    inside = k < widths[r0:r1, None]
    steps: dict[int, np.ndarray] = {}
    for t, (x, y) in enumerate(types):
        if x == 0:
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


def best_path_with_margins(costs: BeadCosts, n: int, m: int, band: Band, types: list[tuple[int, int]]
                           ) -> tuple[list[Bead], list[float]]:
    """The best path (the beads dp() finds, from the same table) and, per bead, how much more
    the best path that does not hold it costs, at most MARGIN_CAP: a bead that another way of
    drawing the beads nearly matches is doubtful (align/confidence.py). Read-only: the search's
    choice is dp()'s.

    A path without the bead misses its start or its end cell, or goes through a cell inside it.
    A path that misses a cell either passes a cell beside it (neither before nor after it:
    looked for within MARGIN_WINDOW) or takes a bead that straddles it; the best path through
    a cell is F + B of the forward and backward tables.
    """
    if n == 0 or m == 0:
        return dp(costs, n, m, band, types), [MARGIN_CAP] * (n + m)
    fwd, ending, bwd = both_tables(costs, n, m, band, types)
    beads = _backtrack(fwd, types, n, m)
    total = float(fwd.best[fwd.cell(n, m)])

    def through(i: np.ndarray, j: np.ndarray) -> np.ndarray:  # the best path through a cell
        at = fwd.at(band, i, j)
        return fwd.best[at] + bwd.best[at]

    corners = np.zeros((len(beads) + 1, 2), dtype=np.int64)
    corners[1:] = np.cumsum([(len(b.src), len(b.tgt)) for b in beads], axis=0)
    ci, cj = corners[:, 0], corners[:, 1]
    # per corner, the best path that misses it: through a cell beside it (back on one side,
    # forward on the other), or through a bead that straddles it
    di, dj = (v.ravel() for v in np.mgrid[-MARGIN_WINDOW:MARGIN_WINDOW + 1, -MARGIN_WINDOW:MARGIN_WINDOW + 1])
    beside = di * dj < 0
    missing = through(ci[:, None] + di[beside], cj[:, None] + dj[beside]).min(axis=1)
    for t, (x, y) in enumerate(types):
        if not (x and y):
            continue
        # the corner lies at (a, b) inside a bead from (ci − a, cj − b) to (ci − a + x, cj − b + y)
        a, b = (v.ravel() for v in np.mgrid[0:x + 1, 0:y + 1])
        keep = ~(((a == 0) & (b == 0)) | ((a == x) & (b == y)))
        ei, ej = ci[:, None] - a[keep] + x, cj[:, None] - b[keep] + y
        end = fwd.at(band, ei, ej)
        straddling = fwd.best[fwd.at(band, ei - x, ej - y)] + ending[t][end] + bwd.best[end]
        missing = np.minimum(missing, straddling.min(axis=1))
    missing[0] = missing[-1] = np.inf  # every path starts and ends there
    # per bead, the best path through a cell inside it
    x_of, y_of = np.diff(ci)[:, None], np.diff(cj)[:, None]
    a, b = (v.ravel()[None, :] for v in np.mgrid[0:int(x_of.max(initial=0)) + 1, 0:int(y_of.max(initial=0)) + 1])
    ok = (a <= x_of) & (b <= y_of) & ~((a == 0) & (b == 0)) & ~((a == x_of) & (b == y_of))
    inside = np.where(ok, through(ci[:-1, None] + a, cj[:-1, None] + b), np.inf).min(axis=1, initial=np.inf)
    other = np.minimum(np.minimum(missing[:-1], missing[1:]), inside)
    return beads, np.clip(other - total, 0.0, MARGIN_CAP).tolist()


MARGIN_WINDOW = 6  # cells each way of a corner where a path around it is looked for
MARGIN_CAP = 5.0  # no other path within this much: the bead is as sure as the search gets


def _backtrack(table: Table, types: list[tuple[int, int]], n: int, m: int) -> list[Bead]:
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        cell = table.cell(i, j)
        t = int(table.back[cell])
        if t < 0 or not np.isfinite(table.best[cell]):
            raise RuntimeError(f"alignment search found no path through ({i}, {j})")
        x, y = types[t]
        beads.append(Bead(tuple(range(i - x, i)), tuple(range(j - y, j))))
        i, j = i - x, j - y
    beads.reverse()
    return beads


MAX_BLOCK = 8  # sentences per coarse block: small enough that the band stays narrow at any length


def _coarse_band(costs: BeadCosts, n: int, m: int, params: AlignParams, src_lens: np.ndarray,
                 tgt_lens: np.ndarray, length: LengthModel) -> Band:
    """Align blocks of sentences, then allow the sentence search near the block path only.

    Blocks hold at most MAX_BLOCK sentences of the longer side (fewer blocks only when the
    shorter side has fewer sentences than that), so the band stays as narrow on a long document
    as on a short one; when the blocks are too many to align whole, they are aligned the same
    way (recursively), and every level is a band search: linear in document length. A document
    just above full_cells gets finer blocks, as many as keep the block search at a sixteenth of
    full_cells: lengths alone (no encoder) find a worse block path with coarser blocks.
    """
    blocks = max(2, int(math.sqrt(params.full_cells / 16)), math.ceil(max(n, m) / MAX_BLOCK))
    blocks = min(blocks, n, m)
    src_bounds = np.unique(np.round(np.linspace(0, n, blocks + 1)).astype(np.int64))
    tgt_bounds = np.unique(np.round(np.linspace(0, m, blocks + 1)).astype(np.int64))
    src_vec = _pool(costs.src_runs.of_length(1), src_bounds)
    tgt_vec = _pool(costs.tgt_runs.of_length(1), tgt_bounds)
    src_blen = np.add.reduceat(src_lens, src_bounds[:-1]).astype(np.float64)
    tgt_blen = np.add.reduceat(tgt_lens, tgt_bounds[:-1]).astype(np.float64)
    coarse = BeadCosts(RunVectors(src_vec), RunVectors(tgt_vec), src_blen, tgt_blen, length, params)
    nb, mb = len(src_bounds) - 1, len(tgt_bounds) - 1
    coarse_beads = dp(coarse, nb, mb, search_band(coarse, nb, mb, params, src_blen, tgt_blen, length),
                      COARSE_TYPES)
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
