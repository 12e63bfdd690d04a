"""Gold data sets on disk: find the documents, align them with the real pipeline, score them.

Two layouts, as in `../shared/data`: pre-split sentence files with Vecalign gold beside them
(`DOC.align` with `DOC.ko`/`DOC.en`, or `dev.defr` with `dev.de`/`dev.fr`), and raw documents
(`DOC/gold.tsv` with `DOC/ko.txt`, `DOC/en.txt` or `DOC/bilingual.txt`) scored by blocks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from aligner.align import DEFAULT_PARAMS, AlignParams, align_document
from aligner.data import Alignment, Bead
from aligner.documents import read_text
from aligner.encoders import Encoder
from aligner.errors import InputError
from aligner.evaluate import Scores, block_beads, parse_beads, read_gold_blocks, score_document
from aligner.pipeline import AlignFunction, Job, align_jobs


@dataclass
class DocumentResult:
    name: str
    scores: Scores
    gold: list[Bead]
    predicted: list[Bead]
    missing: float = 0.0
    alignment: Alignment | None = None


@dataclass
class Report:
    dataset: str
    mode: str
    encoder: str
    documents: list[DocumentResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def scores(self) -> Scores:
        return sum((d.scores for d in self.documents), Scores())

    @property
    def missing(self) -> float:
        return max((d.missing for d in self.documents), default=0.0)

    def lines(self, show_errors: int = 0) -> list[str]:
        s = self.scores
        lines = [
            f"data: {self.dataset}  mode: {self.mode}  encoder: {self.encoder}  documents: {len(self.documents)}",
            f"strict P/R/F1: {s.strict_precision:.4f} {s.strict_recall:.4f} {s.strict_f1:.4f}",
            f"lax    P/R/F1: {s.lax_precision:.4f} {s.lax_recall:.4f} {s.lax_f1:.4f}",
            f"input text missing from the output: {self.missing:.2%}",
            f"seconds: {self.seconds:.1f}",
        ]
        return lines + self.error_lines(show_errors)

    def error_lines(self, documents: int) -> list[str]:
        """The wrong beads of the `documents` worst documents, side by side with the gold."""
        lines = []
        for doc in sorted(self.documents, key=lambda d: d.scores.strict_f1)[:documents]:
            lines.append(f"--- {doc.name}: strict F1 {doc.scores.strict_f1:.4f}")
            lines.extend(wrong_beads(doc))
        return lines


def wrong_beads(doc: DocumentResult) -> list[str]:
    """Gold and predicted beads that disagree, side by side, with text when the alignment has it."""
    gold = {(b.src, b.tgt) for b in doc.gold}
    pred = {(b.src, b.tgt) for b in doc.predicted}
    lines = []
    for b in doc.gold:
        if (b.src, b.tgt) not in pred:
            lines.append(f"  missed gold {list(b.src)}:{list(b.tgt)}")
    for b in doc.predicted:
        if (b.src, b.tgt) not in gold:
            lines.append(f"  wrong pred  {list(b.src)}:{list(b.tgt)}")
    return lines


def evaluate_path(path: Path, encoder: Encoder, *, src_lang: str | None = None, tgt_lang: str | None = None,
                  raw_input: str = "pair", params: AlignParams = DEFAULT_PARAMS,
                  align: AlignFunction = align_document) -> Report:
    if not path.is_dir():
        raise InputError(path, "expected a folder of gold data")
    if any(path.glob("*/gold.tsv")):
        return evaluate_raw(path, encoder, raw_input=raw_input, params=params, align=align)
    return evaluate_presplit(path, encoder, src_lang=src_lang, tgt_lang=tgt_lang, params=params, align=align)


def find_presplit(folder: Path, src_lang: str | None, tgt_lang: str | None) -> list[tuple[str, Path, Path, Path, str, str]]:
    """(name, source file, target file, gold file, src lang, tgt lang) for every gold file found."""
    found = []
    for gold in sorted(folder.iterdir()):
        if not gold.is_file():
            continue
        suffix = gold.suffix[1:]
        if suffix == "align":
            siblings = sorted(p.suffix[1:] for p in folder.glob(gold.stem + ".*") if p.suffix[1:] != "align")
            src, tgt = src_lang or "", tgt_lang or ""
            if not (src and tgt) and len(siblings) == 2:
                src, tgt = ("ko", "en") if set(siblings) == {"ko", "en"} else tuple(siblings)
        elif len(suffix) == 4 and (folder / f"{gold.stem}.{suffix[:2]}").exists() and (folder / f"{gold.stem}.{suffix[2:]}").exists():
            src, tgt = suffix[:2], suffix[2:]
        else:
            continue
        src_file, tgt_file = folder / f"{gold.stem}.{src}", folder / f"{gold.stem}.{tgt}"
        if src_file.exists() and tgt_file.exists():
            found.append((gold.stem, src_file, tgt_file, gold, src, tgt))
    if not found:
        raise InputError(folder, "no gold alignments found (*.align or DOC.xxyy beside DOC.xx and DOC.yy)")
    return found


def evaluate_presplit(folder: Path, encoder: Encoder, *, src_lang: str | None = None, tgt_lang: str | None = None,
                      params: AlignParams = DEFAULT_PARAMS, align: AlignFunction = align_document) -> Report:
    entries = find_presplit(folder, src_lang, tgt_lang)
    report = Report(folder.name, "pre-split", encoder.name)
    jobs = [Job(name, (s, t), sl, tl, presplit=True) for name, s, t, _, sl, tl in entries]
    started = time.perf_counter()
    for (name, _, _, gold_file, _, _), result in zip(entries, align_jobs(jobs, encoder, params, align=align)):
        if isinstance(result, InputError):
            raise result
        try:
            gold = parse_beads(read_text(gold_file))
        except ValueError as err:
            raise InputError(gold_file, str(err)) from None
        report.documents.append(DocumentResult(name, score_document(gold, result.beads), gold, result.beads,
                                               alignment=result))
    report.seconds = time.perf_counter() - started
    return report


def evaluate_raw(folder: Path, encoder: Encoder, *, raw_input: str = "pair",
                 params: AlignParams = DEFAULT_PARAMS, align: AlignFunction = align_document) -> Report:
    docs = sorted(p.parent for p in folder.glob("*/gold.tsv"))
    if raw_input == "bilingual":
        jobs = [Job(d.name, (d / "bilingual.txt",)) for d in docs]
    else:
        jobs = [Job(d.name, (d / "ko.txt", d / "en.txt")) for d in docs]
    report = Report(folder.name, "raw " + ("bilingual file" if raw_input == "bilingual" else "pair"), encoder.name)
    started = time.perf_counter()
    for doc, result in zip(docs, align_jobs(jobs, encoder, params, align=align)):
        if isinstance(result, InputError):
            raise result
        try:
            blocks = read_gold_blocks((doc / "gold.tsv").read_text(encoding="utf-8"))
        except ValueError as err:
            raise InputError(doc / "gold.tsv", str(err)) from None
        gold, predicted, missing = block_beads(blocks, [s.text for s in result.document.src],
                                               [s.text for s in result.document.tgt], result.beads)
        report.documents.append(DocumentResult(doc.name, score_document(gold, predicted), gold, predicted,
                                               missing, alignment=result))
    report.seconds = time.perf_counter() - started
    return report
