"""Synthetic documents for checking a rule on text it was not chosen on.

A rule about text with no counterpart is easily fit to the few such cases a development set
has. These documents make others from any pre-split gold set: each document is cut into
paragraphs of 2–4 gold beads (the same breaks on both sides), and in about a third of the
paragraphs one of these is done:

- `start`: the target of the paragraph's first 1–3 units is removed (a passage the translation
  left out; their source sentences are unaligned in the new gold);
- `middle`: the same, from the paragraph's second unit on;
- `resplit`: nothing is removed, but the target side starts a paragraph at a later unit as well;
- `insert`: a source sentence of another document is put before one of the paragraph's units
  (a caption, a quote from elsewhere; it is unaligned in the new gold).

    python -m aligner.synthetic ../shared/data/ntrex-ko-en-dev/seg --kind start --seeds 5
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from aligner.data import Bead, Document, Sentence
from aligner.errors import InputError

KINDS = ("start", "middle", "resplit", "insert")
PARAGRAPH_UNITS = (2, 4)  # gold beads per paragraph, fewest and most
CHANGED_SHARE = 0.35  # of the paragraphs with two units or more
MOST_REMOVED = 3  # units whose target a passage left out may hold


@dataclass(frozen=True)
class SyntheticDocument:
    document: Document
    gold: list[Bead]


def rebuild(name: str, src: Sequence[str], tgt: Sequence[str], gold: Sequence[Bead], kind: str, src_lang: str,
            tgt_lang: str, rng: random.Random, foreign: Sequence[str] = ()) -> SyntheticDocument:
    """One gold document cut into paragraphs and changed as `kind` says (module docstring);
    `foreign`: the sentences an `insert` takes from (another document's source side)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    src_out: list[Sentence] = []
    tgt_out: list[Sentence] = []
    beads: list[Bead] = []
    paragraph = 0
    start = 0
    while start < len(gold):
        group = list(gold[start:start + rng.randint(*PARAGRAPH_UNITS)])
        start += len(group)
        units = [k for k, bead in enumerate(group) if bead.src and bead.tgt]
        changed = len(units) >= 2 and rng.random() < CHANGED_SHARE
        removed: set[int] = set()
        split_at = inserted_at = None
        if changed and kind == "resplit":
            split_at = rng.randint(1, len(group) - 1)
        elif changed and kind == "insert":
            inserted_at = rng.randrange(len(group)) if foreign else None
        elif changed:
            count = rng.randint(1, min(MOST_REMOVED, len(units) - 1))
            first = 0 if kind == "start" else 1
            removed = {k for k in range(first, first + count) if k in units}
        for k, bead in enumerate(group):
            if k == inserted_at:
                beads.append(Bead((_add(src_out, rng.choice(foreign), paragraph),), ()))
            src_ids = tuple(_add(src_out, src[i], paragraph) for i in bead.src)
            tgt_paragraph = paragraph + 1 if split_at is not None and k >= split_at else paragraph
            if k in removed:
                beads += [Bead((i,), ()) for i in src_ids]
                continue
            tgt_ids = tuple(_add(tgt_out, tgt[j], tgt_paragraph) for j in bead.tgt)
            beads.append(Bead(src_ids, tgt_ids))
        paragraph += 2  # room for a split's extra target paragraph
    return SyntheticDocument(Document(name, src_lang, tgt_lang, src_out, tgt_out), beads)


def _add(into: list[Sentence], text: str, paragraph: int) -> int:
    into.append(Sentence(text, paragraph, len(into)))
    return len(into) - 1


def synthetic_set(folder: Path, kind: str, seed: int, src_lang: str | None = None,
                  tgt_lang: str | None = None) -> list[SyntheticDocument]:
    """Every document of a pre-split gold folder, rebuilt (one random generator per call)."""
    from aligner.documents import read_text
    from aligner.evaluate import parse_beads
    from aligner.gold import find_presplit

    rng = random.Random(seed)
    found = find_presplit(folder, src_lang, tgt_lang)
    sources = [read_text(src_file).splitlines() for _, src_file, _, _, _, _ in found]
    out = []
    for k, (name, _, tgt_file, gold_file, sl, tl) in enumerate(found):
        try:
            gold = parse_beads(read_text(gold_file))
        except ValueError as err:
            raise InputError(gold_file, str(err)) from None
        # an insert comes from the previous document (or, with one document, from its far half)
        foreign = sources[k - 1] if len(found) > 1 else sources[k][len(sources[k]) // 2:]
        out.append(rebuild(name, sources[k], read_text(tgt_file).splitlines(), gold, kind, sl, tl, rng, foreign))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    from aligner.align import align
    from aligner.encoders import load_encoder
    from aligner.evaluate import score_corpus

    parser = argparse.ArgumentParser(prog="python -m aligner.synthetic", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a pre-split gold folder (DOC.xx, DOC.yy, DOC.align)")
    parser.add_argument("--kind", choices=KINDS, default="start")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--encoder", default="use")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"{args.folder}: no such folder")
    try:
        built = [synthetic_set(args.folder, args.kind, seed) for seed in range(args.seeds)]
    except InputError as err:
        parser.error(str(err))
    encoder = load_encoder(args.encoder)
    scores = []
    for seed, documents in enumerate(built):
        pairs = [(s.gold, align(s.document, encoder).beads) for s in documents]
        scores.append(score_corpus(pairs).strict_f1)
        print(f"seed {seed}: strict F1 {scores[-1]:.4f}", flush=True)
    print(f"{args.kind}, {args.seeds} seeds, encoder {encoder.name}: mean strict F1 {statistics.mean(scores):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
