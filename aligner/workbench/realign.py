"""Re-align pending: the aligner again on each stretch of rows nobody has decided yet.

A row a person confirmed or edited is kept as it is (as OmegaT's "Realign pending" keeps
accepted and edited rows); each run of automatic rows between them is aligned anew by the
one entry point, aligner.align.align, with the project's encoder and maximum bead side.
"""

from __future__ import annotations

from aligner.align import DEFAULT_PARAMS, align
from aligner.align.params import AlignParams, with_max_side
from aligner.data import Document, Sentence as TextSentence
from aligner.encoders.base import Encoder
from aligner.pipeline import single_threaded_blas
from aligner.workbench.project import AUTOMATIC, Change, DocState, Unit
from aligner.workbench.store import Settings


def params_of(settings: Settings) -> AlignParams:
    return with_max_side(DEFAULT_PARAMS, settings.max_side)


def realign_pending(doc: DocState, encoder: Encoder, params: AlignParams) -> Change | None:
    """The Change that re-aligns every automatic stretch of the document; None if there is none."""
    pending = [i for i, unit in enumerate(doc.units) if unit.status == AUTOMATIC]
    if not pending:
        return None
    first, last = pending[0], pending[-1]
    after: list[Unit] = []
    stretch: list[Unit] = []
    with single_threaded_blas():  # as `aligner align` runs: twice as fast as BLAS's own threads here
        for unit in doc.units[first:last + 1] + [None]:
            if unit is not None and unit.status == AUTOMATIC:
                stretch.append(unit)
                continue
            after += _align_stretch(doc, stretch, encoder, params)
            stretch = []
            if unit is not None:
                after.append(unit)
    return Change("realign", doc.index, first, tuple(doc.units[first:last + 1]), tuple(after))


def _align_stretch(doc: DocState, units: list[Unit], encoder: Encoder, params: AlignParams) -> list[Unit]:
    src = [sid for unit in units for sid in unit.src]
    tgt = [sid for unit in units for sid in unit.tgt]
    if not src or not tgt:  # one side only: each sentence is a row of its own; empty rows go
        return [Unit((sid,), (), 0.0) for sid in src] + [Unit((), (sid,), 0.0) for sid in tgt]
    document = Document(doc.name, doc.src_lang, doc.tgt_lang,
                        [_text_sentence(doc, sid) for sid in src], [_text_sentence(doc, sid) for sid in tgt])
    alignment = align(document, encoder, params)
    return [Unit(tuple(src[i] for i in bead.src), tuple(tgt[j] for j in bead.tgt), bead.score,
                 bead.confidence, AUTOMATIC) for bead in alignment.beads]


def _text_sentence(doc: DocState, sid: int) -> TextSentence:
    s = doc.sentences[sid]
    return TextSentence(s.text, s.paragraph, s.line, s.kind)
