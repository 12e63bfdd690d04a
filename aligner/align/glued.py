"""Headings glued to the next sentence: split the one English sentence of a 2-1 or 1-2 bead.

Press releases and web pages often lose the line break after a title or subtitle, and a
heading has no final punctuation, so Punkt sees one sentence: `… over the phone On landing
her daughter …`. When the other side kept the two apart, the aligner pairs several of its
sentences with that one sentence (a 2-1 … n-1 bead), or leaves the other side's heading
unaligned before a 1-1 bead. Here the other side guides the cut: among the places where a
heading could end (a lowercase word, then a capitalised one), the cut is kept only if each
part translates its counterpart well and clearly better than it translates the other part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from aligner.align.params import AlignParams
from aligner.data import Bead, Document, Sentence, base_language, join_sentences
from aligner.encoders.base import Encoder

# Words a heading does not end on: a cut after them would split a phrase, not two units.
_FUNCTION_WORDS = frozenset("""
a an the this that these those some any each every no other another such what which who whom
whose where when why how whether if then than and or but nor so yet for of to in on at by with
from as into onto over under about after before since until while during against between among
through across without within upon off up down out i me my mine we us our you your he him his
she her it its they them their is are was were be been being am do does did have has had will
would shall should can could may might must not also just only even very too more most much
many few less least one two three four five six seven eight nine ten mr mrs ms dr st said says
told asked
""".split())
_OPENERS = "\"'“‘(["
_CLOSERS = "\"'”’)]"


def heading_ends(text: str) -> list[int]:
    """Offsets in an English sentence where an unpunctuated heading could end and a new
    sentence begin: after a lowercase content word, before a capitalised word or a number,
    with at least three words on each side."""
    cuts = []
    for gap in re.finditer(r"\s+", text):
        left, right = text[:gap.start()].split(), text[gap.end():].split()
        if len(left) < 3 or len(right) < 3:
            continue
        prev, nxt = left[-1], right[0].lstrip(_OPENERS)
        bare = prev.strip(_OPENERS + _CLOSERS)
        if not bare or not (bare[0].islower() or bare[0].isdigit()) or bare.lower() in _FUNCTION_WORDS:
            continue
        if prev.rstrip(_CLOSERS)[-1:] in ",;:–-—/&" or not nxt or nxt == "I":
            continue
        if nxt[0].isupper() or nxt[0].isdigit():
            cuts.append(gap.end())
    return cuts


@dataclass(frozen=True)
class _Cut:
    first: int  # first bead of the group: the bead itself, or the first deletion just before it
    last: int  # the bead holding the single English sentence
    offset: int  # where that sentence is cut
    count: int  # sentences of the other side that go with the first part
    scores: tuple[float, float]  # cosine of each new bead's two sides
    single_is_tgt: bool  # the cut sentence is on the target side


def split_glued_headings(document: Document, beads: list[Bead], encoder: Encoder,
                         params: AlignParams) -> tuple[Document, list[Bead]]:
    """The document with glued headings cut in two, and its beads renumbered to match."""
    if encoder.dimension == 0:
        return document, beads
    todo = range(len(beads))
    for _ in range(3):  # a part may hold another glued heading: `…in lab They can … reinjected A trial…`
        cuts = [cut for number in todo if (cut := _best_cut(document, beads, number, encoder, params)) is not None]
        if not cuts:
            break
        document, beads, todo = _apply(document, beads, cuts)
    return document, beads


def _sides(bead: Bead, single_is_tgt: bool) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(the single sentence's side, the other side) of a bead, as ids."""
    return (bead.tgt, bead.src) if single_is_tgt else (bead.src, bead.tgt)


