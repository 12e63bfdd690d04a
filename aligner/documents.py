"""From bytes on disk to clean text: encodings, normalisation, and a bilingual file split by script.

Real documents arrive as UTF-8 with or without a BOM, UTF-16, or CP949/EUC-KR exported from
HWP or Word (the other side of a pair may be GB18030 Chinese, or Shift-JIS or EUC-JP Japanese),
with CRLF line ends, no-break spaces and zero-width characters. Everything after this module
sees NFC text with `\\n` line ends and plain spaces.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from aligner.errors import InputError

MAX_BYTES = 200 * 1024 * 1024  # larger than any real document pair; protects memory

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


@dataclass(frozen=True)
class TextPair:
    """The two sides of one document as text, before sentence splitting."""

    name: str
    src: str
    tgt: str
    src_lang: str
    tgt_lang: str
    # per line of src / tgt, the kind of the block it came from (aligner/readers); empty: all
    # paragraphs (pre-split files)
    src_kinds: tuple[str, ...] = ()
    tgt_kinds: tuple[str, ...] = ()


def read_text(path: Path) -> str:
    """Read a file in whatever encoding it came in and return normalised text."""
    return normalise(decode(read_bytes(path), path))


def read_bytes(path: Path) -> bytes:
    """A file's bytes, or an InputError saying why they cannot be had."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(path, f"file is too large ({size} bytes; the limit is {MAX_BYTES})")
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError(path, "is a folder, expected a file") from None
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except PermissionError:
        raise InputError(path, "cannot be read (permission denied)") from None
    except OSError as err:
        raise InputError(path, f"cannot be read ({err.strerror})") from None


NOT_TEXT = "is not text in UTF-8, UTF-16, CP949/EUC-KR, GB18030, Shift-JIS or EUC-JP"


def decode(data: bytes, path: Path) -> str:
    """Bytes to text: a BOM decides; else UTF-8, BOM-less UTF-16, then the legacy encodings of
    Korean, Japanese and Chinese, each taken only if the text reads as that language (a
    double-byte encoding decodes many byte strings that are not its text)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                raise InputError(path, f"starts with a {encoding} byte-order mark but is not valid {encoding}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    utf16 = _guess_bomless_utf16(data)
    if utf16:
        try:
            return data.decode(utf16)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise InputError(path, "is a binary file, not text")
    for encoding, reads_as in _LEGACY:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if reads_as(text):
            return text
    raise InputError(path, NOT_TEXT)


def _guess_bomless_utf16(data: bytes) -> str | None:
    """ASCII-heavy UTF-16 has a zero in every other byte."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_zero = data[0::2].count(0) / (len(data) / 2)
    odd_zero = data[1::2].count(0) / (len(data) / 2)
    if odd_zero > 0.3 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.3 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def _share(text: str, wanted) -> float:
    return sum(1 for ch in text if ch.isascii() or ch.isspace() or wanted(ch)) / len(text) if text else 1.0


def _mark(ch: str) -> bool:
    """Punctuation and symbols: general, CJK and full-width (not half-width katakana)."""
    return "\u2000" <= ch <= "\u27bf" or "\u3000" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff5e" or ch == "\u00b7"


def _reads_as_korean(text: str) -> bool:
    """Korean: mostly Hangul, ASCII, spaces and marks (▶ ※ ○ ·), not Hanja, which CP949 makes
    of many byte pairs that are not Korean."""
    return _share(text, lambda ch: "\uac00" <= ch <= "\ud7a3" or _mark(ch)) > 0.9


def _reads_as_japanese(text: str) -> bool:
    """Kana and kanji; Japanese always has kana (Chinese decoded as Shift-JIS or EUC-JP does not,
    or shows half-width katakana)."""
    kana = sum(1 for ch in text if _is_kana(ch))
    foreign = sum(1 for ch in text if not ch.isascii())
    return kana >= 0.1 * foreign and _share(text, lambda ch: _is_kana(ch) or _is_cjk(ch) or _mark(ch)) > 0.9


