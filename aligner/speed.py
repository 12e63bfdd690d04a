"""Speed and memory, measured: stage times, the encoder floor, long documents, folders, cache.

Each measurement runs in a fresh process (`python -m aligner.speed one …` prints JSON), so
model loading is counted and peak memory is that run's own. Called by `make bench`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from aligner.align import align
from aligner.encoders import load_encoder
from aligner.pipeline import Job, default_workers, plan_jobs, read_job, segment_job, single_threaded_blas
from aligner.segment import Segmenter


RUNS = 5  # fresh processes per measurement; the table shows medians
# A short document's time / encode-once ratio swings by ±0.3 between processes on a shared
# machine (one process measured Text+Berg's floor at 0.39 s, the next at 0.61 s): its median
# takes more runs. Each is about 3 s (Text+Berg) or 8 s (NTREX 2,000 a side).
DOCUMENT_RUNS = 11


@dataclass
class TimedEncoder:
    """Counts the strings an encoder is asked for and the seconds it takes."""

    inner: object
    seconds: float = 0.0
    strings: int = 0
    name: str = field(init=False)

    def __post_init__(self) -> None:
        self.name = self.inner.name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        started = time.perf_counter()
        vectors = self.inner.encode(texts)
        self.seconds += time.perf_counter() - started
        self.strings += len(texts)
        return vectors


def measure_one(paths: list[Path], encoder_name: str, presplit: bool, src_lang: str, tgt_lang: str) -> dict:
    """One document through every stage, in this process; the numbers as a dict."""
    from aligner import outputs

    times: dict[str, float] = {}
    single_threaded_blas()  # as the program runs
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "out.tmx"
        started = time.perf_counter()
        outputs.preflight(output, "tmx", 1, src_lang, tgt_lang)  # as the CLI does first (it loads the TMX writer)
        encoder = TimedEncoder(load_encoder(encoder_name))
        encoder.inner.encode(["warm up"])
        segmenter = Segmenter()
        if not presplit:  # what the CLI loads for this input, no more
            segmenter.split("준비. Ready.", src_lang), segmenter.split("Ready.", tgt_lang)
        times["load"] = time.perf_counter() - started

        job = Job(paths[0].stem, tuple(paths), src_lang, tgt_lang, presplit=presplit)
        mark = time.perf_counter()
        pair = read_job(job)
        times["read"] = time.perf_counter() - mark
        mark = time.perf_counter()
        document = segment_job(job, pair, segmenter)
        times["split"] = time.perf_counter() - mark
        mark = time.perf_counter()
        # the CLI's own entry point, with every pass it runs
        alignment = align(document, encoder, heading_ends=None if presplit else segmenter.heading_ends)
        total_align = time.perf_counter() - mark
        times["embed"] = encoder.seconds
        times["align"] = total_align - encoder.seconds
        mark = time.perf_counter()
        outputs.write([alignment], output, "tmx")
        times["write"] = time.perf_counter() - mark
        total = time.perf_counter() - started

    sentences = [s.text for s in document.src] + [s.text for s in document.tgt]
    floor_encoder = load_encoder(encoder_name)
    floor_encoder.encode(["warm up"])
    mark = time.perf_counter()
    floor_encoder.encode(sentences)
    floor = time.perf_counter() - mark
    return {
        "sentences": len(sentences), "src": len(document.src), "tgt": len(document.tgt),
        "times": times, "total": total, "strings_embedded": encoder.strings, "encode_once": floor,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _run_one(paths: list[Path], encoder: str, presplit: bool, src: str, tgt: str) -> dict:
    return _fresh("one", "--encoder", encoder, "--src-lang", src, "--tgt-lang", tgt,
                  *(["--presplit"] if presplit else []), *map(str, paths))


def _median_run(runs: int, *args) -> dict:
    """The run of median total time; its ratio to encoding once is the median of every run's
    own ratio (each process is compared with itself, so a slow process is slow on both sides)."""
    results = [_run_one(*args) for _ in range(runs)]
    results.sort(key=lambda r: r["total"])
    median = dict(results[len(results) // 2])
    median["over_floor"] = statistics.median(_over_floor(r) for r in results)
    return median


def _over_floor(r: dict) -> float:
    """End-to-end time after the model load, in units of encoding every sentence once."""
    return (r["total"] - r["times"]["load"]) / max(r["encode_once"], 1e-9)


def _cli_seconds(args: list[str]) -> float:
    return _cli_run(args)[0]


def _cli_run(args: list[str]) -> tuple[float, int]:
    """Seconds the program takes, and the sentences (both sides) its summary reports."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "aligner", *args], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    found = re.search(r"sentences: (\d+) source, (\d+) target", done.stdout)
    return seconds, int(found[1]) + int(found[2]) if found else 0


