"""The review TSV: what a translator checks and edits before the translation memory is built."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import notice as notice_of
from tests.conftest import press_release as press_release_of

from aligner.data import Alignment, Bead, TranslationUnit
from aligner.formats.review import (
    COLUMNS,
    format_review_tsv,
    read_review_tsv,
    units_from_alignments,
    write_review_tsv,
)

HEADER = "document\tsrc_ids\ttgt_ids\tbead\tscore\tstatus\tsource\ttarget"  # as files written before the confidence column
WRITTEN_HEADER = "\t".join(COLUMNS)


def press_release() -> Alignment:
    """A Korean press release and its English version, with the beads an aligner would find."""
    ko = [
        "한-캐나다, 중소기업 성장 지원에 힘 모은다",  # 0
        "조달청과 캐나다 공공서비스조달부는 16일 킨텍스에서 협약을 맺었다.",  # 1
        "▶ 협약식에서 기념촬영을 하는 양국 대표단",  # 2: caption, no English
        "청장은 \"혁신\" & '협력' <script>alert('x')</script>을 강조했다.",  # 3
        "양국은 정보를 공유하기로 했다.",  # 4
        "정책 협력도 강화한다.",  # 5
        "담당자는\t탭과\n줄바꿈을 남겼다.",  # 6
        "* 문의: 국제협력담당관(042-724-7470)",  # 7: contact line, no English
    ]
    en = [
        "Korea and Canada join forces to support SMEs",  # 0
        "On the 16th, PPS and PSPC signed an MOU at KINTEX.",  # 1
        "The MOU covers e-procurement.",  # 2
        "The Administrator stressed \"innovation\" & 'cooperation' <script>alert(\"x\")</script>.",  # 3
        "Both countries will share information and strengthen policy cooperation.",  # 4
        "The officer left a tab\tand a\r\nline break.",  # 5
        "Photo: KINTEX, Ilsan",  # 6: no Korean
    ]
    return press_release_of(ko, en, [0.8234, 0.7111, 0.64, 0.5849, 0.3512])


def notice() -> Alignment:
    return notice_of("notice-2", ["계약 절차가 간소화된다.", "자세한 내용은 누리집을 참조하라."],
                     ["Contract procedures will be simplified.", "See the website for details.", "© KOGL Type 1"])


@pytest.fixture
def alignments() -> list[Alignment]:
    return [press_release(), notice()]


def rows_of(path: Path) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == WRITTEN_HEADER
    return [dict(zip(COLUMNS, line.split("\t"), strict=True)) for line in lines[1:]]


# --------------------------------------------------------------------------- writing


def test_header_columns_and_cells(tmp_path, alignments):
    path = tmp_path / "review.tsv"
    write_review_tsv(alignments, path, min_score=0.5)
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n") and "\r" not in text
    rows = rows_of(path)
    assert len(rows) == sum(len(a.beads) for a in alignments)

    two_to_one = rows[4]
    assert two_to_one == {
        "document": "press-2024-04-16", "src_ids": "4 5", "tgt_ids": "4", "bead": "2-1", "score": "0.585",
        "confidence": "", "status": "aligned", "source": "양국은 정보를 공유하기로 했다. 정책 협력도 강화한다.",
        "target": "Both countries will share information and strengthen policy cooperation.",
    }
    caption = rows[2]
    assert (caption["src_ids"], caption["tgt_ids"], caption["bead"], caption["status"], caption["target"]) == (
        "2", "", "1-0", "unaligned", "")
    photo = rows[6]
    assert (photo["src_ids"], photo["bead"], photo["status"], photo["source"]) == ("", "0-1", "unaligned", "")
    # Tabs and line breaks inside a sentence become spaces, so one line is one row.
    assert rows[5]["source"] == "담당자는 탭과 줄바꿈을 남겼다."
    assert rows[5]["target"] == "The officer left a tab and a line break."
    assert rows[5]["status"] == "low-score"
    # Markup and quotes are plain text in a TSV: written as they are.
    assert rows[3]["source"] == "청장은 \"혁신\" & '협력' <script>alert('x')</script>을 강조했다."
    assert [r["score"] for r in rows[:2]] == ["0.823", "0.711"]


def test_every_sentence_appears_in_exactly_one_row(tmp_path, alignments):
    path = tmp_path / "review.tsv"
    write_review_tsv(alignments, path, min_score=0.7)
    seen: list[tuple[str, str, int]] = []
    for row in rows_of(path):
        for side in ("src", "tgt"):
            seen += [(row["document"], side, int(i)) for i in row[f"{side}_ids"].split()]
    expected = [
        (a.document.name, side, i)
        for a in alignments
        for side, sentences in (("src", a.document.src), ("tgt", a.document.tgt))
        for i in range(len(sentences))
    ]
    assert sorted(seen) == sorted(expected)
    assert len(seen) == len(set(seen))
    # … and each sentence's text (without its list marker, as the TMX) is in the row that names it.
    for row in rows_of(path):
        alignment = next(a for a in alignments if a.document.name == row["document"])
        for i in row["src_ids"].split():
            first_word = alignment.document.src[int(i)].segment.split()[0]
            assert first_word in row["source"]
        for i in row["tgt_ids"].split():
            first_word = alignment.document.tgt[int(i)].segment.split()[0]
            assert first_word in row["target"]


def test_beads_that_miss_or_repeat_a_sentence_are_refused(tmp_path):
    broken = press_release()
    broken.beads = broken.beads[:-1]  # the contact line is in no bead
    with pytest.raises(ValueError, match=r"press-2024-04-16.*src.*in no bead 7"):
        write_review_tsv([broken], tmp_path / "r.tsv")
    twice = press_release()
    twice.beads.append(Bead((), (0,), 0.0))
    with pytest.raises(ValueError, match=r"tgt.*more than one bead 0"):
        units_from_alignments([twice])
    assert not (tmp_path / "r.tsv").exists()


def test_status_follows_min_score(tmp_path, alignments):
    path = tmp_path / "review.tsv"
    write_review_tsv(alignments, path)
    assert {r["status"] for r in rows_of(path)} == {"aligned", "unaligned"}

    write_review_tsv(alignments, path, min_score=0.64)
    statuses = [(r["score"], r["status"]) for r in rows_of(path) if r["status"] != "unaligned"]
    assert statuses == [
        ("0.823", "aligned"), ("0.711", "aligned"), ("0.640", "aligned"),  # at min_score: kept
        ("0.585", "low-score"), ("0.351", "low-score"), ("0.912", "aligned"), ("0.770", "aligned"),
    ]


def test_a_caller_s_filter_gives_the_status_of_what_it_leaves_out(tmp_path, alignments):
    """The workbench's filter says why a unit stays out; a status that is not a left-out one
    would make the TSV and the TMX disagree, so it is refused."""
    def unconfirmed_below(alignment, bead):
        return "unconfirmed" if bead.score < 0.7 else None

    path = tmp_path / "review.tsv"
    write_review_tsv(alignments, path, leave_out=unconfirmed_below)
    statuses = [(r["score"], r["status"]) for r in rows_of(path) if r["status"] != "unaligned"]
    assert [status for _, status in statuses] == ["aligned", "aligned", "unconfirmed", "unconfirmed",
                                                  "unconfirmed", "aligned", "aligned"]
    assert read_review_tsv(path) == units_from_alignments(alignments, leave_out=unconfirmed_below)
    with pytest.raises(ValueError, match="unaligned"):
        units_from_alignments(alignments, leave_out=lambda alignment, bead: "unaligned")


def test_units_from_alignments_keep_aligned_beads_at_or_above_min_score(alignments):
    everything = units_from_alignments(alignments)
    assert [u.kind for u in everything] == ["1-1", "1-2", "1-1", "2-1", "1-1", "1-1", "1-1"]
    assert all(u.src and u.tgt for u in everything)
    assert everything[1] == TranslationUnit(
        src="조달청과 캐나다 공공서비스조달부는 16일 킨텍스에서 협약을 맺었다.",
        tgt="On the 16th, PPS and PSPC signed an MOU at KINTEX. The MOU covers e-procurement.",
        score=0.711, kind="1-2", document="press-2024-04-16", count=1,
    )
    kept = units_from_alignments(alignments, min_score=0.64)
    assert [u.score for u in kept] == [0.823, 0.711, 0.64, 0.912, 0.77]
    assert units_from_alignments(alignments, min_score=0.95) == []
    assert units_from_alignments(press_release()) == units_from_alignments([press_release()])


def test_scores_that_are_not_numbers_show_as_zero(tmp_path):
    alignment = notice()
    alignment.beads[0] = Bead((0,), (0,), float("nan"))
    alignment.beads[1] = Bead((1,), (1,), -0.00001)
    path = tmp_path / "r.tsv"
    write_review_tsv([alignment], path, min_score=0.5)
    rows = rows_of(path)
    assert [(r["score"], r["status"]) for r in rows[:2]] == [("0.000", "low-score"), ("0.000", "low-score")]
    assert read_review_tsv(path) == units_from_alignments([alignment], min_score=0.5) == []


def test_write_is_atomic_and_replaces_the_old_file(tmp_path, alignments):
    path = tmp_path / "review.tsv"
    path.write_text("old\n", encoding="utf-8")
    write_review_tsv(alignments, path)
    assert path.read_text(encoding="utf-8").startswith(WRITTEN_HEADER)
    broken = press_release()
    broken.beads = broken.beads[1:]
    before = path.read_bytes()
    with pytest.raises(ValueError):
        write_review_tsv([broken], path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["review.tsv"]  # no temporary file left behind


# --------------------------------------------------------------------------- reading back


@pytest.mark.parametrize("min_score", [None, 0.5, 0.7, 2.0])
def test_round_trip_gives_the_units_of_the_tmx(tmp_path, alignments, min_score):
    path = tmp_path / "review.tsv"
    write_review_tsv(alignments, path, min_score=min_score)
    assert read_review_tsv(path) == units_from_alignments(alignments, min_score=min_score)


def test_edited_file_gives_exactly_the_edited_units(tmp_path, alignments):
    path = tmp_path / "review.tsv"
    write_review_tsv(alignments, path, min_score=0.6)
    lines = path.read_text(encoding="utf-8").split("\n")

    def edit(line_index: int, **changes: str) -> None:
        cells = dict(zip(COLUMNS, lines[line_index].split("\t"), strict=True))
        cells.update(changes)
        lines[line_index] = "\t".join(cells[c] for c in COLUMNS)

    # Line 1 is the header; line 1 + n is bead n of the press release.
    edit(1, target="Korea and Canada team up to support SMEs")  # a better title
    edit(3, target="A photo of both delegations at the signing")  # the person translated a caption
    edit(5, status="aligned")  # a low-score 2-1 bead that is right after all
    edit(6, source="담당자는 탭과 줄바꿈을 남겼다. 문의는 국제협력담당관에게.",  # two rows merged into one …
         target="The officer left a tab and a line break.", status="aligned")
    edit(8, source="")  # … whose other half is emptied
    del lines[2]  # a wrong 1-2 bead deleted
    path.write_text("\n".join(lines), encoding="utf-8")

    press, other = "press-2024-04-16", "notice-2"
    assert read_review_tsv(path) == [
        TranslationUnit("한-캐나다, 중소기업 성장 지원에 힘 모은다", "Korea and Canada team up to support SMEs",
                        0.823, "1-1", press),
        TranslationUnit("협약식에서 기념촬영을 하는 양국 대표단", "A photo of both delegations at the signing",
                        0.0, "1-1", press),
        TranslationUnit("청장은 \"혁신\" & '협력' <script>alert('x')</script>을 강조했다.",
                        "The Administrator stressed \"innovation\" & 'cooperation' <script>alert(\"x\")</script>.",
                        0.64, "1-1", press),
        TranslationUnit("양국은 정보를 공유하기로 했다. 정책 협력도 강화한다.",
                        "Both countries will share information and strengthen policy cooperation.",
                        0.585, "2-1", press),
        TranslationUnit("담당자는 탭과 줄바꿈을 남겼다. 문의는 국제협력담당관에게.",
                        "The officer left a tab and a line break.", 0.351, "1-1", press),
        TranslationUnit("계약 절차가 간소화된다.", "Contract procedures will be simplified.", 0.912, "1-1", other),
        TranslationUnit("자세한 내용은 누리집을 참조하라.", "See the website for details.", 0.77, "1-1", other),
    ]


def test_low_score_rows_stay_out_until_a_person_says_otherwise(tmp_path):
    path = tmp_path / "r.tsv"
    path.write_text(
        HEADER + "\n"
        "d\t0\t0\t1-1\t0.200\tlow-score\t안녕하세요.\tHello.\n"
        "d\t1\t1\t1-1\t0.200\tLow Score\t감사합니다.\tThank you.\n"
        "d\t2\t2\t1-1\t0.200\tALIGNED\t네.\tYes.\n"
        "d\t3\t\t1-0\t0.000\tunaligned\t아니요.\t\n"
        "d\t\t3\t0-1\t0.000\tunaligned\t\tNo.\n"
        "d\t\t4\t0-1\t\tunaligned\t   \tMaybe.\n",
        encoding="utf-8",
    )
    assert read_review_tsv(path) == [TranslationUnit("네.", "Yes.", 0.2, "1-1", "d")]


def test_reads_what_editors_and_spreadsheets_save(tmp_path):
    rows = [
        ["target", "source", "status", "score", "bead", "tgt_ids", "src_ids", "document", "note"],
        ["Hello.", "안녕하세요.", "aligned", "0,75", "1-1", "0", "0", "d", "checked"],
        ["", "", "", "", "", "", "", "", ""],  # a row a spreadsheet emptied
        [" Bye. ", " 잘 가요. ", "aligned", "0.5", "", "1 2", "1", "d", ""],
    ]
    text = "\r\n".join("\t".join(r) for r in rows) + "\r\n\r\n"
    expected = [
        TranslationUnit("안녕하세요.", "Hello.", 0.75, "1-1", "d"),
        TranslationUnit("잘 가요.", "Bye.", 0.5, "1-2", "d"),
    ]
    for encoding in ("utf-8", "utf-8-sig", "utf-16"):  # utf-16: Excel's "Unicode Text"
        path = tmp_path / f"r-{encoding}.tsv"
        path.write_bytes(text.encode(encoding))
        assert read_review_tsv(path) == expected, encoding


def test_an_unaligned_row_whose_trailing_tab_an_editor_trimmed_is_accepted(tmp_path):
    alignment = press_release()
    text = format_review_tsv([alignment])
    trimmed = "\n".join(line.rstrip() for line in text.split("\n"))
    assert trimmed != text
    path = tmp_path / "r.tsv"
    path.write_text(trimmed, encoding="utf-8")
    assert read_review_tsv(path) == units_from_alignments([alignment])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"line 1: no header"),
        ("document\tsrc_ids\ttgt_ids\tbead\tscore\tsource\ttarget\n", r"line 1: .*lacks column\(s\) status"),
        ("\n" + HEADER + "\tsource\n", r"line 2: .*repeats column\(s\) source"),
        ("안녕\tHello\n", r"line 1: .*lacks column"),
        (HEADER + "\nd\t0\t0\t1-1\t0.9\taligned\t안녕\tHello\n\nd\t1\t1\t1-1\t0.9\taligned\t잘 가\n",
         r"line 4: expected 8 tab-separated fields .* found 7"),
        (HEADER + "\nd\t0\t0\t1-1\t0.9\taligned\t안녕\tHel\tlo\n", r"line 2: expected 8 .* found 9"),
        (HEADER + "\nd\t0\t0\t1-1\t0.9\tok\t안녕\tHello\n", r"line 2: unknown status 'ok'"),
        (HEADER + "\nd\t0\t0\t1-1\thigh\taligned\t안녕\tHello\n", r"line 2: score 'high' is not a number"),
    ],
)
def test_bad_input_names_the_line(tmp_path, text, message):
    path = tmp_path / "bad.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as caught:
        read_review_tsv(path)
    assert str(path) in str(caught.value)


def test_bytes_that_are_not_utf8_name_the_line(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_bytes((HEADER + "\nd\t0\t0\t1-1\t0.9\taligned\t").encode() + "안녕".encode("euc-kr") + b"\tHi\n")
    with pytest.raises(ValueError, match=r"line 2: not UTF-8"):
        read_review_tsv(path)
