"""How the jobs of a run are mapped: `local` (a process pool, the default) or `ray` (Ray Data).

base.py holds the per-document work both engines run; each engine is one file.
"""

from __future__ import annotations

from aligner.errors import InputError
from aligner.engines.base import DocumentWorker, Engine, Outcome, Task, WorkSpec

ENGINES = ("local", "ray")


def engine_named(name: str, *, ray_address: str | None = None) -> Engine:
    """The engine `--engine` names; Ray is imported only when asked for."""
    if name == "local":
        from aligner.engines.local import LocalEngine

        return LocalEngine()
    if name == "ray":
        from aligner.engines.ray import RayEngine

        return RayEngine(ray_address)
    raise InputError("--engine", f"unknown engine {name!r}: use {' or '.join(ENGINES)}")


__all__ = ["ENGINES", "DocumentWorker", "Engine", "Outcome", "Task", "WorkSpec", "engine_named"]
