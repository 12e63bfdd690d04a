"""Shared fixtures: the real encoder, loaded once per test session, and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from aligner.encoders import load_encoder

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# The program's embedding cache goes to a fresh folder for this test session, not the user's.
os.environ.setdefault("ALIGNER_CACHE_DIR", tempfile.mkdtemp(prefix="aligner-test-cache-"))


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
