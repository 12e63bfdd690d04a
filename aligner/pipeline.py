"""The library's front door: inputs in, alignments out, one document or a folder at a time."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator

from threadpoolctl import threadpool_limits

from aligner.align import DEFAULT_PARAMS, AlignParams, SearchFunction, align
from aligner.alignment_cache import AlignmentCache
from aligner.data import Alignment, Document, DocumentCounts, Sentence, base_language, kind_order
from aligner.documents import TextPair, bilingual_lines, read_text
from aligner.encoders import Encoder
from aligner.errors import InputError
from aligner.readers import SUFFIXES as DOCUMENT_SUFFIXES, layout, read_blocks
from aligner.manifest import MANIFEST_SUFFIXES, read_manifest
from aligner.segment import Segmenter, presplit_sentences


@dataclass(frozen=True)
class Job:
    """Where one document's text comes from: a bilingual file, or one file per side."""

    name: str
    paths: tuple[Path, ...]
    src_lang: str = "ko"
    tgt_lang: str = "en"
    presplit: bool = False
    problem: str = ""  # why the job cannot be done (a file with no partner): reported, skipped


@dataclass
class Summary:
    """What a run produced, for the user and for tests."""

    documents: int = 0
    src_sentences: int = 0
    tgt_sentences: int = 0
    beads: Counter = field(default_factory=Counter)
    unaligned_src: int = 0
    unaligned_tgt: int = 0
    skipped: list[str] = field(default_factory=list)
    reused: int = 0  # documents whose result a results folder already held

    def add(self, alignment: Alignment) -> None:
        self.add_counts(DocumentCounts.of(alignment))

    def add_counts(self, counts: DocumentCounts) -> None:
        self.documents += 1
        self.src_sentences += counts.src_sentences
        self.tgt_sentences += counts.tgt_sentences
        self.beads.update(counts.beads)
        self.unaligned_src += counts.unaligned_src
        self.unaligned_tgt += counts.unaligned_tgt

    def lines(self) -> list[str]:
        kinds = ", ".join(f"{kind}: {self.beads[kind]}" for kind in sorted(self.beads, key=kind_order))
        result = [
            f"documents: {self.documents}" + (f" ({self.reused} already done)" if self.reused else ""),
            f"sentences: {self.src_sentences} source, {self.tgt_sentences} target",
            f"units: {sum(self.beads.values())} ({kinds or 'none'})",
            f"unaligned sentences: {self.unaligned_src} source, {self.unaligned_tgt} target",
        ]
        if self.skipped:
            result.append(f"skipped documents: {len(self.skipped)}")
            result += [f"  skipped {problem}" for problem in self.skipped]
        return result


def plan_jobs(paths: list[Path], *, src_lang: str = "ko", tgt_lang: str = "en",
              presplit: bool = False) -> list[Job]:
    """What to align, from the command line's paths: a file, a pair of files, or a folder."""
    if presplit:
        if len(paths) != 2:
            raise InputError(" ".join(map(str, paths)) or "input", "--presplit takes two files, source then target")
        return [Job(paths[0].stem, (paths[0], paths[1]), src_lang, tgt_lang, presplit=True)]
    for path in paths:
        if not path.exists():
            raise InputError(path, "no such file or folder")
    if len(paths) == 2:
        if all(p.is_dir() for p in paths):
            return _pair_folders(paths[0], paths[1], src_lang, tgt_lang)
        if any(p.is_dir() for p in paths):
            raise InputError(paths[0], "give a folder, two folders (source and target), or two files")
        return [Job(paths[0].stem, (paths[0], paths[1]), src_lang, tgt_lang)]
    if len(paths) != 1:
        raise InputError(" ".join(map(str, paths)) or "input", "give one bilingual file, two files, or one folder")
    path = paths[0]
    if path.suffix.lower() in MANIFEST_SUFFIXES and path.is_file():
        return [Job(name, files, src_lang, tgt_lang) for name, files in read_manifest(path)]
    if path.is_dir():
        files = _documents(path)
        stems = Counter(f.stem for f in files)
        return [Job(f.stem if stems[f.stem] == 1 else f.name, (f,), src_lang, tgt_lang) for f in files]
    return [Job(path.stem, (path,), src_lang, tgt_lang)]


def _documents(folder: Path) -> list[Path]:
    """The documents of a folder, of every format a reader takes."""
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)
    if not files:
        raise InputError(folder, f"the folder holds no documents ({', '.join('*' + s for s in sorted(DOCUMENT_SUFFIXES))})")
    return files


def _pair_folders(src_folder: Path, tgt_folder: Path, src_lang: str, tgt_lang: str) -> list[Job]:
    """One job per file name (without suffix) found in both folders; formats may differ. A file
    with no partner, or a name two files share in one folder, is a job that reports itself."""
    sides = []
    for folder in (src_folder, tgt_folder):
        by_stem: dict[str, list[Path]] = {}
        for path in _documents(folder):
            by_stem.setdefault(path.stem, []).append(path)
        sides.append(by_stem)
    jobs = []
    for stem in sorted(set(sides[0]) | set(sides[1])):
        src, tgt = sides[0].get(stem, []), sides[1].get(stem, [])
        if len(src) == 1 and len(tgt) == 1:
            jobs.append(Job(stem, (src[0], tgt[0]), src_lang, tgt_lang))
        elif not src or not tgt:
            here, other = (src[0], tgt_folder) if src else (tgt[0], src_folder)
            jobs.append(Job(stem, (here,), src_lang, tgt_lang, problem=f"unpaired: no file named {stem}.* in {other}"))
        else:
            twice = src if len(src) > 1 else tgt
            jobs.append(Job(stem, (twice[0],), src_lang, tgt_lang,
                            problem=f"unpaired: {len(twice)} files are named {stem} ({', '.join(p.name for p in twice)})"))
    return jobs


