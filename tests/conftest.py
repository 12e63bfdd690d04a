"""Shared fixtures: the real encoder, loaded once per test session, and a CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from aligner.data import Alignment, Bead, Document, Sentence
from aligner.encoders import load_encoder

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# The program's embedding cache goes to a fresh folder for this test session, not the user's;
# the folder goes when the session ends.
_SESSION_CACHE = tempfile.mkdtemp(prefix="aligner-test-cache-")
os.environ.setdefault("ALIGNER_CACHE_DIR", _SESSION_CACHE)


def pytest_sessionfinish(session, exitstatus) -> None:
    shutil.rmtree(_SESSION_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def encoder():
    return load_encoder("use")


@pytest.fixture(scope="session")
def segmenter():
    from aligner.segment import Segmenter

    return Segmenter()


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The installed program as a user runs it: a separate process, its exit code and stderr."""
    return subprocess.run([sys.executable, "-m", "aligner", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd or ROOT, timeout=600)


def align_dated(source: Path, output: Path) -> str:
    """`aligner align SOURCE -o OUTPUT` with a fixed TMX date, as a user runs it; its stdout."""
    result = run_cli("align", source, "-o", output, "--date", "20240416T000000Z")
    assert result.returncode == 0, result.stderr
    return result.stdout


# The beads an aligner finds in a press release of 8 Korean and 7 English sentences: a title,
# a 1-2 unit, a caption with no English, a 2-1 unit, a loose match, a photo credit with no
# Korean and a contact line with no English. The review tests give it their own texts.
PRESS_RELEASE_BEADS = [((0,), (0,)), ((1,), (1, 2)), ((2,), ()), ((3,), (3,)), ((4, 5), (4,)), ((6,), (5,)),
                       ((), (6,)), ((7,), ())]


def press_release(ko: list[str], en: list[str], scores: list[float]) -> Alignment:
    """`scores` are those of the aligned beads, in order; unaligned beads score 0."""
    document = Document("press-2024-04-16", "ko", "en", [Sentence(t, line=i) for i, t in enumerate(ko)],
                        [Sentence(t, line=i) for i, t in enumerate(en)])
    aligned = iter(scores)
    beads = [Bead(src, tgt, next(aligned) if src and tgt else 0.0) for src, tgt in PRESS_RELEASE_BEADS]
    return Alignment(document, beads)


def notice(name: str, ko: list[str], en: list[str]) -> Alignment:
    """A two-sentence notice whose last English line (a licence) has no Korean."""
    document = Document(name, "ko", "en", [Sentence(t) for t in ko], [Sentence(t) for t in en])
    return Alignment(document, [Bead((0,), (0,), 0.912), Bead((1,), (1,), 0.7702), Bead((), (2,), 0.0)])


@pytest.fixture(scope="session")
def seeds_aligned(encoder) -> list[Alignment]:
    """The seed press releases aligned once per session (the workbench's tests share them)."""
    from aligner.pipeline import align_jobs, plan_jobs

    return list(align_jobs(plan_jobs([SEEDS]), encoder))
