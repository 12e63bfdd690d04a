"""How sure the aligner is of each bead: P(the bead is exactly right), calibrated on gold.

"Right" is strict: an aligned bead has the same source and target sentences as a gold bead;
an unaligned sentence is one the gold leaves unaligned too. On raw documents, scored by gold
blocks, the label is taken at the level the scoring sees (aligner/calibrate.py): the beads
merged into a gold block's place must equal that block, with no sentence of an aligned block
left unaligned.

A cosine is not a probability: it depends on the encoder, the languages, the bead type and the
sentence lengths. A logistic regression per bead kind turns cheap features into a probability:

- a unit (aligned bead): its path margin (how much more the search's best path that does not
  hold this bead costs: search.best_path_with_margins; a bead another way of drawing the beads
  nearly matches is doubtful, in the search's own cost, which is already relative to the
  document: hubness, the document's typical pair, its length model); how many standard
  deviations the lengths are off the document's length model (length.py); the sentences
  beyond a 1-1, as log(1 + n) (a unit's second extra sentence adds less doubt than its
  first); line breaks inside a paragraph (a verse, a list line) where one side has one
  and the other not, or inside both sides; whether the cosine of its two sides is below that
  of a typical unrelated pair (UNRELATED_COSINE): the search may pair two leftovers side by
  side when nothing else says text is missing, and its margin then says nothing of their
  meaning (a flag, not the distance below: so few units fall that low, a third of them right,
  that a slope fitted on them would say little; without an encoder every score is 0 and the
  feature a constant); the document's share of units whose path margin is below LOW_MARGIN:
  where many units nearly tie with another way of drawing them (a loose translation that
  regroups its clauses, as literary ones do), a unit is less often right at any one margin of
  its own. The feature carries that level only when the fit holds such a corpus (the `use`
  model's MAC dev set, models/README.md); fitted without one (`none`), its weight is small.
  Last, whether a line of the unit (a paragraph of running text, a verse) also holds a
  sentence left unaligned, on either side: the block is aligned only in part, and the sentence
  left out most often belongs to the unit (a clause the translator made a sentence of its own);
  0 where no line holds two sentences (pre-split input).
- an unaligned sentence: the log of its path margin (its margin is mostly the small gap between
  leaving it out and joining it to a unit: near-ties are what tell; a unit's margin does better
  in the search's cost units, the log of it made Text+Berg .066 where .059, and `none`'s NTREX
  raw .078 where .057).
- the same features without an encoder (`none`): its margins come from Gale–Church costs.

Tried and left out, measured leaving one corpus out (aligner/calibrate.py): the cosine of the
two sides, the margin of that cosine over the sentences just outside the bead, how much the
pooled cosine grows if a side takes a neighbouring sentence or gives one up, the cosine of a
bead joined with its neighbouring unit (a piece of a bigger bead), the shorter side's length,
unaligned neighbours, the neighbouring units' cosines and bead types, the cosine or the path
margin relative to the document's median, the document's share of merged beads, the median
or the lower quartile of its path margins, the share of its units the length-only search
(`none`) draws alike (as good as the low-margin share, at the price of a second search); for unaligned
sentences, their best cosine with the other side nearby, how much closer that sentence is to
its own partner, how much the nearest unit would gain by taking it, sharing a line with a unit;
the bead's posterior under a soft-min version of the search (ranks as the path margin does),
whether the first search pass drew the bead too, a bead end where a sentence starts in lower
case or the one before lacks a full stop, a sentence where the segmenter sees a possible glued
heading; names and numbers (crossing.py) of one side
found just outside the unit on the other side, or shared by its two sides; the document's first
unit; a member sentence of three words or fewer; how far the cosine falls below the document's
median 1-1 cosine less .2–.4; the log or square root of the path margin, margin × bead size.
They rank a corpus's errors (the cosine margin best) but each corpus's errors sit at other
cosines (the Bible's right units at lower ones than Text+Berg's wrong ones): fitted on the
other corpora they made the corpus left out overconfident; the path margin ranks better
(AUROC of the units: NTREX seg .89, Text+Berg .68, Bible .96) and moves less between corpora.

Each bead the search draws carries its margin (Bead.margin; later passes renumber sentences
and keep it); a bead a later pass drew takes the document's median, and a document searched
by a baseline that gives no margins gets no confidence.
The fitted parameters are JSON in models/ (`confidence-*.json`, each naming the encoders it
serves; `make calibrate` refits them); inference is numpy only. An encoder with no fitted model
gets no confidence (None), never a probability fitted for another encoder's costs.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from aligner.align.length import MODELS, LengthModel, document_length_model, load_length_prior, text_length
from aligner.align.search import MARGIN_CAP
from aligner.data import KEPT_OUT, Bead, Document, join_sentences

MAX_LENGTH_Z = 8.0

# Every feature the model may use, per bead kind; a fitted model lists the ones it uses.
ALIGNED_FEATURES = ("path_margin", "length_z", "log_extra", "line_misfit", "inner_lines", "unrelated",
                    "low_margin_share", "line_left_out")
UNALIGNED_FEATURES = ("log_path_margin",)
MARGIN_FLOOR = 0.05  # an unaligned sentence's margin is taken as log(margin + this): a tie is not −∞
# About the median cosine of two unrelated sentences under USE (.06 between chapters of
# different MAC novels, .15 between different NTREX articles): a unit below it is no more alike
# than a random pair, whatever the corpus (its right units reach that low only in the Bible).
UNRELATED_COSINE = 0.1
# A unit whose path margin is below this nearly ties with another drawing (low_margin_share).
LOW_MARGIN = 0.3

# --------------------------------------------------------------------------- features


class _Sides:
    """A document's sentences with text, the beads' sides as such ids, and their lengths."""

    def __init__(self, document: Document, beads: Sequence[Bead]) -> None:
        self.document = document
        self.texts = ([s.text for s in document.src], [s.text for s in document.tgt])
        self.langs = (document.src_lang, document.tgt_lang)
        self.lines = ([(s.paragraph, s.line) for s in document.src], [(s.paragraph, s.line) for s in document.tgt])
        self.has_text = [[bool(t.strip()) for t in side] for side in self.texts]
        # lines say something beyond the sentences only where a line holds more than one
        # (pre-split input has a sentence a line: every sentence break is a line break there)
        self.lined = any(len(set(side)) < len(side) for side in self.lines)
        self.ids = [tuple(tuple(i for i in ids if self.has_text[k][i]) for k, ids in enumerate((b.src, b.tgt)))
                    for b in beads]
        self.lengths = [np.array([text_length(self.joined(k, ids[k])) for ids in self.ids], dtype=np.float64)
                        for k in (0, 1)]

    def joined(self, side: int, ids: Sequence[int]) -> str:
        return join_sentences([self.texts[side][i] for i in ids], self.langs[side])

    def aligned(self, b: int) -> bool:
        return bool(self.ids[b][0]) and bool(self.ids[b][1])

    def empty(self, b: int) -> bool:
        return not self.ids[b][0] and not self.ids[b][1]


def _length_model(sides: _Sides, aligned: list[bool]) -> LengthModel:
    """The document's length model: the pair's prior (length.py), updated with the lengths of
    the document's units (a unit that fits it badly is less likely right)."""
    src_total, tgt_total = float(sides.lengths[0].sum()), float(sides.lengths[1].sum())
    prior = load_length_prior(sides.document.src_lang, sides.document.tgt_lang, src_total, tgt_total)
    units = [b for b, ok in enumerate(aligned) if ok]
    return document_length_model(prior, sides.lengths[0][units], sides.lengths[1][units], (src_total, tgt_total))


