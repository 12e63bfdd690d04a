"""HWPX (OWPML, the XML package Hangul saves): paragraphs, tables, text boxes, captions,
footnotes, headers and footers, walked in reading order with lxml.

python-hwpx's own text extractor flattens a document; here each table cell, box and caption
stays a block of its own. hwp.py converts an HWP 5 file to these same section parts, so both
formats of one document read alike.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from io import BytesIO
from pathlib import Path

from lxml import etree

from aligner.errors import InputError
from aligner.readers.base import Block, Reader, starts_item, table_blocks

_SECTION = re.compile(r"^Contents/section(\d+)\.xml$")
_MANIFEST = "META-INF/manifest.xml"  # names the encrypted parts of a password-protected package
# inline elements of a text run and what they stand for
_INLINE = {"lineBreak": "\n", "tab": " ", "fwSpace": " ", "nbSpace": " ", "hyphen": "-"}
# never text a reader of the page sees: alternative text of pictures, layout caches, settings
_SKIP = {"shapeComment", "linesegarray", "secPr", "colPr", "fieldBegin", "fieldEnd", "parameters",
         "pageNum", "autoNum", "newNum", "pageHiding", "pageNumCtrl", "bookmark", "indexmark"}


def section_names(names: list[str]) -> list[str]:
    """The package's section parts (Contents/sectionN.xml), in page order."""
    numbered = sorted((int(m.group(1)), n) for n in names if (m := _SECTION.match(n)))
    return [name for _, name in numbered]


def read(path: Path, data: bytes) -> list[Block]:
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            manifest = package.read(_MANIFEST) if _MANIFEST in package.namelist() else b""
            sections = [package.read(name) for name in section_names(package.namelist())]
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, KeyError) as err:
        raise InputError(path, f"is a damaged HWPX package ({err})") from None
    if b"encryption-data" in manifest:
        raise InputError(path, "is password-protected; save it without a password and try again")
    if not sections:
        raise InputError(path, "is an HWPX package with no section (Contents/section0.xml)")
    return blocks_of_sections(path, sections)


def blocks_of_sections(path: Path, sections: list[bytes]) -> list[Block]:
    """The blocks of an OWPML document's section parts, in order."""
    blocks: list[Block] = []
    for xml in sections:
        try:
            root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, huge_tree=True))
        except etree.XMLSyntaxError as err:
            raise InputError(path, f"has a damaged section ({err})") from None
        for element in root:
            if _local(element) == "p":
                _paragraph(element, blocks)
    return blocks


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _paragraph(p, blocks: list[Block]) -> None:
    """A paragraph's own text as one block (a list item or a paragraph), then the blocks of
    what it anchors (tables, boxes, notes, headers), in order."""
    text, anchored = _parts(p, blocks)
    if text.strip():
        blocks.append(Block("list_item" if starts_item(text) else "paragraph", text))
    blocks.extend(anchored)


def _parts(p, before: list[Block]) -> tuple[str, list[Block]]:
    """A paragraph's own text, and the blocks of what it anchors."""
    parts: list[str] = []
    anchored: list[Block] = []
    _visit(p, parts, anchored, before)
    return "".join(parts), anchored


def _visit(element, parts: list[str], anchored: list[Block], before: list[Block]) -> None:
    for child in element:
        name = _local(child)
        if name == "t":
            parts.append(child.text or "")
            for inline in child:
                parts.append(_INLINE.get(_local(inline), ""))
                parts.append(inline.tail or "")
        elif name in _SKIP:
            continue
        elif name == "tbl":
            anchored.extend(_table(child, before + anchored))
        elif name in ("header", "footer"):
            anchored.extend(_sublist_block(child, "furniture", "running head" if name == "header" else "running foot"))
        elif name in ("footNote", "endNote"):
            anchored.extend(_sublist_block(child, "footnote"))
        elif name == "caption":
            anchored.extend(_sublist_block(child, "caption"))
        elif name == "drawText":
            anchored.extend(_sublist_block(child, "paragraph", "text box"))
        else:
            _visit(child, parts, anchored, before)


def _sublist(element, before: list[Block]) -> tuple[list[str], list[Block]]:
    """The lines of the paragraphs of an element's subList (a cell, a header, a note, a box),
    and the blocks those paragraphs anchor (a nested table, a note)."""
    lines: list[str] = []
    anchored: list[Block] = []
    for sublist in element:
        if _local(sublist) != "subList":
            continue
        for p in sublist:
            if _local(p) == "p":
                text, inner = _parts(p, before + anchored)
                lines += [text] if text.strip() else []
                anchored += inner
    return lines, anchored


def _sublist_block(element, kind: str, role: str = "") -> list[Block]:
    """A header, note, caption or box as one block of its lines, then what it anchors."""
    lines, anchored = _sublist(element, [])
    return ([Block(kind, "\n".join(lines), role)] if lines else []) + anchored


def _table(tbl, before: list[Block]) -> list[Block]:
    """A table's caption, then its cells in row order, each a block (a header or contact table's
    cells are furniture), then what the cells anchor."""
    cells: list[str] = []
    anchored: list[Block] = []
    captions: list[Block] = []
    for child in tbl:
        if _local(child) == "caption":
            captions += _sublist_block(child, "caption")
        elif _local(child) == "tr":
            for tc in child:
                if _local(tc) == "tc":
                    lines, inner = _sublist(tc, before)
                    cells.append("\n".join(lines))
                    anchored += inner
    before_body = not any(b.kind in ("paragraph", "list_item") for b in before)
    return captions + table_blocks(cells, before_body) + anchored


READER = Reader("hwpx", "HWPX", (".hwpx", ".hwp"), read)  # Hangul names both kinds .hwp
