"""How sure the aligner is of each bead: P(the bead is exactly right), calibrated on gold.

"Right" is strict: an aligned bead has the same source and target sentences as a gold bead;
an unaligned sentence is one the gold leaves unaligned too. On raw documents, scored by gold
blocks, the label is taken at the level the scoring sees (aligner/calibrate.py): the beads
merged into a gold block's place must equal that block, with no sentence of an aligned block
left unaligned.

A cosine is not a probability: it depends on the encoder, the languages, the bead type and the
sentence lengths. A logistic regression per bead kind turns cheap features into a probability:

- a unit (aligned bead): the cosine of its two sides; its margin over
  the neighbouring candidates (the best cosine of either side with the other side's sentences
  just outside the bead, as Bertalign's and LASER's margins look at neighbours); how much the
  cosine (of pooled sentence vectors) would grow if a side took one more neighbouring sentence
  or gave one up; how many standard deviations the lengths are off the document's length model
  (length.py); the sentences beyond a 1-1; the shorter side's length; unaligned sentences next
  to it; line breaks inside a paragraph (a verse, a list line) where one side has one and the
  other not, or inside both sides. Tried and left out: the neighbouring units' cosines and
  the cosine relative to the document's median unit (pooled over the dev sets their weights
  came out negative or they made a corpus left out worse: a proxy for the corpus).
- an unaligned sentence: its best cosine with the other side's sentences of the beads around
  it; how much closer that sentence is to its own partner (`taken`: a caption or a repeated
  title matches a sentence that already has one); how much the nearest unit would gain by
  taking it; whether it shares its line with a unit; an unaligned neighbour on the other side;
  its length.
- without an encoder (`none`) only what lengths, lines and bead types tell.

The features come from the vectors the search computed (VectorMemo, set up by align());
only a merged bead's joined text the search never embedded is encoded here. The fitted
parameters are JSON in models/ (`confidence-*.json`, each naming the encoders it serves;
`make calibrate` refits them); inference is numpy only. An encoder with no fitted model gets
no confidence (None), never a probability fitted for another encoder's cosines.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

import numpy as np

from aligner.align.length import MODELS, LengthModel, document_length_model, load_length_prior, text_length
from aligner.data import Bead, Document, join_sentences
from aligner.encoders.base import Encoder

NEIGHBOUR_SENTENCES = 2  # other-side sentences just outside an aligned bead, each way
NEIGHBOUR_BEADS = 3  # beads each way whose other side an unaligned sentence is compared with
MAX_LENGTH_Z = 8.0

# Every feature the model may use, per bead kind; a fitted model lists the ones it uses.
ALIGNED_FEATURES = ("cos", "margin", "grow_gain", "shrink_gain", "length_z", "extra", "log_chars",
                    "beside_unaligned", "line_misfit", "inner_lines")
UNALIGNED_FEATURES = ("best_cos", "taken", "join_gain", "log_chars", "beside_opposite", "shares_line")


class VectorMemo:
    """The encoder, keeping every vector it returns by text: the confidence pass reads the
    vectors the search computed instead of encoding the document a second time (the ONNX
    encoder's vectors are not cached on disk)."""

    def __init__(self, encoder: Encoder) -> None:
        self.inner = encoder
        self.name = encoder.name
        self.batch_invariant = getattr(encoder, "batch_invariant", True)
        self._seen: dict[str, np.ndarray] = {}

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.inner.encode(texts)
        for text, vector in zip(texts, vectors):
            self._seen[text] = vector
        return vectors

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of these texts, encoding (in one call) only those never seen."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._seen]
        if missing:
            self.encode(missing)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._seen[t] for t in texts])


# --------------------------------------------------------------------------- features


class _Sides:
    """A document's sentences with text, the beads' sides as such ids, and their vectors."""

    def __init__(self, document: Document, beads: Sequence[Bead], vectors: VectorMemo) -> None:
        self.document = document
        self.texts = ([s.text for s in document.src], [s.text for s in document.tgt])
        self.langs = (document.src_lang, document.tgt_lang)
        self.lines = ([(s.paragraph, s.line) for s in document.src], [(s.paragraph, s.line) for s in document.tgt])
        self.has_text = [[bool(t.strip()) for t in side] for side in self.texts]
        self.ids = [tuple(tuple(i for i in ids if self.has_text[k][i]) for k, ids in enumerate((b.src, b.tgt)))
                    for b in beads]
        self.semantic = vectors.dimension > 0
        joined = [[self.joined(k, ids[k]) for ids in self.ids] for k in (0, 1)]
        self.lengths = [np.array([text_length(t) for t in joined[k]], dtype=np.float64) for k in (0, 1)]
        if self.semantic:
            # sentence vectors (as the search embedded them), then the joined text of each bead side
            singles = [[t for t, ok in zip(self.texts[k], self.has_text[k]) if ok] for k in (0, 1)]
            wanted = singles[0] + singles[1] + [t for k in (0, 1) for t in joined[k] if t]
            table = dict(zip(wanted, vectors.vectors(wanted)))
            dim = vectors.dimension
            zero = np.zeros(dim, dtype=np.float32)
            self.sentence = [np.stack([table[t] if ok else zero for t, ok in zip(self.texts[k], self.has_text[k])])
                             if self.texts[k] else np.zeros((0, dim), dtype=np.float32) for k in (0, 1)]
            self.side = [np.stack([table[t] if t else zero for t in joined[k]]) if joined[k]
                         else np.zeros((0, dim), dtype=np.float32) for k in (0, 1)]

    def joined(self, side: int, ids: Sequence[int]) -> str:
        return join_sentences([self.texts[side][i] for i in ids], self.langs[side])

    def aligned(self, b: int) -> bool:
        return bool(self.ids[b][0]) and bool(self.ids[b][1])

    def empty(self, b: int) -> bool:
        return not self.ids[b][0] and not self.ids[b][1]

    def cos(self, b: int) -> float:
        return float(np.clip(self.side[0][b] @ self.side[1][b], -1.0, 1.0))


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


