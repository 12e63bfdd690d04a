"""A project's rows as a TMX or a review TSV, through the program's own writers.

Each document becomes an Alignment again (its sentences in row order, one bead per row), so
the TMX follows the same rules as `aligner align`'s: cleaned text, one-sided rows left out,
identical pairs once, DTD-valid. A row the chosen filter leaves out stays in the TSV, with
the reason as its status (`unconfirmed`, `low-confidence`, or `low-score` where the row has no
confidence and its score was below the value asked for), so no sentence is lost.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from aligner.data import Alignment, Bead, Document, Sentence as TextSentence
from aligner.errors import InputError
from aligner.formats.review import LOW_CONFIDENCE, LOW_SCORE, UNCONFIRMED, write_review_tsv
from aligner.outputs import check_output_path, parse_date
from aligner.workbench.project import CONFIRMED, DocState, Unit
from aligner.workbench.store import Project

EXPORT_FORMATS = {".tmx": "tmx", ".tsv": "tsv"}


def to_alignment(doc: DocState) -> tuple[Alignment, dict[tuple, Unit]]:
    """The document as the aligner's plain data, and the row behind each bead."""
    src: list[TextSentence] = []
    tgt: list[TextSentence] = []
    beads: list[Bead] = []
    rows: dict[tuple, Unit] = {}
    for unit in doc.units:
        bead = Bead(tuple(range(len(src), len(src) + len(unit.src))),
                    tuple(range(len(tgt), len(tgt) + len(unit.tgt))), unit.score or 0.0, unit.confidence)
        for sid, side in [(s, src) for s in unit.src] + [(t, tgt) for t in unit.tgt]:
            sentence = doc.sentences[sid]
            side.append(TextSentence(sentence.text, sentence.paragraph, sentence.line, sentence.kind))
        beads.append(bead)
        rows[bead.src, bead.tgt] = unit
    return Alignment(Document(doc.name, doc.src_lang, doc.tgt_lang, src, tgt), beads), rows


def selection(confirmed_only: bool = False, min_confidence: float | None = None) -> Callable[[Unit], str | None]:
    """Why a row stays out of the export (its status in the TSV), or None if it goes in: not
    confirmed (if only confirmed rows are asked for), or below the confidence (its score when
    the aligner gave no confidence; a row a person edited has neither and goes in)."""

    def left_out(unit: Unit) -> str | None:
        if confirmed_only and unit.status != CONFIRMED:
            return UNCONFIRMED
        if min_confidence is not None:
            if unit.confidence is not None:
                return LOW_CONFIDENCE if unit.confidence < min_confidence else None
            if unit.score is not None and unit.score < min_confidence:
                return LOW_SCORE
        return None

    return left_out


def export(project: Project, output: Path, *, confirmed_only: bool = False, min_confidence: float | None = None,
           date: str | None = None) -> int:
    """Write the TMX or TSV (by suffix); returns how many units (TMX) or rows (TSV) it holds."""
    from aligner.formats.review import units_from_alignments
    from aligner.formats.tmx import write_tmx

    output = Path(output)
    fmt = EXPORT_FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise InputError(output, "export to a .tmx or a .tsv file")
    check_output_path(output)
    with project.lock:
        pairs = [to_alignment(doc) for doc in project.documents]
    why = selection(confirmed_only, min_confidence)
    behind = {id(alignment): rows for alignment, rows in pairs}

    def leave_out(alignment: Alignment, bead: Bead) -> str | None:
        return why(behind[id(alignment)][bead.src, bead.tgt])

    alignments = [alignment for alignment, _ in pairs]
    if fmt == "tsv":
        write_review_tsv(alignments, output, leave_out=leave_out)
        return sum(1 for doc in project.documents for unit in doc.units if not unit.is_empty)
    if not alignments:
        raise InputError(project.path, "the project holds no documents")
    first = alignments[0].document
    result = write_tmx(units_from_alignments(alignments, leave_out=leave_out), output, first.src_lang, first.tgt_lang,
                       creation_date=parse_date(date))
    return len(result.written)
