"""Bertalign (Liu & Zhu 2022), the peer `make bench` measures beside this aligner, run from a copy
of its repository (bfsujason/bertalign) with this project's encoder in place of LaBSE.

Nothing of Bertalign is part of the package: its modules are imported from the folder given at
run time. Its own package `__init__` loads LaBSE from a hub (impossible offline), so the package
is set up here without it, and its module-level `model` becomes `OverlapEncoder`, which returns
our vectors in the shape Bertalign's `Encoder.transform` does. Everything else runs as
published: the `Bertalign` class with its default parameters, both passes of its DP (corelib,
numba and faiss), pre-split input (`is_split=True`). Its language detection (Google Translate
over the network) is replaced by the languages the bench already knows; they are only printed.
Needs the `bench` extra (faiss-cpu, numba, torch).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

import numpy as np

from aligner.align.params import AlignParams
from aligner.data import Bead, Document, base_language
from aligner.encoders.base import Encoder
from aligner.errors import InputError

# imported by bertalign/utils.py for what pre-split input never uses (language detection,
# sentence splitting); when they are not installed, names that fail if called stand in
_UNUSED_IMPORTS = {"googletrans": "Translator", "sentence_splitter": "SentenceSplitter"}


@dataclass
class OverlapEncoder:
    """Bertalign's `Encoder` interface over one of ours: `transform(sents, num_overlaps)` gives
    the vectors of every run of 1 … num_overlaps sentences, (num_overlaps, n, dim), and their
    lengths in UTF-8 bytes, (num_overlaps, n), as Bertalign's own does with LaBSE."""

    encoder: Encoder
    yield_overlaps: Callable[[Sequence[str], int], Iterator[str]]

    @property
    def model_name(self) -> str:
        return self.encoder.name

    def transform(self, sents: Sequence[str], num_overlaps: int) -> tuple[np.ndarray, np.ndarray]:
        overlaps = list(self.yield_overlaps(sents, num_overlaps))
        vectors = np.ascontiguousarray(self.encoder.encode(overlaps), dtype=np.float32)
        lengths = np.array([len(line.encode("utf-8")) for line in overlaps])
        return vectors.reshape(num_overlaps, len(sents), -1), lengths.reshape(num_overlaps, len(sents))


def _unused(name: str) -> type:
    def fail(*args, **kwargs):
        raise RuntimeError(f"{name} is not used for pre-split input with known languages")

    return type(name, (), {"__init__": fail})


def load_bertalign(repository: Path) -> types.ModuleType:
    """Bertalign's `bertalign.aligner` module from a copy of its repository, without its
    package `__init__` (which loads LaBSE)."""
    folder = repository / "bertalign"
    if not (folder / "aligner.py").is_file() or not (folder / "corelib.py").is_file():
        raise InputError(repository, "not a copy of bfsujason/bertalign (no bertalign/aligner.py and corelib.py)")
    loaded = sys.modules.get("bertalign")
    if loaded is not None and list(getattr(loaded, "__path__", [])) != [str(folder)]:
        raise InputError(repository, f"another bertalign is already imported ({getattr(loaded, '__path__', '?')})")
    for name, member in _UNUSED_IMPORTS.items():
        try:
            importlib.import_module(name)
        except ImportError:
            module = types.ModuleType(name)
            setattr(module, member, _unused(member))
            sys.modules[name] = module
    if loaded is None:
        package = types.ModuleType("bertalign")
        package.__path__ = [str(folder)]
        package.model = None  # `from bertalign import model` in aligner.py; set per document below
        sys.modules["bertalign"] = package
    try:
        return importlib.import_module("bertalign.aligner")
    except ImportError as err:
        raise RuntimeError(f"Bertalign needs the bench extra (pip install -e '.[bench]'): {err}") from err


class BertalignSearch:
    """A search for `aligner.align.align`: Bertalign's beads for a document's sentences."""

    def __init__(self, repository: Path) -> None:
        self.module = load_bertalign(repository)

    def __call__(self, document: Document, encoder: Encoder, params: AlignParams | None = None) -> list[Bead]:
        # Bertalign reads one sentence a line; a line break inside a sentence would shift its ids
        src = "\n".join(" ".join(s.text.splitlines()) for s in document.src)
        tgt = "\n".join(" ".join(s.text.splitlines()) for s in document.tgt)
        languages = iter([base_language(document.src_lang), base_language(document.tgt_lang)])
        self.module.model = OverlapEncoder(encoder, self.module.yield_overlaps)
        self.module.detect_lang = lambda text: next(languages)
        with contextlib.redirect_stdout(io.StringIO()):  # it prints its progress
            aligner = self.module.Bertalign(src, tgt, is_split=True)
            if (aligner.src_num, aligner.tgt_num) != (len(document.src), len(document.tgt)):
                raise RuntimeError(f"{document.name}: Bertalign read {aligner.src_num}/{aligner.tgt_num} sentences "
                                   f"of {len(document.src)}/{len(document.tgt)}")
            aligner.align_sents()
        return [Bead(tuple(src_ids), tuple(tgt_ids)) for src_ids, tgt_ids in aligner.result]
