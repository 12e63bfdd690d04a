"""The search again around a segmentation repair: after glued headings are cut, the sentences
around each cut are aligned by the search, not by the repair's guess.

The repair pairs the parts of a cut sentence as its evidence test found them; the rest of its
bead keeps what it held (a lead glued to its title then stays joined to the next unit, though
it has no counterpart). A second search over the repaired document decides those beads as it
decides any other. Its beads are taken only around the cuts, between the nearest bead
boundaries the two alignments share; elsewhere the first search stands: nothing changed there,
and a near tie elsewhere could flip only because the new sentences moved the document's
statistics a little.
"""

from __future__ import annotations

import bisect
import re

from aligner.data import Bead, Sentence


def cut_pieces(before: list[Sentence], after: list[Sentence]) -> set[int]:
    """Ids in `after` of the pieces of sentences of `before` that were cut in two or more (a
    cut only splits a sentence, so the pieces' texts make up the sentence's text)."""
    pieces: set[int] = set()
    k = 0
    for sentence in before:
        whole = _letters(sentence.text)
        first, found = k, ""
        while k < len(after) and (k == first or len(found) < len(whole)):  # one at least: a blank line
            found += _letters(after[k].text)
            k += 1
        if found != whole:
            raise ValueError(f"sentence {sentence.text[:40]!r} is not made of the repaired sentences")
        if k - first > 1:
            pieces.update(range(first, k))
    return pieces


def _letters(text: str) -> str:
    return re.sub(r"\s+", "", text)


def splice(first: list[Bead], second: list[Bead], src_pieces: set[int], tgt_pieces: set[int]) -> list[Bead]:
    """`second`'s beads around every bead of `first` that holds a piece, `first`'s elsewhere.
    Both cover the same document in order; each region runs from the nearest point before such a
    bead to the nearest after it where both alignments end a bead."""
    first_points, second_points = _points(first), _points(second)
    common = sorted(set(first_points) & set(second_points))  # (0, 0) and the end at least
    regions: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for k, bead in enumerate(first):
        if src_pieces.intersection(bead.src) or tgt_pieces.intersection(bead.tgt):
            low = common[bisect.bisect_right(common, first_points[k]) - 1]
            high = common[bisect.bisect_left(common, first_points[k + 1])]
            if regions and low <= regions[-1][1]:
                low = regions[-1][0]
                regions.pop()
            regions.append((low, high))

    lows = [low for low, _ in regions]

    def inside(points: list[tuple[int, int]], k: int) -> bool:
        """Whether bead k, from points[k] to points[k + 1], lies in a region (disjoint, in order)."""
        number = bisect.bisect_right(lows, points[k]) - 1
        return number >= 0 and points[k + 1] <= regions[number][1]

    kept = [(first_points[k], bead) for k, bead in enumerate(first) if not inside(first_points, k)]
    taken = [(second_points[k], bead) for k, bead in enumerate(second) if inside(second_points, k)]
    return [bead for _, bead in sorted(kept + taken, key=lambda item: item[0])]


def _points(beads: list[Bead]) -> list[tuple[int, int]]:
    """Where each bead starts, as (source, target) sentences before it, and the end after the last."""
    points = [(0, 0)]
    for bead in beads:
        points.append((points[-1][0] + len(bead.src), points[-1][1] + len(bead.tgt)))
    return points
