"""Alignment quality as the field measures it: strict and lax precision, recall and F1.

The definitions follow Vecalign's `score.py` (also used by Bertalign and SentAlign), so the
numbers are comparable with published ones; see `docs/evaluation.md` of the shared folder.
Two entry points: sentence-level scoring of beads against gold beads (`score_document`,
`score_corpus`), and block-level scoring for end-to-end runs where the program split the
sentences itself and gold is a list of `ko<TAB>en` blocks (`read_gold_blocks`, `block_beads`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from aligner.data import Bead

# One bead per line: `[0, 1]:[2]`, `[]:[3]`, optionally `:score` after it.
_BEAD_LINE = re.compile(r"^\s*\[([^\[\]]*)\]\s*:\s*\[([^\[\]]*)\]\s*(?::\s*(\S+)\s*)?$")
_ID = re.compile(r"^\s*\d+\s*$")

BeadKey = tuple[tuple[int, ...], tuple[int, ...]]


# --------------------------------------------------------------------------- bead files


def _parse_ids(field: str, lineno: int, line: str) -> tuple[int, ...]:
    """Ids of one side; an empty bracket is an empty side, anything but integers is an error."""
    if not field.strip():
        return ()
    parts = field.split(",")
    if not all(_ID.match(p) for p in parts):
        raise ValueError(f"line {lineno}: bad sentence ids in bead {line.strip()!r}")
    return tuple(int(p) for p in parts)


def parse_beads(text: str) -> list[Bead]:
    """Read the Vecalign/Bertalign bead format so gold and predictions from any tool load alike.

    A third `:score` field is kept as the bead's score; blank lines are skipped. A malformed
    line raises ValueError naming its 1-based line number, since silently skipping it would
    change the scores.
    """
    beads: list[Bead] = []
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        match = _BEAD_LINE.match(line)
        if match is None:
            raise ValueError(f"line {lineno}: not a bead of the form [i, j]:[k]: {line.strip()!r}")
        src = _parse_ids(match.group(1), lineno, line)
        tgt = _parse_ids(match.group(2), lineno, line)
        score = 0.0
        if match.group(3) is not None:
            try:
                score = float(match.group(3))
            except ValueError:
                raise ValueError(f"line {lineno}: bad score {match.group(3)!r}") from None
        beads.append(Bead(src, tgt, score))
    return beads


def format_beads(beads: Iterable[Bead], with_scores: bool = False) -> str:
    """Write beads in the format the field's scorers read (`[0, 1]:[2]`, `[]:[3]`)."""
    lines = []
    for bead in beads:
        line = f"[{', '.join(map(str, bead.src))}]:[{', '.join(map(str, bead.tgt))}]"
        if with_scores:
            line += f":{float(bead.score)!r}"
        lines.append(line)
    return "".join(line + "\n" for line in lines)


