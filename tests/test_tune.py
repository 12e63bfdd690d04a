"""make tune's leave-one-set-out selection: a value is chosen on the other sets only."""

from __future__ import annotations

from aligner.tune import GRID, leave_one_out


def test_each_left_out_set_gets_the_value_the_other_sets_choose() -> None:
    name = next(iter(GRID))
    low, high = GRID[name]
    results = {"default": {"a": 0.90, "b": 0.90, "c": 0.90},
               f"{name}={low}": {"a": 0.99, "b": 0.80, "c": 0.95},   # better on a and c
               f"{name}={high}": {"a": 0.70, "b": 0.99, "c": 0.70}}  # better on b only
    rows = [line for line in leave_one_out(results, ["a", "b", "c"]) if f"| {name} |" in line]
    by_set = {row.split("|")[1].strip(): [cell.strip() for cell in row.split("|")[3:6]] for row in rows}
    # left out a: b and c choose by their mean (low .875, high .845, default .90): the default
    assert by_set["a"] == ["default", "0.9000", "0.9000"]
    # left out b: a and c prefer low (.97), and b pays for it
    assert by_set["b"] == [str(low), "0.8000", "0.9000"]
    # left out c: a and b: low .895, high .845, default .90 -> the default
    assert by_set["c"] == ["default", "0.9000", "0.9000"]
