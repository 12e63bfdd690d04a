"""PDF (pypdfium2, PDFium's text layer): lines joined back into paragraphs, running heads and
page numbers told apart as furniture.

A PDF has lines, not paragraphs. A line that fills the column continues on the next one (a
wrap is no sentence end); a line that stops short, a wider gap between lines, or a change of
type size ends what it is in. Wrapped lines are joined with a space (Korean wraps between
words, as English does), except that an English word hyphenated at the line end is joined
back (`co-` + `operation`), while a Korean line ending in `-` or `·` runs on with no space.
A line in the page's top or bottom margin band, or one repeated on several pages in the same
place (digits aside), is a running head, foot or page number.

PDFium reads a page in microseconds; pdfminer-based readers (pdfplumber) took 1 s for 20
pages here, too slow against the aligner's own time.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from aligner.errors import InputError
from aligner.readers.base import Block, Reader, starts_item

MARGIN_BAND = 0.06  # share of the page height at top and bottom where only furniture stands
REPEAT_BAND = 0.15  # a line repeated on other pages within this band is a running head or foot
_PAGE_NUMBER = re.compile(r"^[-–—\s(]*(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?[-–—\s)]*$", re.I)


@dataclass(frozen=True)
class _Line:
    page: int
    text: str
    left: float
    right: float
    top: float  # PDF units, y grows upwards
    bottom: float
    size: float  # the font's height (loose box of the first character)
    page_height: float


def read(path: Path, data: bytes) -> list[Block]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise InputError(path, "is encrypted (password-protected); save it without a password and try again") from None
        raise InputError(path, f"is a damaged PDF ({err})") from None
    try:
        pages = [_page_lines(document, number) for number in range(len(document))]
    finally:
        document.close()
    lines = [line for page in pages for line in page]
    if not lines:
        raise InputError(path, "has no text layer (a scanned PDF?); run OCR first")
    furniture = _furniture(pages)
    return _blocks(lines, furniture)


def _page_lines(document, number: int) -> list[_Line]:
    import pypdfium2 as pdfium

    page = document[number]
    try:
        height = page.get_height()
        textpage = page.get_textpage()
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        out = []
        for start, raw, hyphen in _visual_lines(text):
            end = start + len(raw)
            stripped = raw.strip()
            if not stripped or end > count:
                continue
            first = start + (len(raw) - len(raw.lstrip()))
            last = start + len(raw.rstrip()) - 1
            try:
                l0, b0, _, t0 = textpage.get_charbox(first, loose=True)
                _, b1, r1, t1 = textpage.get_charbox(last, loose=True)
            except pdfium.PdfiumError:
                continue
            out.append(_Line(number, stripped + hyphen, l0, r1, max(t0, t1), min(b0, b1), t0 - b0, height))
        textpage.close()
        return out
    finally:
        page.close()


def _visual_lines(text: str):
    """(offset, text, '-' or '') of each line of a page's text as PDFium gives it. PDFium joins a
    line ending in a hyphen to the next itself, marking the place with U+FFFE (U+0002 in some
    versions); it is split here again, the hyphen put back, so that _join decides."""
    position = 0
    for line in text.split("\r\n"):
        pieces = re.split("[\ufffe\x02]", line)
        for number, piece in enumerate(pieces):
            yield position, piece, "-" if number < len(pieces) - 1 else ""
            position += len(piece) + 1
        position += 1  # "\r\n" is two characters, one counted above


def _shape(text: str) -> str:
    """A line with its digits masked: `- 3 -` and `- 4 -` are the same running foot."""
    return re.sub(r"\d+", "#", text)


def _furniture(pages: list[list[_Line]]) -> dict[_Line, str]:
    """Running heads, feet and page numbers, each with its role."""
    found: dict[_Line, str] = {}
    edges = [_edge_lines(page) for page in pages]
    repeats = Counter(shape for page in edges for shape in {_shape(line.text) for line in page})
    enough = max(2, round(0.4 * len(pages)))
    for page, edge in zip(pages, edges):
        for line in page:
            band = _band(line)
            role = "running head" if line.top > line.page_height / 2 else "running foot"
            if line in edge and _PAGE_NUMBER.match(line.text):
                found[line] = "page number"
            elif band <= MARGIN_BAND or (line in edge and repeats[_shape(line.text)] >= enough):
                found[line] = role
    return found


def _edge_lines(page: list[_Line]) -> list[_Line]:
    """The two topmost and two lowest lines of a page, if within the band where running heads
    and feet stand."""
    ordered = sorted(page, key=lambda line: -line.top)
    return [line for line in ordered[:2] + ordered[-2:] if _band(line) <= REPEAT_BAND]


def _band(line: _Line) -> float:
    """How far the line is from the nearer page edge, as a share of the page height."""
    return min(line.page_height - line.top, line.bottom) / line.page_height


def _blocks(lines: list[_Line], furniture: dict[_Line, str]) -> list[Block]:
    body = [line for line in lines if line not in furniture]
    pitches = [a.bottom - b.bottom for a, b in zip(body, body[1:])
               if a.page == b.page and 0.8 * a.size < a.bottom - b.bottom < 3 * a.size]
    pitch = statistics.quantiles(pitches, n=5)[0] if len(pitches) >= 2 else (pitches[0] if pitches else 0.0)
    body_size = statistics.median(line.size for line in body) if body else 0.0
    right = _column_right(body)
    blocks: list[Block] = []
    pending: list[Block] = []  # furniture met inside a paragraph waits until it ends
    current: list[_Line] = []

    def close() -> None:
        if current:
            blocks.append(_block(current, right, body_size))
            current.clear()
        blocks.extend(pending)
        pending.clear()

    for line in lines:
        if line in furniture:
            pending.append(Block("furniture", line.text, furniture[line]))
            if not current:
                close()
            continue
        if current and _starts_block(current[-1], line, pitch, right):
            close()
        current.append(line)
    close()
    return blocks


def _column_right(lines: list[_Line]) -> dict[int, float]:
    """Per page, where full lines end (the text column's right edge)."""
    by_page: dict[int, list[float]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line.right)
    return {page: sorted(rights)[int(0.9 * (len(rights) - 1))] for page, rights in by_page.items()}


def _wraps(line: _Line, after: _Line, right: dict[int, float]) -> bool:
    """Whether the line's text runs on into the next: the next line's first word would not
    have fitted after it, and the next line is no new list item."""
    if starts_item(after.text):
        return False
    em = line.size / 1.2  # the loose box is a little taller than the type size
    word = after.text.split()[0]
    width = sum(em if not ch.isascii() else 0.55 * em for ch in word)
    return line.right + 0.3 * em + width > right[line.page]


def _starts_block(before: _Line, line: _Line, pitch: float, right: dict[int, float]) -> bool:
    if abs(line.size - before.size) > 0.15 * before.size:
        return True  # a heading's type size
    if line.page != before.page:
        return not _wraps(before, line, right)  # a paragraph runs on over a page break
    gap = before.bottom - line.bottom
    return gap <= 0 or (pitch > 0 and gap > 1.3 * pitch)


def _block(lines: list[_Line], right: dict[int, float], body_size: float) -> Block:
    text = lines[0].text
    for before, line in zip(lines, lines[1:]):
        text = _join(text, line.text) if _wraps(before, line, right) else text + "\n" + line.text
    if lines[0].size > 1.15 * body_size and len(lines) <= 3:
        return Block("heading", text)
    return Block("list_item" if starts_item(text) else "paragraph", text)


def _join(text: str, after: str) -> str:
    """A wrapped line and the next, joined as the language wants."""
    last, first = text[-1:], after[:1]
    if last == "-" and len(text) > 1 and text[-2].isalpha():
        if text[-2].isascii() and first.islower():
            return text[:-1] + after  # English hyphenation undone: co- operation
        return text + after  # e-Procurement, 조달청-캐나다: the hyphen is the word's own
    if last in "·/(" or first in ")·,.":
        return text + after
    return text + " " + after


READER = Reader("pdf", "PDF", (".pdf",), read)
