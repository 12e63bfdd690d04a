"""The review TSV: every sentence of every document in one row, for a person to check and edit.

A translator opens the file in a spreadsheet or text editor, fixes or deletes rows, and the
edited file becomes the translation memory (read_review_tsv → write_tmx). Columns:

    document  src_ids  tgt_ids  bead  score  confidence  status  source  target

* ``src_ids`` / ``tgt_ids``: the bead's 0-based sentence ids, space separated (``3 4``),
  empty for an empty side.
* ``bead``: the bead type (``1-1``, ``1-2``, ``1-0`` …); ``score``: three decimals.
* ``confidence``: P(the bead is exactly right), three decimals (align/confidence.py); for an
  unaligned row, P(the sentence really has no counterpart). Empty without a calibrated model.
* ``status``: ``aligned`` (goes into the TMX), ``unaligned`` (one side empty: a sentence with
  no counterpart, never in a TMX), ``low-score`` (aligned but below ``min_score``),
  ``low-confidence`` (aligned but below ``min_confidence``) or ``unconfirmed`` (a workbench
  export of confirmed rows only, and a person had not confirmed it): left out of the TMX until
  a person changes the status to ``aligned``.

Plain TSV: no quoting; tabs and line breaks inside a sentence are written as one space, so
one line is one row. UTF-8 without a byte-order mark; read_review_tsv also accepts a BOM,
CRLF line ends and Excel's "Unicode Text" (UTF-16) export.

units_from_alignments is what the TMX gets from an alignment; read_review_tsv of an
unedited review file gives the same units, so the TSV and the TMX never disagree.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from aligner.data import Alignment, Bead, TranslationUnit
from aligner.formats.atomic import write_atomic
from aligner.formats.tmx import clean_segment

COLUMNS = ("document", "src_ids", "tgt_ids", "bead", "score", "confidence", "status", "source", "target")
OPTIONAL_COLUMNS = ("confidence",)  # review files written before it had one still read
ALIGNED, UNALIGNED = "aligned", "unaligned"
LOW_SCORE, LOW_CONFIDENCE, UNCONFIRMED = "low-score", "low-confidence", "unconfirmed"
STATUSES = (ALIGNED, UNALIGNED, LOW_SCORE, LOW_CONFIDENCE, UNCONFIRMED)
LEFT_OUT = (LOW_SCORE, LOW_CONFIDENCE, UNCONFIRMED)


@dataclass(frozen=True)
class ReviewRow:
    """One bead as the review files show it (shared by the TSV and the HTML writer)."""

    document: str
    bead: Bead
    source: str  # the bead's source sentences joined, as in the TSV (no tabs, no line breaks)
    target: str
    score: float  # rounded to the three decimals the TSV shows
    status: str
    confidence: float | None = None  # rounded likewise; None without a calibrated model

    @property
    def kind(self) -> str:
        return self.bead.kind


def clean_cell(text: str) -> str:
    """Text for one TSV cell, cleaned exactly as a TMX segment is (so a row shown as aligned
    is a unit of the TMX): tabs, line breaks and controls become a space, no padding."""
    return clean_segment(text)


# A filter of the caller's beside min_score and min_confidence (the workbench's "confirmed
# only"): the status of an aligned bead it leaves out of the TMX (one of LEFT_OUT, saying why),
# or None to let it through. A bead it leaves out stays in the review.
LeaveOut = Callable[[Alignment, Bead], str | None]


def review_rows(alignment: Alignment, min_score: float | None = None, leave_out: LeaveOut | None = None,
                min_confidence: float | None = None) -> list[ReviewRow]:
    """One row per bead, in the alignment's order, with its status.

    A unit below min_score, or with a confidence below min_confidence, is left out of the TMX
    (status low-score or low-confidence; a unit with no confidence is kept), as is one that
    `leave_out` gives a status.

    Raises ValueError when the beads do not cover every sentence exactly once, because a
    review file that silently hides or repeats a sentence is worse than none.
    """
    check_coverage(alignment)
    document = alignment.document
    rows = []
    for bead in alignment.beads:
        source = clean_cell(alignment.src_text(bead))
        target = clean_cell(alignment.tgt_text(bead))
        if not source and not target:
            continue  # no sentence, or only blank lines of a pre-split file: nothing to review
        score = _rounded(bead.score)
        confidence = None if bead.confidence is None else _rounded(bead.confidence)
        if not source or not target:
            status = UNALIGNED
        elif min_score is not None and score < min_score:
            status = LOW_SCORE
        elif min_confidence is not None and confidence is not None and confidence < min_confidence:
            status = LOW_CONFIDENCE
        else:
            status = _left_out(leave_out, alignment, bead) or ALIGNED
        rows.append(ReviewRow(clean_cell(document.name), bead, source, target, score, status, confidence))
    return rows


def _left_out(leave_out: LeaveOut | None, alignment: Alignment, bead: Bead) -> str | None:
    """The caller's status for a unit it leaves out, which must be one of LEFT_OUT: any other
    would make the TSV and the TMX disagree."""
    status = leave_out(alignment, bead) if leave_out is not None else None
    if status is not None and status not in LEFT_OUT:
        raise ValueError(f"a unit left out of the TMX needs one of {', '.join(LEFT_OUT)}, not {status!r}")
    return status


def check_coverage(alignment: Alignment) -> None:
    """ValueError unless the beads hold every source and target sentence exactly once."""
    document = alignment.document
    for side, sentences in (("src", document.src), ("tgt", document.tgt)):
        seen: dict[int, int] = {}
        for bead in alignment.beads:
            for index in getattr(bead, side):
                seen[index] = seen.get(index, 0) + 1
        outside = sorted(i for i in seen if not 0 <= i < len(sentences))
        twice = sorted(i for i, n in seen.items() if n > 1)
        missing = [i for i in range(len(sentences)) if i not in seen]
        problems = []
        if outside:
            problems.append(f"ids out of range {_ids(outside)}")
        if twice:
            problems.append(f"in more than one bead {_ids(twice)}")
        if missing:
            problems.append(f"in no bead {_ids(missing)}")
        if problems:
            raise ValueError(
                f"{document.name}: the beads do not cover the {side} sentences once: " + "; ".join(problems)
            )


DocumentRows = tuple[Alignment, list[ReviewRow]]


def review_documents(alignments: Sequence[Alignment] | Alignment, min_score: float | None = None,
                     leave_out: LeaveOut | None = None, min_confidence: float | None = None) -> list[DocumentRows]:
    """Each alignment with its review rows: what the TMX, the TSV and the HTML page are made
    from, computed once when all three are written."""
    return [(alignment, review_rows(alignment, min_score, leave_out, min_confidence))
            for alignment in _as_list(alignments)]


def units_from_alignments(
    alignments: Sequence[Alignment] | Alignment, min_score: float | None = None, leave_out: LeaveOut | None = None,
    min_confidence: float | None = None,
) -> list[TranslationUnit]:
    """The translation units of the aligned beads at or above min_score and min_confidence,
    in document order.

    Text, score and confidence are exactly what the review TSV shows, so reading back an
    unedited review file gives these same units.
    """
    return units_from_rows(review_documents(alignments, min_score, leave_out, min_confidence))


def units_from_rows(documents: Sequence[DocumentRows]) -> list[TranslationUnit]:
    """The translation units of the rows whose status is aligned, in document order."""
    return [TranslationUnit(src=row.source, tgt=row.target, score=row.score, kind=row.kind, document=row.document,
                            confidence=row.confidence)
            for _, rows in documents for row in rows if row.status == ALIGNED]


def format_review_tsv(alignments: Sequence[Alignment] | Alignment, *, min_score: float | None = None,
                      leave_out: LeaveOut | None = None, min_confidence: float | None = None) -> str:
    """The review TSV as text (header and one line per bead, each ending in a newline)."""
    return tsv_from_rows(review_documents(alignments, min_score, leave_out, min_confidence))


def tsv_from_rows(documents: Sequence[DocumentRows]) -> str:
    """The review TSV of rows already made (review_documents)."""
    lines = ["\t".join(COLUMNS)]
    for _, rows in documents:
        for row in rows:
            lines.append(
                "\t".join(
                    (
                        row.document,
                        _ids(row.bead.src),
                        _ids(row.bead.tgt),
                        row.kind,
                        f"{row.score:.3f}",
                        "" if row.confidence is None else f"{row.confidence:.3f}",
                        row.status,
                        row.source,
                        row.target,
                    )
                )
            )
    return "\n".join(lines) + "\n"


def write_review_tsv(
    alignments: Sequence[Alignment] | Alignment, path: Path, *, min_score: float | None = None,
    leave_out: LeaveOut | None = None, min_confidence: float | None = None,
) -> None:
    """Write the review TSV atomically: one row per bead, every sentence in exactly one row."""
    write_atomic(Path(path), format_review_tsv(alignments, min_score=min_score, leave_out=leave_out,
                                               min_confidence=min_confidence))


def read_review_tsv(path: Path) -> list[TranslationUnit]:
    """The units a person kept in a (possibly edited) review TSV, in file order.

    A row becomes a unit when both source and target are non-empty and its status is not
    ``low-score``, ``low-confidence`` or ``unconfirmed``: a person may delete rows, edit or
    merge text, fill in a missing side, or set a left-out row to ``aligned``. Columns are found
    by header name (their order may change; extra columns are ignored; ``confidence`` may be
    missing); blank lines are skipped.

    Raises ValueError naming the line for missing header columns, a row whose number of
    fields differs from the header's, an unknown status or a score that is not a number.
    """
    path = Path(path)
    lines = _decode(path.read_bytes(), path).split("\n")

    header: dict[str, int] | None = None
    width = 0
    units: list[TranslationUnit] = []
    for lineno, line in enumerate(lines, start=1):
        fields = line.split("\t")
        if not any(f.strip() for f in fields):
            continue  # blank line, or a row a spreadsheet emptied but kept
        if header is None:
            header = _header(fields, path, lineno)
            width = len(fields)
            continue
        if len(fields) != width:
            padded = _tolerate_trimmed_tab(fields, header, width)
            if padded is None:
                raise ValueError(
                    f"{path}, line {lineno}: expected {width} tab-separated fields as in the header, "
                    f"found {len(fields)}"
                )
            fields = padded
        cell = {name: fields[index].strip() for name, index in header.items()}
        status = _status(cell["status"], path, lineno)
        source, target = clean_cell(cell["source"]), clean_cell(cell["target"])
        if status in LEFT_OUT or not source or not target:
            continue
        units.append(
            TranslationUnit(
                src=source,
                tgt=target,
                score=_score(cell["score"], path, lineno),
                kind=_kind(cell["bead"], cell["src_ids"], cell["tgt_ids"]),
                document=cell["document"],
                confidence=_confidence(cell.get("confidence", ""), path, lineno),
            )
        )
    if header is None:
        raise ValueError(f"{path}, line 1: no header row ({chr(9).join(COLUMNS)})")
    return units


# --------------------------------------------------------------------------- helpers


def _as_list(alignments: Sequence[Alignment] | Alignment) -> list[Alignment]:
    return [alignments] if isinstance(alignments, Alignment) else list(alignments)


def _ids(ids: Sequence[int]) -> str:
    return " ".join(str(i) for i in ids)


def _rounded(score: float) -> float:
    """The score as the review files print it, so every output agrees on it (NaN shows as 0)."""
    score = float(score)
    if not math.isfinite(score):
        return 0.0
    return float(f"{score:.3f}") + 0.0  # + 0.0: no "-0.000"


def _decode(data: bytes, path: Path) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"  # Excel's "Unicode Text" export: tab separated, UTF-16 with a BOM
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        lineno = data[: err.start].count(b"\n") + 1
        raise ValueError(f"{path}, line {lineno}: not {encoding.upper()} text ({err.reason})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _header(fields: list[str], path: Path, lineno: int) -> dict[str, int]:
    names = [f.strip().lower() for f in fields]
    missing = [c for c in COLUMNS if c not in names and c not in OPTIONAL_COLUMNS]
    if missing:
        raise ValueError(
            f"{path}, line {lineno}: the header lacks column(s) {', '.join(missing)} "
            f"(expected: {' '.join(COLUMNS)})"
        )
    twice = sorted({c for c in COLUMNS if names.count(c) > 1})
    if twice:
        raise ValueError(f"{path}, line {lineno}: the header repeats column(s) {', '.join(twice)}")
    return {c: names.index(c) for c in COLUMNS if c in names}


def _tolerate_trimmed_tab(fields: list[str], header: dict[str, int], width: int) -> list[str] | None:
    """An unaligned row whose empty last field an editor trimmed away (with its tab).

    Editors that strip trailing whitespace turn ``…\\tunaligned\\t소스\\t`` into a row one field
    short. Such a row stays skipped, so it is accepted; any other short row is an error.
    """
    if len(fields) != width - 1:
        return None
    padded = [*fields, ""]
    status = padded[header["status"]].strip().lower()
    last_is_a_side = max(header.values()) == width - 1 and width - 1 in (header["source"], header["target"])
    if status == UNALIGNED and last_is_a_side:
        return padded
    return None


def _status(value: str, path: Path, lineno: int) -> str:
    status = re.sub(r"[\s_]+", "-", value.strip().lower())
    if status == "low":
        status = LOW_SCORE
    if status not in STATUSES:
        raise ValueError(
            f"{path}, line {lineno}: unknown status {value!r} (use {', '.join(STATUSES)})"
        )
    return status


def _score(value: str, path: Path, lineno: int) -> float:
    if not value:
        return 0.0
    try:
        score = float(value.replace(",", "."))  # a spreadsheet in a comma-decimal locale
    except ValueError:
        raise ValueError(f"{path}, line {lineno}: score {value!r} is not a number") from None
    if not math.isfinite(score):
        raise ValueError(f"{path}, line {lineno}: score {value!r} is not a finite number")
    return score


def _confidence(value: str, path: Path, lineno: int) -> float | None:
    """A confidence cell: empty is none; otherwise a probability."""
    if not value:
        return None
    p = _score(value, path, lineno)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{path}, line {lineno}: confidence {value!r} is not between 0 and 1")
    return p


def _kind(bead: str, src_ids: str, tgt_ids: str) -> str:
    """The bead type of a kept row; a one-sided type becomes two-sided once a person filled it in."""
    kind = bead.strip()
    if not re.fullmatch(r"\d+-\d+", kind):
        kind = f"{len(src_ids.split())}-{len(tgt_ids.split())}"
    n_src, n_tgt = (int(n) for n in kind.split("-"))
    return f"{max(n_src, 1)}-{max(n_tgt, 1)}"
