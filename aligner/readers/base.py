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
    """A format: its name, what a user calls it, the suffixes a file of it may carry, and how
    its bytes become blocks (raising InputError for a document it cannot read)."""

    name: str
    title: str
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
_ITEM_START = re.compile(r"^\s*(?:[-–*]\s|o\s(?=[^\x00-\x7f])|[•·∙◦▪●○◎□■◇◆❑▷▶►▸☞※➢➤❍]|\(?\d{1,2}[.)]\s|[가-하][.)]\s|[①-⑳])")


def starts_item(text: str) -> bool:
    """Whether a paragraph reads as a list item (its marker typed as text)."""
    return bool(_ITEM_START.match(text))


# A release's header table (보도시점, 배포 일시, 보도자료 …) and its contact table (담당 부서,
# 책임자, 담당자 and telephone numbers): furniture with a name, never aligned.
_HEADER_TABLE = re.compile(r"보도\s*시점|보도\s*일시|배포\s*일시|배\s*포\s*일|엠바고|보\s*도\s*자\s*료|즉시\s*보도|For Immediate Release|Embargo", re.I)
_CONTACT_TABLE = re.compile(r"담당\s*부서|책임자|담당자|문의|연락처|Contact", re.I)
_PHONE = re.compile(r"\d{2,4}[-.)]\s?\d{3,4}[-.]\d{4}")


def table_role(cells: list[str], before_body: bool) -> str:
    """'header table', 'contact table' or '' (a table of the text), from the cells' words.

    A header table stands before the body text; a contact table names a department or a
    person in charge and gives a telephone number.
    """
    text = " ".join(cells)
    if before_body and _HEADER_TABLE.search(text):
        return "header table"
    if _CONTACT_TABLE.search(text) and _PHONE.search(text):
        return "contact table"
    return ""


def table_blocks(cells: list[str], before_body: bool) -> list[Block]:
    """A table's cells as blocks: cells of text, or furniture named by table_role."""
    role = table_role(cells, before_body)
    kind = "furniture" if role else "table_cell"
    return [Block(kind, cell, role) for cell in cells if cell.strip()]
