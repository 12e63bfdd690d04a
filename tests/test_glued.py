"""Headings glued to the next sentence, with the real Kiwi, Punkt, encoder and CLI."""

from __future__ import annotations

from pathlib import Path

from aligner.segment import english_heading_ends as heading_ends
from tests.conftest import run_cli

KOREAN = ("조달청, 혁신제품 구매 확대 추진\n\n"
          "조달청은 올해 혁신제품 구매 규모를 작년보다 두 배 늘리겠다고 밝혔다. "
          "이를 위해 공공기관의 시범 구매 예산을 대폭 확대한다.\n\n"
          '김철수 과장은 "혁신 기업의 판로가 넓어질 것"이라고 말했다.\n\n')
ENGLISH = ("PPS to expand purchases of innovative products The Public Procurement Service said it will "
           "double its purchases of innovative products this year compared with last year. To this end, "
           "it will greatly expand the pilot purchase budget of public institutions.\n\n"
           '"The market for innovative companies will grow," said director Kim Cheol-su.\n')


def test_heading_ends_are_after_a_lowercase_content_word_before_a_capital() -> None:
    text = "Eilidh Doyle will be the voice for athletes on Scottish Athletics board Eilidh Doyle has been elected"
    cuts = [text[:c].split()[-1] + "|" + text[c:].split()[0] for c in heading_ends(text)]
    assert cuts == ["board|Eilidh"]  # never after "on", a function word
    assert heading_ends("Prices rose. He said so, and I agreed with Kim") == []


def review_rows(tmp_path: Path, text: str) -> list[list[str]]:
    """Align a bilingual file through the CLI; the rows of its review TSV."""
    source = tmp_path / "release.txt"
    source.write_text(text, encoding="utf-8")
    result = run_cli("align", source, "-o", tmp_path / "release.tmx", "--no-cache")
    assert result.returncode == 0, result.stderr
    return [line.split("\t") for line in (tmp_path / "release.review.tsv").read_text(encoding="utf-8").splitlines()[1:]]


def test_a_glued_english_heading_becomes_its_own_unit(tmp_path: Path) -> None:
    rows = review_rows(tmp_path, KOREAN + ENGLISH)
    pairs = [(row[7], row[8]) for row in rows]
    assert pairs[0] == ("조달청, 혁신제품 구매 확대 추진", "PPS to expand purchases of innovative products")
    assert pairs[1][1].startswith("The Public Procurement Service said")
    assert all(row[6] == "aligned" for row in rows)
    # nothing lost: the two English parts together are the glued line
    assert " ".join(p[1] for p in pairs[:2]) == ENGLISH.split("\n")[0].split(" To this end")[0]


def test_two_headings_glued_in_a_row_are_both_cut(tmp_path: Path) -> None:
    korean = ("조달청, 혁신제품 구매 확대 추진\n"
              "- 중소기업의 해외 판로 개척 지원도 강화\n\n"
              "조달청은 올해 혁신제품 구매 규모를 작년보다 두 배 늘리겠다고 밝혔다.\n\n")
    english = ("PPS to expand purchases of innovative products Support for small businesses pioneering "
               "overseas markets also strengthened The Public Procurement Service said it will double its purchases of "
               "innovative products this year compared with last year.\n")
    rows = review_rows(tmp_path, korean + english)
    assert [row[8] for row in rows] == [
        "PPS to expand purchases of innovative products",
        "Support for small businesses pioneering overseas markets also strengthened",
        "The Public Procurement Service said it will double its purchases of innovative products this year "
        "compared with last year."]
    assert all(row[6] == "aligned" for row in rows)


def test_a_title_glued_to_the_lead_on_both_sides_becomes_its_own_unit(tmp_path: Path) -> None:
    """Neither side kept the title apart, so both cuts are guesses: Kiwi's language model
    proposes the Korean one, a capitalised word after a content word the English one, and the
    two halves must translate each other."""
    korean = ("조달청, 혁신제품 구매 두 배로 확대 조달청은 올해 혁신제품 구매 규모를 작년보다 두 배 늘리겠다고 밝혔다. "
              "이를 위해 공공기관의 시범 구매 예산을 대폭 확대한다.\n\n")
    english = ("PPS to double purchases of innovative products The Public Procurement Service said it will "
               "double its purchases of innovative products this year compared with last year. To this end, "
               "it will greatly expand the pilot purchase budget of public institutions.\n")
    rows = review_rows(tmp_path, korean + english)
    assert [(row[7], row[8]) for row in rows[:2]] == [
        ("조달청, 혁신제품 구매 두 배로 확대", "PPS to double purchases of innovative products"),
        ("조달청은 올해 혁신제품 구매 규모를 작년보다 두 배 늘리겠다고 밝혔다.",
         "The Public Procurement Service said it will double its purchases of innovative products this year "
         "compared with last year.")]
    assert len(rows) == 3 and all(row[6] == "aligned" for row in rows)


def test_a_title_on_its_own_line_is_not_cut(tmp_path: Path) -> None:
    """Only a lead sentence ends like one: a title standing alone has a heading end of its own
    (`accuses | China`) whose halves even translate each other."""
    korean = ("미국 대사 비난 선전 광고로 괴롭히는 중국을 고소\n\n"
              "미국 대사는 중국의 공식 신문이 미국 일간지에 4페이지 분량의 광고를 게재한 지 일주일 만에 베이징이 선전을 "
              "확산시키기 위해 미국 언론을 사용했다고 비난했다.\n\n")
    english = ("U.S. ambassador accuses China of bullying with propaganda ads\n\n"
               "A week after an official Chinese newspaper ran a four-page ad in a U.S. daily, the U.S. ambassador to "
               "China accused Beijing of using the American press to spread propaganda.\n")
    rows = review_rows(tmp_path, korean + english)
    assert [(row[7], row[8]) for row in rows][0] == (
        "미국 대사 비난 선전 광고로 괴롭히는 중국을 고소", "U.S. ambassador accuses China of bullying with propaganda ads")
    assert len(rows) == 2


def test_a_lead_glued_to_the_title_with_no_counterpart_is_left_unaligned(tmp_path: Path) -> None:
    """The title cut leaves the Korean lead in the next unit (the cut's evidence test pairs the
    parts, not what else the bead holds); the search run again around the cut leaves it out: the
    English has no counterpart of it."""
    korean = ("조달청, 혁신제품 구매 두 배로 확대 이날 행사에는 관계 기관 담당자 50여 명이 참석했다. "
              "조달청은 올해 혁신제품 구매 규모를 작년보다 두 배 늘리겠다고 밝혔다. "
              "이를 위해 공공기관의 시범 구매 예산을 대폭 확대한다.\n\n")
    english = ("PPS to double purchases of innovative products The Public Procurement Service said it will "
               "double its purchases of innovative products this year compared with last year. To this end, "
               "it will greatly expand the pilot purchase budget of public institutions.\n")
    rows = review_rows(tmp_path, korean + english)
    assert [(row[6], row[7], row[8]) for row in rows[:3]] == [
        ("aligned", "조달청, 혁신제품 구매 두 배로 확대", "PPS to double purchases of innovative products"),
        ("unaligned", "이날 행사에는 관계 기관 담당자 50여 명이 참석했다.", ""),
        ("aligned", "조달청은 올해 혁신제품 구매 규모를 작년보다 두 배 늘리겠다고 밝혔다.",
         "The Public Procurement Service said it will double its purchases of innovative products this year "
         "compared with last year.")]
    assert len(rows) == 4
