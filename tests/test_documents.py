"""Reading real-world bytes and splitting a bilingual file by script."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.documents import line_script, paragraphs, read_text, split_bilingual
from aligner.errors import InputError

KO = "조달청은 16일 업무협약을 체결했다."
EN = "PPS signed an MOU on the 16th."


@pytest.mark.parametrize("encoding,bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"),
                                          ("utf-16-be", b"\xfe\xff"), ("cp949", b""), ("euc-kr", b"")])
def test_encodings_are_detected(tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(bom + f"{KO}\r\n\r\n{EN}\r\n".encode(encoding))
    assert read_text(path) == f"{KO}\n\n{EN}\n"


@pytest.mark.parametrize("text,encoding", [
    ("今天下雨了。我们没有去公园，而是在家看书。", "gb18030"), ("今天下雨了。我们没有去公园，而是在家看书。", "gbk"),
    ("今日は雨が降りました。「行こう。」と彼は言った。", "cp932"), ("今日は雨が降りました。「行こう。」と彼は言った。", "euc_jp"),
    ("▶ 사진: ※ 조달청 ○ 협약 · 체결", "cp949")])
def test_legacy_chinese_japanese_and_korean_encodings_read_as_their_language(tmp_path: Path, text: str,
                                                                             encoding: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode(encoding))
    assert read_text(path) == text


def test_normalisation(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    decomposed = "\u1112\u1161\u11ab"  # 한 as conjoining jamo
    path.write_text(f"a\u00a0b\u200bc\td\x07e {decomposed}\r", encoding="utf-8")
    assert read_text(path) == "a bc d e 한\n"


def test_binary_and_undecodable_files_are_refused(tmp_path: Path) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match="image.txt"):
        read_text(binary)
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "missing.txt")
    noise = tmp_path / "noise.txt"  # bytes a double-byte encoding decodes, but no language's text
    noise.write_bytes(bytes((i * 97 + 31) % 224 + 32 for i in range(3000)))
    with pytest.raises(InputError, match="is not text in UTF-8"):
        read_text(noise)


def test_line_script() -> None:
    assert line_script("제목 한-캐나다…中企 성장 지원 힘 모은다.") == "ko"
    assert line_script("中企") == "ko"
    assert line_script("조달청과 캐나다 공공서비스조달부(PSPC)는 MOU를 체결했다") == "ko"
    assert line_script("The 나라장터 system of the Public Procurement Service") == "en"
    assert line_script("2024/04/16 (17-19)") == ""
    assert line_script("Привет, как дела у тебя сегодня") == "other"
    assert line_script("これは日本語の文です") == "other"


def test_split_bilingual_keeps_late_korean_lines_korean() -> None:
    text = "제목 한-캐나다…中企 성장\n등록 2024/04/16 (화)\n\n조달청은 협약을 체결했다.\n\nKorea and Canada\n\nPPS signed.\n2024\n\n* 문의: 국제협력담당관(042-724-7470)\n"
    ko, en = split_bilingual(text, Path("x.txt"))
    assert [line for line in ko.split("\n") if line] == [
        "제목 한-캐나다…中企 성장", "등록 2024/04/16 (화)", "조달청은 협약을 체결했다.", "* 문의: 국제협력담당관(042-724-7470)"]
    assert [line for line in en.split("\n") if line] == ["Korea and Canada", "PPS signed.", "2024"]
    assert len(paragraphs(ko)) == 3


def test_split_bilingual_english_first() -> None:
    ko, en = split_bilingual(f"{EN}\n\n{KO}\n", Path("x.txt"))
    assert ko.strip() == KO and en.strip() == EN


@pytest.mark.parametrize("text,problem", [(KO, "no English"), (EN, "no Korean"),
                                          (f"{KO}\n{EN}\nЭто русский текст здесь\n", "neither Korean nor English")])
def test_split_bilingual_refuses_one_sided_or_foreign_text(text: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        split_bilingual(text, Path("x.txt"))
