"""The default engine: a pool of worker processes on this machine, one per core.

A folder gets one single-threaded worker per core (documents are independent, so processes
scale better than threads inside one encoder call); a single document gets one process whose
encoder and Kiwi use all the cores. Results come back in input order.

Workers never outlive the run: when it stops (an error, Ctrl-C, SIGTERM) the pool's processes
are terminated, and a worker whose parent died (even by SIGKILL) exits at once on Linux
(PR_SET_PDEATHSIG) and within a second elsewhere (it watches its parent's pid).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import Iterator

from aligner.engines.base import DocumentWorker, Outcome, Task, WorkSpec
from aligner.pipeline import default_workers, single_threaded_blas

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.5
# Tasks handed to the pool ahead of the one being waited for: enough to keep every worker
# busy behind a slow document, few enough that memory does not grow with the corpus.
AHEAD_PER_WORKER = 32

# Each worker process builds its DocumentWorker once, in its initializer, and keeps it here.
_worker: dict = {}


class LocalEngine:
    def run(self, tasks: list[Task], spec: WorkSpec, cores: int | None) -> Iterator[Outcome]:
        cores = cores or default_workers()
        workers = max(1, min(cores, len(tasks)))
        spec = replace(spec, threads=max(1, cores // workers))
        if workers == 1:
            with single_threaded_blas():
                worker = DocumentWorker(spec)
                yield from map(worker, tasks)
            return
        pool = ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(spec, os.getpid()))
        try:
            yield from _in_order(pool, tasks, AHEAD_PER_WORKER * workers)
        finally:
            _stop(pool)


def _in_order(pool: ProcessPoolExecutor, tasks: list[Task], ahead: int) -> Iterator[Outcome]:
    """pool.map with at most `ahead` tasks submitted (pool.map submits every task at once)."""
    pending: deque = deque()
    for task in tasks:
        pending.append(pool.submit(_work, task))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Drop the tasks not started and end the workers now, not after their current document."""
    pool.shutdown(wait=False, cancel_futures=True)
    # ProcessPoolExecutor.terminate_workers() arrives in Python 3.14; before it, the pool's
    # processes are only reachable through its _processes attribute.
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            process.terminate()
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.join(5)


def _init_worker(spec: WorkSpec, parent: int) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the CLI's handler: terminate() ends a worker
    die_with_parent(parent)
    single_threaded_blas()
    _worker["work"] = DocumentWorker(spec)


def _work(task: Task) -> Outcome:
    return _worker["work"](task)


def die_with_parent(parent: int) -> None:
    """End this process as soon as `parent` is gone, so a worker never outlives the run."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        os._exit(1)

    if os.getppid() != parent:  # the parent died before the watch began
        os._exit(1)
    threading.Thread(target=watch, name="aligner-parent-watch", daemon=True).start()