# --------------------------------------------------------------------------- scores


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Scores:
    """Hit counts, not ratios, so documents combine by summing (micro-average) exactly."""

    strict_p_hits: int = 0  # predicted beads identical to a gold bead
    lax_p_hits: int = 0  # predicted beads identical to or overlapping a gold bead on both sides
    n_pred: int = 0  # predicted beads, every kind (1-0 and 0-1 included)
    strict_r_hits: int = 0  # gold aligned beads with an identical predicted bead
    lax_r_hits: int = 0  # gold aligned beads identical to or overlapping a predicted aligned bead
    n_gold: int = 0  # gold beads with both sides non-empty

    def __add__(self, other: Scores) -> Scores:
        if not isinstance(other, Scores):
            return NotImplemented
        return Scores(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def __radd__(self, other: object) -> Scores:
        # lets the built-in sum() start from 0
        if other == 0:
            return self
        if isinstance(other, Scores):
            return other + self
        return NotImplemented

    @property
    def strict_precision(self) -> float:
        return _ratio(self.strict_p_hits, self.n_pred)

    @property
    def lax_precision(self) -> float:
        return _ratio(self.lax_p_hits, self.n_pred)

    @property
    def strict_recall(self) -> float:
        return _ratio(self.strict_r_hits, self.n_gold)

    @property
    def lax_recall(self) -> float:
        return _ratio(self.lax_r_hits, self.n_gold)

    @property
    def strict_f1(self) -> float:
        return _f1(self.strict_precision, self.strict_recall)

    @property
    def lax_f1(self) -> float:
        return _f1(self.lax_precision, self.lax_recall)

    def as_dict(self) -> dict[str, float]:
        """The six reported numbers, for a report or JSON output."""
        return {
            "strict_precision": self.strict_precision,
            "strict_recall": self.strict_recall,
            "strict_f1": self.strict_f1,
            "lax_precision": self.lax_precision,
            "lax_recall": self.lax_recall,
            "lax_f1": self.lax_f1,
        }


# --------------------------------------------------------------------------- scoring


def _key(bead: Bead) -> BeadKey:
    """What identifies a bead for scoring: its ids as sets (order-free), never its score."""
    return tuple(sorted(set(bead.src))), tuple(sorted(set(bead.tgt)))


def _keys(beads: Iterable[Bead]) -> set[BeadKey]:
    """Distinct beads not empty on both sides; a set, as in Vecalign, so duplicates count once."""
    return {k for k in map(_key, beads) if k[0] or k[1]}


def _hits(reference: set[BeadKey], candidates: set[BeadKey]) -> tuple[int, int]:
    """Strict and lax hits of candidates against reference beads.

    Strict: the identical bead is in reference. Lax: identical, or some single reference bead
    shares at least one source id and one target id. Reference beads are indexed by source id,
    so the cost is linear in the number of ids rather than quadratic in the number of beads.
    """
    tgt_sets = [frozenset(tgt) for _, tgt in reference]
    by_src: dict[int, list[int]] = {}
    for index, (src, _) in enumerate(reference):
        for sid in src:
            by_src.setdefault(sid, []).append(index)

    def overlaps(src: tuple[int, ...], tgt: tuple[int, ...]) -> bool:
        candidates = {index for sid in src for index in by_src.get(sid, ())}
        return any(not tgt_sets[index].isdisjoint(tgt) for index in candidates)

    strict = lax = 0
    for key in candidates:
        if key in reference:
            strict += 1
            lax += 1
        elif overlaps(*key):  # a bead with an empty side overlaps nothing: identity or miss
            lax += 1
    return strict, lax


def score_document(gold: Sequence[Bead], pred: Sequence[Bead]) -> Scores:
    """Strict/lax hit counts of one document, per the field's definitions (docs/evaluation.md).

    Precision is over every predicted bead, insertions and deletions included; recall is over
    gold beads with both sides non-empty, matched against predicted beads with both sides
    non-empty. Beads empty on both sides are dropped first.
    """
    gold_all = _keys(gold)
    pred_all = _keys(pred)
    p_strict, p_lax = _hits(gold_all, pred_all)
    gold_aligned = {k for k in gold_all if k[0] and k[1]}
    pred_aligned = {k for k in pred_all if k[0] and k[1]}
    r_strict, r_lax = _hits(pred_aligned, gold_aligned)
    return Scores(p_strict, p_lax, len(pred_all), r_strict, r_lax, len(gold_aligned))


def score_corpus(pairs: Iterable[tuple[Sequence[Bead], Sequence[Bead]]]) -> Scores:
    """Micro-average over documents: counts are summed, ratios taken once at the end."""
    total = Scores()
    for gold, pred in pairs:
        total = total + score_document(gold, pred)
    return total


# --------------------------------------------------------------------------- block level


def read_gold_blocks(text: str) -> list[tuple[str, str]]:
    """Read gold.tsv (`source<TAB>target`, e.g. `ko<TAB>en`; an empty cell for a side with no
    counterpart).

    Blank lines and rows empty on both sides are skipped; a row without exactly one tab raises
    ValueError naming the line, since guessing where the columns split would corrupt the gold.
    """
    blocks: list[tuple[str, str]] = []
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != 2:
            raise ValueError(f"line {lineno}: expected 'ko<TAB>en', found {len(cells) - 1} tabs")
        ko, en = cells[0].strip(), cells[1].strip()
        if ko or en:
            blocks.append((ko, en))
    return blocks


def squeeze(text: str) -> str:
    """Text as compared across splits: NFC, without whitespace or invisible format characters.

    The program's reader normalises to NFC and drops zero-width characters and soft hyphens,
    so gold and predicted text are put through the same to match character for character.
    """
    text = unicodedata.normalize("NFC", text)
    return "".join(
        ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf")
    )


@dataclass(frozen=True)
class _Side:
    """One side's gold blocks as one squeezed string, with where each block starts."""

    text: str
    starts: list[int]

    @classmethod
    def of(cls, cells: Iterable[str]) -> _Side:
        starts, parts, pos = [], [], 0
        for cell in cells:
            squeezed = squeeze(cell)
            starts.append(pos)
            parts.append(squeezed)
            pos += len(squeezed)
        return cls("".join(parts), starts)

    def blocks(self, begin: int, end: int) -> tuple[int, ...]:
        """Blocks overlapping the character span [begin, end), end > begin."""
        first = bisect.bisect_right(self.starts, begin) - 1
        last = bisect.bisect_right(self.starts, end - 1) - 1
        # a block squeezed to nothing starts where the next one does and holds no character
        return tuple(b for b in range(first, last + 1) if self._length(b) > 0)

    def _length(self, block: int) -> int:
        nxt = self.starts[block + 1] if block + 1 < len(self.starts) else len(self.text)
        return nxt - self.starts[block]


def _locate(side: _Side, sentences: Sequence[str]) -> list[tuple[int, int] | None]:
    """Where each sentence lies in the side's text, found in document order with a cursor.

    The cursor keeps repeated sentences ("Yes.") on their own occurrence. A sentence not at the
    cursor is searched forward; one not found at all (text the program altered) gets None.
    """
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for sentence in sentences:
        needle = squeeze(sentence)
        pos = side.text.find(needle, cursor) if needle else -1
        if pos < 0:
            spans.append(None)
            continue
        spans.append((pos, pos + len(needle)))
        cursor = pos + len(needle)
    return spans


def _merge(beads: Iterable[tuple[set[int], set[int]]]) -> tuple[list[Bead], list[int | None]]:
    """Merge consecutive beads sharing a block on either side, growing the merged bead as it goes.

    A bead mapped to no block at all (its text was not found) is skipped so it neither scores
    nor splits a block in two. Returns the merged beads and, per input bead, the index of the
    merged bead it went into (None for a skipped one).
    """
    merged: list[tuple[set[int], set[int]]] = []
    groups: list[int | None] = []
    for src, tgt in beads:
        if not src and not tgt:
            groups.append(None)
            continue
        if merged and (merged[-1][0] & src or merged[-1][1] & tgt):
            merged[-1][0].update(src)
            merged[-1][1].update(tgt)
        else:
            merged.append((set(src), set(tgt)))
        groups.append(len(merged) - 1)
    return [Bead(tuple(sorted(s)), tuple(sorted(t))) for s, t in merged], groups


def block_beads(
    blocks: Sequence[tuple[str, str]],
    src_sentences: Sequence[str],
    tgt_sentences: Sequence[str],
    pred: Sequence[Bead],
) -> tuple[list[Bead], list[Bead], float]:
    """Turn an end-to-end prediction and gold blocks into beads over block ids, to score alike.

    Source block ids number the non-empty ko cells in order, target ids the non-empty en cells;
    every row is one gold bead. Each predicted sentence belongs to the blocks its text lies in
    (whitespace ignored; a sentence straddling blocks belongs to all of them), each predicted
    bead becomes a bead over blocks, and consecutive ones sharing a block are merged. Returns
    (gold beads, merged predicted beads, fraction of gold characters, both sides, that no
    sentence of `pred` carries).
    """
    gold, mapped, missing = _block_mapping(blocks, src_sentences, tgt_sentences, pred)
    return gold, _merge(mapped)[0], missing


def block_groups(
    blocks: Sequence[tuple[str, str]],
    src_sentences: Sequence[str],
    tgt_sentences: Sequence[str],
    pred: Sequence[Bead],
) -> tuple[list[Bead], list[Bead], list[int | None]]:
    """As block_beads, with which merged predicted bead each predicted bead went into (None
    for a bead whose text lies in no block): (gold beads, merged beads, group per bead)."""
    gold, mapped, _ = _block_mapping(blocks, src_sentences, tgt_sentences, pred)
    merged, groups = _merge(mapped)
    return gold, merged, groups


def _block_mapping(
    blocks: Sequence[tuple[str, str]],
    src_sentences: Sequence[str],
    tgt_sentences: Sequence[str],
    pred: Sequence[Bead],
) -> tuple[list[Bead], list[tuple[set[int], set[int]]], float]:
    """Gold beads over block ids, each predicted bead's blocks per side, and the text missing."""
    gold: list[Bead] = []
    n_src = n_tgt = 0
    for ko, en in blocks:
        src: tuple[int, ...] = ()
        tgt: tuple[int, ...] = ()
        if ko.strip():
            src, n_src = (n_src,), n_src + 1
        if en.strip():
            tgt, n_tgt = (n_tgt,), n_tgt + 1
        if src or tgt:
            gold.append(Bead(src, tgt))

    sides = (
        _Side.of(ko for ko, _ in blocks if ko.strip()),
        _Side.of(en for _, en in blocks if en.strip()),
    )
    spans = (_locate(sides[0], src_sentences), _locate(sides[1], tgt_sentences))
    carried: tuple[dict[int, int], dict[int, int]] = ({}, {})  # sentence id -> characters
    mapped: list[tuple[set[int], set[int]]] = []
    for bead in pred:
        bead_blocks: tuple[set[int], set[int]] = (set(), set())
        for side, ids in enumerate((bead.src, bead.tgt)):
            for sid in ids:
                if not 0 <= sid < len(spans[side]):
                    which = "source" if side == 0 else "target"
                    where = f"bead {list(bead.src)}:{list(bead.tgt)}"
                    raise ValueError(f"{where}: no {which} sentence {sid}")
                span = spans[side][sid]
                if span is not None:
                    carried[side][sid] = span[1] - span[0]
                    bead_blocks[side].update(sides[side].blocks(*span))
        mapped.append(bead_blocks)

    # spans found with a forward-moving cursor never overlap, so their lengths add up
    total = len(sides[0].text) + len(sides[1].text)
    found = sum(carried[0].values()) + sum(carried[1].values())
    missing = (total - found) / total if total else 0.0
    return gold, mapped, missing
