"""Ray Data: the same per-document work on the cores of one machine or of a cluster.

The jobs become a dataset (one row per document); `map_batches` runs them through a pool of
actors, each of which loads Kiwi, Punkt and the encoder once (`ActorPoolStrategy`, one CPU per
actor, the encoder's threads set to it; the ONNX session is created inside the actor, never
before a fork); outcomes stream back to the driver as they finish, in any order.

`RAY_ADDRESS` (or `address`) connects to a running cluster, whose nodes must have aligner
installed and see the input files at the same paths; otherwise a local Ray starts and stops
with the run. The optional extra: `pip install -e '.[ray]'`.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import signal
import socket
import threading
import warnings
from dataclasses import fields, replace
from pathlib import Path
from typing import Iterator

from aligner.engines.base import DocumentWorker, Outcome, Task, WorkSpec
from aligner.errors import InputError
from aligner.pipeline import Job, single_threaded_blas

# Documents per dataset block. A block is one actor call, and its outcomes come back together.
# Small blocks stream results and keep every actor busy to the end; each block also costs the
# driver about 6 ms of CPU (5.3 s for 250 blocks, 4.1 s for 32, on 1,000 documents), which
# bounds a cluster's rate. So: BLOCKS_PER_ACTOR blocks per actor, unless that makes blocks
# larger than MAX_DOCUMENTS_PER_BLOCK.
BLOCKS_PER_ACTOR = 16
MAX_DOCUMENTS_PER_BLOCK = 128
CONNECT_SECONDS = 10  # to find a cluster's address dead


class RayEngine:
    def __init__(self, address: str | None = None) -> None:
        self.address = address or os.environ.get("RAY_ADDRESS") or None

    def run(self, tasks: list[Task], spec: WorkSpec, cores: int | None) -> Iterator[Outcome]:
        ray = _import_ray()
        started = not ray.is_initialized()
        logging.getLogger("ray.data").setLevel(logging.ERROR)  # the run shows its own progress
        if started:
            options = dict(logging_level=logging.ERROR, log_to_driver=False, include_dashboard=False)
            on_term = signal.getsignal(signal.SIGTERM)
            if self.address:
                _check_reachable(self.address)
                ray.init(address=self.address, **options)
            else:
                # "local": a new Ray, never one that a file of an earlier `ray start` points to
                ray.init(address="local", num_cpus=cores or None, **options)
            if callable(on_term) and threading.current_thread() is threading.main_thread():
                signal.signal(signal.SIGTERM, on_term)  # Ray's own handler would kill the driver on the spot
        try:
            yield from self._map(ray, tasks, replace(spec, threads=1), cores)
        finally:
            if started:
                ray.shutdown()

    def _map(self, ray, tasks: list[Task], spec: WorkSpec, cores: int | None) -> Iterator[Outcome]:
        if not tasks:
            return
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        cpus = int(ray.cluster_resources().get("CPU", 1))
        actors = max(1, min(cores or cpus, cpus, len(tasks)))
        blocks = min(len(tasks), max(BLOCKS_PER_ACTOR * actors, -(-len(tasks) // MAX_DOCUMENTS_PER_BLOCK)))
        dataset = ray.data.from_items([_row(task) for task in tasks], override_num_blocks=blocks)
        with warnings.catch_warnings():
            # max_restarts has no named parameter yet (2.60 calls the keyword form deprecated)
            warnings.simplefilter("ignore", category=DeprecationWarning)
            aligned = dataset.map_batches(
                _AlignActor, fn_constructor_kwargs={"spec": spec}, batch_size=1, batch_format="pandas",
                compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=spec.threads,
                # an actor lost with its node is not restarted: the run fails, and a re-run with
                # --results aligns only what was left (a restart could fail anyway, the actor's
                # constructor arguments being in the object store: ray-project/ray#53727)
                max_restarts=0)
        for row in aligned.iter_rows():
            yield pickle.loads(row["outcome"])


class _AlignActor:
    """One Ray actor: loads the models once, then aligns one document per call."""

    def __init__(self, spec: WorkSpec) -> None:
        single_threaded_blas()
        self.work = DocumentWorker(spec)

    def __call__(self, batch):
        import pandas

        outcomes = [self.work(_task(row)) for row in batch.to_dict("records")]
        return pandas.DataFrame({"outcome": [pickle.dumps(o) for o in outcomes]})


def _row(task: Task) -> dict:
    """A task as a dataset row of plain columns (the manifest Ray Data carries): every field of
    the Job, its paths as a JSON list."""
    row = {f.name: getattr(task.job, f.name) for f in fields(Job)}
    row["paths"] = json.dumps([str(p) for p in task.job.paths])
    return {"index": task.index, **row}


def _task(row: dict) -> Task:
    values = {f.name: row[f.name] for f in fields(Job)}
    values["paths"] = tuple(Path(p) for p in json.loads(row["paths"]))
    values["presplit"] = bool(values["presplit"])  # (pandas hands back numpy booleans)
    return Task(int(row["index"]), Job(**values))


def _check_reachable(address: str) -> None:
    """Fail in seconds on a wrong HOST:PORT: ray.init would retry for minutes, deaf to SIGTERM."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # "auto", "local" and other forms are Ray's to resolve
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_SECONDS).close()
    except OSError as err:
        raise InputError("--ray-address", f"no Ray cluster answers at {address} ({err.strerror or err})") from None


def _import_ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise InputError("--engine", "ray needs Ray Data: pip install 'aligner[ray]'") from None
    return ray
