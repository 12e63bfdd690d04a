"""Headings glued to the next sentence: cut them out, guided by the other side.

Press releases and web pages often lose the line break after a title or subtitle, and a
heading has no final punctuation, so the splitter sees one sentence: `… over the phone On
landing her daughter …`. When the other side kept the two apart, the aligner pairs several of
its sentences with that one sentence (a 2-1 … n-1 bead), or leaves the other side's heading
unaligned before a 1-1 bead; the sentence is then cut where a heading could end (the
segmenter proposes the places) and the other side splits between its sentences. When the
document's title is glued to its lead sentence on both sides, both are cut at proposed places.
A cut is kept only if each part translates its counterpart well and clearly better than it
translates the other part.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from aligner.align.params import AlignParams
from aligner.data import Bead, Document, Sentence, join_sentences
from aligner.encoders.base import Encoder
from aligner.segment import CLOSERS

HeadingEnds = Callable[[str, str], list[int]]  # (sentence, language) → offsets where a heading may end


@dataclass(frozen=True)
class _Cut:
    first: int  # first bead of the group: the bead itself, or the first deletion just before it
    last: int  # the bead holding the single sentence
    offset: int  # where that sentence is cut
    count: int  # whole sentences of the other side that go with the first part
    inner: int | None  # where the other side's next sentence is cut, if it is glued too
    scores: tuple[float, float]  # cosine of each new bead's two sides
    single_is_tgt: bool  # the cut sentence is on the target side


@dataclass(frozen=True)
class Repair:
    """The document with glued headings cut, its beads renumbered to match, and the ids of the
    parts of cut sentences on each side (none: nothing was cut)."""

    document: Document
    beads: list[Bead]
    src_pieces: frozenset[int] = frozenset()
    tgt_pieces: frozenset[int] = frozenset()

    @property
    def cut(self) -> bool:
        return bool(self.src_pieces or self.tgt_pieces)


def split_glued_headings(document: Document, beads: list[Bead], encoder: Encoder, params: AlignParams,
                         heading_ends: HeadingEnds) -> Repair:
    """The document with glued headings cut in two, and its beads renumbered to match."""
    repair = Repair(document, beads)
    if encoder.dimension == 0:
        return repair
    todo = range(len(beads))
    for round_ in range(3):  # a part may hold another glued heading: `…in lab They can … reinjected A trial…`
        cuts = [cut for number in todo  # the title only in the first round: its parts are not cut again
                if (cut := _best_cut(repair.document, repair.beads, number, encoder, params, heading_ends,
                                     round_ == 0))]
        if not cuts:
            break
        repair, todo = _apply(repair, cuts)
    return repair


def _sides(bead: Bead, single_is_tgt: bool) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(the single sentence's side, the other side) of a bead, as ids."""
    return (bead.tgt, bead.src) if single_is_tgt else (bead.src, bead.tgt)


def _best_cut(document: Document, beads: list[Bead], number: int, encoder: Encoder, params: AlignParams,
              heading_ends: HeadingEnds, titles: bool) -> _Cut | None:
    """The better of the cuts that params accept with either side's sentence as the single one."""
    cuts = [cut for single_is_tgt in (True, False)
            if (cut := _best_cut_of(document, beads, number, encoder, params, heading_ends, titles, single_is_tgt))]
    return max(cuts, key=lambda cut: min(cut.scores), default=None)


def _best_cut_of(document: Document, beads: list[Bead], number: int, encoder: Encoder, params: AlignParams,
                 heading_ends: HeadingEnds, titles: bool, single_is_tgt: bool) -> _Cut | None:
    """The cut of the bead's single sentence on one side that params accept, if any.

    The other side splits where its sentences meet: those of the bead, plus those of the
    deletions just before it (the aligner often leaves a heading unaligned rather than pair it
    with a glued sentence). Failing that, in the document's first aligned bead (with `titles`),
    where the title may be glued to the lead on both sides, inside the other side's first
    sentence as well: `…사형 구형 시도 뉴욕의 연방 검찰은…` / `…death penalty for NYC terror attack
    suspect Federal prosecutors in New York…`. Both cuts are then guesses, held to the title
    thresholds.
    """
    bead = beads[number]
    one_ids, many_ids = _sides(bead, single_is_tgt)
    if len(one_ids) != 1 or not many_ids:
        return None
    side, other = (document.tgt, document.src) if single_is_tgt else (document.src, document.tgt)
    lang, other_lang = ((document.tgt_lang, document.src_lang) if single_is_tgt
                        else (document.src_lang, document.tgt_lang))
    index = one_ids[0]
    if not _starts_line(side, index):
        return None
    first, before = number, many_ids
    while first > 0:  # no more than a bead may hold (max_side): captions stay unaligned
        before_one, before_many = _sides(beads[first - 1], single_is_tgt)
        if not before_many or before_one or len(before_many) + len(before) > params.max_side:
            break
        first, before = first - 1, before_many + before
    texts = [other[i].text for i in before]
    between = [_Split(first, k, None, join_sentences(texts[:k], other_lang), join_sentences(texts[k:], other_lang))
               for k in range(1, len(texts))]
    single, glued = side[index].text, other[many_ids[0]].text
    title = (titles and not any(earlier.is_aligned for earlier in beads[:number])
             and (len(many_ids) > 1 or single_is_tgt)  # a 1-1 bead's title is tried once, not twice
             # a lead ends like a sentence; a line that does not is a heading standing on its own
             and _ends_sentence(single) and _ends_sentence(glued))
    if not between and not title:
        return None
    offsets = heading_ends(single, lang)
    if not offsets:
        return None
    found = _pick(single, offsets, between, encoder, params.glued_similarity, params.glued_margin)
    if found is None and title:
        rest = [other[i].text for i in many_ids[1:]]
        inside = [_Split(number, 0, inner, glued[:inner].strip(),
                         join_sentences([glued[inner:].strip()] + rest, other_lang))
                  for inner in heading_ends(glued, other_lang)]
        found = _pick(single, offsets, inside, encoder, params.title_similarity, params.title_margin)
    if found is None:
        return None
    split, offset, scores = found
    return _Cut(split.first, number, offset, split.count, split.inner, scores, single_is_tgt)


