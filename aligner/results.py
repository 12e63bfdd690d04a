"""A run's results folder: one JSONL file per aligned document, written as each one finishes.

Memory does not grow with the corpus (the driver keeps counts, not alignments), an interrupted
run keeps every finished document, and a re-run skips the documents whose result is already
here for the same input text, encoder, parameters and code (the key of aligner.alignment_cache).
`aligner collect` turns the folder into the TMX and review files, in the manifest's order.

Layout of the folder:

    manifest.jsonl        one line per document of the run, in order: {"document", "paths", ...}
    settings.json         how the run aligned (encoder, largest bead), for the review project
    docs/NAME.jsonl       first line: the document (key, languages, sentences, counts); then
                          one line per bead: document, src_ids, tgt_ids, src, tgt, score,
                          confidence (when the aligner gives one), status (aligned / unaligned)

Every file is written whole or not at all (aligner.formats.atomic).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable
from urllib.parse import quote

from aligner.data import Alignment, Bead, Document, DocumentCounts, Sentence
from aligner.errors import InputError
from aligner.formats.atomic import write_atomic

MANIFEST = "manifest.jsonl"
SETTINGS = "settings.json"
DOCS = "docs"
MAX_READABLE = 120  # bytes of a quoted name kept in its file name (temporary files add ~25)


def alignment_lines(alignment: Alignment, key: str = "") -> list[str]:
    """One document as JSON lines: the document itself, then one line per bead."""
    doc = alignment.document
    head = {"document": doc.name, "key": key, "src_lang": doc.src_lang, "tgt_lang": doc.tgt_lang,
            "src": [list(asdict(s).values()) for s in doc.src], "tgt": [list(asdict(s).values()) for s in doc.tgt],
            "counts": _counts_record(DocumentCounts.of(alignment))}
    lines = [json.dumps(head, ensure_ascii=False)]
    for bead in alignment.beads:
        src, tgt = alignment.src_text(bead), alignment.tgt_text(bead)
        row = {"document": doc.name, "src_ids": list(bead.src), "tgt_ids": list(bead.tgt), "src": src, "tgt": tgt,
               "score": bead.score}
        if bead.confidence is not None:
            row["confidence"] = bead.confidence
        row["status"] = "aligned" if src.strip() and tgt.strip() else "unaligned"
        lines.append(json.dumps(row, ensure_ascii=False))
    return lines


def alignment_from_lines(lines: Iterable[str], name: str | None = None) -> Alignment:
    """The alignment alignment_lines wrote, exactly (renamed to `name` if given)."""
    rows = iter(lines)
    head = json.loads(next(rows))
    document = Document(name if name is not None else head["document"], head["src_lang"], head["tgt_lang"],
                        [Sentence(*s) for s in head["src"]], [Sentence(*s) for s in head["tgt"]])
    beads = []
    for line in rows:
        row = json.loads(line)
        beads.append(Bead(tuple(row["src_ids"]), tuple(row["tgt_ids"]), row["score"], row.get("confidence")))
    return Alignment(document, beads)


def _counts_record(counts: DocumentCounts) -> dict:
    # (dataclasses.asdict rebuilds a Counter from (key, value) pairs, counting the pairs)
    return {"src_sentences": counts.src_sentences, "tgt_sentences": counts.tgt_sentences,
            "beads": dict(counts.beads), "unaligned_src": counts.unaligned_src, "unaligned_tgt": counts.unaligned_tgt}


def _counts(data: dict) -> DocumentCounts:
    return DocumentCounts(data["src_sentences"], data["tgt_sentences"], Counter(data["beads"]),
                          data["unaligned_src"], data["unaligned_tgt"])


@dataclass(frozen=True)
class Done:
    """A document already in the folder: its key (to compare with the input's) and its counts."""

    key: str
    counts: DocumentCounts


class ResultStore:
    """The results folder of a run (see the module docstring)."""

    def __init__(self, folder: Path, settings: dict | None = None) -> None:
        self.folder = Path(folder)
        self._settings = settings or {}

    def path(self, name: str) -> Path:
        """The document's file: its name as far as it fits, and a hash of the whole name (a
        quoted Hangul character takes 9 bytes, and a file name at most 255)."""
        readable = quote(name, safe="")
        if len(readable) <= MAX_READABLE:
            return self.folder / DOCS / (readable + ".jsonl")
        digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8).hexdigest()
        return self.folder / DOCS / f"{readable[:MAX_READABLE].rsplit('%', 1)[0]}-{digest}.jsonl"

    def start(self, names: list[str], manifest_rows: list[dict]) -> None:
        """Make the folder, write the run's manifest and drop temporary files a killed run left."""
        if self.folder.exists() and not self.folder.is_dir():
            raise InputError(self.folder, "the results folder is a file")
        if not self.folder.parent.is_dir():
            raise InputError(self.folder, "the folder holding the results folder does not exist")
        if len(set(names)) != len(names):
            twice = sorted({n for n in names if names.count(n) > 1})[:3]
            raise InputError(self.folder, f"two documents have the same name: {', '.join(twice)}")
        (self.folder / DOCS).mkdir(parents=True, exist_ok=True)
        for stale in (self.folder / DOCS).glob(".*.tmp"):
            stale.unlink(missing_ok=True)
        write_atomic(self.folder / MANIFEST, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in manifest_rows))
        write_atomic(self.folder / SETTINGS, json.dumps(self._settings) + "\n")

    def settings(self) -> dict:
        """What the run that filled the folder was given (empty if it said nothing)."""
        try:
            return json.loads((self.folder / SETTINGS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def done(self, name: str) -> Done | None:
        """The document's key and counts if its result is here (only the first line is read)."""
        try:
            with self.path(name).open(encoding="utf-8") as handle:
                head = json.loads(handle.readline())
            return Done(head["key"], _counts(head["counts"]))
        except (OSError, ValueError, KeyError):
            return None

    def write(self, alignment: Alignment, key: str) -> None:
        write_atomic(self.path(alignment.document.name), "\n".join(alignment_lines(alignment, key)) + "\n")

    def read(self, name: str) -> Alignment | None:
        try:
            text = self.path(name).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        return alignment_from_lines(text.splitlines(), name)

    def manifest(self) -> list[dict]:
        path = self.folder / MANIFEST
        if not path.is_file():
            raise InputError(self.folder, "is not a results folder (no manifest.jsonl)")
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def collect(self) -> tuple[list[Alignment], list[str]]:
        """Every finished document in the manifest's order, and the names of those not finished."""
        alignments, missing = [], []
        for row in self.manifest():
            alignment = self.read(row["document"])
            if alignment is None:
                missing.append(row["document"])
            else:
                alignments.append(alignment)
        return alignments, missing
