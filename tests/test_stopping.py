"""Stopping a folder run from outside: SIGTERM ends it like Ctrl-C, and no worker outlives it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

DOCUMENTS = 60


def _folder(tmp_path: Path) -> Path:
    """Enough documents that a run signalled after its second one is still going."""
    folder = tmp_path / "docs"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for k in range(DOCUMENTS):
        (folder / f"{k:03d}.txt").write_bytes(seeds[k % len(seeds)].read_bytes())
    return folder


class _Run:
    """`aligner align` as a user starts it, with its progress (forced on) read as it comes."""

    def __init__(self, *args: object) -> None:
        env = dict(os.environ, ALIGNER_PROGRESS="1")
        self.process = subprocess.Popen([sys.executable, "-m", "aligner", "align", *map(str, args)], cwd=ROOT,
                                        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.stderr = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while chunk := os.read(self.process.stderr.fileno(), 4096):
            self.stderr += chunk

    def wait_for_documents(self, count: int, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = [int(n) for n in re.findall(rb"(\d+)/%d" % DOCUMENTS, self.stderr)]
            if done and max(done) >= count:
                return
            assert self.process.poll() is None, self.stderr.decode(errors="replace")
            time.sleep(0.05)
        raise AssertionError(f"no progress to {count} documents: {self.stderr[-500:]!r}")

    def children(self) -> list[int]:
        """The run's child processes (its pool's workers), from /proc."""
        return _children_of(self.process.pid)

    def descendants(self) -> list[int]:
        """Children, their children and so on (a local Ray's servers and workers)."""
        found, todo = [], [self.process.pid]
        while todo:
            kids = _children_of(todo.pop())
            found += kids
            todo += kids
        return found


def _children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for a reaper."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if _alive(p)]


@pytest.mark.parametrize("engine", ["local", "ray"])
def test_sigterm_ends_a_folder_run_like_ctrl_c(tmp_path: Path, engine: str) -> None:
    if engine == "ray":
        _need_ray()
    out = tmp_path / "out"
    out.mkdir()
    run = _Run(_folder(tmp_path), "-o", out / "all.tmx", "--jobs", "2", "--no-cache", "--engine", engine)
    run.wait_for_documents(2)
    workers = run.descendants()
    assert len(workers) >= 2
    run.process.send_signal(signal.SIGTERM)
    assert run.process.wait(timeout=60) == 143
    run._reader.join(10)
    assert b"terminated; no output was written" in run.stderr
    assert b"Traceback" not in run.stderr
    assert list(out.iterdir()) == []  # no TMX, no review files, no temporary file
    assert _gone_within(workers, 10) == []  # a pool's workers, or a local Ray's servers and actors


def _need_ray() -> None:
    try:
        import ray  # noqa: F401
    except ImportError:
        if os.environ.get("ALIGNER_REQUIRE_RAY") == "1":
            pytest.fail("ALIGNER_REQUIRE_RAY=1 but ray is not installed", pytrace=False)
        pytest.skip("the ray extra is not installed")


def test_workers_exit_when_their_parent_is_killed(tmp_path: Path) -> None:
    run = _Run(_folder(tmp_path), "-o", tmp_path / "all.tmx", "--jobs", "2", "--no-cache")
    run.wait_for_documents(2)
    workers = run.children()
    assert len(workers) == 2
    run.process.kill()  # SIGKILL: the parent cannot tell anyone
    run.process.wait(timeout=30)
    assert _gone_within(workers, 5) == []
    run._reader.join(10)
    assert not run._reader.is_alive()  # nobody holds the run's stderr open any more
