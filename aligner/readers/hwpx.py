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


def read(path: Path, data: bytes) -> list[Block]:
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            names = sorted((int(m.group(1)), n) for n in package.namelist() if (m := _SECTION.match(n)))
            manifest = package.read(_MANIFEST) if _MANIFEST in package.namelist() else b""
            sections = [package.read(name) for _, name in names]
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


def _paragraph(p, blocks: list[Block], kind: str = "") -> None:
    """A paragraph's own text as one block (list item or paragraph unless `kind` says), then
    the blocks of what it anchors (tables, boxes, notes, headers) in order."""
    parts: list[str] = []
    nested: list[Block] = []
    _visit(p, parts, nested, blocks)
    text = "".join(parts)
    if text.strip():
        blocks.append(Block(kind or ("list_item" if starts_item(text) else "paragraph"), text))
    blocks.extend(nested)


def _visit(element, parts: list[str], nested: list[Block], before: list[Block]) -> None:
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
            nested.extend(_table(child, before + nested))
        elif name in ("header", "footer"):
            nested.extend(_sublist_blocks(child, "furniture", "running head" if name == "header" else "running foot"))
        elif name in ("footNote", "endNote"):
            nested.extend(_sublist_blocks(child, "footnote"))
        elif name == "caption":
            nested.extend(_sublist_blocks(child, "caption"))
        elif name == "drawText":
            nested.extend(_sublist_blocks(child, "paragraph", "text box"))
        else:
            _visit(child, parts, nested, before)


def _sublist_blocks(element, kind: str, role: str = "") -> list[Block]:
    """The paragraphs of a header, note, caption or box: one block of their lines, then what
    they anchor."""
    inner: list[Block] = []
    for p in element.iter("{*}p"):
        if p.getparent() is not None and _local(p.getparent()) == "subList" and _owner(p) is element:
            _paragraph(p, inner)
    own = [b for b in inner if b.kind in ("paragraph", "list_item")]
    text = "\n".join(b.text for b in own)
    return ([Block(kind, text, role)] if text.strip() else []) + [b for b in inner if b not in own]


def _owner(p):
    """The element whose subList holds paragraph p (a cell, a header, a box …)."""
    return p.getparent().getparent()


def _table(tbl, before: list[Block]) -> list[Block]:
    """A table's cells in row order, each a block; a header or contact table is furniture."""
    cells: list[str] = []
    inner: list[Block] = []
    for tc in tbl.iter("{*}tc"):
        if _enclosing_table(tc) is not tbl:
            continue
        lines: list[str] = []
        for sublist in tc:
            if _local(sublist) != "subList":
                continue
            for p in sublist:
                if _local(p) == "p":
                    found: list[Block] = []
                    _paragraph(p, found)
                    lines += [b.text for b in found if b.kind in ("paragraph", "list_item")]
                    inner += [b for b in found if b.kind not in ("paragraph", "list_item")]
        cells.append("\n".join(lines))
    captions = [b for child in tbl if _local(child) == "caption" for b in _sublist_blocks(child, "caption")]
    before_body = not any(b.kind in ("paragraph", "list_item") for b in before)
    return captions + table_blocks(cells, before_body) + inner


def _enclosing_table(element):
    parent = element.getparent()
    while parent is not None and _local(parent) != "tbl":
        parent = parent.getparent()
    return parent


READER = Reader("hwpx", "HWPX", (".hwpx", ".hwp"), read)  # Hangul names both kinds .hwp
