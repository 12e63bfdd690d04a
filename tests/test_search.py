"""The search's tables against a plain dynamic programme over every bead, on small documents.

The forward table (dp_tables) and the backward one (backward_table, computed from the bead costs
the forward pass priced) must equal a straightforward recursion at every band cell, with
paragraph breaks or not, in a full band or a narrow one, and with chunks of a few rows, so that
beads cross from one chunk of rows into the next.
"""

from __future__ import annotations

import numpy as np
import pytest

from aligner.align import search
from aligner.align.length import LengthModel
from aligner.align.params import DEFAULT_PARAMS
from aligner.align.scoring import BeadCosts, RunVectors
from aligner.align.search import Band, backward_table, bead_types, dp_tables

TYPES = bead_types(DEFAULT_PARAMS)


def small_document(random: np.random.Generator, n: int, m: int, paragraphs: bool) -> BeadCosts:
    """n source sentences and m loose translations of them, as unit vectors and lengths."""
    src = random.normal(size=(n, 8))
    tgt = src[np.arange(m) * n // m] + random.normal(size=(m, 8)) if n else random.normal(size=(m, 8))
    src, tgt = (v / np.linalg.norm(v, axis=1, keepdims=True) for v in (src, tgt))
    breaks = (np.cumsum(random.random(n) < 0.3).tolist(), np.cumsum(random.random(m) < 0.3).tolist()) \
        if paragraphs else (None, None)
    return BeadCosts(RunVectors(src), RunVectors(tgt), random.uniform(5, 60, n), random.uniform(5, 60, m),
                     LengthModel(1.0), DEFAULT_PARAMS, random.uniform(0.5, 1.5, n), random.uniform(0.5, 1.5, m),
                     *breaks)


def narrow_band(random: np.random.Generator, n: int, m: int) -> Band:
    """A band of radius 0-2 around a random monotone path from (0, 0) to (n, m)."""
    steps = random.permutation([1] * n + [0] * m)
    rows = np.concatenate([[0], np.cumsum(steps)])
    cols = np.arange(len(rows)) - rows
    return Band.around(rows, cols, cols, n, m, int(random.integers(0, 3)))


def plain_tables(costs: BeadCosts, n: int, m: int, band: Band) -> tuple[dict, dict]:
    """Best cost to and from every band cell, bead by bead."""
    def inside(i: int, j: int) -> bool:
        return 0 <= i <= n and band.lo[i] <= j <= band.hi[i]

    def cost(i: int, j: int, x: int, y: int) -> float:  # the x-y bead from (i, j)
        if x and y:
            return float(costs.cells(x, y, np.array([i + x]), np.array([j + y]))[0])
        return float(costs.deletion_src()[i] if x else costs.deletion_tgt()[j])

    cells = [(i, j) for i in range(n + 1) for j in range(int(band.lo[i]), int(band.hi[i]) + 1)]
    to, frm = dict.fromkeys(cells, np.inf), dict.fromkeys(cells, np.inf)
    to[(0, 0)], frm[(n, m)] = 0.0, 0.0
    for i, j in cells:  # row by row, left to right: every bead's start comes before its end
        for x, y in TYPES:
            if inside(i - x, j - y):
                to[(i, j)] = min(to[(i, j)], to[(i - x, j - y)] + cost(i - x, j - y, x, y))
    for i, j in reversed(cells):
        for x, y in TYPES:
            if inside(i + x, j + y):
                frm[(i, j)] = min(frm[(i, j)], cost(i, j, x, y) + frm[(i + x, j + y)])
    return to, frm


@pytest.mark.parametrize("chunk_rows", [1, 3, 128])
@pytest.mark.parametrize("seed", range(12))
def test_forward_and_backward_tables_are_the_best_paths(seed: int, chunk_rows: int, monkeypatch) -> None:
    monkeypatch.setattr(search, "CHUNK_ROWS", chunk_rows)
    random = np.random.default_rng(seed)
    n, m = int(random.integers(1, 11)), int(random.integers(1, 11))
    costs = small_document(random, n, m, paragraphs=seed % 2 == 0)
    band = Band.full(n, m) if seed % 3 == 0 else narrow_band(random, n, m)
    forward, ending = dp_tables(costs, n, m, band, TYPES)
    backward = backward_table(ending, costs.deletion_tgt(), n, m, band, TYPES)
    to, frm = plain_tables(costs, n, m, band)
    for (i, j), best in to.items():
        assert forward.best[forward.cell(i, j)] == pytest.approx(best, rel=1e-9), (i, j)
        assert backward.best[forward.cell(i, j)] == pytest.approx(frm[(i, j)], rel=1e-9), (i, j)
    assert backward.best[forward.cell(0, 0)] == pytest.approx(to[(n, m)], rel=1e-9)
