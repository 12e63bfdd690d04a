"""Gold data sets on disk: find the documents, align them with the real pipeline, score them.

Two layouts, as in `../shared/data`: pre-split sentence files with Vecalign gold beside them
(`DOC.align` with `DOC.ko`/`DOC.en`, or `dev.defr` with `dev.de`/`dev.fr`), and raw documents
(`DOC/gold.tsv` with `DOC/ko.txt` and `DOC/en.txt`, any other two LANG.txt, or
`DOC/bilingual.txt`) scored by blocks. Raw
documents that hold one gold block a line (the Bible's verses) can also be read as pre-split
sentence files, line i of each side a sentence, with the blocks as sentence-level gold.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from aligner.align import DEFAULT_PARAMS, AlignParams, SearchFunction
from aligner.data import Alignment, Bead
from aligner.documents import read_text
from aligner.encoders import Encoder
from aligner.errors import InputError
from aligner.evaluate import Scores, block_beads, parse_beads, read_gold_blocks, score_document, squeeze
from aligner.pipeline import Job, align_jobs


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
                  search: SearchFunction | None = None) -> Report:
    if not path.is_dir():
        raise InputError(path, "expected a folder of gold data")
    if any(path.glob("*/gold.tsv")):
        if raw_input == "lines":
            return evaluate_lines(path, encoder, src_lang=src_lang, tgt_lang=tgt_lang, params=params, search=search)
        return evaluate_raw(path, encoder, raw_input=raw_input, src_lang=src_lang, tgt_lang=tgt_lang, params=params,
                            search=search)
    return evaluate_presplit(path, encoder, src_lang=src_lang, tgt_lang=tgt_lang, params=params, search=search)


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
                src, tgt = _source_and_target(siblings)
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


def _source_and_target(langs: list[str]) -> tuple[str, str]:
    """Two languages found by file name, English the target when it is one side (ko-en here,
    zh-en in MAC, as the .align gold of Vecalign and Bertalign numbers them)."""
    src, tgt = sorted(langs, key=lambda lang: lang == "en")
    return src, tgt


_LANGUAGE_FILE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?")  # zh.txt, pt-BR.txt; not notes.txt


def raw_languages(doc: Path, src_lang: str | None = None, tgt_lang: str | None = None) -> tuple[str, str]:
    """A raw document's languages: as given; a side not given is the other of its two LANG.txt
    files (English the target when neither is given); ko-en when it has no such pair."""
    found = sorted(p.stem for p in doc.glob("*.txt") if _LANGUAGE_FILE.fullmatch(p.stem))
    if len(found) != 2:
        return src_lang or "ko", tgt_lang or "en"
    src, tgt = _source_and_target(found)
    if src_lang and not tgt_lang:
        tgt = next(lang for lang in found if lang != src_lang) if src_lang in found else tgt
    if tgt_lang and not src_lang:
        src = next(lang for lang in found if lang != tgt_lang) if tgt_lang in found else src
    return src_lang or src, tgt_lang or tgt


def _raw_job(doc: Path, src_lang: str | None, tgt_lang: str | None, presplit: bool = False) -> Job:
    src, tgt = raw_languages(doc, src_lang, tgt_lang)
    return Job(doc.name, (doc / f"{src}.txt", doc / f"{tgt}.txt"), src, tgt, presplit=presplit)


def evaluate_presplit(folder: Path, encoder: Encoder, *, src_lang: str | None = None, tgt_lang: str | None = None,
                      params: AlignParams = DEFAULT_PARAMS, search: SearchFunction | None = None) -> Report:
    entries = find_presplit(folder, src_lang, tgt_lang)
    report = Report(folder.name, "pre-split", encoder.name)
    jobs = [Job(name, (s, t), sl, tl, presplit=True) for name, s, t, _, sl, tl in entries]
    started = time.perf_counter()
    for (name, _, _, gold_file, _, _), result in zip(entries, align_jobs(jobs, encoder, params, search=search)):
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


def evaluate_raw(folder: Path, encoder: Encoder, *, raw_input: str = "pair", src_lang: str | None = None,
                 tgt_lang: str | None = None, params: AlignParams = DEFAULT_PARAMS,
                 search: SearchFunction | None = None) -> Report:
    docs = sorted(p.parent for p in folder.glob("*/gold.tsv"))
    if raw_input == "bilingual":
        jobs = [Job(d.name, (d / "bilingual.txt",), *raw_languages(d, src_lang, tgt_lang)) for d in docs]
    else:
        jobs = [_raw_job(d, src_lang, tgt_lang) for d in docs]
    report = Report(folder.name, "raw " + ("bilingual file" if raw_input == "bilingual" else "pair"), encoder.name)
    started = time.perf_counter()
    for doc, result in zip(docs, align_jobs(jobs, encoder, params, search=search)):
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


def line_gold(blocks: list[tuple[str, str]], src_lines: list[str], tgt_lines: list[str]) -> list[Bead]:
    """Gold beads over line numbers when each side's file holds one gold block a line.

    Row r of gold.tsv pairs the r-th non-blank line of each side; an empty cell (an omitted
    verse) makes a 1-0 or 0-1 bead. Blank lines take a number and no bead. Raises ValueError
    naming the first line that is not its block's text, since the gold would then be wrong.
    """
    sides: list[list[int]] = []
    for column, lines in ((0, src_lines), (1, tgt_lines)):
        numbers = [n for n, line in enumerate(lines) if line.strip()]
        cells = [block[column] for block in blocks if block[column].strip()]
        if len(numbers) != len(cells):
            which = "source" if column == 0 else "target"
            raise ValueError(f"{len(numbers)} {which} lines for {len(cells)} gold blocks")
        for n, cell in zip(numbers, cells):
            if squeeze(lines[n]) != squeeze(cell):
                raise ValueError(f"line {n + 1} is not the text of its gold block: {lines[n].strip()[:60]!r}")
        sides.append(numbers)
    beads: list[Bead] = []
    next_line = [0, 0]
    for ko, en in blocks:
        ids: list[tuple[int, ...]] = []
        for column, cell in enumerate((ko, en)):
            if cell.strip():
                ids.append((sides[column][next_line[column]],))
                next_line[column] += 1
            else:
                ids.append(())
        beads.append(Bead(ids[0], ids[1]))
    return beads


def _line_documents(folder: Path, src_lang: str | None = None,
                    tgt_lang: str | None = None) -> list[tuple[Path, list[Bead]]]:
    """Each raw document of the folder with its line-level gold (ValueError if one has none)."""
    found = []
    for doc in sorted(p.parent for p in folder.glob("*/gold.tsv")):
        blocks = read_gold_blocks((doc / "gold.tsv").read_text(encoding="utf-8"))
        lines = [read_text(path).split("\n") for path in _raw_job(doc, src_lang, tgt_lang).paths]
        try:
            found.append((doc, line_gold(blocks, *lines)))
        except ValueError as err:
            raise ValueError(f"{doc.name}: {err}") from None
    return found


def has_line_gold(folder: Path, src_lang: str | None = None, tgt_lang: str | None = None) -> bool:
    """Whether every raw document of the folder holds one gold block a line on both sides."""
    try:
        return bool(_line_documents(folder, src_lang, tgt_lang))
    except (ValueError, OSError, InputError):
        return False


def evaluate_lines(folder: Path, encoder: Encoder, *, src_lang: str | None = None, tgt_lang: str | None = None,
                   params: AlignParams = DEFAULT_PARAMS, search: SearchFunction | None = None) -> Report:
    """Raw documents read as pre-split files (a line a sentence), scored against line-level gold:
    the alignment alone, with the gold blocks (verses) as sentences."""
    try:
        documents = _line_documents(folder, src_lang, tgt_lang)
    except ValueError as err:
        raise InputError(folder, f"not one gold block a line: {err}") from None
    jobs = [_raw_job(doc, src_lang, tgt_lang, presplit=True) for doc, _ in documents]
    report = Report(folder.name, "lines as sentences", encoder.name)
    started = time.perf_counter()
    for (doc, gold), result in zip(documents, align_jobs(jobs, encoder, params, search=search)):
        if isinstance(result, InputError):
            raise result
        report.documents.append(DocumentResult(doc.name, score_document(gold, result.beads), gold, result.beads,
                                               alignment=result))
    report.seconds = time.perf_counter() - started
    return report