def read_side(path: Path) -> tuple[str, tuple[str, ...]]:
    """A document as text (a blank line between two blocks) and the kind of each line's block."""
    text, kinds = layout(read_blocks(path))
    if not text.strip():
        raise InputError(path, "is empty")
    return text, kinds


def read_job(job: Job) -> TextPair:
    """The job's two sides as text, with the kind of each line's block; a bilingual document is
    split line by line by script (documents.bilingual_lines)."""
    if job.problem:
        raise InputError(job.paths[0], job.problem)
    if job.presplit:
        src, tgt = (read_text(p) for p in job.paths)
        for path, side in zip(job.paths, (src, tgt)):
            if not side.strip():
                raise InputError(path, "is empty")
        return TextPair(job.name, src, tgt, job.src_lang, job.tgt_lang)
    if len(job.paths) == 1:
        langs = (base_language(job.src_lang), base_language(job.tgt_lang))
        if set(langs) != {"ko", "en"}:
            raise InputError(job.paths[0], "a bilingual file is split into Korean and English; "
                                           "for other languages give two files")
        text, kinds = read_side(job.paths[0])
        lines = text.split("\n")
        ko, en = bilingual_lines(text, job.paths[0])
        if langs[0] != "ko":
            ko, en = en, ko
        return TextPair(job.name, "\n".join(lines[i] for i in ko), "\n".join(lines[i] for i in en),
                        job.src_lang, job.tgt_lang, tuple(kinds[i] for i in ko), tuple(kinds[i] for i in en))
    (src, src_kinds), (tgt, tgt_kinds) = (read_side(p) for p in job.paths)
    return TextPair(job.name, src, tgt, job.src_lang, job.tgt_lang, src_kinds, tgt_kinds)


def segment_job(job: Job, pair: TextPair, segmenter: Segmenter) -> Document:
    if job.presplit:
        src, tgt = presplit_sentences(pair.src), presplit_sentences(pair.tgt)
    else:
        src = _with_kinds(segmenter.split(pair.src, pair.src_lang), pair.src_kinds)
        tgt = _with_kinds(segmenter.split(pair.tgt, pair.tgt_lang), pair.tgt_kinds)
    return Document(pair.name, pair.src_lang, pair.tgt_lang, src, tgt)


def _with_kinds(sentences: list[Sentence], kinds: tuple[str, ...]) -> list[Sentence]:
    """Each sentence with the kind of the block its line came from."""
    return [replace(s, kind=kinds[s.line]) if kinds else s for s in sentences]


def align_jobs(jobs: Iterable[Job], encoder: Encoder, params: AlignParams = DEFAULT_PARAMS,
               segmenter: Segmenter | None = None, cache: AlignmentCache | None = None,
               search: SearchFunction | None = None) -> Iterator[Alignment | InputError]:
    """Each job's alignment in order, or the InputError that made it unusable (the rest go on).

    `search` replaces the aligner's search (align.align_document) inside the same passes: a
    baseline (the plain diagonal of `make bench`) or a peer (Bertalign) can stand in.
    """
    segmenter = segmenter or Segmenter()
    for job in jobs:
        yield align_one(job, encoder, params, segmenter, cache, search)


def align_one(job: Job, encoder: Encoder, params: AlignParams, segmenter: Segmenter,
              cache: AlignmentCache | None = None, search: SearchFunction | None = None
              ) -> Alignment | InputError:
    try:
        pair = read_job(job)
    except InputError as err:
        return err
    return align_pair(job, pair, encoder, params, segmenter, cache, search)


def align_pair(job: Job, pair: TextPair, encoder: Encoder, params: AlignParams, segmenter: Segmenter,
               cache: AlignmentCache | None = None, search: SearchFunction | None = None,
               key: str | None = None) -> Alignment | InputError:
    """A job whose text is read: from the cache, or split and aligned. `key` is the cache's key
    for it when the caller has it already (AlignmentCache.key hashes the whole text)."""
    try:
        if cache and key is None:
            key = cache.key(pair, job.presplit, encoder.name, params)
        cached = cache.get(key, job.name) if cache else None
        if cached:
            return cached
        document = segment_job(job, pair, segmenter)
    except InputError as err:
        return err
    # the user's own sentence files are never re-cut
    alignment = align(document, encoder, params, None if job.presplit else segmenter.heading_ends,
                      search=search)
    if cache and key is not None:
        cache.put(key, alignment)
    return alignment


def single_threaded_blas() -> threadpool_limits:
    """numpy's BLAS on one thread. Its products here are small (a chunk of rows by a band), so
    more threads do not speed them up, and idle BLAS threads spin for a while after each call,
    taking the cores from the encoder: Text+Berg aligns 1.77–1.93× the encoder floor with one
    BLAS thread, 1.90–2.21× with two."""
    return threadpool_limits(1, user_api="blas")


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
