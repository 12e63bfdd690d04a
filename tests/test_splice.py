"""The search's beads around a repair's cuts, the first search's elsewhere (aligner/align/splice.py)."""

from __future__ import annotations

from aligner.align.splice import splice
from aligner.data import Bead


def test_the_second_alignment_is_taken_only_between_shared_boundaries_around_a_piece() -> None:
    # source 0 and 1 are the pieces of a cut; the first alignment paired 1 with 2 into one unit
    first = [Bead((0,), (0,)), Bead((1, 2), (1,)), Bead((3,), (2,)), Bead((4, 5), (3,)), Bead((6,), (4,))]
    second = [Bead((0,), (0,)), Bead((1,), ()), Bead((2,), (1,)), Bead((3,), (2,)), Bead((4,), (3,)),
              Bead((5,), ()), Bead((6,), (4,))]
    # far from the cut the second search's 4 / 5 split is not taken: nothing changed there
    assert splice(first, second, {0, 1}, set()) == [
        Bead((0,), (0,)), Bead((1,), ()), Bead((2,), (1,)), Bead((3,), (2,)), Bead((4, 5), (3,)), Bead((6,), (4,))]
    assert splice(first, second, set(), set()) == first
    # a piece on the target side, in a bead next to another: the regions join
    assert splice(first, second, {1}, {2}) == second[:4] + first[3:]
    # two pieces far apart: two regions, the first alignment between them
    assert splice(first, second, {0, 6}, set()) == [
        Bead((0,), (0,)), Bead((1, 2), (1,)), Bead((3,), (2,)), Bead((4, 5), (3,)), Bead((6,), (4,))]
    assert splice([], [], set(), set()) == []


def test_furniture_set_before_its_unit_makes_no_boundary_inside_it() -> None:
    """A caption (source 2) taken out of the unit (1, 3) stands before it: no part may start
    between them, or sentence 1 would be lost and sentence 2 taken twice."""
    first = [Bead((0,), (0,)), Bead((2,), ()), Bead((1, 3), (1,)), Bead((4,), (2,))]
    second = [Bead((0,), (0,)), Bead((1,), ()), Bead((2,), ()), Bead((3,), (1,)), Bead((4,), (2,))]
    spliced = splice(first, second, {3, 4}, set())
    assert sorted(i for b in spliced for i in b.src) == [0, 1, 2, 3, 4]
    assert spliced == [Bead((0,), (0,))] + second[1:]

