"""What every engine maps over the jobs: one document's work, the same code on any engine.

An engine only decides where DocumentWorker runs (a local process pool, Ray actors) and hands
back each Outcome; reading, splitting, aligning and what a result holds are decided here and in
aligner.pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Protocol

from aligner.align import DEFAULT_PARAMS, AlignParams
from aligner.alignment_cache import AlignmentCache
from aligner.data import Alignment, DocumentCounts
from aligner.errors import InputError
from aligner.pipeline import Job, align_pair, read_job
from aligner.results import ResultStore
from aligner.segment import Segmenter


@dataclass(frozen=True)
class Task:
    """One document to align, the `index`-th of the run."""

    index: int
    job: Job


@dataclass
class Outcome:
    """What came of a task: an alignment (None once written to the results folder), a result
    the folder already held (`reused`), or the input's error."""

    index: int
    name: str
    key: str = ""
    alignment: Alignment | None = None
    counts: DocumentCounts | None = None
    error: InputError | None = None
    reused: bool = False


@dataclass(frozen=True)
class WorkSpec:
    """What a worker builds once (picklable, so it travels to a process or an actor)."""

    encoder: str
    params: AlignParams = DEFAULT_PARAMS
    cache_dir: Path | None = None
    threads: int = 1  # the encoder's and Kiwi's threads in one worker
    results: Path | None = None  # the results folder each worker writes to (aligner.results)


class DocumentWorker:
    """The encoder, Kiwi and Punkt of one worker, loaded once; called once per document."""

    def __init__(self, spec: WorkSpec) -> None:
        from aligner.encoders import load_encoder

        self.spec = spec
        self.encoder = load_encoder(spec.encoder, cache_dir=spec.cache_dir, threads=spec.threads)
        self.segmenter = Segmenter(spec.threads)
        self.cache = AlignmentCache(spec.cache_dir) if spec.cache_dir else None
        self.store = ResultStore(spec.results) if spec.results else None

    def __call__(self, task: Task) -> Outcome:
        job = task.job
        try:
            pair = read_job(job)
        except InputError as err:
            return Outcome(task.index, job.name, error=err)
        key = AlignmentCache.key(pair, job.presplit, self.encoder.name, self.spec.params)
        done = self.store.done(job.name) if self.store else None
        if done and done.key == key:  # same text, encoder, parameters and code: nothing to do
            return Outcome(task.index, job.name, key, counts=done.counts, reused=True)
        result = align_pair(job, pair, self.encoder, self.spec.params, self.segmenter, self.cache, key=key)
        if isinstance(result, InputError):
            return Outcome(task.index, job.name, key, error=result)
        counts = DocumentCounts.of(result)
        if self.store:
            self.store.write(result, key)  # here, in the worker: the driver never holds it
            return Outcome(task.index, job.name, key, counts=counts)
        return Outcome(task.index, job.name, key, result, counts)


class Engine(Protocol):
    """Maps DocumentWorker over tasks on `cores` cores (None: all the engine has); outcomes come
    back as they finish."""

    def run(self, tasks: list[Task], spec: WorkSpec, cores: int | None) -> Iterator[Outcome]: ...
