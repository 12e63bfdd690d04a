"""Neighbouring units that a name, a number or a bracket crosses are one unit.

A translator may move a name or a number to the other sentence: `… Abalakow ist … . Seitdem
…` becomes `… par Abalakow . Souvent …`. The embeddings see two good 1-1 pairs and the search
draws them, but the strict truth is one 2-2 unit: neither pair translates its counterpart
alone. Names and numbers are written the same in both languages, so they show it: a token in
the source of one unit and in the target of the other, and in neither of the two other sides,
joins them. Only tokens that survive translation unchanged count (numbers of three or more
digits, capitalised Latin-script words of four or more letters, and a word that opens a
sentence only against a name inside one), so ordinary words that two languages happen to share
do not.

A sentence splitter may also cut inside a parenthesis, at an abbreviation of a reference
(`( « Alpine Journal » No . 293 , Nov .` / `1956 ) , p.310-329 .`). Where one unit's last
sentence opens a bracket that the next unit's first closes, on both sides, the cut is the
splitter's on both sides, not the translation's: the two units are one, as big as a bead's
side may be (such a reference is often bigger than a bead of the search). On one side only it
may be a stray bracket of OCR text, or a parenthesis the other language does not have. Only a
bracket opened in one sentence and closed in the next counts: a depth carried further would
let one stray bracket join the rest of a pre-split file, which has no paragraphs. A
parenthesis of two whole sentences translated one by one is joined too (the gold would keep
two units); Text+Berg's gold keeps 15 of its 16 bracketed sentence boundaries inside a bead.
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Sequence

from aligner.data import Bead, Document, Sentence

# A whole number, its digit groups together (`10,000`, `7.134`, `12 500` are one number each,
# written without separators: German `7.134` and French `7134` agree); other runs of digits and
# separators are several numbers (`2019 500`, `3.14159`).
_DIGIT_RUN = re.compile(r"\d(?:[\d,.\u00a0\u202f ]*\d)?")
_GROUPED = re.compile(r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+")
_GROUP_SEPARATORS = re.compile(r"[,.\u00a0\u202f ]")
_DIGITS = re.compile(r"\d+")
MIN_DIGITS = 3  # `2023년`, `1933`, `8597` (not `12`, `1.`: too common to tell)
_WORD = re.compile(r"[^\W\d_]+")
# Four or more letters of a Latin script (Basic Latin to Latin Extended-B, and Latin Extended
# Additional for Vietnamese: the scripts whose names pass unchanged), the first a capital, not
# right after another Latin letter or a digit (a Korean particle or Chinese may stand around it:
# `COVID와`, `苹果公司Apple`).
_LATIN = "A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ"
_CAPITALISED = re.compile(rf"(?<![{_LATIN}0-9])[A-ZÀ-ÖØ-ÞĀ-ɏḀ-ỿ][{_LATIN}]{{3,}}")


@dataclass(frozen=True)
class Anchors:
    """The names and numbers of one side of a unit. A capitalised word that opens a sentence
    may be any word (`They`, `Dann`): it is kept apart, and matches only a name inside a
    sentence on the other side (`Abalakow , seitdem …` / `… par E. M. Abalakow .`)."""

    inner: frozenset[str] = frozenset()
    opening: frozenset[str] = frozenset()

    def __or__(self, other: "Anchors") -> "Anchors":
        return Anchors(self.inner | other.inner, self.opening | other.opening)

    @property
    def every(self) -> frozenset[str]:
        return self.inner | self.opening

    def shared_with(self, other: "Anchors") -> frozenset[str]:
        """The tokens of both, unless they open a sentence on both sides."""
        return (self.inner & other.every) | (self.opening & other.inner)


def anchors(text: str) -> Anchors:
    """The tokens of a sentence that a translation keeps as they are: numbers and names."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)  # full-width digits and letters as ASCII
    names = [word for word in _CAPITALISED.findall(text) if word[0].isupper()]  # Latin Extended mixes cases
    inner = {number for number in _numbers(text) if len(number) >= MIN_DIGITS} | set(names)
    first = _WORD.search(text)  # the first word, after any list number (`2. They …`)
    if names and first and text.startswith(names[0], first.start()) and names.count(names[0]) == 1:
        inner.discard(names[0])
        return Anchors(frozenset(inner), frozenset([names[0]]))
    return Anchors(frozenset(inner))


def _numbers(text: str) -> list[str]:
    numbers = []
    for run in _DIGIT_RUN.findall(text):
        if _GROUPED.fullmatch(run):
            numbers.append(_GROUP_SEPARATORS.sub("", run))
        else:
            numbers += _DIGITS.findall(run)
    return numbers


