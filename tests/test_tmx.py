"""The TMX layer: hostile text in, clean TMX 1.4 out, read back by translate-toolkit, linted."""

from __future__ import annotations

import os
import re
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree
from translate.storage import tmx as tt_tmx

from aligner.data import TranslationUnit
from aligner.errors import InputError
from aligner.formats import tmx as tmxmod
from aligner.formats.tmx import (
    clean_segment,
    lint_tmx,
    read_tmx,
    tmx_language,
    tuid_for,
    validate_dtd,
    write_tmx,
)
from tests.omegat import omegat_available, omegat_required, tmx14_dtd

FIXED = datetime(2025, 3, 4, 5, 6, 7, tzinfo=timezone.utc)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

HOSTILE_SRC = " 조달청은 <입찰> & \"계약\"을\u00a0공고했다.\t"
HOSTILE_TGT = "PPS posted the <tender> & \"contract\"\x07notice.  "
CLEAN_SRC = '조달청은 <입찰> & "계약"을 공고했다.'
CLEAN_TGT = 'PPS posted the <tender> & "contract" notice.'
DECOMPOSED = unicodedata.normalize("NFD", "혁신제품 구매가 늘었다.")


def hostile_units() -> list[TranslationUnit]:
    return [
        TranslationUnit(HOSTILE_SRC, HOSTILE_TGT, 0.91, "1-1", "press/2024-01.txt"),
        TranslationUnit(DECOMPOSED, "Purchases of innovative products rose.", 0.8, "1-2", "press/2024-02.txt"),
        TranslationUnit("▶ 사진 설명", "  \u00a0\t ", 0.1, "1-0", "press/2024-01.txt"),  # empty side
        TranslationUnit("", "Contact: PPS", 0.1, "0-1", "press/2024-01.txt"),  # empty side
        # Same pair as the first once cleaned: written once, counts summed.
        TranslationUnit(CLEAN_SRC, CLEAN_TGT, 0.95, "1-1", "press/2024-03.txt", count=2),
    ]


@pytest.fixture
def written(tmp_path: Path) -> tuple[Path, tmxmod.TmxWriteResult]:
    path = tmp_path / "out.tmx"
    result = write_tmx(hostile_units(), path, "ko", "en", creation_date=FIXED, tool_version="1.2.3")
    return path, result


@pytest.fixture
def dtd_path(tmp_path: Path) -> Path:
    """OmegaT's tmx14.dtd, from its jar; skipped without OmegaT unless it is required."""
    if not omegat_available():
        if omegat_required():
            pytest.fail("ALIGNER_REQUIRE_OMEGAT=1 but OmegaT is not installed (apt-get install -y omegat)")
        pytest.skip("OmegaT not installed (apt-get install -y omegat): no TMX 1.4 DTD to validate against")
    dest = tmp_path / "tmx14.dtd"
    if tmx14_dtd(dest) is None:
        pytest.fail("OmegaT.jar has no schemas/tmx14.dtd")
    return dest


# --------------------------------------------------------------------------- cleaning, codes


def test_clean_segment() -> None:
    assert clean_segment(HOSTILE_SRC) == CLEAN_SRC
    assert clean_segment(HOSTILE_TGT) == CLEAN_TGT
    assert clean_segment(DECOMPOSED) == unicodedata.normalize("NFC", DECOMPOSED)
    assert clean_segment("a\x00b\x1fc\x85d\u2028e\u3000f\ufeffg") == "a b c d e fg"
    assert clean_segment(" \u00a0\t\n") == ""


@pytest.mark.parametrize(
    ("code", "expected"),
    [("ko", "ko-KR"), ("en", "en-US"), ("ko_KR", "ko-KR"), ("ko-kr", "ko-KR"), ("KO", "ko-KR"),
     ("de", "de"), ("en-GB", "en-GB"), ("zh_Hant_TW", "zh-Hant-TW"), ("kor", "ko-KR")],
)
def test_tmx_language(code: str, expected: str) -> None:
    assert tmx_language(code) == expected


@pytest.mark.parametrize("code", ["kr", "KR", "kr-KR", "", "ko KR", "한국어"])
def test_tmx_language_rejects(code: str) -> None:
    with pytest.raises(ValueError):
        tmx_language(code)


# --------------------------------------------------------------------------- writing


