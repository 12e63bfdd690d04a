"""The reviewer's operations, on plain data: each reads a document and returns the Change that
does it (store.Project records and applies it), or raises EditError when it cannot be done.

Rows are positions in the document's unit list; `k` is a sentence's position inside its
row's side. A row a person changed becomes `edited` and loses the aligner's score.
"""

from __future__ import annotations

from dataclasses import replace

from aligner.workbench.project import CONFIRMED, EDITED, SIDES, Change, DocState, Unit


class EditError(ValueError):
    """An operation that does not apply here (no row below, an empty text …): the reviewer's
    request is refused and nothing changes."""


def merge_next(doc: DocState, row: int) -> Change:
    """Row `row` and the row below become one."""
    first, second = _row(doc, row), _row(doc, row + 1, "there is no row below to merge with")
    merged = _edited(first.src + second.src, first.tgt + second.tgt)
    return Change("merge", doc.index, row, (first, second), (merged,))


def split_unit(doc: DocState, row: int, src_at: int, tgt_at: int) -> Change:
    """The row becomes two: its first `src_at` source and `tgt_at` target sentences, then the rest."""
    unit = _row(doc, row)
    if not (0 <= src_at <= len(unit.src) and 0 <= tgt_at <= len(unit.tgt)):
        raise EditError("the split point is outside the row")
    upper, lower = _edited(unit.src[:src_at], unit.tgt[:tgt_at]), _edited(unit.src[src_at:], unit.tgt[tgt_at:])
    if upper.is_empty or lower.is_empty:
        raise EditError("a split must leave sentences in both rows")
    return Change("split", doc.index, row, (unit,), (upper, lower))


def split_sentence(doc: DocState, row: int, side: str, k: int, offset: int, new_id: int) -> Change:
    """The sentence is cut at character `offset`; the second part, sentence `new_id`, follows it
    in the same row (split the row next to move it to a row of its own)."""
    unit = _row(doc, row)
    sid = _sentence_id(unit, side, k)
    old = doc.sentences[sid]
    head, tail = old.text[:offset].rstrip(), old.text[offset:].lstrip()
    if not 0 < offset < len(old.text) or not head or not tail:
        raise EditError("the cut must leave text on both sides of it")
    ids = unit.side(side)
    ids = ids[:k + 1] + (new_id,) + ids[k + 1:]
    after = _edited(ids, unit.tgt) if side == "src" else _edited(unit.src, ids)
    return Change("split-sentence", doc.index, row, (unit,), (after,),
                  {sid: old, new_id: None},
                  {sid: replace(old, text=head), new_id: replace(old, text=tail)})


def move_sentence(doc: DocState, row: int, side: str, direction: str) -> Change:
    """Up: the row's first sentence on `side` goes to the end of the row above. Down: its last
    sentence goes to the start of the row below. The order of the text never changes."""
    _side(side)
    unit = _row(doc, row)
    if not unit.side(side):
        raise EditError("this side of the row has no sentence to move")
    if direction == "up":
        other = _row(doc, row - 1, "there is no row above")
        moved, rest = unit.side(side)[0], unit.side(side)[1:]
        new_other = _with_side(other, side, other.side(side) + (moved,))
        return Change("move-up", doc.index, row - 1, (other, unit), (new_other, _with_side(unit, side, rest)))
    if direction == "down":
        other = _row(doc, row + 1, "there is no row below")
        moved, rest = unit.side(side)[-1], unit.side(side)[:-1]
        new_other = _with_side(other, side, (moved,) + other.side(side))
        return Change("move-down", doc.index, row, (unit, other), (_with_side(unit, side, rest), new_other))
    raise EditError(f"unknown direction {direction!r}: up or down")


def insert_empty(doc: DocState, at: int) -> Change:
    """An empty row at position `at` (0 … number of rows), for sentences to be moved into."""
    if not 0 <= at <= len(doc.units):
        raise EditError(f"row {at + 1} is outside the document")
    return Change("insert", doc.index, at, (), (Unit((), (), None, None, EDITED),))


def remove_empty(doc: DocState, row: int) -> Change:
    unit = _row(doc, row)
    if not unit.is_empty:
        raise EditError("only an empty row can be removed; move its sentences out first")
    return Change("remove", doc.index, row, (unit,), ())


def edit_text(doc: DocState, row: int, side: str, k: int, text: str) -> Change:
    """A sentence's new text (a typo, a stray character); it cannot become empty."""
    unit = _row(doc, row)
    sid = _sentence_id(unit, side, k)
    text = " ".join(text.split())
    if not text:
        raise EditError("a sentence cannot be emptied; move it to another row instead")
    old = doc.sentences[sid]
    return Change("edit", doc.index, row, (unit,), (_edited(unit.src, unit.tgt),),
                  {sid: old}, {sid: replace(old, text=text)})


def confirm(doc: DocState, row: int) -> Change:
    """The row and every row above it are confirmed (as in InterText): a reviewer works down."""
    _row(doc, row)
    start = next((i for i, u in enumerate(doc.units[:row + 1]) if u.status != CONFIRMED), None)
    if start is None:
        raise EditError("this row and the rows above are already confirmed")
    before = tuple(doc.units[start:row + 1])
    return Change("confirm", doc.index, start, before, tuple(u.with_status(CONFIRMED) for u in before))


def _row(doc: DocState, row: int, problem: str | None = None) -> Unit:
    if not 0 <= row < len(doc.units):
        raise EditError(problem or f"row {row + 1} is outside the document")
    return doc.units[row]


def _side(side: str) -> None:
    if side not in SIDES:
        raise EditError(f"unknown side {side!r}: src or tgt")


def _sentence_id(unit: Unit, side: str, k: int) -> int:
    _side(side)
    ids = unit.side(side)
    if not 0 <= k < len(ids):
        raise EditError("no such sentence in this row")
    return ids[k]


def _edited(src: tuple[int, ...], tgt: tuple[int, ...]) -> Unit:
    return Unit(tuple(src), tuple(tgt), None, None, EDITED)


def _with_side(unit: Unit, side: str, ids: tuple[int, ...]) -> Unit:
    return _edited(ids, unit.tgt) if side == "src" else _edited(unit.src, ids)


__all__ = ["EditError", "confirm", "edit_text", "insert_empty", "merge_next", "move_sentence",
           "remove_empty", "split_sentence", "split_unit"]
