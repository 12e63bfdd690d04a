"""Documents in: one reader per format, found by what the file holds and checked against its name.

A file's bytes decide its format (an HWPX package is often named `.hwp`); a suffix that
names another format is an error, since it means the file is not what the user thinks.
"""

from __future__ import annotations

import zipfile
import zlib
from io import BytesIO
from pathlib import Path

from aligner.documents import read_bytes
from aligner.errors import InputError
from aligner.readers import docx, html, hwp, hwpx, pdf, text
from aligner.readers.base import KINDS, Block, Reader, clean

__all__ = ["Block", "KINDS", "READERS", "SUFFIXES", "layout", "read_blocks", "sniff"]

# Each module imports its library only when it reads a file.
READERS: dict[str, Reader] = {r.name: r for r in (text.READER, html.READER, pdf.READER, docx.READER,
                                                   hwpx.READER, hwp.READER)}
SUFFIXES = frozenset(suffix for reader in READERS.values() for suffix in reader.suffixes)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(path: Path, data: bytes) -> str:
    """The format the bytes hold: 'hwp', 'hwpx', 'docx', 'pdf', 'html' or 'text'. Raises
    InputError for a file no reader can take (a legacy .doc, an encrypted Office file, a zip
    that is no document)."""
    if data.startswith(b"%PDF-") or data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(_OLE):
        return _sniff_ole(path, data)
    if data.startswith(b"HWP Document File"):
        raise InputError(path, "is an HWP 3 document, older than any reader here; save it as HWP or HWPX")
    if data.startswith(b"{\\rtf"):
        raise InputError(path, "is an RTF document; save it as DOCX and try again")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _sniff_zip(path, data)
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") and (head.startswith((b"<!doctype html", b"<html")) or b"<html" in head
                                   or b"<body" in head):
        return "html"  # with or without a doctype, an XML declaration or a comment before it
    return "text"


def _sniff_ole(path: Path, data: bytes) -> str:
    """An OLE compound file: HWP 5, or an Office file this program cannot read."""
    import olefile

    try:
        with olefile.OleFileIO(BytesIO(data)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
    except (OSError, ValueError) as err:
        raise InputError(path, f"is a damaged compound (OLE) file ({err})") from None
    if "FileHeader" in streams:
        return "hwp"
    if "EncryptedPackage" in streams:
        raise InputError(path, "is encrypted (password-protected); save it without a password and try again")
    if "WordDocument" in streams:
        raise InputError(path, "is a legacy Word .doc file, not .docx; save it as .docx and try again")
    raise InputError(path, "is an OLE compound file (legacy Office?) that is no HWP or DOCX document")


def _sniff_zip(path: Path, data: bytes) -> str:
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            names = set(package.namelist())
            mimetype = package.read("mimetype").strip() if "mimetype" in names else b""
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, KeyError) as err:
        raise InputError(path, f"is a damaged zip package ({err})") from None
    if mimetype.startswith(b"application/hwp+zip") or "Contents/section0.xml" in names:
        return "hwpx"
    if "word/document.xml" in names:
        return "docx"
    raise InputError(path, "is a zip archive, not a DOCX or HWPX document")


def read_blocks(path: Path) -> list[Block]:
    """The document's blocks in reading order, whatever its format."""
    data = read_bytes(path)
    fmt = sniff(path, data)
    named = [reader for reader in READERS.values() if path.suffix.lower() in reader.suffixes]
    if named and READERS[fmt] not in named:
        claimed = " or ".join(reader.title for reader in named)
        raise InputError(path, f"is named {path.suffix} but holds {READERS[fmt].title}, not {claimed}; "
                               "rename it to what it is")
    return clean(READERS[fmt].read(path, data))


def layout(blocks: list[Block]) -> tuple[str, tuple[str, ...]]:
    """Blocks as text, a blank line between two (a block is a paragraph to the splitter and the
    search), and per line of that text the kind of its block."""
    lines: list[str] = []
    kinds: list[str] = []
    for block in blocks:
        if lines:
            lines.append("")
            kinds.append("paragraph")
        for line in block.text.split("\n"):
            lines.append(line)
            kinds.append(block.kind)
    return "\n".join(lines), tuple(kinds)
