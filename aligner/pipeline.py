"""The library's front door: inputs in, alignments out, one document or a folder at a time."""

from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from threadpoolctl import threadpool_limits

from aligner.align import DEFAULT_PARAMS, AlignParams, SearchFunction, align as align_alignment, align_document
from aligner.alignment_cache import AlignmentCache
from aligner.data import Alignment, Bead, Document, base_language, kind_order
from aligner.documents import TextPair, read_text, split_bilingual
from aligner.encoders import Encoder
from aligner.errors import InputError
from aligner.segment import Segmenter, presplit_sentences

DOCUMENT_SUFFIXES = {".txt"}


@dataclass(frozen=True)
class Job:
    """Where one document's text comes from: a bilingual file, or one file per side."""

    name: str
    paths: tuple[Path, ...]
    src_lang: str = "ko"
    tgt_lang: str = "en"
    presplit: bool = False


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

    def add(self, alignment: Alignment) -> None:
        self.documents += 1
        src_count, tgt_count = alignment.document.sentence_counts()
        self.src_sentences += src_count
        self.tgt_sentences += tgt_count
        for bead in alignment.beads:
            # as the review and the TMX count it: a unit needs text on both sides
            src, tgt = alignment.src_text(bead).strip(), alignment.tgt_text(bead).strip()
            if src and tgt:
                self.beads[bead.kind] += 1
            elif src or tgt:  # (blank lines of a pre-split file are no sentences to report)
                self.unaligned_src += len(bead.src)
                self.unaligned_tgt += len(bead.tgt)

    def lines(self) -> list[str]:
        kinds = ", ".join(f"{kind}: {self.beads[kind]}" for kind in sorted(self.beads, key=kind_order))
        result = [
            f"documents: {self.documents}",
            f"sentences: {self.src_sentences} source, {self.tgt_sentences} target",
            f"units: {sum(self.beads.values())} ({kinds or 'none'})",
            f"unaligned sentences: {self.unaligned_src} source, {self.unaligned_tgt} target",
        ]
        if self.skipped:
            result.append(f"skipped documents: {len(self.skipped)}")
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
        if any(p.is_dir() for p in paths):
            raise InputError(paths[0], "give a folder alone, or two files (source and target)")
        return [Job(paths[0].stem, (paths[0], paths[1]), src_lang, tgt_lang)]
    if len(paths) != 1:
        raise InputError(" ".join(map(str, paths)) or "input", "give one bilingual file, two files, or one folder")
    path = paths[0]
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)
        if not files:
            raise InputError(path, "the folder holds no documents (*.txt)")
        return [Job(f.stem, (f,), src_lang, tgt_lang) for f in files]
    return [Job(path.stem, (path,), src_lang, tgt_lang)]


def read_job(job: Job) -> TextPair:
    """The job's two sides as text; a bilingual file is split by script."""
    if len(job.paths) == 1:
        langs = (base_language(job.src_lang), base_language(job.tgt_lang))
        if set(langs) != {"ko", "en"}:
            raise InputError(job.paths[0], "a bilingual file is split into Korean and English; "
                                           "for other languages give two files")
        text = read_text(job.paths[0])
        if not text.strip():
            raise InputError(job.paths[0], "is empty")
        ko, en = split_bilingual(text, job.paths[0])
        src, tgt = (ko, en) if langs[0] == "ko" else (en, ko)
    else:
        src, tgt = (read_text(p) for p in job.paths)
        for path, side in zip(job.paths, (src, tgt)):
            if not side.strip():
                raise InputError(path, "is empty")
    return TextPair(job.name, src, tgt, job.src_lang, job.tgt_lang)


def segment_job(job: Job, pair: TextPair, segmenter: Segmenter) -> Document:
    if job.presplit:
        src, tgt = presplit_sentences(pair.src), presplit_sentences(pair.tgt)
    else:
        src, tgt = segmenter.split(pair.src, pair.src_lang), segmenter.split(pair.tgt, pair.tgt_lang)
    return Document(pair.name, pair.src_lang, pair.tgt_lang, src, tgt)


AlignFunction = SearchFunction


def align_jobs(jobs: Iterable[Job], encoder: Encoder, params: AlignParams = DEFAULT_PARAMS,
               segmenter: Segmenter | None = None, cache: AlignmentCache | None = None,
               align: AlignFunction = align_document) -> Iterator[Alignment | InputError]:
    """Each job's alignment in order, or the InputError that made it unusable (the rest go on).

    `align` is the aligner itself; a baseline (the plain diagonal of `make bench`) can stand in.
    """
    segmenter = segmenter or Segmenter()
    for job in jobs:
        yield align_one(job, encoder, params, segmenter, cache, align)


def align_one(job: Job, encoder: Encoder, params: AlignParams, segmenter: Segmenter,
              cache: AlignmentCache | None = None, align: AlignFunction = align_document
              ) -> Alignment | InputError:
    try:
        pair = read_job(job)
        key = cache.key(pair, job.presplit, encoder.name, params) if cache else ""
        cached = cache.get(key, job.name) if cache else None
        if cached:
            return cached
        document = segment_job(job, pair, segmenter)
    except InputError as err:
        return err
    # the user's own sentence files are never re-cut
    alignment = align_alignment(document, encoder, params, None if job.presplit else segmenter.heading_ends,
                                search=align)
    if cache:
        cache.put(key, alignment)
    return alignment


# Each worker process loads its encoder and Kiwi once, in its initializer, and keeps them here.
_worker: dict = {}


def _init_worker(make_encoder: Callable[..., Encoder], params: AlignParams, cache_dir: Path | None,
                 threads: int) -> None:
    single_threaded_blas()
    _worker.update(encoder=make_encoder(threads=threads), params=params, segmenter=Segmenter(threads),
                   cache=AlignmentCache(cache_dir) if cache_dir else None)


def _work(job: Job) -> Alignment | InputError:
    return align_one(job, _worker["encoder"], _worker["params"], _worker["segmenter"], _worker["cache"])


def align_parallel(jobs: list[Job], make_encoder: Callable[..., Encoder], cores: int,
                   params: AlignParams = DEFAULT_PARAMS, cache_dir: Path | None = None
                   ) -> Iterator[Alignment | InputError]:
    """Like align_jobs on `cores` cores; results come back in input order.

    A folder gets one worker process per core (documents are independent, so processes scale
    better than threads inside one encoder call); a single document gets one process whose
    encoder and Kiwi use all the cores. `make_encoder(threads=N)` builds a worker's encoder.
    With `cache_dir`, documents aligned before (same text, encoder, parameters and code) are
    taken from the cache.
    """
    workers = max(1, min(cores, len(jobs)))
    threads = max(1, cores // workers)
    if workers == 1:
        cache = AlignmentCache(cache_dir) if cache_dir else None
        with single_threaded_blas():
            yield from align_jobs(jobs, make_encoder(threads=threads), params, Segmenter(threads), cache=cache)
        return
    with ProcessPoolExecutor(workers, initializer=_init_worker,
                             initargs=(make_encoder, params, cache_dir, threads)) as pool:
        yield from pool.map(_work, jobs)


def single_threaded_blas() -> threadpool_limits:
    """numpy's BLAS on one thread. Its products here are small (a chunk of rows by a band), so
    more threads do not speed them up, and idle BLAS threads spin for a while after each call,
    taking the cores from the encoder: Text+Berg aligns 1.77–1.93× the encoder floor with one
    BLAS thread, 1.90–2.21× with two."""
    return threadpool_limits(1, user_api="blas")


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