def bead_features(document: Document, beads: Sequence[Bead], vectors: VectorMemo
                  ) -> list[BeadFeatures | None]:
    """Per bead, its features (ALIGNED_FEATURES or UNALIGNED_FEATURES, the semantic ones only
    with an encoder); None for a bead with no text (blank lines of a pre-split file)."""
    sides = _Sides(document, beads, vectors)
    n = len(beads)
    aligned = [sides.aligned(b) for b in range(n)]
    cosines = {b: sides.cos(b) for b in range(n) if aligned[b]} if sides.semantic else {}
    length = _length_model(sides, aligned)
    length_z = {b: min(float(abs(length.delta(sides.lengths[0][b], sides.lengths[1][b]))), MAX_LENGTH_Z)
                for b in range(n) if aligned[b]}
    texted = [b for b in range(n) if not sides.empty(b)]
    position = {b: k for k, b in enumerate(texted)}

    def neighbour(b: int, step: int) -> int | None:
        k = position[b] + step
        return texted[k] if 0 <= k < len(texted) else None

    def nearest_unit(b: int, step: int) -> int | None:
        """The nearest aligned bead before (step −1) or after (step 1) bead b."""
        k = position[b] + step
        while 0 <= k < len(texted) and not aligned[texted[k]]:
            k += step
        return texted[k] if 0 <= k < len(texted) else None

    def beside_unaligned(b: int) -> float:
        return float(sum(1 for step in (-1, 1) if (o := neighbour(b, step)) is not None and not aligned[o]))

    out: list[BeadFeatures | None] = [None] * n
    for b in texted:
        if aligned[b]:
            f = {"length_z": length_z[b], "extra": float(len(sides.ids[b][0]) + len(sides.ids[b][1]) - 2),
                 "line_misfit": _line_misfit(sides, b), "inner_lines": _inner_lines(sides, b),
                 "log_chars": math.log1p(min(sides.lengths[0][b], sides.lengths[1][b])),
                 "beside_unaligned": beside_unaligned(b)}
            if sides.semantic:
                f["cos"] = cosines[b]
                f["margin"] = cosines[b] - _best_neighbour(sides, b)
                f["grow_gain"], f["shrink_gain"] = _gains(sides, b)
            out[b] = BeadFeatures("aligned", f)
        else:
            side = 0 if sides.ids[b][0] else 1
            f = {"log_chars": math.log1p(sides.lengths[side][b]), "shares_line": _shares_line(sides, b, side, aligned),
                 "beside_opposite": float(any((o := neighbour(b, step)) is not None and not aligned[o]
                                              and not sides.ids[o][side] for step in (-1, 1)))}
            if sides.semantic:
                f["best_cos"], f["taken"] = _best_other_side(sides, b, side, texted, position, cosines)
                units = [o for o in (nearest_unit(b, -1), nearest_unit(b, 1)) if o is not None]
                f["join_gain"] = max((_join_gain(sides, b, side, o) for o in units), default=0.0)
            out[b] = BeadFeatures("unaligned", f)
    return out


def _best_neighbour(sides: _Sides, b: int) -> float:
    """The best cosine of either side of bead b with the other side's sentences just outside it."""
    best = 0.0
    for side in (0, 1):
        other = 1 - side
        ids = sides.ids[b][other]
        count = len(sides.texts[other])
        outside = [j for j in _texted_run(sides, other, ids[0], -1) + _texted_run(sides, other, ids[-1], 1)
                   if 0 <= j < count]
        if outside:
            best = max(best, float((sides.sentence[other][outside] @ sides.side[side][b]).max()))
    return best


def _cosine(u: np.ndarray, v: np.ndarray) -> float:
    """The cosine of two sums of sentence vectors (a pooled vector is their normalised sum)."""
    return float(u @ v) / max(math.sqrt(float(u @ u) * float(v @ v)), 1e-12)


