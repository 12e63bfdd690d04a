"""Blank lines of pre-split files: aligned around, each kept where it stands."""

from __future__ import annotations

from typing import Callable

from aligner.data import Bead, Document


def around_blank_lines(document: Document, search: Callable[[Document], list[Bead]]) -> list[Bead]:
    """Align the sentences that have text; each blank one (a blank line of a pre-split file,
    a sentence by number only) becomes a bead of its own where it stands, or joins the bead
    whose sentences it lies between, so ids stay line numbers in order and nothing is paired
    with nothing."""
    src_ids, tgt_ids = document.ids_with_text()
    if len(src_ids) == len(document.src) and len(tgt_ids) == len(document.tgt):
        return search(document)
    inner = Document(document.name, document.src_lang, document.tgt_lang,
                     [document.src[i] for i in src_ids], [document.tgt[j] for j in tgt_ids])
    out: list[Bead] = []
    done = [0, 0]  # per side, the first id no bead holds yet

    def blanks_before(side: int, stop: int) -> None:
        """The blank lines from done[side] up to `stop`, each a bead of its own."""
        out.extend(Bead((i,), ()) if side == 0 else Bead((), (i,)) for i in range(done[side], stop))
        done[side] = max(done[side], stop)

    for bead in search(inner):
        sides = []
        for side, ids, kept_ids in ((0, bead.src, src_ids), (1, bead.tgt, tgt_ids)):
            if not ids:
                sides.append(())
                continue
            first, last = kept_ids[ids[0]], kept_ids[ids[-1]]
            blanks_before(side, first)
            sides.append(tuple(range(first, last + 1)))  # with the blank lines between its sentences
            done[side] = last + 1
        out.append(Bead(sides[0], sides[1], bead.score))
    blanks_before(0, len(document.src))
    blanks_before(1, len(document.tgt))
    return out