def test_round_trip_with_translate_toolkit(written: tuple[Path, tmxmod.TmxWriteResult]) -> None:
    path, _ = written
    with path.open("rb") as fh:
        store = tt_tmx.tmxfile(fh)
    pairs = [(u.source, u.gettarget("en-US")) for u in store.units]
    assert pairs == [
        (CLEAN_SRC, CLEAN_TGT),
        (unicodedata.normalize("NFC", DECOMPOSED), "Purchases of innovative products rose."),
    ]
    raw = path.read_text(encoding="utf-8")
    assert "&lt;입찰&gt; &amp;" in raw and "\u00a0" not in raw and "\t" not in raw
    assert "\x07" not in raw and "contract\" notice" in raw  # control char became a space


def test_read_tmx_gives_props_back(written: tuple[Path, tmxmod.TmxWriteResult]) -> None:
    path, result = written
    units, src, tgt = read_tmx(path)
    assert (src, tgt) == ("ko-KR", "en-US")
    assert units == list(result.written)
    assert units[0] == TranslationUnit(CLEAN_SRC, CLEAN_TGT, 0.95, "1-1", "press/2024-01.txt", 3)
    assert units[1].kind == "1-2" and units[1].count == 1 and units[1].score == 0.8


def test_result_reports_skipped_and_merged(written: tuple[Path, tmxmod.TmxWriteResult]) -> None:
    _, result = written
    assert [u.src for u in result.skipped] == ["▶ 사진 설명", ""]
    assert result.merged == 1
    assert len(result.written) == 2


def test_header(written: tuple[Path, tmxmod.TmxWriteResult]) -> None:
    path, _ = written
    root = etree.parse(str(path)).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert dict(header.attrib) == {
        "creationtool": "aligner",
        "creationtoolversion": "1.2.3",
        "segtype": "sentence",
        "o-tmf": "aligner",
        "adminlang": "en",
        "srclang": "ko-KR",
        "datatype": "plaintext",
        "creationdate": "20250304T050607Z",
    }


def test_tu_layout(written: tuple[Path, tmxmod.TmxWriteResult]) -> None:
    path, _ = written
    tus = etree.parse(str(path)).getroot().find("body").findall("tu")
    assert len(tus) == 2
    first = tus[0]
    assert [(c.tag, c.get("type")) for c in first] == [
        ("prop", "x-score"), ("prop", "x-bead"), ("prop", "x-document"), ("prop", "x-count"),
        ("tuv", None), ("tuv", None),
    ]
    assert [c.text for c in first.findall("prop")] == ["0.9500", "1-1", "press/2024-01.txt", "3"]
    assert [tuv.get(XML_LANG) for tuv in first.findall("tuv")] == ["ko-KR", "en-US"]
    # count 1: no x-count prop, props still before the first tuv
    assert [c.get("type") for c in tus[1] if c.tag == "prop"] == ["x-score", "x-bead", "x-document"]
    assert [c.tag for c in tus[1]][-2:] == ["tuv", "tuv"]
    assert first.get("tuid") == tuid_for(CLEAN_SRC, CLEAN_TGT)
    assert tus[1].get("tuid") != first.get("tuid")
    assert re.fullmatch(r"[0-9a-f]{16}", first.get("tuid"))


def test_empty_side_never_written(written: tuple[Path, tmxmod.TmxWriteResult]) -> None:
    path, _ = written
    raw = path.read_text(encoding="utf-8")
    assert "사진 설명" not in raw and "Contact: PPS" not in raw
    for seg in etree.parse(str(path)).iter("seg"):
        assert seg.text and seg.text == seg.text.strip()


def test_byte_identical_for_fixed_date(tmp_path: Path) -> None:
    a, b = tmp_path / "a.tmx", tmp_path / "b.tmx"
    write_tmx(hostile_units(), a, "ko", "en", creation_date=FIXED, tool_version="1")
    write_tmx(hostile_units(), b, "ko_KR", "en", creation_date=FIXED, tool_version="1")
    assert a.read_bytes() == b.read_bytes()


def test_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(FIXED.timestamp())))
    path = tmp_path / "e.tmx"
    write_tmx(hostile_units(), path, "ko", "en")
    assert etree.parse(str(path)).getroot().find("header").get("creationdate") == "20250304T050607Z"


def test_bad_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(InputError, match="SOURCE_DATE_EPOCH"):
        write_tmx(hostile_units(), tmp_path / "e.tmx", "ko", "en")


def test_now_is_utc_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    path = tmp_path / "n.tmx"
    write_tmx(hostile_units(), path, "ko", "en")
    date = etree.parse(str(path)).getroot().find("header").get("creationdate")
    assert re.fullmatch(r"\d{8}T\d{6}Z", date)


