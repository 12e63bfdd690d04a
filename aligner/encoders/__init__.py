"""Encoders, found by name: `use` (packaged default), `st:NAME_OR_PATH`, `none`."""

from __future__ import annotations

from aligner.encoders.base import Encoder

DEFAULT_ENCODER = "use"


def load_encoder(spec: str = DEFAULT_ENCODER) -> Encoder:
    """The encoder a `--encoder` value names; its model loads on first use, not here."""
    if spec == "none":
        from aligner.encoders.none import NoEncoder

        return NoEncoder()
    if spec == "use":
        from aligner.encoders.use import UseEncoder

        return UseEncoder()
    if spec.startswith("st:") and len(spec) > 3:
        from aligner.encoders.st import SentenceTransformerEncoder

        return SentenceTransformerEncoder(spec[3:])
    raise ValueError(f"unknown encoder {spec!r}: use 'use', 'none' or 'st:NAME_OR_PATH'")


__all__ = ["DEFAULT_ENCODER", "Encoder", "load_encoder"]
