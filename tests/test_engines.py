"""The Ray engine on a real local Ray (2 CPUs, started once for these tests) against the local one.

Needs the `ray` extra; without it these tests are skipped, unless ALIGNER_REQUIRE_RAY=1 (CI),
which turns the skip into a failure.
"""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import time
from pathlib import Path

import pytest

from aligner import cli, outputs, runner
from aligner.align import DEFAULT_PARAMS
from aligner.engines import WorkSpec, engine_named
from aligner.pipeline import plan_jobs
from aligner.results import ResultStore, alignment_from_lines, alignment_lines
from tests.conftest import SEEDS, run_cli

try:
    import ray
except ImportError:
    if os.environ.get("ALIGNER_REQUIRE_RAY") == "1":
        pytest.fail("ALIGNER_REQUIRE_RAY=1 but ray is not installed (pip install 'aligner[ray]')", pytrace=False)
    pytest.skip("the ray extra is not installed", allow_module_level=True)

DATE = "20240101T000000Z"


@pytest.fixture(scope="module")
def local_ray():
    ray.init(address="local", num_cpus=2, include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
    yield
    ray.shutdown()


def _folder(tmp_path: Path, copies: int) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for k in range(copies):
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, folder / f"{k}_{seed.name}")
    return folder


def test_ray_writes_the_same_bytes_as_the_local_engine(tmp_path: Path, local_ray, capsys) -> None:
    folder = _folder(tmp_path, 1)
    (folder / "bad.txt").write_text("한국어만 있는 문서입니다.\n", encoding="utf-8")
    local = run_cli("align", folder, "-o", tmp_path / "local.tmx", "--date", DATE, "--no-cache")
    assert local.returncode == 1, local.stderr  # the bad document is skipped
    status = cli.main(["align", str(folder), "-o", str(tmp_path / "ray.tmx"), "--date", DATE, "--no-cache",
                       "--engine", "ray", "--results", str(tmp_path / "results")])
    printed = capsys.readouterr()
    assert status == 1
    for suffix in (".tmx", ".review.tsv", ".review.html"):
        assert (tmp_path / f"ray{suffix}").read_bytes() == (tmp_path / f"local{suffix}").read_bytes(), suffix
    assert "skipped documents: 1" in printed.out and "bad.txt" in printed.out
    assert "bad.txt" in printed.err
    assert "skipped documents: 1" in local.stdout


def _settled(folder: Path) -> dict[Path, int]:
    """The results in a folder and their times, once none has come for two seconds (an actor
    stopped in the middle of writing may leave a temporary file: the next run removes it)."""
    seen: dict[Path, int] = {}
    while True:
        time.sleep(2)
        now = {p: p.stat().st_mtime_ns for p in folder.glob("[!.]*.jsonl")}
        if now == seen:
            return now
        seen = now


def test_a_stopped_ray_run_resumes_where_it_stopped(tmp_path: Path, local_ray) -> None:
    folder = _folder(tmp_path, 6)
    jobs = plan_jobs([folder])
    store = ResultStore(tmp_path / "results")
    spec = WorkSpec("use", DEFAULT_PARAMS, None)
    engine = engine_named("ray")

    stream = runner.outcomes(jobs, engine, spec, 2, store)
    first = list(itertools.islice(stream, 2))  # the run is stopped after two documents
    stream.close()
    finished = _settled(tmp_path / "results" / "docs")
    assert {f"{o.name}.jsonl" for o in first} <= {p.name for p in finished}
    assert len(finished) < len(jobs) == 12

    again = runner.run(jobs, engine, spec, 2, store)
    assert again.summary.documents == len(jobs)
    assert again.summary.reused == len(finished)  # only what was left was aligned
    assert all(p.stat().st_mtime_ns == mtime for p, mtime in finished.items())
    assert len(list((tmp_path / "results" / "docs").iterdir())) == len(jobs)  # and no temporary file

    clean = run_cli("align", folder, "-o", tmp_path / "clean.tmx", "--date", DATE, "--no-cache")
    assert clean.returncode == 0, clean.stderr
    collected = run_cli("collect", tmp_path / "results", "-o", tmp_path / "resumed.tmx", "--date", DATE)
    assert collected.returncode == 0, collected.stderr
    assert (tmp_path / "resumed.tmx").read_bytes() == (tmp_path / "clean.tmx").read_bytes()


def test_a_result_line_holds_ids_text_and_score_and_reads_back_exactly(tmp_path: Path) -> None:
    from tests.conftest import notice

    alignment = notice("notice", ["공지입니다.", "감사합니다."], ["Notice.", "Thank you.", "CC BY 4.0"])
    lines = alignment_lines(alignment, "k")
    back = alignment_from_lines(lines)
    assert back.document == alignment.document and back.beads == alignment.beads
    assert '"src_ids": [0], "tgt_ids": [0], "src": "공지입니다.", "tgt": "Notice.", "score": 0.912' in lines[1]
    assert lines[3].endswith('"status": "unaligned"}')
    out = tmp_path / "one.tsv"
    outputs.write([back], out, "tsv")
    assert "CC BY 4.0" in out.read_text(encoding="utf-8")