@dataclass(frozen=True)
class BeadFeatures:
    """One bead's features by name; kind is "aligned" or "unaligned" (which model applies)."""

    kind: str
    values: dict[str, float]


def bead_features(document: Document, beads: Sequence[Bead]) -> list[BeadFeatures | None]:
    """Per bead, its features (ALIGNED_FEATURES or UNALIGNED_FEATURES); None for a bead with no
    text (blank lines of a pre-split file)."""
    sides = _Sides(document, beads)
    n = len(beads)
    aligned = [sides.aligned(b) for b in range(n)]
    length = _length_model(sides, aligned)
    texted = [b for b in range(n) if not sides.empty(b)]
    path = _path_margins(beads, texted)
    unit_margins = [path[b] for b in texted if aligned[b]]
    low_share = float(np.mean(np.array(unit_margins) < LOW_MARGIN)) if unit_margins else 0.0
    left_out = _lines_left_out(sides, [b for b in texted if not aligned[b]])
    out: list[BeadFeatures | None] = [None] * n
    for b in texted:
        if aligned[b]:
            out[b] = BeadFeatures("aligned", {
                "path_margin": path[b],
                "length_z": min(float(abs(length.delta(sides.lengths[0][b], sides.lengths[1][b]))), MAX_LENGTH_Z),
                "log_extra": math.log1p(len(sides.ids[b][0]) + len(sides.ids[b][1]) - 2),
                "line_misfit": _line_misfit(sides, b), "inner_lines": _inner_lines(sides, b),
                "unrelated": float(beads[b].score < UNRELATED_COSINE),
                "low_margin_share": low_share,
                "line_left_out": _line_left_out(sides, b, left_out)})
        else:
            out[b] = BeadFeatures("unaligned", {"log_path_margin": math.log(path[b] + MARGIN_FLOOR)})
    return out


def _path_margins(beads: Sequence[Bead], texted: Sequence[int]) -> dict[int, float]:
    """Each bead's path margin (how much more the search's best path without it costs); a bead
    the search did not draw (a later pass's, furniture set aside) takes the document's median."""
    kept = {b: beads[b].margin for b in texted}
    known = [v for v in kept.values() if v is not None]
    fallback = float(np.median(known)) if known else MARGIN_CAP
    return {b: fallback if v is None else v for b, v in kept.items()}


