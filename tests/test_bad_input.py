"""Hostile input: every case either succeeds with a correct output or exits 2 with one line
on stderr naming the file and the problem; never a traceback, never a partial output."""

from __future__ import annotations

from pathlib import Path

import pytest
from translate.storage import tmx as tt_tmx

from aligner.formats.tmx import lint_tmx
from tests.conftest import run_cli

KO = "조달청은 16일 캐나다와 업무협약을 체결했다.\n\n양국은 전자조달 정보를 공유하기로 했다.\n"
EN = "PPS signed an MOU with Canada on the 16th.\n\nBoth countries will share e-procurement information.\n"


def _fails(result, name: str, problem: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert name in lines[0] and problem in lines[0], lines[0]


def _succeeds(result, tmx: Path) -> list:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert lint_tmx(tmx) == []
    return list(tt_tmx.tmxfile.parsefile(str(tmx)).units)


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


BAD = [
    ("empty.txt", b"", "is empty"),
    ("blank.txt", b"  \n\t\n \n", "is empty"),
    ("korean.txt", KO.encode(), "no English"),
    ("english.txt", EN.encode(), "no Korean"),
    ("russian.txt", (KO + EN + "Это совсем другой язык и текст\n").encode(), "neither Korean nor English"),
    ("binary.txt", bytes(range(256)) * 64, "binary"),
    ("garbage.txt", b"\x80\xff\xfe\x81" * 100 + b"\x00\x00", "binary"),
    ("latin1.txt", "Caf\xe9 cr\xe8me br\xfbl\xe9e \xe0 la fran\xe7aise, \xa9 \xae \xb1".encode("latin-1"), "not text in UTF-8"),
]


@pytest.mark.parametrize("name,data,problem", BAD, ids=[b[0] for b in BAD])
def test_bad_documents_exit_2_naming_the_file(tmp_path: Path, name: str, data: bytes, problem: str) -> None:
    path = _write(tmp_path, name, data)
    out = tmp_path / "out.tmx"
    _fails(run_cli("align", path, "-o", out), name, problem)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left either


def test_missing_paths_and_empty_folders(tmp_path: Path) -> None:
    _fails(run_cli("align", tmp_path / "nope.txt", "-o", tmp_path / "o.tmx"), "nope.txt", "no such file")
    (tmp_path / "empty").mkdir()
    _fails(run_cli("align", tmp_path / "empty", "-o", tmp_path / "o.tmx"), "empty", "no documents")


def test_unusable_output_paths(tmp_path: Path) -> None:
    doc = _write(tmp_path, "doc.txt", KO + EN)
    _fails(run_cli("align", doc, "-o", tmp_path / "no" / "such" / "out.tmx"), "out.tmx", "folder does not exist")
    (tmp_path / "dir.tmx").mkdir()
    _fails(run_cli("align", doc, "-o", tmp_path / "dir.tmx"), "dir.tmx", "is a folder")
    _fails(run_cli("align", doc, "-o", tmp_path / "out.xyz"), "out.xyz", "unknown output suffix")


def test_a_failed_run_never_replaces_a_good_output(tmp_path: Path) -> None:
    out = tmp_path / "good.tmx"
    out.write_text("<good/>", encoding="utf-8")
    bad = _write(tmp_path, "bad.txt", KO)
    _fails(run_cli("align", bad, "-o", out), "bad.txt", "no English")
    assert out.read_text(encoding="utf-8") == "<good/>"


@pytest.mark.parametrize("encoding,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                          ("cp949", b""), ("euc-kr", b""), ("utf-8", b"\xef\xbb\xbf")])
def test_encodings_align(tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = _write(tmp_path, "doc.txt", bom + (KO + EN).replace("\n", "\r\n").encode(encoding))
    units = _succeeds(run_cli("align", path, "-o", tmp_path / "o.tmx"), tmp_path / "o.tmx")
    assert [u.target for u in units] == ["PPS signed an MOU with Canada on the 16th.",
                                         "Both countries will share e-procurement information."]


def test_english_half_first_mixed_line_ends_and_invisible_characters(tmp_path: Path) -> None:
    text = EN.replace("\n\n", "\r\n\r\n", 1) + "\n" + KO.replace("조달청은", "조달청은\u00a0\u200b\x07")
    path = _write(tmp_path, "doc.txt", text)
    units = _succeeds(run_cli("align", path, "-o", tmp_path / "o.tmx"), tmp_path / "o.tmx")
    assert units[0].source == "조달청은 16일 캐나다와 업무협약을 체결했다."
    assert len(units) == 2


def test_markup_digits_and_hanja_survive(tmp_path: Path) -> None:
    ko = "조달청은 <b>계약</b> & \"협약\"을 체결했다.\n\n2024\n\n中企\n\n양국은 <tu>정보</tu>를 공유한다.\n"
    en = "PPS signed <b>contracts</b> & \"agreements\".\n\nBoth countries share <tu>information</tu>.\n"
    path = _write(tmp_path, "doc.txt", ko + "\n" + en)
    units = _succeeds(run_cli("align", path, "-o", tmp_path / "o.tmx"), tmp_path / "o.tmx")
    assert 'PPS signed <b>contracts</b> & "agreements".' in [u.target for u in units]


def test_one_bad_document_in_a_folder_is_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    _write(folder, "a.txt", KO + EN)
    _write(folder, "b.txt", KO)
    out = tmp_path / "all.tmx"
    result = run_cli("align", folder, "-o", out)
    assert result.returncode == 1, result.stderr
    assert "b.txt" in result.stderr and "no English" in result.stderr and "Traceback" not in result.stderr
    assert "skipped documents: 1" in result.stdout
    assert len(tt_tmx.tmxfile.parsefile(str(out)).units) == 2


def test_a_one_megabyte_line_without_punctuation(tmp_path: Path) -> None:
    words = " ".join(f"word{i}" for i in range(120_000))[:1_000_000]
    path = _write(tmp_path, "doc.txt", "조달청 " * 200 + "\n\n" + words + "\n")
    result = run_cli("align", "--encoder", "none", path, "-o", tmp_path / "o.tsv")
    assert result.returncode == 0, result.stderr
    rows = (tmp_path / "o.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert "".join(r.split("\t")[8] for r in rows).replace(" ", "") == words.replace(" ", "")


def test_a_hundred_thousand_line_document(tmp_path: Path) -> None:
    ko = "".join(f"조달청은 {i}번 계약을 체결했다.\n" for i in range(50_000))
    en = "".join(f"PPS signed contract number {i}.\n" for i in range(50_000))
    path = _write(tmp_path, "doc.txt", ko + en)
    result = run_cli("align", "--encoder", "none", path, "-o", tmp_path / "o.tsv")
    assert result.returncode == 0, result.stderr
    rows = (tmp_path / "o.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert sum(1 for r in rows if r.split("\t")[3] == "1-1") > 49_000


def test_bad_review_and_tmx_files(tmp_path: Path) -> None:
    bad_tsv = _write(tmp_path, "review.tsv", "not\ta\treview\n")
    _fails(run_cli("tmx", bad_tsv, "-o", tmp_path / "x.tmx"), "review.tsv", "")
    bad_tmx = _write(tmp_path, "broken.tmx", "<tmx><body><tu>")
    result = run_cli("merge", bad_tmx, "-o", tmp_path / "m.tmx")
    _fails(result, "broken.tmx", "")
    assert not (tmp_path / "x.tmx").exists() and not (tmp_path / "m.tmx").exists()


def test_mistakes_that_need_no_alignment_fail_before_any_work(tmp_path: Path) -> None:
    doc = _write(tmp_path, "doc.txt", KO + EN)
    _fails(run_cli("align", doc, "-o", tmp_path / "o.tmx", "--src-lang", "kr"), "--src-lang", "country code")
    _fails(run_cli("align", doc, "-o", tmp_path / "o.tmx", "--date", "2024"), "--date", "not a date")
    _fails(run_cli("align", doc, "-o", tmp_path / "o.tsv", "--format", "tmx"), "o.tsv", "--format says tmx")
    (tmp_path / "o.review.html").mkdir()
    _fails(run_cli("align", doc, "-o", tmp_path / "o.tmx"), "o.review.html", "is a folder")
    assert not (tmp_path / "o.tmx").exists() and not (tmp_path / "o.review.tsv").exists()
    _fails(run_cli("align", doc, "-o", tmp_path / "x.tmx", "--src-lang", "de", "--tgt-lang", "fr"), "doc.txt",
           "Korean and English")


def test_a_bilingual_file_follows_the_language_options(tmp_path: Path) -> None:
    doc = _write(tmp_path, "doc.txt", KO + EN)
    units = _succeeds(run_cli("align", doc, "-o", tmp_path / "o.tmx", "--src-lang", "en", "--tgt-lang", "ko"),
                      tmp_path / "o.tmx")
    assert units[0].source == "PPS signed an MOU with Canada on the 16th."
    assert units[0].target == "조달청은 16일 캐나다와 업무협약을 체결했다."


def test_noncharacters_never_make_a_unit_without_text(tmp_path: Path) -> None:
    path = _write(tmp_path, "doc.txt", "한국어 문장입니다.\n\uffff\n\nEnglish sentence here.\n\uffff\n")
    units = _succeeds(run_cli("align", path, "-o", tmp_path / "o.tmx"), tmp_path / "o.tmx")
    rows = (tmp_path / "o.review.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert len(units) == sum(1 for r in rows if r.split("\t")[6] == "aligned") == 1
