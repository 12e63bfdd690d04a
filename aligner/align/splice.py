"""The search again around a segmentation repair: after glued headings are cut, the sentences
around each cut are aligned by the search, not by the repair's guess.

The repair pairs the parts of a cut sentence as its evidence test found them; the rest of its
bead keeps what it held (a lead glued to its title then stays joined to the next unit, though
it has no counterpart). A second search over the repaired document decides those beads as it
decides any other. Its beads are taken only around the cuts, between the nearest boundaries
where both alignments have covered exactly the same sentences; elsewhere the first search
stands: nothing changed there, and a near tie elsewhere could flip only because the new
sentences moved the document's statistics a little.
"""

from __future__ import annotations

import bisect
from typing import AbstractSet

from aligner.data import Bead


def splice(first: list[Bead], second: list[Bead], src_pieces: AbstractSet[int],
           tgt_pieces: AbstractSet[int]) -> list[Bead]:
    """`second`'s beads around every bead of `first` that holds a piece, `first`'s elsewhere.

    Both align the same document. A boundary counts where the beads before it hold exactly the
    first i source and j target sentences: a bead of furniture set before the unit it was taken
    out of (blanks.unpair_kept_out) makes no boundary until the unit's last sentence, so each
    part covers the same sentences once whichever alignment it comes from."""
    first_at, second_at = _boundaries(first), _boundaries(second)
    shared = sorted(set(first_at) & set(second_at))  # (0, 0) and the end at least
    positions = [first_at[point] for point in shared]  # ascending: boundaries follow the path
    regions: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for k, bead in enumerate(first):
        if not (src_pieces.intersection(bead.src) or tgt_pieces.intersection(bead.tgt)):
            continue
        low = shared[bisect.bisect_right(positions, k) - 1]
        high = shared[bisect.bisect_left(positions, k + 1)]
        if regions and first_at[low] <= first_at[regions[-1][1]]:
            low = regions.pop()[0]
        regions.append((low, high))
    out: list[Bead] = []
    done = 0
    for low, high in regions:
        out += first[done:first_at[low]] + second[second_at[low]:second_at[high]]
        done = first_at[high]
    return out + first[done:]


def _boundaries(beads: list[Bead]) -> dict[tuple[int, int], int]:
    """Each point (i, j) such that the beads before some bead hold exactly source sentences
    0 … i − 1 and target sentences 0 … j − 1, with the number of that bead."""
    out = {(0, 0): 0}
    count = [0, 0]
    top = [0, 0]  # one past the highest id seen, per side
    for k, bead in enumerate(beads):
        for side, ids in enumerate((bead.src, bead.tgt)):
            count[side] += len(ids)
            top[side] = max([top[side]] + [i + 1 for i in ids])
        if count == top:  # ids are unique, so the ones seen are 0 … top − 1
            out[(top[0], top[1])] = k + 1
    return out
