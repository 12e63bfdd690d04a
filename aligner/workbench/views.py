"""What the reviewer looks for: rows to check, filters, text search, counts, one row as JSON."""

from __future__ import annotations

from aligner.data import KEPT_OUT
from aligner.formats.html import GOOD_SCORE
from aligner.workbench.project import AUTOMATIC, CONFIRMED, EDITED, DocState, Unit

# Below these a row is doubtful: the calibrated confidence when the aligner gave one, else the
# score the static review page also marks as "to check".
LOW_CONFIDENCE = 0.5
LOW_SCORE = GOOD_SCORE

FILTERS = ("all", "check", "low", "unaligned", "not-1-1", "unconfirmed")


def is_low(unit: Unit) -> bool:
    if not unit.is_aligned:
        return False
    if unit.confidence is not None:
        return unit.confidence < LOW_CONFIDENCE
    return unit.score is not None and unit.score < LOW_SCORE


def is_unaligned(unit: Unit) -> bool:
    return not unit.is_aligned and not unit.is_empty


def is_doubtful(unit: Unit) -> bool:
    """Worth a look: a low score or confidence, a sentence with no counterpart, or not 1-1."""
    return not unit.is_empty and (is_low(unit) or unit.kind != "1-1")


def to_check(unit: Unit) -> bool:
    return unit.status != CONFIRMED and is_doubtful(unit)


_TESTS = {
    "all": lambda unit: True,
    "check": to_check,
    "low": is_low,
    "unaligned": is_unaligned,
    "not-1-1": lambda unit: not unit.is_empty and unit.kind != "1-1",
    "unconfirmed": lambda unit: unit.status != CONFIRMED,
}


def matching_rows(doc: DocState, filter_name: str = "all", query: str = "") -> list[int]:
    """The positions of the rows that pass the filter and contain the text (case ignored)."""
    if filter_name not in _TESTS:
        raise ValueError(f"unknown filter {filter_name!r}: one of {', '.join(FILTERS)}")
    test = _TESTS[filter_name]
    needle = query.casefold().strip()
    rows = []
    for i, unit in enumerate(doc.units):
        if not test(unit):
            continue
        if needle and not any(needle in doc.sentences[sid].text.casefold() for sid in unit.src + unit.tgt):
            continue
        rows.append(i)
    return rows


def next_to_check(doc: DocState, after: int) -> int | None:
    """The first row after `after` still to check, going round to the top; None when none is left."""
    n = len(doc.units)
    for step in range(1, n + 1):
        i = (after + step) % n
        if to_check(doc.units[i]):
            return i
    return None


def first_unconfirmed(doc: DocState) -> int | None:
    """Where a review working down the document stopped; None when every row is confirmed."""
    return next((i for i, unit in enumerate(doc.units) if unit.status != CONFIRMED), None)


def counts(doc: DocState) -> dict[str, int]:
    units = [u for u in doc.units if not u.is_empty]
    return {"rows": len(doc.units), "units": len(units),
            "confirmed": sum(u.status == CONFIRMED for u in units),
            "edited": sum(u.status == EDITED for u in units),
            "automatic": sum(u.status == AUTOMATIC for u in units),
            "to_check": sum(to_check(u) for u in units)}


def row_json(doc: DocState, i: int) -> dict:
    unit = doc.units[i]
    return {"row": i, "src": doc.texts(unit, "src"), "tgt": doc.texts(unit, "tgt"), "kind": unit.kind,
            # furniture and captions are never aligned: the page marks them
            "kept_out": [[doc.sentences[sid].kind in KEPT_OUT for sid in unit.side(side)] for side in ("src", "tgt")],
            "score": unit.score, "confidence": unit.confidence, "status": unit.status,
            "low": is_low(unit), "unaligned": is_unaligned(unit), "doubtful": is_doubtful(unit)}
