"""Alignment quality on the development data: every data set, mode and encoder in one table.

    python -m aligner.bench --data ../shared/data [--encoders use,none] [--show-errors N]

Runs the real pipeline (aligner.gold.evaluate_path: reading, splitting, encoding, aligning,
scoring as in docs/evaluation.md) over each gold set found under --data: pre-split gold
(`*.align`, `dev.defr`) and raw documents (`*/gold.tsv`, once as a pair of files and once as a
bilingual file). Besides each encoder, a plain diagonal baseline (no encoder, no length model:
source sentence i takes the target sentences the straight line from (0, 0) to (n, m) passes)
shows how much the aligner adds. Seconds include encoding; the machine's cores are printed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aligner.align import align_document
from aligner.data import Bead, Document
from aligner.encoders import load_encoder
from aligner.gold import Report, evaluate_path
from aligner.pipeline import default_workers


def diagonal_beads(n: int, m: int) -> list[Bead]:
    """Sentence i of n takes targets round(i·m/n) … round((i+1)·m/n) − 1: the plain diagonal."""
    if n == 0:
        return [Bead((), (j,)) for j in range(m)]
    bounds = [round(i * m / n) for i in range(n + 1)]
    return [Bead((i,), tuple(range(bounds[i], bounds[i + 1]))) for i in range(n)]


def diagonal(document: Document, encoder, params=None) -> list[Bead]:
    """The baseline in place of the aligner: no encoder, no length model."""
    return diagonal_beads(len(document.src), len(document.tgt))


def find_sets(data: Path) -> list[tuple[str, Path, str]]:
    """(name, folder, raw_input) for every gold set under data."""
    sets = []
    for folder in sorted({p.parent for p in data.rglob("*.align")} | {p.parent for p in data.rglob("*.defr")}):
        sets.append((str(folder.relative_to(data)), folder, "pair"))
    for folder in sorted({p.parent.parent for p in data.rglob("gold.tsv")}):
        name = str(folder.relative_to(data))
        sets.append((name, folder, "pair"))
        if any(folder.glob("*/bilingual.txt")):
            sets.append((name, folder, "bilingual"))
    return sets


def mode_name(report: Report) -> str:
    return {"raw bilingual file": "bilingual file"}.get(report.mode, report.mode)


def row(name: str, report: Report, encoder: str) -> str:
    s = report.scores
    return (f"| {name} | {mode_name(report)} | {encoder} | {s.strict_precision:.4f} | {s.strict_recall:.4f} | "
            f"{s.strict_f1:.4f} | {s.lax_precision:.4f} | {s.lax_recall:.4f} | {s.lax_f1:.4f} | "
            f"{report.missing:.2%} | {report.seconds:.1f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aligner.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="folder of gold sets")
    parser.add_argument("--encoders", default="use,none", help="comma-separated encoder names")
    parser.add_argument("--no-baseline", action="store_true", help="skip the diagonal baseline")
    parser.add_argument("--show-errors", type=int, default=0, metavar="N",
                        help="after the table, the wrong beads of the N worst documents of each run")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        parser.error(f"{args.data}: no such folder")
    sets = find_sets(args.data)
    if not sets:
        parser.error(f"{args.data}: no gold sets found")
    runs: list[tuple[str, str, Report]] = []
    encoders = [e for e in args.encoders.split(",") if e]
    for encoder_name in encoders + ([] if args.no_baseline else ["diagonal"]):
        encoder = load_encoder("none" if encoder_name == "diagonal" else encoder_name)
        align = diagonal if encoder_name == "diagonal" else align_document
        for name, folder, raw_input in sets:
            report = evaluate_path(folder, encoder, raw_input=raw_input, align=align)
            runs.append((name, encoder_name, report))
            print(f"done: {name} {mode_name(report)} {encoder_name} ({report.seconds:.1f}s)", file=sys.stderr)
    print(f"Alignment quality on {args.data} (micro-averaged; seconds include encoding; "
          f"{default_workers()} cores)\n")
    print("| data set | mode | encoder | strict P | strict R | strict F1 | lax P | lax R | lax F1 | text missing | seconds |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, encoder_name, report in runs:
        print(row(name, report, "diagonal" if encoder_name == "diagonal" else report.encoder))
    if args.show_errors:
        for name, encoder_name, report in runs:
            print(f"\n### {name} / {mode_name(report)} / {encoder_name}")
            for line in report.error_lines(args.show_errors):
                print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