def crossed(src: Sequence[Anchors], tgt: Sequence[Anchors]) -> bool:
    """Whether a token of the first unit's source is only in the second unit's target, or the
    other way round (`src` and `tgt`: each unit's side, first unit first)."""
    (s1, s2), (t1, t2) = src, tgt
    return bool(s2.shared_with(t1) - s1.every - t2.every) or bool(s1.shared_with(t2) - s2.every - t1.every)


BRACKETS = ("()", "[]", "（）", "［］")


def bracket_crosses(before: str, after: str) -> bool:
    """Whether `before` leaves a bracket open that `after` closes (of the same kind)."""
    return any(before.count(opening) > before.count(closing) and after.count(closing) > after.count(opening)
               for opening, closing in BRACKETS)


def join_crossed_units(document: Document, beads: list[Bead], max_sentences: int, max_side: int) -> list[Bead]:
    """The beads with each pair of neighbouring units that a shared token crosses joined, again
    and again while the unit holds at most `max_sentences` (no bigger than a bead the search
    may draw: a long run of joins is a list of names, not one passage), and those a bracket
    crosses on both sides while each side holds at most `max_side`. Units are neighbours
    when no sentence lies between them on either side and no paragraph break or blank line
    parts them. A joined unit has no path margin (the search did not draw it): the confidence
    gives it the document's typical one, the median of the units the search drew; where no
    such unit is left, it takes the smaller margin of its parts. Its score is the caller's."""
    sides = (document.src, document.tgt)
    found = ([anchors(s.text) for s in document.src], [anchors(s.text) for s in document.tgt])
    vocabulary: list[set[str] | None] = [None, None]  # each side's words, read on first need

    def tokens(side: int, ids: tuple[int, ...]) -> Anchors:
        return functools.reduce(operator.or_, (found[side][i] for i in ids))

    def names(side: int, of: Anchors) -> Anchors:
        """Without the opening words that the side also writes in lower case: those are
        ordinary words (`Hotel prices rose …` beside `… the hotel …`); a name is capitalised
        everywhere."""
        if not of.opening:
            return of
        if vocabulary[side] is None:
            vocabulary[side] = set(_WORD.findall("\n".join(s.text for s in sides[side])))
        return Anchors(of.inner, frozenset(w for w in of.opening if w.lower() not in vocabulary[side]))

    def crossing(last: Bead, bead: Bead) -> bool:
        src = (tokens(0, last.src), tokens(0, bead.src))
        tgt = (tokens(1, last.tgt), tokens(1, bead.tgt))
        return crossed(src, tgt) and crossed([names(0, a) for a in src], [names(1, a) for a in tgt])

    def bracketed(last: Bead, bead: Bead) -> bool:
        """On both sides, the unit's last sentence opens a bracket that the next unit's first
        sentence closes, and the joined side is no longer than `max_side`."""
        return all(len(a) + len(b) <= max_side and bracket_crosses(side[a[-1]].text, side[b[0]].text)
                   for side, a, b in ((document.src, last.src, bead.src), (document.tgt, last.tgt, bead.tgt)))

    out: list[Bead] = []
    joined: dict[int, float | None] = {}  # place in `out` of a joined unit: its parts' smaller margin
    for bead in beads:
        last = out[-1] if out else None
        if (last is not None and last.is_aligned and bead.is_aligned
                and last.src[-1] + 1 == bead.src[0] and last.tgt[-1] + 1 == bead.tgt[0]
                and _run_on(document.src, last.src[-1]) and _run_on(document.tgt, last.tgt[-1])
                and ((len(last.src) + len(last.tgt) + len(bead.src) + len(bead.tgt) <= max_sentences
                      and crossing(last, bead)) or bracketed(last, bead))):
            place = len(out) - 1
            margins = [m for m in (joined.get(place, last.margin), bead.margin) if m is not None]
            joined[place] = min(margins, default=None)
            out[-1] = Bead(last.src + bead.src, last.tgt + bead.tgt)
        else:
            out.append(bead)
    if joined and not any(bead.margin is not None for bead in out):
        out = [replace(bead, margin=joined[place]) if place in joined else bead for place, bead in enumerate(out)]
    return out


def _run_on(sentences: Sequence[Sentence], index: int) -> bool:
    """Whether the next sentence goes on in the same paragraph, with no blank line between (a
    blank line of a pre-split file is the search's only paragraph break: it never sees it)."""
    here, after = sentences[index], sentences[index + 1]
    return here.paragraph == after.paragraph and after.line - here.line <= 1
