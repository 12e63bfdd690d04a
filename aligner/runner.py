"""A run: jobs through an engine, each outcome kept in memory or written to a results folder.

With a results folder (aligner.results) each worker writes its documents' results there and
hands back only counts, so the driver's memory does not grow with the corpus, and a document
already done there (same text, encoder, parameters and code) is not aligned again.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterator

from aligner.data import Alignment
from aligner.engines import Engine, Outcome, Task, WorkSpec
from aligner.errors import InputError
from aligner.pipeline import Job, Summary
from aligner.progress import progress_for
from aligner.results import ResultStore


def outcomes(jobs: list[Job], engine: Engine, spec: WorkSpec, cores: int | None,
             store: ResultStore | None = None) -> Iterator[Outcome]:
    """Each job's outcome as the engine hands it back (in any order: see Outcome.index)."""
    if store is not None:
        store.start([job.name for job in jobs],
                    [{"document": job.name, "paths": [str(p) for p in job.paths], "src_lang": job.src_lang,
                      "tgt_lang": job.tgt_lang, "presplit": job.presplit} for job in jobs])
        spec = replace(spec, results=store.folder.resolve())
    tasks = [Task(i, job) for i, job in enumerate(jobs)]
    yield from engine.run(tasks, spec, cores)


@dataclass
class RunResult:
    summary: Summary = field(default_factory=Summary)
    alignments: list[Alignment] = field(default_factory=list)  # in job order; empty with a store
    errors: list[InputError] = field(default_factory=list)  # the bad documents, skipped


def run(jobs: list[Job], engine: Engine, spec: WorkSpec, cores: int | None,
        store: ResultStore | None = None) -> RunResult:
    """Align every job; a bad document is reported in the summary and skipped."""
    result = RunResult()
    kept: dict[int, Alignment] = {}
    bar = progress_for(len(jobs))
    try:
        for outcome in outcomes(jobs, engine, spec, cores, store):
            if outcome.error is not None:
                result.errors.append(outcome.error)
                result.summary.skipped.append(str(outcome.error))
            else:
                result.summary.add_counts(outcome.counts)
                result.summary.reused += outcome.reused
                if outcome.alignment is not None:
                    kept[outcome.index] = outcome.alignment
            if bar:
                bar.done(outcome.counts.sentences if outcome.counts else 0)
    finally:
        if bar:
            bar.close()
    result.alignments = [kept[i] for i in sorted(kept)]
    return result
