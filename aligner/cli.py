"""The command line: parse arguments, call the library, print. No logic of its own."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from functools import partial
from pathlib import Path
from typing import Sequence

from aligner import outputs
from aligner.align import DEFAULT_PARAMS
from aligner.align.params import with_max_side
from aligner.encoders import DEFAULT_ENCODER, load_encoder
from aligner.errors import InputError
from aligner.encoders.cache import default_cache_dir
from aligner.engines import ENGINES
from aligner.pipeline import default_workers, plan_jobs

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_TERMINATED = 143  # 128 + SIGTERM, as a shell reports a process SIGTERM ended


class Terminated(KeyboardInterrupt):
    """SIGTERM (kill, timeout, systemd, Docker, a scheduler): stop as Ctrl-C does."""


def _terminate(signum, frame) -> None:
    raise Terminated()


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main_thread else None
    try:
        return int(args.run(args))
    except InputError as err:
        print(f"aligner: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as err:  # the machine, not the input: a full disk, a vanished folder
        if os.environ.get("ALIGNER_DEBUG"):
            raise
        print(f"aligner: {err.filename + ': ' if err.filename else ''}{err.strerror or err}", file=sys.stderr)
        return EXIT_INTERNAL
    except Terminated:
        print("aligner: terminated; no output was written", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print("aligner: interrupted; no output was written", file=sys.stderr)
        return 130
    except Exception as err:  # a bug, not bad input: still one line, no traceback (ALIGNER_DEBUG=1 shows it)
        if os.environ.get("ALIGNER_DEBUG"):
            raise
        print(f"aligner: unexpected error, please report it: {type(err).__name__}: {err}", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aligner", description="Korean–English sentence aligner and translation-memory builder.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    align = commands.add_parser("align", help="align documents and write a TMX, a review file or beads")
    align.add_argument("inputs", nargs="+", type=Path, help="a bilingual file, KO EN files, or a folder")
    align.add_argument("-o", "--output", type=Path, default=None,
                       help="output file (.tmx, .tsv, .html, .align); may be left out with --results")
    align.add_argument("--format", choices=outputs.FORMATS, help="output format (default: from the suffix)")
    align.add_argument("--encoder", default=DEFAULT_ENCODER, help="use (default), none, or st:NAME_OR_PATH")
    align.add_argument("--presplit", action="store_true", help="inputs are one sentence per line: no splitting")
    align.add_argument("--src-lang", default="ko")
    align.add_argument("--tgt-lang", default="en")
    align.add_argument("--min-score", type=float, default=None, help="leave units below this score out of the TMX")
    align.add_argument("--min-confidence", type=float, default=None, metavar="P",
                       help="leave units whose confidence (P(unit is right)) is below P out of the TMX")
    align.add_argument("--date", default=None, help="TMX creation date (YYYYMMDDThhmmssZ), for reproducible output")
    align.add_argument("--no-review", action="store_true", help="with a TMX, do not write the review files beside it")
    align.add_argument("--max-side", type=int, default=DEFAULT_PARAMS.max_side, metavar="N",
                       help=f"largest bead: 1-N and N-1 (default {DEFAULT_PARAMS.max_side})")
    align.add_argument("--jobs", type=int, default=None, help="cores to use: one worker process per core for a folder (default: all cores)")
    align.add_argument("--cache", type=Path, default=None, help="folder of the cache of vectors and aligned documents (default: ~/.cache/aligner)")
    align.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    align.add_argument("--engine", choices=ENGINES, default="local",
                       help="local: a process pool (default); ray: Ray Data, this machine or a cluster")
    align.add_argument("--ray-address", default=None, help="the Ray cluster to use (default: RAY_ADDRESS, else a local Ray)")
    align.add_argument("--results", type=Path, default=None, metavar="DIR",
                       help="write each document's result to DIR as it finishes; a re-run skips those done")
    align.set_defaults(run=_align)

    collect = commands.add_parser("collect", help="write the TMX and review files of a results folder")
    collect.add_argument("results", type=Path, help="the --results folder of a run")
    collect.add_argument("-o", "--output", type=Path, required=True)
    collect.add_argument("--format", choices=outputs.FORMATS)
    collect.add_argument("--min-score", type=float, default=None)
    collect.add_argument("--min-confidence", type=float, default=None, metavar="P",
                         help="leave units whose confidence is below P out of the TMX (as align does)")
    collect.add_argument("--date", default=None)
    collect.add_argument("--no-review", action="store_true")
    collect.set_defaults(run=_collect)

    evaluate = commands.add_parser("eval", help="score alignments against gold data")
    evaluate.add_argument("gold", type=Path, help="a folder of *.align gold with sentence files, or raw documents with gold.tsv")
    evaluate.add_argument("--encoder", default=DEFAULT_ENCODER)
    evaluate.add_argument("--src-lang", default=None, help="source language (default: from the file names)")
    evaluate.add_argument("--tgt-lang", default=None)
    evaluate.add_argument("--input", choices=["pair", "bilingual", "lines"], default="pair",
                          help="raw documents: read SRC.txt/TGT.txt (ko.txt/en.txt) or bilingual.txt, or (lines) "
                               "each line of SRC.txt/TGT.txt as a sentence when it is one gold block (the Bible's "
                               "verses)")
    evaluate.add_argument("--show-errors", type=int, default=0, metavar="N", help="print the N worst documents' wrong beads")
    evaluate.set_defaults(run=_eval)
    lint = commands.add_parser("lint", help="check a TMX for what CAT tools choke on (exit 1 if anything is found)")
    lint.add_argument("tmx", type=Path)
    lint.set_defaults(run=_lint)

    tmx = commands.add_parser("tmx", help="build a TMX from a (reviewed, edited) review TSV")
    tmx.add_argument("review", type=Path)
    tmx.add_argument("-o", "--output", type=Path, required=True)
    tmx.add_argument("--src-lang", default="ko")
    tmx.add_argument("--tgt-lang", default="en")
    tmx.add_argument("--date", default=None)
    tmx.set_defaults(run=_tmx)

    merge = commands.add_parser("merge", help="merge translation memories into one")
    merge.add_argument("inputs", nargs="+", type=Path)
    merge.add_argument("-o", "--output", type=Path, required=True)
    merge.add_argument("--date", default=None)
    merge.set_defaults(run=_merge)

    read = commands.add_parser("read", help="show a document as the aligner reads it: one block per line, "
                                            "its kind, a tab, its text")
    read.add_argument("document", type=Path, help="a .txt, .html, .pdf, .docx, .hwp or .hwpx file")
    read.set_defaults(run=_read)

    review = commands.add_parser("review", help="correct an alignment in the browser (a local web app)")
    review.add_argument("project", type=Path, help="the TMX `aligner align` wrote, or the NAME.aligner project beside it")
    review.add_argument("--port", type=int, default=None, help="port on 127.0.0.1 (default 8765, or a free one)")
    review.add_argument("--no-browser", action="store_true", help="print the address only")
    review.set_defaults(run=_review)

    export = commands.add_parser("export", help="write a reviewed project as a TMX or a review TSV")
    export.add_argument("project", type=Path, help="NAME.aligner, or the TMX it was written beside")
    export.add_argument("-o", "--output", type=Path, required=True, help="output file (.tmx or .tsv)")
    export.add_argument("--confirmed-only", action="store_true", help="only the units a person confirmed")
    export.add_argument("--min-confidence", type=float, default=None, metavar="P",
                        help="only units at or above this confidence (the score when there is none)")
    export.add_argument("--date", default=None, help="TMX creation date (YYYYMMDDThhmmssZ)")
    export.set_defaults(run=_export)

    calibrate = commands.add_parser("calibrate", help="fit the confidence model on gold data (needs the calibrate extra)")
    from aligner.calibrate import add_arguments

    add_arguments(calibrate)
    calibrate.set_defaults(run=_calibrate)
    return parser


def _read(args: argparse.Namespace) -> int:
    from aligner.readers import read_blocks

    for block in read_blocks(args.document):
        kind = f"{block.kind}:{block.role}" if block.role else block.kind
        print(f"{kind}\t{block.text}".replace("\n", " \\n "))
    return EXIT_OK


def _calibrate(args: argparse.Namespace) -> int:
    from aligner.calibrate import run

    return run(args)


def _lint(args: argparse.Namespace) -> int:
    problems = outputs.lint(args.tmx)
    for problem in problems:
        print(f"{args.tmx}: {problem}")
    if not problems:
        print(f"{args.tmx}: clean")
    return EXIT_FINDINGS if problems else EXIT_OK


def _tmx(args: argparse.Namespace) -> int:
    count = outputs.tmx_from_review(args.review, args.output, args.src_lang, args.tgt_lang, date=args.date)
    print(f"wrote {args.output} ({count} units)")
    return EXIT_OK


def _merge(args: argparse.Namespace) -> int:
    count, notes = outputs.merge_memories(args.inputs, args.output, date=args.date)
    for line in notes:
        print(line)
    print(f"wrote {args.output} ({count} units)")
    return EXIT_OK


def _review(args: argparse.Namespace) -> int:
    from aligner.workbench.server import DEFAULT_PORT, serve
    from aligner.workbench.store import open_project

    project = open_project(args.project)
    make_encoder = partial(load_encoder, project.settings.encoder, cache_dir=default_cache_dir())
    try:
        serve(project, make_encoder, port=DEFAULT_PORT if args.port is None else args.port,
              open_browser=not args.no_browser,
              announce=lambda url: print(f"reviewing {project.path}\nopen {url}\n(Ctrl+C stops)", flush=True))
    except KeyboardInterrupt:  # uvicorn stops gracefully, then passes Ctrl+C on
        pass
    print(f"stopped; every edit is in {project.path}")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from aligner.workbench.export import export
    from aligner.workbench.store import open_project

    count = export(open_project(args.project), args.output, confirmed_only=args.confirmed_only,
                   min_confidence=args.min_confidence, date=args.date)
    print(f"wrote {args.output} ({count} {'units' if args.output.suffix.lower() == '.tmx' else 'rows'})")
    return EXIT_OK


def _align(args: argparse.Namespace) -> int:
    from aligner import runner
    from aligner.engines import WorkSpec, engine_named
    from aligner.results import ResultStore

    try:
        params = with_max_side(DEFAULT_PARAMS, args.max_side)
    except ValueError as err:
        raise InputError("--max-side", str(err)) from None
    if args.output is None and args.results is None:
        raise InputError("-o", "give an output file (-o), or a results folder (--results) to collect later")
    fmt = outputs.format_for(args.output, args.format) if args.output else None
    jobs = plan_jobs(args.inputs, src_lang=args.src_lang, tgt_lang=args.tgt_lang, presplit=args.presplit)
    if args.output:
        outputs.preflight(args.output, fmt, len(jobs), args.src_lang, args.tgt_lang, date=args.date,
                          review=not args.no_review)
    engine = engine_named(args.engine, ray_address=args.ray_address)
    cores = max(1, args.jobs) if args.jobs else (default_workers() if args.engine == "local" else None)
    cache = None if args.no_cache else (args.cache or default_cache_dir())
    outputs.check_min_confidence(args.min_confidence, load_encoder(args.encoder).name)  # no model loaded yet
    store = ResultStore(args.results, {"encoder": args.encoder, "max_side": args.max_side}) if args.results else None
    done = runner.run(jobs, engine, WorkSpec(args.encoder, params, cache), cores, store)
    summary = done.summary
    if len(jobs) == 1 and done.errors:
        raise done.errors[0]
    for problem in summary.skipped:
        print(f"aligner: skipped {problem}", file=sys.stderr)
    if summary.documents == 0:
        raise InputError(args.inputs[0], "no document could be aligned")
    notes, paths = [], []
    if args.output:
        alignments = store.collect()[0] if store else done.alignments
        written = _write(alignments, args, fmt, args.encoder, args.max_side)
        notes, paths = written.notes, written.paths
    for line in summary.lines() + notes:
        print(line)
    for path in paths:
        print(f"wrote {path}")
    if store:
        print(f"results in {store.folder}")
    return EXIT_FINDINGS if summary.skipped else EXIT_OK


def _write(alignments, args: argparse.Namespace, fmt: str, encoder: str, max_side: int) -> outputs.Written:
    """The output, its review files and, beside a TMX, the project `aligner review` opens."""
    written = outputs.write(alignments, args.output, fmt, min_score=args.min_score,
                            min_confidence=args.min_confidence, date=args.date,
                            review=not args.no_review, encoder=load_encoder(encoder).name)
    if fmt == "tmx" and not args.no_review:
        from aligner.workbench.store import Settings, project_path, write_project

        kept = write_project(project_path(args.output), alignments, Settings(encoder, max_side))
        written.notes += [kept] if kept else []
        written.paths.append(project_path(args.output))
    return written


def _collect(args: argparse.Namespace) -> int:
    from aligner.pipeline import Summary
    from aligner.results import ResultStore

    fmt = outputs.format_for(args.output, args.format)
    store = ResultStore(args.results)
    alignments, missing = store.collect()
    if not alignments:
        raise InputError(args.results, "holds no aligned document")
    first = alignments[0].document
    outputs.preflight(args.output, fmt, len(alignments), first.src_lang, first.tgt_lang, date=args.date,
                      review=not args.no_review)
    summary = Summary()
    for alignment in alignments:
        summary.add(alignment)
    settings = store.settings()
    encoder = settings.get("encoder", DEFAULT_ENCODER)
    outputs.check_min_confidence(args.min_confidence, load_encoder(encoder).name)
    written = _write(alignments, args, fmt, encoder, settings.get("max_side", DEFAULT_PARAMS.max_side))
    for name in missing:
        print(f"aligner: not aligned (yet): {name}", file=sys.stderr)
    for line in summary.lines() + written.notes + [f"not aligned: {len(missing)}"] * bool(missing):
        print(line)
    for path in written.paths:
        print(f"wrote {path}")
    return EXIT_FINDINGS if missing else EXIT_OK


def _eval(args: argparse.Namespace) -> int:
    from aligner import gold

    report = gold.evaluate_path(args.gold, load_encoder(args.encoder), src_lang=args.src_lang,
                                     tgt_lang=args.tgt_lang, raw_input=args.input)
    for line in report.lines(show_errors=args.show_errors):
        print(line)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
