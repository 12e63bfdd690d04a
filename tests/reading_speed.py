"""How much of an end-to-end run reading takes, for a 20-page pair of DOCX or PDF files.

    python -m tests.reading_speed [--runs 3]

Writes the seeds' Korean halves and English halves, repeated, as a Korean and an English
document of at least 20 pages each (PDF pages counted; the DOCX holds the same text), then
times reading both files (aligner.pipeline.read_side) in this process and `aligner align KO EN`
end to end in a fresh process (model load included, cache off). A measurement, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aligner.documents import line_script
from aligner.pipeline import read_side
from tests.render import WRITERS, seed_paragraphs

ROOT = Path(__file__).resolve().parent.parent


def halves(copies: int) -> tuple[list[str], list[str]]:
    ko: list[str] = []
    en: list[str] = []
    for _ in range(copies):
        for seed in sorted((ROOT / "seeds").glob("*.txt")):
            paras = seed_paragraphs(seed)
            ko += [p for p in paras if line_script(p) == "ko"]
            en += [p for p in paras if line_script(p) == "en"]
    return ko, en


def pages(pdf: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        copies = 1
        while True:
            ko, en = halves(copies)
            WRITERS["pdf"](ko, tmp / "ko.pdf")
            WRITERS["pdf"](en, tmp / "en.pdf")
            if min(pages(tmp / "ko.pdf"), pages(tmp / "en.pdf")) >= 20:
                break
            copies += 1
        print(f"{copies} copies of the seeds: ko.pdf {pages(tmp / 'ko.pdf')} pages, en.pdf {pages(tmp / 'en.pdf')} pages")
        for fmt in ("docx", "pdf"):
            if fmt != "pdf":
                WRITERS[fmt](ko, tmp / f"ko.{fmt}")
                WRITERS[fmt](en, tmp / f"en.{fmt}")
            paths = (tmp / f"ko.{fmt}", tmp / f"en.{fmt}")
            read_side(paths[0])  # imports the reader's library once, as a run does
            reads, totals = [], []
            for _ in range(args.runs):
                started = time.perf_counter()
                for path in paths:
                    read_side(path)
                reads.append(time.perf_counter() - started)
                started = time.perf_counter()
                subprocess.run([sys.executable, "-m", "aligner", "align", *map(str, paths), "-o",
                                str(tmp / f"{fmt}.tmx"), "--no-cache", "--jobs", "2"], check=True, capture_output=True)
                totals.append(time.perf_counter() - started)
            read, total = statistics.median(reads), statistics.median(totals)
            print(f"{fmt}: reading both {read:.3f} s, end to end {total:.2f} s (median of {args.runs}): "
                  f"reading is {100 * read / total:.1f} %")


if __name__ == "__main__":
    main()