def _best_cut(document: Document, beads: list[Bead], number: int, encoder: Encoder,
              params: AlignParams) -> _Cut | None:
    """The cut of the bead's single English sentence that params accept, if any.

    The other side's sentences are the bead's, plus those of the deletions just before it: the
    aligner often leaves a heading unaligned rather than pair it with a glued sentence.
    """
    bead = beads[number]
    for single_is_tgt, lang in ((True, document.tgt_lang), (False, document.src_lang)):
        one_ids, many_ids = _sides(bead, single_is_tgt)
        if len(one_ids) == 1 and many_ids and base_language(lang) == "en":
            break
    else:
        return None
    first = number
    while first > 0:  # no more than a bead may hold (max_side): captions stay unaligned
        before_one, before_many = _sides(beads[first - 1], single_is_tgt)
        if not before_many or before_one or len(before_many) + len(many_ids) > params.max_side:
            break
        first, many_ids = first - 1, before_many + many_ids
    if len(many_ids) < 2:
        return None
    side, other = (document.tgt, document.src) if single_is_tgt else (document.src, document.tgt)
    other_lang = document.src_lang if single_is_tgt else document.tgt_lang
    index = one_ids[0]
    if not _starts_line(side, index):
        return None
    single = side[index].text
    offsets = heading_ends(single)
    if not offsets:
        return None
    others = [other[i].text for i in many_ids]
    heads = [single[:c].strip() for c in offsets]
    tails = [single[c:].strip() for c in offsets]
    firsts = [join_sentences(others[:k], other_lang) for k in range(1, len(others))]
    rests = [join_sentences(others[k:], other_lang) for k in range(1, len(others))]
    vectors = encoder.encode(heads + tails + firsts + rests)
    h, t = vectors[:len(heads)], vectors[len(heads):2 * len(heads)]
    f, r = vectors[2 * len(heads):2 * len(heads) + len(firsts)], vectors[2 * len(heads) + len(firsts):]
    matched = np.minimum(f @ h.T, r @ t.T)  # (other-side cut, offset): the weaker of the two pairs
    crossed = np.maximum(f @ t.T, r @ h.T)
    k, o = np.unravel_index(int(np.argmax(matched)), matched.shape)
    if matched[k, o] < params.glued_similarity or matched[k, o] - crossed[k, o] < params.glued_margin:
        return None
    return _Cut(first, number, offsets[o], int(k) + 1, (float(f[k] @ h[o]), float(r[k] @ t[o])), single_is_tgt)


def _starts_line(side: list[Sentence], index: int) -> bool:
    """A heading starts its line, or follows another heading (no final punctuation) on it."""
    if index == 0 or side[index - 1].line != side[index].line:
        return True
    return side[index - 1].text.rstrip(_CLOSERS)[-1:] not in ".!?…"


def _apply(document: Document, beads: list[Bead], cuts: list[_Cut]) -> tuple[Document, list[Bead], list[int]]:
    """Rebuild both sentence lists and every bead's ids with each cut sentence in two; also
    the numbers of the new beads, the only ones a next round needs to look at."""
    by_first = {cut.first: cut for cut in cuts}
    src: list[Sentence] = []
    tgt: list[Sentence] = []
    out: list[Bead] = []
    fresh: list[int] = []
    number = 0
    while number < len(beads):
        cut = by_first.get(number)
        if cut is None:
            bead = beads[number]
            out.append(Bead(_take(src, document.src, bead.src), _take(tgt, document.tgt, bead.tgt), bead.score))
            number += 1
            continue
        single_is_tgt = cut.single_is_tgt
        one, many = (tgt, src) if single_is_tgt else (src, tgt)
        one_doc, many_doc = (document.tgt, document.src) if single_is_tgt else (document.src, document.tgt)
        group = beads[cut.first:cut.last + 1]
        many_ids = tuple(i for bead in group for i in _sides(bead, single_is_tgt)[1])
        sentence = one_doc[_sides(beads[cut.last], single_is_tgt)[0][0]]
        one.append(Sentence(sentence.text[:cut.offset].strip(), sentence.paragraph, sentence.line))
        one.append(Sentence(sentence.text[cut.offset:].strip(), sentence.paragraph, sentence.line))
        parts = [((len(one) - 2,), _take(many, many_doc, many_ids[:cut.count]), cut.scores[0]),
                 ((len(one) - 1,), _take(many, many_doc, many_ids[cut.count:]), cut.scores[1])]
        for one_side, many_side, score in parts:
            fresh.append(len(out))
            out.append(Bead(many_side, one_side, score) if single_is_tgt else Bead(one_side, many_side, score))
        number = cut.last + 1
    return Document(document.name, document.src_lang, document.tgt_lang, src, tgt), out, fresh


def _take(into: list[Sentence], source: list[Sentence], ids: tuple[int, ...]) -> tuple[int, ...]:
    """Append the sentences `ids` of `source` to `into`; their new ids."""
    start = len(into)
    into.extend(source[i] for i in ids)
    return tuple(range(start, len(into)))
