"""Vecalign's bead format (`[0, 1]:[2]`, `[]` for an empty side), as gold data uses it."""

from __future__ import annotations

from pathlib import Path

from aligner.data import Bead
from aligner.evaluate import format_beads
from aligner.formats.atomic import write_atomic


def write_beads(beads: list[Bead], path: Path) -> None:
    write_atomic(path, format_beads(beads))
