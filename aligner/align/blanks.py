"""Sentences the search does not see (blank lines of pre-split files, a read document's
furniture and captions), aligned around, each kept where it stands."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from aligner.data import KEPT_OUT, Bead, Document


def around_blank_lines(document: Document, search: Callable[[Document], list[Bead]]) -> list[Bead]:
    """Align the sentences the search should see (Document.ids_to_align); every other one
    becomes a bead of its own where it stands, so ids stay in order and nothing is paired with
    nothing. One lying between the sentences of one bead joins that bead (unpair_kept_out then
    takes furniture and captions out: a blank line may stay, furniture is never in a TMX
    unit)."""
    src_ids, tgt_ids = document.ids_to_align()
    if len(src_ids) == len(document.src) and len(tgt_ids) == len(document.tgt):
        return search(document)
    inner = Document(document.name, document.src_lang, document.tgt_lang,
                     [document.src[i] for i in src_ids], [document.tgt[j] for j in tgt_ids])
    out: list[Bead] = []
    done = [0, 0]  # per side, the first id no bead holds yet

    def alone(side: int, i: int) -> Bead:
        return Bead((i,), ()) if side == 0 else Bead((), (i,))

    def before(side: int, stop: int) -> None:
        """The sentences from done[side] up to `stop`, each a bead of its own."""
        out.extend(alone(side, i) for i in range(done[side], stop))
        done[side] = max(done[side], stop)

    for bead in search(inner):
        sides: list[tuple[int, ...]] = []
        for side, ids, kept_ids in ((0, bead.src, src_ids), (1, bead.tgt, tgt_ids)):
            if not ids:
                sides.append(())
                continue
            first, last = kept_ids[ids[0]], kept_ids[ids[-1]]
            before(side, first)
            sides.append(tuple(range(first, last + 1)))
            done[side] = last + 1
        out.append(replace(bead, src=sides[0], tgt=sides[1]))
    before(0, len(document.src))
    before(1, len(document.tgt))
    return out


def unpair_kept_out(document: Document, beads: list[Bead]) -> list[Bead]:
    """Furniture and captions out of any aligned bead that holds them (around_blank_lines puts
    those lying between a bead's sentences in it; the segmentation repair may pair a sentence
    left unaligned), each an unaligned bead just before it: they are never in a TMX unit."""
    out: list[Bead] = []
    for bead in beads:
        src_out = [i for i in bead.src if document.src[i].kind in KEPT_OUT] if bead.is_aligned else []
        tgt_out = [j for j in bead.tgt if document.tgt[j].kind in KEPT_OUT] if bead.is_aligned else []
        if not src_out and not tgt_out:
            out.append(bead)
            continue
        out += [Bead((i,), ()) for i in src_out] + [Bead((), (j,)) for j in tgt_out]
        src = tuple(i for i in bead.src if i not in src_out)
        tgt = tuple(j for j in bead.tgt if j not in tgt_out)
        if src and tgt:
            out.append(replace(bead, src=src, tgt=tgt))
        else:
            out += [Bead((i,), ()) for i in src] + [Bead((), (j,)) for j in tgt]
    return out
