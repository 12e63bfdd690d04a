"""A list of documents to align, as a file: CSV or JSONL, one document per row.

Columns (JSONL keys): `id` (the document's name in the outputs; default: the file's stem) and
either `src` and `tgt` (one file per side) or `path` (a bilingual file). Relative paths are
relative to the manifest's folder. This is how a corpus whose files live in several folders,
or a shard of one, is handed to a run.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from aligner.errors import InputError

MANIFEST_SUFFIXES = {".csv", ".jsonl"}


def read_manifest(path: Path) -> list[tuple[str, tuple[Path, ...]]]:
    """(name, paths) per row, in order; InputError naming the line for a row that is not usable."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, "is not UTF-8 text") from None
    if path.suffix.lower() == ".csv":
        rows = [(n + 2, row) for n, row in enumerate(csv.DictReader(text.splitlines()))]
    else:
        rows = []
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    rows.append((n, json.loads(line)))
                except ValueError:
                    raise InputError(path, f"line {n} is not JSON") from None
    documents = []
    for n, row in rows:
        if not isinstance(row, dict):
            raise InputError(path, f"line {n} is not an object with src and tgt, or path")
        row = {str(k).strip().lower(): str(v).strip() for k, v in row.items() if v is not None}
        if row.get("src") and row.get("tgt"):
            files = (row["src"], row["tgt"])
        elif row.get("path"):
            files = (row["path"],)
        else:
            raise InputError(path, f"line {n} names no files (columns src and tgt, or path)")
        paths = tuple(p if p.is_absolute() else path.parent / p for p in map(Path, files))
        documents.append((row.get("id") or paths[0].stem, paths))
    if not documents:
        raise InputError(path, "lists no documents")
    return documents