def _folder_timing(folder: Path, out: Path, jobs: str, runs: int) -> tuple[float, int]:
    """Median seconds of `runs` runs over a folder with --jobs, and its sentences."""
    results = [_cli_run(["align", str(folder), "-o", str(out), "--jobs", jobs, "--no-cache"]) for _ in range(runs)]
    return statistics.median(r[0] for r in results), results[0][1]


def _concatenate(files: list[Path], target: int, out: Path) -> int:
    lines: list[str] = []
    while len(lines) < target:
        for f in files:
            lines.extend(f.read_text(encoding="utf-8").splitlines())
    out.write_text("\n".join(lines[:target]) + "\n", encoding="utf-8")
    return target


def build_folder(raw: Path, count: int, folder: Path) -> Path:
    """`count` distinct bilingual documents, each a pair of development documents (Korean halves
    then English halves), named by their number: 35 documents give 1,190 distinct pairs."""
    folder.mkdir()
    docs = sorted(raw.iterdir())
    for k in range(count):
        a, b = docs[k % len(docs)], docs[(k % len(docs) + 1 + k // len(docs)) % len(docs)]
        text = "\n\n".join(d.joinpath(side).read_text(encoding="utf-8").strip()
                           for side in ("ko.txt", "en.txt") for d in (a, b))
        (folder / f"{k:04d}_{a.name}_{b.name}.txt").write_text(text + "\n", encoding="utf-8")
    return folder


def measure_engine(folder: Path, engine_name: str, results: Path, encoder: str = "use") -> dict:
    """One run of a folder through an engine into a results folder, in this process (the driver):
    seconds from the start (Ray's start and every worker's model load included), peak memory."""
    from aligner import runner
    from aligner.engines import WorkSpec, engine_named
    from aligner.results import ResultStore

    started = time.perf_counter()
    jobs = plan_jobs([folder])
    cores = default_workers()
    done = runner.run(jobs, engine_named(engine_name), WorkSpec(encoder), cores, ResultStore(results))
    seconds = time.perf_counter() - started
    summary = done.summary
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"engine": engine_name, "documents": summary.documents, "seconds": seconds,
            "sentences": summary.src_sentences + summary.tgt_sentences, "peak_mb": usage.ru_maxrss / 1024,
            "driver_cpu_s": usage.ru_utime + usage.ru_stime}


def measure_collect(results: Path) -> dict:
    """`aligner collect` of a results folder, in this process: seconds and peak memory."""
    from aligner import outputs
    from aligner.results import ResultStore

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        alignments, _ = ResultStore(results).collect()
        outputs.write(alignments, Path(folder) / "all.tmx", "tmx")
    return {"seconds": time.perf_counter() - started,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _fresh(*args: str) -> dict:
    """Run `python -m aligner.speed ARGS` in a fresh process; the JSON its last line prints."""
    done = subprocess.run([sys.executable, "-m", "aligner.speed", *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def engines_report(data: Path, sizes: Sequence[int] = (100, 1000), engines: Sequence[str] = ("local", "ray")
                   ) -> list[str]:
    """The local engine against Ray on this machine's cores: documents per second end to end and
    the driver's peak memory, each run a fresh process writing to a results folder."""
    raw = data / "ntrex-ko-en-dev" / "raw"
    lines = [f"Engines ({default_workers()} cores, encoder `use`, one fresh driver process per run, every "
             "start-up and model load included; results written per document, no cache; "
             f"load average before: {os.getloadavg()[0]:.1f})", "",
             "| documents | sentences | engine | seconds | documents/s | sentences/s | driver peak MB "
             "| driver CPU s |",
             "|---|---|---|---|---|---|---|---|"]
    rates: dict[tuple[str, int], float] = {}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        for size in sizes:
            docs = build_folder(raw, size, tmp / f"docs{size}")
            for engine in engines:
                r = _fresh("engine", str(docs), "--engine", engine, "--results", str(tmp / f"{engine}{size}"))
                rates[(engine, size)] = r["documents"] / r["seconds"]
                lines.append(f"| {r['documents']} | {r['sentences']} | {engine} | {r['seconds']:.1f} | "
                             f"{rates[(engine, size)]:.1f} | {r['sentences'] / r['seconds']:.0f} | {r['peak_mb']:.0f} "
                             f"| {r['driver_cpu_s']:.1f} |")
        if len(engines) == 2:
            lines += ["", "| documents | ray / local, documents per second |", "|---|---|"]
            lines += [f"| {size} | {rates[(engines[1], size)] / rates[(engines[0], size)]:.2f}× |" for size in sizes]
        lines += ["", "| collect (TMX and review files from the results folder) | seconds | peak MB |", "|---|---|---|"]
        for size in sizes:
            r = _fresh("collect", str(tmp / f"{engines[-1]}{size}"))
            lines.append(f"| {size} documents | {r['seconds']:.1f} | {r['peak_mb']:.0f} |")
    lines.append(f"\n(load average after: {os.getloadavg()[0]:.1f})")
    return lines


def speed_report(data: Path, runs: int = RUNS, encoder: str = "use", document_runs: int = DOCUMENT_RUNS) -> list[str]:
    """Markdown tables for `make bench`: every number is a median of fresh processes, `runs` of
    them (`document_runs` for Text+Berg and NTREX 2,000 a side; one at 20,000)."""
    cores = default_workers()
    lines = [f"Speed (encoder `{encoder}`, {cores} cores, model load included; median of {document_runs} runs "
             f"for Text+Berg and NTREX 2,000, 1 run at 20,000, {runs} runs for folders and the cache; "
             "total / encode-once: median of the runs' own ratios, load left out)", "",
             "| input | sentences | load | read | split | embed | align | write | total s | sent/s "
             "| strings embedded | encode once s | total / encode-once | peak MB |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]

    def row(label: str, r: dict) -> None:
        t = r["times"]
        lines.append(
            f"| {label} | {r['sentences']} | {t['load']:.2f} | {t['read']:.2f} | {t['split']:.2f} | "
            f"{t['embed']:.2f} | {t['align']:.2f} | {t['write']:.2f} | {r['total']:.2f} | "
            f"{r['sentences'] / r['total']:.0f} | {r['strings_embedded']} | {r['encode_once']:.2f} | "
            f"{r.get('over_floor', _over_floor(r)):.2f} | {r['peak_mb']:.0f} |")

    textberg = data / "textberg-de-fr-dev"
    if textberg.is_dir():
        row("Text+Berg dev (pre-split de-fr)",
            _median_run(document_runs, [textberg / "dev.de", textberg / "dev.fr"], encoder, True, "de", "fr"))
    seg = data / "ntrex-ko-en-dev" / "seg"
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if seg.is_dir():
            ko_files, en_files = sorted(seg.glob("*.ko")), sorted(seg.glob("*.en"))
            for size in (2000, 20000):
                _concatenate(ko_files, size, tmp / f"long{size}.ko")
                _concatenate(en_files, size, tmp / f"long{size}.en")
                r = _median_run(1 if size > 2000 else document_runs, [tmp / f"long{size}.ko", tmp / f"long{size}.en"],
                                encoder, True, "ko", "en")
                row(f"NTREX concatenated, {size} a side", r)
                lines_per = r["total"] - r["times"]["load"]
                lines.append(f"|  ↳ seconds per 1,000 sentences | {1000 * lines_per / r['sentences']:.3f} |"
                             + " |" * 12)
        raw = data / "ntrex-ko-en-dev" / "raw"
        if raw.is_dir():
            folder100 = build_folder(raw, 100, tmp / "folder100")
            folder10 = tmp / "folder10"
            folder10.mkdir()
            for path in sorted(folder100.iterdir())[:10]:
                (folder10 / path.name).write_bytes(path.read_bytes())
            out = tmp / "f.tmx"
            timing = {(size, jobs): _folder_timing(folder, out, jobs, runs)
                      for size, folder in ((100, folder100), (10, folder10)) for jobs in ("1", "2")}
            lines += ["", "| folder | --jobs 1 | --jobs 2 | speed-up |", "|---|---|---|---|"]
            for size in (100, 10):
                one, two = timing[(size, "1")][0], timing[(size, "2")][0]
                lines.append(f"| {size} documents ({timing[(size, '1')][1]} sentences), seconds end to end "
                             f"(median) | {one:.1f} | {two:.1f} | {one / two:.2f}× |")
            # Sentences per second from the 10th to the 100th document: the rate once the
            # workers have loaded their models (each worker loads them once, whatever the folder).
            rate = {jobs: (timing[(100, jobs)][1] - timing[(10, jobs)][1])
                    / max(timing[(100, jobs)][0] - timing[(10, jobs)][0], 1e-9) for jobs in ("1", "2")}
            lines.append(f"| sentences per second, 10th to 100th document | {rate['1']:.0f} | {rate['2']:.0f} "
                         f"| {rate['2'] / rate['1']:.2f}× |")
            cache = tmp / "cache"
            first = _cli_seconds(["align", str(folder100), "-o", str(out), "--cache", str(cache)])
            second = statistics.median(
                _cli_seconds(["align", str(folder100), "-o", str(out), "--cache", str(cache)]) for _ in range(runs))
            lines += ["", "| cache (100 documents) | seconds |", "|---|---|",
                      f"| first run with an empty cache | {first:.1f} |",
                      f"| re-run with the cache | {second:.1f} ({first / second:.1f}× faster) |"]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aligner.speed")
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("one", help="measure one document in this process; print JSON")
    one.add_argument("paths", nargs="+", type=Path)
    one.add_argument("--encoder", default="use")
    one.add_argument("--presplit", action="store_true")
    one.add_argument("--src-lang", default="ko")
    one.add_argument("--tgt-lang", default="en")
    engine = commands.add_parser("engine", help="run a folder through an engine in this process; print JSON")
    engine.add_argument("folder", type=Path)
    engine.add_argument("--engine", default="local")
    engine.add_argument("--results", type=Path, required=True)
    collect = commands.add_parser("collect", help="collect a results folder in this process; print JSON")
    collect.add_argument("results", type=Path)
    engines = commands.add_parser("engines", help="the local engine against Ray, 100 and 1,000 documents")
    engines.add_argument("--data", type=Path, default=Path("../shared/data"))
    engines.add_argument("--sizes", default="100,1000")
    report = commands.add_parser("report", help="the speed tables of make bench")
    report.add_argument("--data", type=Path, default=Path("../shared/data"))
    report.add_argument("--runs", type=int, default=RUNS)
    report.add_argument("--document-runs", type=int, default=DOCUMENT_RUNS)
    args = parser.parse_args(argv)
    if args.command == "one":
        print(json.dumps(measure_one(args.paths, args.encoder, args.presplit, args.src_lang, args.tgt_lang)))
    elif args.command == "engine":
        print(json.dumps(measure_engine(args.folder, args.engine, args.results)))
    elif args.command == "collect":
        print(json.dumps(measure_collect(args.results)))
    elif args.command == "engines":
        print("\n".join(engines_report(args.data, [int(n) for n in args.sizes.split(",")])))
    else:
        print("\n".join(speed_report(args.data, args.runs, document_runs=args.document_runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