def _lines_left_out(sides: _Sides, unaligned: Sequence[int]) -> list[set[tuple[int, int]]]:
    """Per side, the lines holding a sentence of the unaligned beads, furniture and captions
    aside (they are never in a unit); none where no line holds two sentences."""
    if not sides.lined:
        return [set(), set()]
    sentences = (sides.document.src, sides.document.tgt)
    return [{sides.lines[k][i] for b in unaligned for i in sides.ids[b][k] if sentences[k][i].kind not in KEPT_OUT}
            for k in (0, 1)]


def _line_left_out(sides: _Sides, b: int, left_out: list[set[tuple[int, int]]]) -> float:
    """1 where a line of the bead, on either side, holds a sentence left unaligned."""
    return float(any(sides.lines[k][i] in left_out[k] for k in (0, 1) for i in sides.ids[b][k]))


def _line_breaks(sides: _Sides, side: int, ids: Sequence[int]) -> tuple[bool, bool, int]:
    """Whether the side starts and ends at a line break inside a paragraph (the verses of a
    chapter, the lines of a list; not a paragraph break, which translators move freely), and
    how many line or paragraph breaks lie inside it."""
    lines = sides.lines[side]  # (paragraph, line) per sentence

    def line_break(k: int) -> bool:  # between sentences k − 1 and k
        return 0 < k < len(lines) and lines[k][0] == lines[k - 1][0] and lines[k][1] != lines[k - 1][1]

    first, last = ids[0], ids[-1]
    return line_break(first), line_break(last + 1), sum(1 for i in range(first, last) if lines[i] != lines[i + 1])


def _line_misfit(sides: _Sides, b: int) -> float:
    """Ends of the bead where one side is at a line break inside a paragraph and the other not
    (0, 1 or 2). Pre-split input has a sentence per line and no paragraphs: always 0."""
    src, tgt = (_line_breaks(sides, k, sides.ids[b][k]) for k in (0, 1))
    return float((src[0] != tgt[0]) + (src[1] != tgt[1]))


def _inner_lines(sides: _Sides, b: int) -> float:
    """Line breaks inside the bead on the side with fewer: both sides spanning a line break
    (two verses, two paragraphs) seldom make one unit. 0 where no line holds two sentences
    (pre-split input: a 2-2 bead spans line breaks on both sides and is often right)."""
    if not sides.lined:
        return 0.0
    return float(min(_line_breaks(sides, k, sides.ids[b][k])[2] for k in (0, 1)))


# --------------------------------------------------------------------------- the model


def model_files(folder: Path = MODELS) -> list[Path]:
    return sorted(folder.glob("confidence-*.json"))


def load_model(encoder_name: str, folder: Path = MODELS) -> dict | None:
    """The fitted model whose `encoders` list names this encoder, or None (also for a model
    fitted on features this code no longer computes: refit it with `make calibrate`). Read once
    per process and model file version (every document asks; `make calibrate` rewrites them)."""
    return _load_model(encoder_name, tuple((path, path.stat().st_mtime_ns) for path in model_files(folder)))


@lru_cache(maxsize=16)
def _load_model(encoder_name: str, files: tuple[tuple[Path, int], ...]) -> dict | None:
    for path, _ in files:
        model = json.loads(path.read_text(encoding="utf-8"))
        if encoder_name in model.get("encoders", ()):
            return model if fits_this_code(model) else None
    return None


def fits_this_code(model: dict) -> bool:
    """Whether every feature the model uses is one bead_features computes."""
    return (set(model["aligned"]["features"]) <= set(ALIGNED_FEATURES)
            and set(model["unaligned"]["features"]) <= set(UNALIGNED_FEATURES))


def predict(part: dict, rows: Sequence[dict[str, float]]) -> np.ndarray:
    """P(right) of feature rows under one fitted part of a model (`aligned` or `unaligned`):
    a logistic regression over standardised features."""
    if not rows:
        return np.zeros(0)
    x = np.array([[row[name] for name in part["features"]] for row in rows], dtype=np.float64)
    z = (x - np.asarray(part["mean"])) / np.asarray(part["scale"])
    logit = z @ np.asarray(part["coef"], dtype=np.float64) + float(part["intercept"])
    return 1.0 / (1.0 + np.exp(-np.clip(logit, -30.0, 30.0)))


def probabilities(model: dict, features: Sequence[BeadFeatures | None]) -> list[float | None]:
    """P(right) of every bead with features under a fitted model, None for the others."""
    out: list[float | None] = [None] * len(features)
    for kind in ("aligned", "unaligned"):
        index = [k for k, f in enumerate(features) if f is not None and f.kind == kind]
        for k, p in zip(index, predict(model[kind], [features[k].values for k in index])):
            out[k] = float(p)
    return out


def with_confidence(document: Document, beads: list[Bead], encoder_name: str) -> list[Bead]:
    """The beads with their confidence, when a model was fitted for the encoder and the search
    gave its path margins (a baseline standing in for it gives none); else as they are."""
    model = load_model(encoder_name)
    if model is None or not any(b.margin is not None for b in beads):
        return beads
    probs = probabilities(model, bead_features(document, beads))
    return [replace(b, confidence=p) for b, p in zip(beads, probs)]
