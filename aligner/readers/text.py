"""Plain text: a block per blank-line separated paragraph, its lines kept (a sentence never
crosses one). Encodings and normalisation are documents.decode's."""

from __future__ import annotations

from pathlib import Path

from aligner.documents import decode, normalise, paragraphs
from aligner.readers.base import Block, Reader


def read(path: Path, data: bytes) -> list[Block]:
    text = normalise(decode(data, path))
    return [Block("paragraph", "\n".join(line for _, line in paragraph)) for paragraph in paragraphs(text)]


READER = Reader("text", "plain text", (".txt", ".text"), read)
