"""Documents no reader can take, each built here: one line on stderr naming the file and the
problem, exit status 2, nothing written."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.render import FONT

FIXTURES = Path(__file__).parent / "fixtures"


def _pdf(path: Path, *, text: bool = True, password: str | None = None) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "Nanum" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Nanum", str(FONT)))
    page = canvas.Canvas(str(path), encrypt=StandardEncryption(password, canPrint=0) if password else None)
    if text:
        page.setFont("Nanum", 11)
        page.drawString(72, 700, "조달청은 협약을 체결했다.")
        page.drawString(72, 680, "PPS signed an agreement.")
    else:  # a scan: the page is a picture of text, drawn here as grey bars
        for y in range(700, 400, -20):
            page.setFillGray(0.3)
            page.rect(72, y, 400, 10, fill=1, stroke=0)
    page.save()


def _compound(path: Path, streams: dict[str, bytes]) -> None:
    """An OLE compound file (the container of .doc, encrypted Office files and HWP 5)."""
    from hwpx.hwp5.cfb import build_compound_file

    path.write_bytes(build_compound_file(sorted(streams.items())))


def _distribution_hwp(path: Path) -> None:
    """The moef release with its FileHeader's distribution flag (bit 2) set, as Hangul marks a
    document saved for distribution, whose body text is then encrypted."""
    import olefile

    shutil.copy(FIXTURES / "moef_20240621_press_release_odi_2024q1.hwp", path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        header = bytearray(ole.openstream("FileHeader").read())
        (flags,) = struct.unpack_from("<I", header, 36)
        struct.pack_into("<I", header, 36, flags | 0b100)
        ole.write_stream("FileHeader", bytes(header))


def _build(name: str, path: Path) -> None:
    if name == "encrypted.pdf":
        _pdf(path, password="secret")
    elif name == "scanned.pdf":
        _pdf(path, text=False)
    elif name == "corrupt.docx":
        path.write_bytes(b"PK\x03\x04" + b"\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 8)
    elif name == "legacy.docx":
        _compound(path, {"WordDocument": b"\xec\xa5" + b"\x00" * 1022, "1Table": b"\x00" * 512})
    elif name == "encrypted.docx":
        _compound(path, {"EncryptionInfo": b"\x04\x00\x04\x00" + b"\x00" * 508, "EncryptedPackage": b"\x00" * 1024})
    elif name == "distribution.hwp":
        _distribution_hwp(path)
    elif name == "pdf-named.docx":
        _pdf(path)
    elif name == "text-named.pdf":
        path.write_text("조달청은 협약을 체결했다.\n\nPPS signed an agreement.\n", encoding="utf-8")
    elif name == "damaged.docx":  # a sound zip directory, its document part's data damaged
        from tests.render import write_docx

        write_docx(["조달청은 협약을 체결했다."] * 50, path)
        data = bytearray(path.read_bytes())
        start = data.find(b"word/document.xml") + 100
        data[start:start + 200] = bytes(b ^ 0x55 for b in data[start:start + 200])
        path.write_bytes(bytes(data))
    elif name == "encrypted.hwpx":  # Hangul's password: the manifest names the encrypted parts
        import zipfile

        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("mimetype", "application/hwp+zip")
            archive.writestr("META-INF/manifest.xml", '<odf:manifest xmlns:odf="urn:oasis:names:tc:opendocument:xmlns:'
                             'manifest:1.0"><odf:file-entry odf:full-path="Contents/section0.xml"><odf:encryption-data '
                             'odf:checksum-type="SHA1"/></odf:file-entry></odf:manifest>')
            archive.writestr("Contents/section0.xml", bytes(range(256)) * 4)
    elif name == "old.hwp":
        path.write_bytes(b"HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05" + bytes(range(256)) * 4)
    elif name == "notes.rtf.txt":
        path.write_text("{\\rtf1\\ansi {\\fonttbl {\\f0 Arial;}} PPS signed an agreement.}", encoding="ascii")
    elif name == "zip-named.hwpx":
        import zipfile

        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("notes.txt", "not a document")


BAD = [
    ("encrypted.pdf", "password"),
    ("scanned.pdf", "run OCR first"),
    ("corrupt.docx", "damaged zip"),
    ("damaged.docx", "damaged DOCX"),
    ("encrypted.hwpx", "password-protected"),
    ("legacy.docx", "legacy Word .doc"),
    ("encrypted.docx", "password"),
    ("distribution.hwp", "distribution document"),
    ("pdf-named.docx", "is named .docx but holds PDF"),
    ("text-named.pdf", "is named .pdf but holds plain text"),
    ("zip-named.hwpx", "zip archive, not a DOCX or HWPX"),
    ("old.hwp", "HWP 3 document"),
    ("notes.rtf.txt", "RTF document"),
]


@pytest.mark.parametrize("name,problem", BAD, ids=[b[0] for b in BAD])
def test_a_bad_document_is_one_line_exit_2_and_nothing_written(tmp_path: Path, name: str, problem: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / name
    _build(name, path)
    out = tmp_path / "out" / "o.tmx"
    out.parent.mkdir()
    for result in (run_cli("align", path, "-o", out), run_cli("read", path)):
        assert result.returncode == 2, (result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
        assert name in lines[0] and problem in lines[0], lines[0]
    assert list(out.parent.iterdir()) == []


def test_a_bug_is_never_reported_as_bad_input(tmp_path: Path) -> None:
    """An internal error (here: a reader returning a block of a kind no one knows, as a bug
    would) exits 3, not 2; a user's mistake in an option still exits 2."""
    doc = tmp_path / "doc.txt"
    doc.write_text("조달청은 협약을 체결했다.\n\nPPS signed an agreement.\n", encoding="utf-8")
    bug = ("import sys, aligner.readers as r, aligner.readers.base as b\n"
           "r.READERS['text'] = b.Reader('text', 'text', ('.txt',), lambda path, data: [b.Block('sidebar', 'x')])\n"
           "from aligner.cli import main\nsys.exit(main(sys.argv[1:]))\n")
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", bug, "read", str(doc)], capture_output=True, text=True)
    assert result.returncode == 3, result.stderr
    assert "unexpected error" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    unknown = run_cli("align", doc, "-o", tmp_path / "o.tmx", "--encoder", "nonesuch")
    assert unknown.returncode == 2 and "--encoder" in unknown.stderr, unknown.stderr