def _reads_as_chinese(text: str) -> bool:
    """Han characters with Chinese punctuation among them: GB18030 makes Han characters of most
    byte pairs, but seldom its commas and full stops."""
    han = sum(1 for ch in text if _is_cjk(ch))
    marks = sum(1 for ch in text if ch in "，。、；：？！")
    return marks >= max(1, han // 60) and _share(text, lambda ch: _is_cjk(ch) or _mark(ch)) > 0.9


# Tried in this order: Japanese before Chinese, as GB18030 decodes Japanese bytes too.
_LEGACY = (("cp949", _reads_as_korean), ("cp932", _reads_as_japanese), ("euc_jp", _reads_as_japanese),
           ("gb18030", _reads_as_chinese))


def normalise(text: str) -> str:
    """NFC, `\\n` line ends, plain spaces, no zero-width or control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_ZERO_WIDTH)
    text = _SPACES.sub(" ", text)
    text = _CONTROLS.sub(" ", text)
    return unicodedata.normalize("NFC", text)


# --- a bilingual file: which lines are Korean, which English ---------------------------------

def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def _is_kana(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff"


def line_script(line: str) -> str:
    """'ko', 'en', 'other' (a third script) or '' (nothing to tell: digits, punctuation).

    Hangul carries about three Latin letters' worth of text per character, so a Korean line
    quoting English names (PSPC, MOU) stays Korean, and a Hanja headline word (中企) is Korean.
    """
    hangul = cjk = kana = latin = other = 0
    for ch in line:
        if _is_hangul(ch):
            hangul += 1
        elif _is_cjk(ch):
            cjk += 1
        elif _is_kana(ch):
            kana += 1
        elif ch.isalpha():
            if ch.isascii() or "\u00c0" <= ch <= "\u024f":
                latin += 1
            else:
                other += 1
    korean = 3 * hangul + (0 if kana else cjk)
    foreign = other + kana + (cjk if kana else 0)
    if foreign > korean and foreign > latin:
        return "other"
    if korean == 0 and latin == 0:
        return ""
    return "ko" if korean >= latin else "en"


def split_bilingual(text: str, path: Path) -> tuple[str, str]:
    """A bilingual text's Korean half and English half, as text (the split: bilingual_lines)."""
    lines = text.split("\n")
    ko, en = bilingual_lines(text, path)
    return "\n".join(lines[i] for i in ko), "\n".join(lines[i] for i in en)


def bilingual_lines(text: str, path: Path) -> tuple[list[int], list[int]]:
    """A Korean half and an English half in one file, separated line by line by script: the
    numbers of the lines of each side, so what is known of a line (its block's kind) follows it.

    Lines are kept in place on their side, blank lines on both, so paragraphs survive; a line
    with nothing to tell (a date, a number) goes with the nearest line before it that has.
    A Korean contact line after the English half stays Korean.
    """
    lines = text.split("\n")
    scripts = [line_script(line) if line.strip() else "" for line in lines]
    foreign = [i for i, s in enumerate(scripts) if s == "other"]
    if foreign:
        raise InputError(path, f"has a line in neither Korean nor English: {lines[foreign[0]].strip()[:60]!r}")
    if "ko" not in scripts:
        raise InputError(path, "has no Korean text (expected a Korean half and an English half)")
    if "en" not in scripts:
        raise InputError(path, "has no English text (expected a Korean half and an English half)")
    current = next(s for s in scripts if s)
    ko: list[int] = []
    en: list[int] = []
    for number, (line, script) in enumerate(zip(lines, scripts)):
        if not line.strip():
            ko.append(number)
            en.append(number)
            continue
        current = script or current
        (ko if current == "ko" else en).append(number)
    return ko, en


def paragraphs(text: str) -> list[list[tuple[int, str]]]:
    """Blank-line separated paragraphs, each a list of (line number, line) of its non-empty lines."""
    result: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n")):
        if line.strip():
            current.append((number, line))
        elif current:
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result