def test_atomic_replace_leaves_no_temp_and_no_partial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "tm.tmx"
    write_tmx(hostile_units(), path, "ko", "en", creation_date=FIXED)
    before = path.read_bytes()

    def boom(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(tmxmod.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_tmx(hostile_units()[:1], path, "ko", "en", creation_date=FIXED)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tm.tmx"]


def test_bad_language_raises_before_touching_file(tmp_path: Path) -> None:
    path = tmp_path / "x.tmx"
    with pytest.raises(InputError, match="country code"):
        write_tmx(hostile_units(), path, "kr", "en")
    with pytest.raises(InputError, match="both ko-KR"):
        write_tmx(hostile_units(), path, "ko", "ko_KR")
    assert not path.exists()


def test_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="output folder does not exist"):
        write_tmx(hostile_units(), tmp_path / "nope" / "x.tmx", "ko", "en")


def test_file_mode_follows_umask(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    os.umask(mask)
    path = tmp_path / "m.tmx"
    write_tmx(hostile_units(), path, "ko", "en", creation_date=FIXED)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask


def test_written_file_lints_clean(written: tuple[Path, tmxmod.TmxWriteResult]) -> None:
    assert lint_tmx(written[0]) == []


def test_empty_input_is_a_valid_tmx(tmp_path: Path) -> None:
    path = tmp_path / "empty.tmx"
    result = write_tmx([], path, "ko", "en", creation_date=FIXED)
    assert result.written == () and read_tmx(path) == ([], "ko-KR", "")
    assert lint_tmx(path) == []


def test_dtd_valid(written: tuple[Path, tmxmod.TmxWriteResult], dtd_path: Path) -> None:
    assert validate_dtd(written[0], dtd_path) == []


def test_dtd_catches_prop_after_tuv(tmp_path: Path, dtd_path: Path) -> None:
    bad = tmx_text([tu(("ko-KR", "가"), ("en-US", "a"))]).replace(
        "</tuv></tu>", '</tuv><prop type="x-score">1</prop></tu>', 1
    )
    path = tmp_path / "bad.tmx"
    path.write_text(bad, encoding="utf-8")
    assert validate_dtd(path, dtd_path)


# --------------------------------------------------------------------------- lint

HEADER = {
    "creationtool": "hand",
    "creationtoolversion": "1",
    "segtype": "sentence",
    "o-tmf": "hand",
    "adminlang": "en",
    "srclang": "ko-KR",
    "datatype": "plaintext",
    "creationdate": "20250101T000000Z",
}


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def tu(*tuvs: tuple[str, str], attrs: str = "") -> str:
    body = "".join(f'<tuv xml:lang="{lang}"><seg>{esc(text)}</seg></tuv>' for lang, text in tuvs)
    return f"<tu{attrs}>{body}</tu>"


def tmx_text(tus: list[str], header: dict[str, str] | None = None) -> str:
    attrs = " ".join(f'{k}="{v}"' for k, v in (HEADER if header is None else header).items())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
        f"<header {attrs}/>\n<body>\n" + "\n".join(tus) + "\n</body>\n</tmx>\n"
    )


def lint_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "hand.tmx"
    path.write_text(text, encoding="utf-8")
    return lint_tmx(path)


GOOD = tu(("ko-KR", "조달청은 입찰을 공고했다."), ("en-US", "PPS announced the tender."))


def test_lint_clean_hand_written(tmp_path: Path) -> None:
    assert lint_of(tmp_path, tmx_text([GOOD])) == []
    # bare ko/en are acceptable codes
    short = tmx_text([tu(("ko", "가"), ("en", "a"))], {**HEADER, "srclang": "ko"})
    assert lint_of(tmp_path, short) == []


@pytest.mark.parametrize(
    ("tus", "header", "expected"),
    [
        ([tu(("kr", "가"), ("en-US", "a"))], {**HEADER, "srclang": "kr"}, "'kr' is a country code"),
        ([tu(("ko_KR", "가"), ("en-US", "a"))], {**HEADER, "srclang": "ko_KR"}, "uses an underscore"),
        ([tu(("kor", "가"), ("en-US", "a"))], {**HEADER, "srclang": "kor"}, "three-letter code"),
        ([tu(("ko-KR", ""), ("en-US", "a"))], None, "empty segment"),
        ([tu(("ko-KR", "가"), ("en-US", "   "))], None, "empty segment"),
        ([tu(("ko-KR", " 가"), ("en-US", "a"))], None, "leading or trailing whitespace"),
        ([tu(("ko-KR", "가"), ("en-US", "a "))], None, "leading or trailing whitespace"),
        ([tu(("ko-KR", "가\u00a0나"), ("en-US", "a"))], None, "no-break space"),
        ([tu(("ko-KR", "가\t나"), ("en-US", "a"))], None, "contains a tab"),
        ([tu(("ko-KR", "가\x85나"), ("en-US", "a"))], None, "control characters U+0085"),
        ([tu(("ko-KR", DECOMPOSED), ("en-US", "a"))], None, "not in Unicode NFC"),
        ([tu(("ko-KR", "가"))], None, "1 tuv; a TU needs a source and a target"),
        ([tu(("en-US", "a"), ("de", "b"))], None, "no tuv in the source language 'ko-kr'"),
        ([tu(("ko-KR", "가"), ("ko-KR", "나"))], None, "no tuv in a target language"),
        (
            [tu(("ko-KR", "가"), ("en-US", "a")), tu(("ko-KR", "가"), ("en-US", "b"))],
            None,
            "warning: same source with 2 different targets",
        ),
        ([GOOD], {k: v for k, v in HEADER.items() if k != "o-tmf"}, "header attribute o-tmf is missing"),
        ([GOOD], {k: v for k, v in HEADER.items() if k != "srclang"}, "header attribute srclang is missing"),
        ([GOOD], {**HEADER, "creationdate": "2025-01-01 00:00"}, "creationdate '2025-01-01 00:00'"),
        ([GOOD], {**HEADER, "creationdate": "20251399T000000Z"}, "is not a UTC date"),
        ([tu(("ko-KR", "가"), ("en-US", "a"), attrs=' tuid="1"'), tu(("ko-KR", "나"), ("en-US", "b"), attrs=' tuid="1"')],
         None, "tuid already used"),
    ],
)
def test_lint_finds(tmp_path: Path, tus: list[str], header: dict[str, str] | None, expected: str) -> None:
    problems = lint_of(tmp_path, tmx_text(tus, header))
    assert any(expected in p for p in problems), problems
    assert all(re.match(r"line \d+: (error|warning): ", p) for p in problems), problems


def test_lint_missing_xml_lang(tmp_path: Path) -> None:
    text = tmx_text([GOOD]).replace('<tuv xml:lang="en-US">', "<tuv>")
    assert any("tuv xml:lang: missing language code" in p for p in lint_of(tmp_path, text))


def test_lint_same_source_is_only_a_warning(tmp_path: Path) -> None:
    problems = lint_of(
        tmp_path, tmx_text([tu(("ko-KR", "가"), ("en-US", "a")), tu(("ko-KR", "가"), ("en-US", "b"))])
    )
    assert len(problems) == 1 and ": warning: " in problems[0]


def test_lint_not_xml(tmp_path: Path) -> None:
    problems = lint_of(tmp_path, tmx_text([GOOD]).replace("PPS", "PPS & co"))
    assert len(problems) == 1 and "not a well-formed XML file" in problems[0]


def test_lint_translate_toolkit_defaults_are_not_flagged_as_missing(tmp_path: Path) -> None:
    """A plain translate-toolkit file has the seven attributes but no creationdate: clean."""
    store = tt_tmx.tmxfile(sourcelanguage="ko-KR", targetlanguage="en-US")
    store.addtranslation("가", "ko-KR", "a", "en-US")
    path = tmp_path / "tt.tmx"
    path.write_bytes(bytes(store))
    assert lint_tmx(path) == []



def test_read_tmx_other_producers(tmp_path: Path) -> None:
    """OmegaT exports TMX 1.1 (lang=, not xml:lang); bare ko matches ko-KR; one-sided TUs are skipped."""
    path = tmp_path / "omegat-export.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.1"><header creationtool="OmegaT" '
        'o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext" creationtoolversion="3.6" '
        'segtype="paragraph" srclang="ko-KR"/><body>'
        '<tu><tuv lang="EN-US"><seg>Tender</seg></tuv><tuv lang="ko"><seg>입찰</seg></tuv></tu>'
        '<tu><tuv lang="ko-KR"><seg>계약</seg></tuv></tu>'
        '<tu><tuv lang="ko-KR"><seg>조달</seg></tuv><tuv lang="en-US"><seg>Procurement</seg></tuv></tu>'
        "</body></tmx>\n",
        encoding="utf-8",
    )
    units, src, tgt = read_tmx(path)
    assert (src, tgt) == ("ko-KR", "EN-US")
    assert [(u.src, u.tgt, u.count, u.kind) for u in units] == [
        ("입찰", "Tender", 1, "1-1"),
        ("조달", "Procurement", 1, "1-1"),
    ]