def _gains(sides: _Sides, b: int) -> tuple[float, float]:
    """How much the bead's cosine (of pooled sentence vectors) would grow if one side took one
    more neighbouring sentence, and if one side gave up its first or last sentence: a bead
    the search would rather have drawn otherwise is less likely right. Negative: no change helps."""
    sums = [sides.sentence[k][list(sides.ids[b][k])].sum(axis=0) for k in (0, 1)]
    base = _cosine(sums[0], sums[1])
    grow, shrink = [], []
    for side, ids in enumerate(sides.ids[b]):
        vectors, other = sides.sentence[side], sums[1 - side]
        for extra in _texted_run(sides, side, ids[0], -1)[:1] + _texted_run(sides, side, ids[-1], 1)[:1]:
            grow.append(_cosine(sums[side] + vectors[extra], other))
        if len(ids) > 1:
            shrink += [_cosine(sums[side] - vectors[ids[0]], other), _cosine(sums[side] - vectors[ids[-1]], other)]
    return (max(grow) - base if grow else -1.0), (max(shrink) - base if shrink else -1.0)


def _join_gain(sides: _Sides, b: int, side: int, other: int) -> float:
    """How much a neighbouring unit's cosine (pooled) would grow if it took this unaligned
    sentence: a missed piece of a unit makes it closer to its translation, a caption or a
    line with no counterpart makes it further."""
    sums = [sides.sentence[k][list(sides.ids[other][k])].sum(axis=0) for k in (0, 1)]
    grown = sums[side] + sides.sentence[side][list(sides.ids[b][side])].sum(axis=0)
    return _cosine(grown, sums[1 - side]) - _cosine(sums[0], sums[1])


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
    (two verses, two paragraphs) seldom make one unit."""
    return float(min(_line_breaks(sides, k, sides.ids[b][k])[2] for k in (0, 1)))


def _shares_line(sides: _Sides, b: int, side: int, aligned: Sequence[bool]) -> float:
    """1 if an unaligned sentence shares its line with a sentence of a unit: a piece of a line
    whose rest is aligned is more likely a missed part of that unit than text with no
    counterpart (a verse cut in two, not a footer line of two sentences)."""
    lines = sides.lines[side]
    mine = {lines[i] for i in sides.ids[b][side]}
    return float(any(aligned[o] and any(lines[i] in mine for i in sides.ids[o][side])
                     for o in range(max(0, b - NEIGHBOUR_BEADS), min(len(sides.ids), b + NEIGHBOUR_BEADS + 1))))


def _texted_run(sides: _Sides, side: int, start: int, step: int) -> list[int]:
    """Up to NEIGHBOUR_SENTENCES sentences with text from `start` (exclusive) going `step`."""
    found, i = [], start + step
    while 0 <= i < len(sides.texts[side]) and len(found) < NEIGHBOUR_SENTENCES:
        if sides.has_text[side][i]:
            found.append(i)
        i += step
    return found


def _best_other_side(sides: _Sides, b: int, side: int, texted: list[int], position: dict[int, int],
                     cosines: dict[int, float]) -> tuple[float, float]:
    """The best cosine of an unaligned bead's sentences with the other side's sentences of the
    NEIGHBOUR_BEADS beads before and after it (0 when they have none), and by how much the
    bead that holds that sentence is closer to it (`taken`: a caption or a repeated title
    matches a sentence that already has a better partner; 0 if it is unaligned too)."""
    k = position[b]
    near = texted[max(0, k - NEIGHBOUR_BEADS):k + NEIGHBOUR_BEADS + 1]
    other = 1 - side
    owners = [(o, j) for o in near for j in sides.ids[o][other]]
    if not owners:
        return 0.0, 0.0
    sims = sides.sentence[other][[j for _, j in owners]] @ sides.side[side][b]
    best = int(np.argmax(sims))
    return float(sims[best]), cosines.get(owners[best][0], float(sims[best])) - float(sims[best])


# --------------------------------------------------------------------------- the model


def model_files(folder: Path = MODELS) -> list[Path]:
    return sorted(folder.glob("confidence-*.json"))


def load_model(encoder_name: str, folder: Path = MODELS) -> dict | None:
    """The fitted model whose `encoders` list names this encoder, or None (also for a model
    fitted on features this code no longer computes: refit it with `make calibrate`)."""
    for path in model_files(folder):
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


def with_confidence(document: Document, beads: list[Bead], vectors: VectorMemo,
                    folder: Path = MODELS) -> list[Bead]:
    """The beads with their confidence, when a model was fitted for the encoder (else as they are)."""
    model = load_model(vectors.name, folder)
    if model is None or not beads:
        return beads
    probs = probabilities(model, bead_features(document, beads, vectors))
    return [replace(b, confidence=p) for b, p in zip(beads, probs)]