@dataclass(frozen=True)
class _Split:
    """Where the other side splits: after `count` whole sentences from bead `first`, and, if
    `inner` is set, inside the next sentence at that offset."""

    first: int
    count: int
    inner: int | None
    head: str
    tail: str


def _pick(single: str, offsets: list[int], splits: list[_Split], encoder: Encoder, similarity: float,
          margin: float) -> tuple[_Split, int, tuple[float, float]] | None:
    """The split and cut whose weaker pair is best, if both pairs are at least `similarity`
    and beat the crossed pairs by `margin`; with the cosines of the two pairs."""
    if not splits:
        return None
    heads = [single[:c].strip() for c in offsets]
    tails = [single[c:].strip() for c in offsets]
    n, m = len(offsets), len(splits)
    vectors = encoder.encode(heads + tails + [s.head for s in splits] + [s.tail for s in splits])
    h, t, f, r = vectors[:n], vectors[n:2 * n], vectors[2 * n:2 * n + m], vectors[2 * n + m:]
    matched = np.minimum(f @ h.T, r @ t.T)  # (split, offset): the weaker of the two pairs
    crossed = np.maximum(f @ t.T, r @ h.T)
    k, o = np.unravel_index(int(np.argmax(matched)), matched.shape)
    if matched[k, o] < similarity or matched[k, o] - crossed[k, o] < margin:
        return None
    return splits[k], offsets[o], (float(f[k] @ h[o]), float(r[k] @ t[o]))


def _starts_line(side: list[Sentence], index: int) -> bool:
    """A heading starts its line, or follows another heading (no final punctuation) on it."""
    if index == 0 or side[index - 1].line != side[index].line:
        return True
    return not _ends_sentence(side[index - 1].text)


def _ends_sentence(text: str) -> bool:
    last = text.rstrip(CLOSERS)[-1:]
    return bool(last) and last in ".!?…"


class _Side:
    """One side's sentences as _apply rebuilds them, and which of them are parts of cut ones."""

    def __init__(self, old: list[Sentence], old_pieces: frozenset[int]) -> None:
        self.old, self.old_pieces = old, old_pieces
        self.sentences: list[Sentence] = []
        self.pieces: set[int] = set()

    def take(self, ids: tuple[int, ...]) -> tuple[int, ...]:
        """Append the old sentences `ids`; their new ids."""
        start = len(self.sentences)
        self.sentences.extend(self.old[i] for i in ids)
        self.pieces.update(start + k for k, i in enumerate(ids) if i in self.old_pieces)
        return tuple(range(start, len(self.sentences)))

    def halves(self, index: int, offset: int) -> tuple[int, int]:
        """Append old sentence `index` cut at `offset` as two sentences of its line; their new ids."""
        sentence = self.old[index]
        self.sentences.append(replace(sentence, text=sentence.text[:offset].strip()))
        self.sentences.append(replace(sentence, text=sentence.text[offset:].strip()))
        new = len(self.sentences) - 2, len(self.sentences) - 1
        self.pieces.update(new)
        return new


def _apply(repair: Repair, cuts: list[_Cut]) -> tuple[Repair, list[int]]:
    """Rebuild both sentence lists and every bead's ids with each cut sentence in two; also
    the numbers of the new beads, the only ones a next round needs to look at."""
    document, beads = repair.document, repair.beads
    by_first = {cut.first: cut for cut in cuts}
    src, tgt = _Side(document.src, repair.src_pieces), _Side(document.tgt, repair.tgt_pieces)
    out: list[Bead] = []
    fresh: list[int] = []
    number = 0
    while number < len(beads):
        cut = by_first.get(number)
        if cut is None:
            bead = beads[number]
            out.append(replace(bead, src=src.take(bead.src), tgt=tgt.take(bead.tgt)))
            number += 1
            continue
        single_is_tgt = cut.single_is_tgt
        one, many = (tgt, src) if single_is_tgt else (src, tgt)
        group = beads[cut.first:cut.last + 1]
        many_ids = tuple(i for bead in group for i in _sides(bead, single_is_tgt)[1])
        one_parts = one.halves(_sides(beads[cut.last], single_is_tgt)[0][0], cut.offset)
        head = many.take(many_ids[:cut.count])
        rest = many_ids[cut.count:]
        tail: tuple[int, ...] = ()
        if cut.inner is not None:
            glued_head, glued_tail = many.halves(rest[0], cut.inner)
            head, tail, rest = head + (glued_head,), (glued_tail,), rest[1:]
        tail += many.take(rest)
        for one_side, many_side, score in zip(one_parts, (head, tail), cut.scores):
            fresh.append(len(out))
            out.append(Bead(many_side, (one_side,), score) if single_is_tgt else Bead((one_side,), many_side, score))
        number = cut.last + 1
    rebuilt = Document(document.name, document.src_lang, document.tgt_lang, src.sentences, tgt.sentences)
    return Repair(rebuilt, out, frozenset(src.pieces), frozenset(tgt.pieces)), fresh
