"""Synthetic documents (aligner/synthetic.py): every source sentence once, in order, and a gold
that says which target passages were left out."""

from __future__ import annotations

import random

import pytest

from aligner.data import Bead
from aligner.synthetic import KINDS, rebuild

SRC = [f"source {i}" for i in range(12)]
TGT = [f"target {j}" for j in range(13)]
# 1-1 units, a 1-2 and a 2-1, and a source sentence with no counterpart
FOREIGN = ["elsewhere 1", "elsewhere 2"]
GOLD = [Bead((0,), (0,)), Bead((1,), (1, 2)), Bead((2, 3), (3,)), Bead((4,), (4,)), Bead((5,), ()),
        Bead((6,), (5,)), Bead((7,), (6,)), Bead((8,), (7, 8)), Bead((9,), (9,)), Bead((10,), (10, 11)),
        Bead((11,), (12,))]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", range(20))
def test_a_rebuilt_document_keeps_its_sentences_and_says_what_was_left_out(kind: str, seed: int) -> None:
    built = rebuild("doc", SRC, TGT, GOLD, kind, "ko", "en", random.Random(seed), FOREIGN)
    document, gold = built.document, built.gold
    inserted = [s.text for s in document.src if s.text in FOREIGN]
    assert [s.text for s in document.src if s.text not in FOREIGN] == SRC  # every source sentence, once, in order
    assert all(not bead.tgt for bead in gold if document.src[bead.src[0]].text in FOREIGN) if inserted else True
    assert bool(inserted) <= (kind == "insert")
    kept = [document.tgt[j].text for bead in gold for j in bead.tgt]
    assert kept == [t.text for t in document.tgt] and set(kept) <= set(TGT)
    assert sorted(i for bead in gold for i in bead.src) == list(range(len(document.src)))
    removed = set(TGT) - set(kept)
    if kind == "start" or kind == "middle":
        # a removed target leaves its source sentences unaligned; nothing else changes
        left_out = {SRC[i] for bead in gold if not bead.tgt for i in bead.src} - {"source 5"}
        originals = {TGT[j] for bead in GOLD if {SRC[i] for i in bead.src} & left_out for j in bead.tgt}
        assert removed == originals
    else:
        assert not removed
    for bead in gold:  # a unit's two sides stand in the same paragraph, or the split one after
        if bead.src and bead.tgt:
            src_paragraph = document.src[bead.src[0]].paragraph
            tgt_paragraph = document.tgt[bead.tgt[0]].paragraph
            assert tgt_paragraph == src_paragraph or (kind == "resplit" and tgt_paragraph == src_paragraph + 1)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_changes_some_paragraphs(kind: str) -> None:
    changed = 0
    for seed in range(20):
        built = rebuild("doc", SRC, TGT, GOLD, kind, "ko", "en", random.Random(seed), FOREIGN)
        tgt_paragraphs = {s.paragraph for s in built.document.tgt}
        src_paragraphs = {s.paragraph for s in built.document.src}
        changed += (len(built.document.tgt) < len(TGT) or not tgt_paragraphs <= src_paragraphs
                    or len(built.document.src) > len(SRC))
    assert changed >= 3


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        rebuild("doc", SRC, TGT, GOLD, "end", "ko", "en", random.Random(0))
