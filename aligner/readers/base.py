"""What every reader gives: a document as blocks in reading order, each with its kind."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from aligner.documents import normalise

KINDS = ("heading", "paragraph", "list_item", "table_cell", "caption", "footnote", "furniture")


@dataclass(frozen=True)
class Block:
    """One block of a document: a paragraph, a heading, a table cell, a running head …

    `text` may hold line breaks (a soft break in a paragraph); a sentence never crosses one.
    `role` says what a block of furniture or a table is, when the reader can tell
    (`header table`, `contact table`, `page number`, `running head`).
    """

    kind: str
    text: str
    role: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}")


@dataclass(frozen=True)
class Reader:
    """A format: its name, the suffixes it is known by, and how its bytes become blocks."""

    name: str
    suffixes: tuple[str, ...]
    read: Callable[[Path, bytes], list[Block]]


def clean(blocks: list[Block]) -> list[Block]:
    """Blocks with normalised text (as documents.normalise), blank lines and empty blocks gone."""
    out = []
    for block in blocks:
        lines = [line.strip() for line in normalise(block.text).split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            out.append(Block(block.kind, text, block.role))
    return out


# A line that starts a list item, typed as text: a bullet or a numbering (`1.`, `가.`, `①`).
_ITEM_START = re.compile(r"^\s*(?:[-–*]\s|[•·∙◦▪●○◎□■◇◆▷▶►▸☞※➢➤❍]|\(?\d{1,2}[.)]\s|[가-하][.)]\s|[①-⑳])")


def starts_item(text: str) -> bool:
    """Whether a paragraph reads as a list item (its marker typed as text)."""
    return bool(_ITEM_START.match(text))
