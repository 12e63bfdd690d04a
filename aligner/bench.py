"""Alignment quality on the development data: every data set, mode and encoder in one table.

    python -m aligner.bench --data ../shared/data [--encoders use,use-numpy,none]
        [--dev-extra [NAME=]PATH[:SRC-TGT] ...] [--extra [NAME=]PATH[:SRC-TGT] ...]
        [--bertalign PATH] [--show-errors N]

Runs the real pipeline (aligner.gold.evaluate_path: reading, splitting, encoding, aligning,
scoring as in docs/evaluation.md) over each gold set found under --data: pre-split gold
(`*.align`, `dev.defr`) and raw documents (`*/gold.tsv`, once as a pair of files, once as a
bilingual file where there is one, and once as pre-split lines where each line is one gold
block, as the Bible's verses). `--extra` adds held-out gold sets kept outside the project (the
MAC test set), `--dev-extra` development ones (the MAC dev set, which the confidence is fitted
on too). Besides each encoder, a plain diagonal baseline (no encoder, no length model: source
sentence i takes the target sentences the straight line from (0, 0) to (n, m) passes) shows how
much the aligner adds. With `--bertalign`, a copy of Bertalign's repository aligns the same
pre-split sets with the same encoders (aligner.peer_bertalign). A summary compares each set's
strict F1 with issue 11's target. Seconds include encoding; the machine's cores are printed.
Then the calibration of each encoder's confidence (aligner/calibrate.py: out-of-fold ECE,
Brier, AUROC, precision and coverage at p ≥ .5/.8/.9), with a reliability diagram per encoder
written to --figures (needs the calibrate extra), and the shipped models' confidence on the
--extra sets, which they were not fitted on.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from aligner.align import DEFAULT_PARAMS, AlignParams, SearchFunction, align_document
from aligner.data import Bead, Document
from aligner.encoders import load_encoder
from aligner.errors import InputError
from aligner.gold import Report, evaluate_path, has_line_gold
from aligner.pipeline import default_workers

PRESPLIT, PAIR, BILINGUAL, LINES = "pre-split", "pair", "bilingual", "lines"
MODE_NAMES = {PRESPLIT: "pre-split", PAIR: "raw pair (block scoring)", BILINGUAL: "bilingual file (block scoring)",
              LINES: "lines as pre-split sentences"}

# Issue 11's targets (strict F1), by set and mode; MAC test must also beat Bertalign.
TARGETS = {
    ("ntrex-ko-en-dev/seg", PRESPLIT): 0.993,
    ("ntrex-ko-en-dev/raw", PAIR): 0.975,
    ("ntrex-ko-en-dev/raw", BILINGUAL): 0.975,
    ("textberg-de-fr-dev", PRESPLIT): 0.92,
    ("bible-ko-en-dev", PAIR): 0.975,
    ("bible-ko-en-dev", LINES): 0.99,
    ("mac-test", PRESPLIT): 0.88,
}
MUST_BEAT_PEER = {("mac-test", PRESPLIT)}


@dataclass(frozen=True)
class GoldSet:
    """One row group of the bench: a gold folder read in one mode."""

    name: str
    folder: Path
    mode: str
    src_lang: str | None = None  # None: from the file names
    tgt_lang: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.name, self.mode


def diagonal_beads(n: int, m: int) -> list[Bead]:
    """Sentence i of n takes targets round(i·m/n) … round((i+1)·m/n) − 1: the plain diagonal."""
    if n == 0:
        return [Bead((), (j,)) for j in range(m)]
    bounds = [round(i * m / n) for i in range(n + 1)]
    return [Bead((i,), tuple(range(bounds[i], bounds[i + 1]))) for i in range(n)]


def diagonal(document: Document, encoder, params=None) -> list[Bead]:
    """The baseline in place of the aligner: no encoder, no length model."""
    return diagonal_beads(len(document.src), len(document.tgt))


def sets_in(folder: Path, name: str, src_lang: str | None = None, tgt_lang: str | None = None) -> list[GoldSet]:
    """The modes one gold folder is read in: pre-split, or raw as a pair, a bilingual file and lines."""
    if not any(folder.glob("*/gold.tsv")):
        return [GoldSet(name, folder, PRESPLIT, src_lang, tgt_lang)]
    sets = [GoldSet(name, folder, PAIR, src_lang, tgt_lang)]
    if any(folder.glob("*/bilingual.txt")):
        sets.append(GoldSet(name, folder, BILINGUAL, src_lang, tgt_lang))
    if has_line_gold(folder, src_lang, tgt_lang):
        sets.append(GoldSet(name, folder, LINES, src_lang, tgt_lang))
    return sets


def find_sets(data: Path) -> list[GoldSet]:
    """Every gold set under data: pre-split folders first, then raw ones, each sorted by name."""
    presplit = sorted({p.parent for p in data.rglob("*.align")} | {p.parent for p in data.rglob("*.defr")})
    raw = sorted({p.parent.parent for p in data.rglob("gold.tsv")})
    return [s for folder in presplit + raw for s in sets_in(folder, str(folder.relative_to(data)))]


_LANGS = re.compile(r"^(.*):([A-Za-z]{2,3}(?:[-_][A-Za-z]{2,4})?)-([A-Za-z]{2,3}(?:[-_][A-Za-z]{2,4})?)$")


def parse_extra(spec: str) -> list[GoldSet]:
    """`[NAME=]PATH[:SRC-TGT]`: a gold folder kept outside the project (the name defaults to the
    folder's; languages default to the file names')."""
    name = ""
    if "=" in spec and "/" not in spec.split("=", 1)[0]:
        name, spec = spec.split("=", 1)
    src_lang = tgt_lang = None
    match = _LANGS.match(spec)
    if match:
        spec, src_lang, tgt_lang = match.groups()
    folder = Path(spec)
    if not folder.is_dir():
        raise InputError(folder, "no such folder (a gold folder is given as [NAME=]PATH[:SRC-TGT])")
    return sets_in(folder, name or folder.resolve().name, src_lang, tgt_lang)


def extra_sets(specs: list[str]) -> list[GoldSet]:
    """The gold sets of every `[NAME=]PATH[:SRC-TGT]` spec (--extra, --dev-extra)."""
    return [s for spec in specs for s in parse_extra(spec)]


def run_set(gold_set: GoldSet, encoder, search: SearchFunction | None = None,
            params: AlignParams = DEFAULT_PARAMS) -> Report:
    return evaluate_path(gold_set.folder, encoder, src_lang=gold_set.src_lang, tgt_lang=gold_set.tgt_lang,
                         raw_input=gold_set.mode if gold_set.mode in (BILINGUAL, LINES) else PAIR, search=search,
                         params=params)


def row(gold_set: GoldSet, report: Report, label: str) -> str:
    s = report.scores
    return (f"| {gold_set.name} | {MODE_NAMES[gold_set.mode]} | {label} | {s.strict_precision:.4f} | "
            f"{s.strict_recall:.4f} | {s.strict_f1:.4f} | {s.lax_precision:.4f} | {s.lax_recall:.4f} | "
            f"{s.lax_f1:.4f} | {report.missing:.2%} | {report.seconds:.1f} |")


def summary(sets: list[GoldSet], runs: list[tuple[GoldSet, str, Report]], project: list[str],
            peers: list[str]) -> list[str]:
    """Each set's strict F1: the project with each encoder, Bertalign with each, the target, met?"""
    f1 = {(s.key, label): r.scores.strict_f1 for s, label, r in runs}
    columns = project + [f"bertalign ({e})" for e in peers]
    lines = ["| data set | mode | " + " | ".join(columns) + " | target | target met |",
             "|---|---|" + "---|" * len(columns) + "---|---|"]
    for s in sets:
        cells = [f"{f1[(s.key, c)]:.4f}" if (s.key, c) in f1 else "—" for c in columns]
        target = TARGETS.get(s.key)
        verdicts = []
        for encoder in project:
            if target is None or (s.key, encoder) not in f1:
                continue
            ok = f1[(s.key, encoder)] >= target
            # the peer with the same encoder; else its best run (it ran with fewer encoders)
            peer_f1 = [f1[(s.key, c)] for c in columns[len(project):] if (s.key, c) in f1]
            peer = f1.get((s.key, f"bertalign ({encoder})"), max(peer_f1, default=None))
            if s.key in MUST_BEAT_PEER:
                ok = ok and peer is not None and f1[(s.key, encoder)] > peer
            verdicts.append(f"{encoder}: {'yes' if ok else 'no'}")
        goal = "—" if target is None else f"≥ {target:.3f}" + (" and > Bertalign" if s.key in MUST_BEAT_PEER else "")
        lines.append(f"| {s.name} | {MODE_NAMES[s.mode]} | " + " | ".join(cells)
                     + f" | {goal} | {', '.join(verdicts) or '—'} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aligner.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="folder of gold sets")
    parser.add_argument("--encoders", default="use,use-numpy,none", help="comma-separated encoder names")
    parser.add_argument("--extra", action="append", default=[], metavar="[NAME=]PATH[:SRC-TGT]",
                        help="a gold folder outside --data (repeatable), e.g. mac-test=/data/mac-test:zh-en")
    parser.add_argument("--dev-extra", action="append", default=[], metavar="[NAME=]PATH[:SRC-TGT]",
                        help="a development gold folder outside --data (repeatable): scored like --extra, "
                             "and fitted on by the calibration report, as by `aligner calibrate --dev-extra`")
    parser.add_argument("--bertalign", type=Path, metavar="PATH",
                        help="a copy of the bfsujason/bertalign repository: align the pre-split sets with it too")
    parser.add_argument("--bertalign-encoders", metavar="NAMES",
                        help="which of --encoders Bertalign runs with (default: the first; each takes "
                             "about as long as that encoder's whole project run, twice on MAC test)")
    parser.add_argument("--cache", type=Path, metavar="DIR",
                        help="keep vectors in DIR, for encoders whose vectors do not depend on the batch "
                             "(use-numpy; not use-onnx): a re-run skips what was encoded before, and its "
                             "seconds then leave that encoding out")
    parser.add_argument("--no-baseline", action="store_true", help="skip the diagonal baseline")
    parser.add_argument("--show-errors", type=int, default=0, metavar="N",
                        help="after the table, the wrong beads of the N worst documents of each run")
    parser.add_argument("--figures", type=Path, default=Path("results"),
                        help="where the reliability diagrams go (default: results/)")
    parser.add_argument("--no-calibration", action="store_true", help="skip the calibration report")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        parser.error(f"{args.data}: no such folder")
    try:
        extra = extra_sets(args.extra)
        sets = find_sets(args.data) + extra_sets(args.dev_extra) + extra
        peer = None
        if args.bertalign:
            from aligner.peer_bertalign import BertalignSearch

            peer = BertalignSearch(args.bertalign)
    except InputError as err:
        parser.error(str(err))
    if not sets:
        parser.error(f"{args.data}: no gold sets found")
    started = time.perf_counter()
    runs: list[tuple[GoldSet, str, Report]] = []
    project: list[str] = []
    peers: list[str] = []
    encoders = [e for e in args.encoders.split(",") if e]
    peer_encoders = [e for e in (args.bertalign_encoders or args.encoders).split(",") if e]
    peer_encoders = peer_encoders if args.bertalign_encoders else peer_encoders[:1]
    for encoder_name in encoders + ([] if args.no_baseline else ["diagonal"]):
        encoder = load_encoder("none" if encoder_name == "diagonal" else encoder_name, cache_dir=args.cache)
        # the numpy USE calls itself `use` (the name its cached vectors are kept under)
        label = "diagonal" if encoder_name == "diagonal" else {"use": "use-numpy"}.get(encoder.name, encoder.name)
        aligners = [(label, diagonal if encoder_name == "diagonal" else align_document, sets)]
        if encoder.name != "none" and encoder_name != "diagonal":
            project.append(label)
            if peer is not None and encoder_name in peer_encoders:
                peers.append(label)
                aligners.append((f"bertalign ({label})", peer, [s for s in sets if s.mode in (PRESPLIT, LINES)]))
        for run_label, search, run_sets in aligners:
            for gold_set in run_sets:
                report = run_set(gold_set, encoder, search)
                runs.append((gold_set, run_label, report))
                print(f"done: {gold_set.name} {gold_set.mode} {run_label}: strict F1 {report.scores.strict_f1:.4f} "
                      f"({report.seconds:.1f}s)", file=sys.stderr)
    print(f"Alignment quality on {args.data}" + "".join(f" + {spec}" for spec in args.dev_extra + args.extra)
          + f" (micro-averaged; seconds include encoding; {default_workers()} cores; "
          f"{time.perf_counter() - started:.0f} s in all, model loads included"
          + (f"; vectors cached in {args.cache}" if args.cache else "") + ")\n")
    print("| data set | mode | aligner | strict P | strict R | strict F1 | lax P | lax R | lax F1 | text missing | seconds |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    order = {s: k for k, s in enumerate(sets)}
    for gold_set, label, report in sorted(runs, key=lambda r: order[r[0]]):
        print(row(gold_set, report, label))
    print("\nStrict F1 against issue 11's targets\n")
    print("\n".join(summary(sets, runs, project, peers)))
    if args.show_errors:
        for gold_set, label, report in runs:
            print(f"\n### {gold_set.name} / {MODE_NAMES[gold_set.mode]} / {label}")
            for line in report.error_lines(args.show_errors):
                print(line)
    if not args.no_calibration:  # use-numpy is served by the use model (models/README.md)
        calibration_report(args.data, [e for e in encoders if e != "use-numpy"], args.figures, args.dev_extra)
        held_out_confidence([run for run in runs if run[0] in extra])
    return 0


def calibration_report(data: Path, encoders: list[str], figures: Path, extra: list[str]) -> None:
    """Each encoder's confidence, out of fold, per data set and overall, and its reliability diagram."""
    from aligner.calibrate import calibrate, metrics_by_set, reliability_diagram, table

    for encoder_name in encoders:
        cal = calibrate(data, encoder_name, Path(".cache/calibrate"),
                        log=lambda line: print(line, file=sys.stderr), extra=extra)
        for title, p in cal.out_of_fold():
            print(f"\nConfidence calibration, {cal.encoder}, out of fold ({title}); ECE over 15 equal-mass bins, "
                  "precision (P) and coverage (cov) of units at p ≥ t\n")
            print("\n".join(table(metrics_by_set(cal.rows, p))))
        if cal.by_document is None:
            continue
        figure = figures / f"reliability-{encoder_name}.png"
        reliability_diagram(cal.rows, cal.by_document, f"Confidence ({cal.encoder}), out of fold "
                            "(5 folds grouped by document)", figure)
        print(f"\nreliability diagram: {figure}")


def held_out_confidence(runs: list[tuple[GoldSet, str, Report]]) -> None:
    """The shipped confidence models (models/confidence-*.json) on the held-out (--extra) sets,
    which they were never fitted on: how far their probabilities hold on other text."""
    from aligner.calibrate import shipped_metrics, table

    results = {}
    for gold_set, label, report in runs:
        measured = shipped_metrics(gold_set.folder, report.documents)
        if measured is not None:  # runs without a fitted model (diagonal, Bertalign) carry no confidence
            results[f"{gold_set.name} / {MODE_NAMES[gold_set.mode]} / {label}"] = measured
    if results:
        print("\nConfidence on the held-out sets (--extra; the shipped models, not fitted on them)\n")
        print("\n".join(table(results)))


if __name__ == "__main__":
    raise SystemExit(main())
