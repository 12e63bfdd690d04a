"""Documents in every format: the seeds written as DOCX, HWPX, PDF and HTML align exactly as
the plain text does, and real Korean releases read in order with their structure."""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from translate.storage import tmx as tt_tmx

from aligner.documents import line_script
from aligner.readers import read_blocks
from tests.conftest import SEEDS, run_cli
from tests.render import FURNITURE, WRITERS, seed_paragraphs

FIXTURES = Path(__file__).parent / "fixtures"
FORMATS = sorted(WRITERS)
PAGE_NUMBER = re.compile(r"^[-\s]*\d+[-\s]*$")


def _rows(review: Path) -> dict[str, list[tuple[str, str, str]]]:
    """Review rows per document: (status, source, target)."""
    by_document = defaultdict(list)
    for line in review.read_text(encoding="utf-8").splitlines()[1:]:
        cells = line.split("\t")
        by_document[cells[0]].append((cells[6], cells[7], cells[8]))
    return by_document


@pytest.fixture(scope="module")
def mixed_folder_run(tmp_path_factory) -> tuple[Path, str, Path]:
    """One folder: each seed as .txt and in every format; aligned in one run."""
    folder = tmp_path_factory.mktemp("mixed")
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
        for fmt, write in WRITERS.items():
            write(seed_paragraphs(seed), folder / f"{seed.stem}.{fmt}")
    out = tmp_path_factory.mktemp("out") / "mixed.tmx"
    result = run_cli("align", folder, "-o", out, "--date", "20240416T000000Z")
    assert result.returncode == 0, result.stderr
    return out, result.stdout, folder


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_seeds_in_every_format_align_as_the_text(mixed_folder_run, fmt: str) -> None:
    out, stdout, folder = mixed_folder_run
    assert "documents: 10" in stdout
    rows = _rows(out.with_name("mixed.review.tsv"))
    for seed in sorted(SEEDS.glob("*.txt")):
        text_rows, format_rows = rows[seed.name], rows[f"{seed.stem}.{fmt}"]
        aligned = [r for r in format_rows if r[0] == "aligned"]
        assert aligned == [r for r in text_rows if r[0] == "aligned"]
        unaligned = [r for r in format_rows if r[0] != "aligned"]
        text_unaligned = [r for r in text_rows if r[0] != "aligned"]
        assert [r for r in unaligned if r in text_unaligned] == text_unaligned
        # … and the format's furniture (running heads, page numbers, menus): nothing else
        extra = [r[1] or r[2] for r in unaligned if r not in text_unaligned]
        furniture = " ".join(b.text for b in read_blocks(folder / f"{seed.stem}.{fmt}") if b.kind == "furniture")
        assert all(text in furniture for text in extra), (extra, furniture)
        assert any(f in furniture for f in FURNITURE)
    total = sum(1 for name, doc in rows.items() if name.endswith(f".{fmt}") for r in doc if r[0] == "aligned")
    assert total == 17


def test_no_furniture_and_no_list_marker_in_the_tmx(mixed_folder_run) -> None:
    out, _, _ = mixed_folder_run
    segments = [s for u in tt_tmx.tmxfile.parsefile(str(out)).units for s in (u.source, u.target)]
    assert segments
    assert not [s for s in segments if any(f in s for f in FURNITURE)]
    assert not [s for s in segments if s[:1] in "-•▶※○□*" or PAGE_NUMBER.match(s)]
    # the review page lists them, each flagged as what it is
    page = out.with_name("mixed.review.html").read_text(encoding="utf-8")
    assert 'class="flag">furniture<' in page and 'class="flag">caption<' in page


def _halves(seed: Path) -> tuple[list[str], list[str]]:
    """A bilingual seed's Korean and English paragraphs (the contact lines after the English
    half are Korean)."""
    paras = seed_paragraphs(seed)
    return [p for p in paras if line_script(p) == "ko"], [p for p in paras if line_script(p) == "en"]


def test_a_pair_of_two_formats_and_two_folders_paired_by_name(tmp_path: Path) -> None:
    ko, en = tmp_path / "ko", tmp_path / "en"
    ko.mkdir()
    en.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for seed, (ko_fmt, en_fmt) in zip(seeds, (("hwpx", "docx"), ("pdf", "html"))):
        ko_paras, en_paras = _halves(seed)
        WRITERS[ko_fmt](ko_paras, ko / f"{seed.stem}.{ko_fmt}")
        WRITERS[en_fmt](en_paras, en / f"{seed.stem}.{en_fmt}")
    WRITERS["docx"](["한국어만 있는 문서입니다."], ko / "orphan.docx")

    pair = run_cli("align", ko / f"{seeds[0].stem}.hwpx", en / f"{seeds[0].stem}.docx", "-o", tmp_path / "pair.tsv")
    assert pair.returncode == 0, pair.stderr
    assert "units: 8 " in pair.stdout

    result = run_cli("align", ko, en, "-o", tmp_path / "both.tmx")
    assert result.returncode == 1, result.stderr
    assert "orphan.docx" in result.stderr and "unpaired" in result.stderr and "Traceback" not in result.stderr
    assert "documents: 2" in result.stdout and "units: 17 " in result.stdout
    assert "skipped documents: 1" in result.stdout


def test_the_hwp_and_the_hwpx_of_one_release_read_the_same() -> None:
    hwp = read_blocks(FIXTURES / "moef_20240621_press_release_odi_2024q1.hwp")
    hwpx = read_blocks(FIXTURES / "moef_20240621_press_release_odi_2024q1.hwpx")
    assert hwp == hwpx
    assert len(hwp) > 1000  # its many statistics tables, a block per cell
    kinds = {b.kind for b in hwp}
    assert {"paragraph", "table_cell", "furniture"} <= kinds
    header = [b.text for b in hwp[:8] if b.role == "header table"]
    assert "보도시점" in header and "보도자료" in header


def test_a_release_in_reading_order_with_its_header_and_contact_tables() -> None:
    blocks = read_blocks(FIXTURES / "mcst_20240102_press_release_paris2024.hwpx")
    texts = [b.text for b in blocks]
    assert [b.role for b in blocks[:6]] == ["header table"] * 6 and "보도시점" in texts[:6]
    title = texts.index("2024 파리 올림픽·패럴림픽 준비하는 우리 선수단 격려한다")
    assert blocks[title].kind == "table_cell"  # the boxed title, a table of one cell
    lead = next(i for i, t in enumerate(texts) if t.startswith("문화체육관광부(장관 유인촌"))
    visit = next(i for i, t in enumerate(texts) if t.startswith("장미란 차관은 먼저"))
    assert title < lead < visit
    contact = [b for b in blocks if b.role == "contact table"]
    assert contact and blocks[-1].role == "contact table"
    assert {"담당 부서", "(044-203-3111)"} <= {b.text for b in contact}
    assert all(b.kind == "furniture" for b in contact)
    assert not any("그림입니다" in t for t in texts)  # a picture's alternative text is not text


def test_an_hwpx_package_named_hwp_is_read_by_its_content() -> None:
    blocks = read_blocks(FIXTURES / "nibr_2023_rfp_hwpx_content_hwp_name.hwp")
    assert blocks[0].text == "제 안 요 청 서"
    assert any(b.role == "contact table" and b.text == "032-590-7171" for b in blocks)


def test_pdf_lines_are_joined_into_paragraphs() -> None:
    blocks = read_blocks(FIXTURES / "insurance_terms_korean_2p.pdf")
    assert blocks[0] == blocks[0].__class__("heading", "【보통약관】")
    article = next(b.text for b in blocks if b.text.startswith("제1조(목적)"))
    # three lines of the page, one sentence
    assert article == ("제1조(목적) 이 보험계약(이하 ‘계약’이라 합니다)은 보험계약자(이하 ‘계약자’라 합니다)와 "
                       "보험회사(이하 ‘회사’라 합니다) 사이에 피보험자의 상해에 대한 위험을 보장하기 위하여 체결됩니다.")
    definitions = next(b.text for b in blocks if b.text.startswith("제2조(용어의 정의)"))
    assert "\n1. 계약관계 관련 용어\n가. 계약자:" in definitions  # items keep their own lines
    assert "사람을 말합니다." in definitions  # … while an item's wrapped line runs on


def test_read_prints_one_block_per_line_with_its_kind() -> None:
    result = run_cli("read", FIXTURES / "mcst_20240102_press_release_paris2024.hwpx")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "furniture:header table\t문화체육관광부"
    assert all("\t" in line and line.split("\t")[0].split(":")[0] in
               {"heading", "paragraph", "list_item", "table_cell", "caption", "footnote", "furniture"} for line in lines)
    assert any(line.startswith("furniture:contact table\t") for line in lines)


def test_pdf_wrapped_lines_join_as_their_language_wants(tmp_path: Path) -> None:
    """English hyphenation at a line end is undone, a hyphen of the word itself (e-Procurement)
    kept; Korean runs on with a space, and a Korean line ending in a hyphen with none."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from tests.render import FONT

    if "Nanum" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Nanum", str(FONT)))
    lines = ["The two procurement agencies agreed today that they would co-",
             "operate on the national public procurement platform, known as e-",
             "Procurement, and share what they learn with suppliers in both",
             "countries.",
             "",
             "조달청과 캐나다 공공서비스조달부는 정부조달 분야의 상호 협력을 위한 조달청-",
             "캐나다 업무협약을 체결하고 전자조달 분야에서 정보를 공유하기로 했다고 밝혔으며 앞으로도",
             "협력한다.",  # a short line: the sentence's end and the line's
             "양국은 협력한다."]
    path = tmp_path / "wrapped.pdf"
    page = canvas.Canvas(str(path))
    y = 700
    for line in lines:
        page.setFont("Nanum", 10)
        if line:
            page.drawString(72, y, line)
            y -= 14
        else:  # the Korean paragraph on a page of its own, whose column is its own width
            page.showPage()
            y = 700
    page.save()
    blocks = [b.text for b in read_blocks(path)]
    assert blocks[0] == ("The two procurement agencies agreed today that they would cooperate on the national "
                         "public procurement platform, known as e-Procurement, and share what they learn with "
                         "suppliers in both countries.")
    assert blocks[1] == ("조달청과 캐나다 공공서비스조달부는 정부조달 분야의 상호 협력을 위한 조달청-캐나다 "
                         "업무협약을 체결하고 전자조달 분야에서 정보를 공유하기로 했다고 밝혔으며 앞으로도 "
                         "협력한다.\n양국은 협력한다.")


def test_hwpx_structure_each_part_a_block_of_its_kind(tmp_path: Path) -> None:
    """Written with python-hwpx: a running head, a paragraph with its footnote, a table with its
    caption, and a typed list marker."""
    from hwpx import HwpxDocument

    document = HwpxDocument.new()
    document.page.set_header(text="기획재정부 보도자료")
    paragraph = document.add_paragraph("해외직접투자는 감소하였다.")
    document.notes.add_footnote("총투자액 기준", paragraph=paragraph)
    table = document.add_table(2, 2)
    for (row, col), text in {(0, 0): "구분", (0, 1): "1분기", (1, 0): "총투자", (1, 1): "150.9"}.items():
        table.cell(row, col).text = text
    table.set_caption("< 분기별 해외직접투자액 >")
    document.add_paragraph("□ 업종별로는 금융보험업이 가장 많았다.")
    path = tmp_path / "structure.hwpx"
    document.save_to_path(str(path))
    blocks = [(b.kind, b.text) for b in read_blocks(path)]
    assert blocks == [("furniture", "기획재정부 보도자료"), ("paragraph", "해외직접투자는 감소하였다."),
                      ("footnote", "총투자액 기준"), ("caption", "< 분기별 해외직접투자액 >"),
                      ("table_cell", "구분"), ("table_cell", "1분기"), ("table_cell", "총투자"),
                      ("table_cell", "150.9"), ("list_item", "□ 업종별로는 금융보험업이 가장 많았다.")]


def test_docx_structure_each_part_a_block_of_its_kind(tmp_path: Path) -> None:
    """Written with python-docx: header and footer, a release's header table, a heading, a
    paragraph with a soft line break, a list item, a caption, a table of text and a contact
    table."""
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "조달청 보도자료"
    document.sections[0].footer.paragraphs[0].text = "- 1 -"

    def table(cells: list[list[str]]) -> None:
        grid = document.add_table(rows=len(cells), cols=len(cells[0]))
        for r, row in enumerate(cells):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text

    table([["보도시점", "즉시 보도"]])
    document.add_heading("조달청, 캐나다와 협약", level=1)
    paragraph = document.add_paragraph("첫 줄입니다.")
    paragraph.add_run().add_break()
    paragraph.add_run("둘째 줄입니다.")
    document.add_paragraph("양국은 정보를 공유한다.", style="List Bullet")
    document.add_paragraph("▶ 협약식 사진", style="Caption")
    table([["구분", "금액"]])
    table([["담당 부서", "국제협력과"], ["담당자", "042-724-7470"]])
    path = tmp_path / "structure.docx"
    document.save(str(path))
    blocks = [(b.kind, b.role, b.text) for b in read_blocks(path)]
    assert blocks == [("furniture", "running head", "조달청 보도자료"),
                      ("furniture", "header table", "보도시점"), ("furniture", "header table", "즉시 보도"),
                      ("heading", "", "조달청, 캐나다와 협약"), ("paragraph", "", "첫 줄입니다.\n둘째 줄입니다."),
                      ("list_item", "", "양국은 정보를 공유한다."), ("caption", "", "▶ 협약식 사진"),
                      ("table_cell", "", "구분"), ("table_cell", "", "금액"),
                      ("furniture", "contact table", "담당 부서"), ("furniture", "contact table", "국제협력과"),
                      ("furniture", "contact table", "담당자"), ("furniture", "contact table", "042-724-7470"),
                      ("furniture", "running foot", "- 1 -")]


def test_a_nested_html_list_gives_each_item_once(tmp_path: Path) -> None:
    from aligner.readers.html import read as read_html

    page = tmp_path / "list.html"
    page.write_text("<html><body><article><h1>Ministry signs a deal with partners</h1>"
                    "<p>The ministry signed an agreement on Monday with three partners from abroad.</p>"
                    "<ul><li>First point of the deal.<ul><li>Second point inside.</li>"
                    "<li>Third point inside.</li></ul></li><li>Fourth point here.</li></ul>"
                    "<p>Another paragraph of body text so that the extractor keeps the article.</p>"
                    "</article></body></html>", encoding="utf-8")
    items = [b.text for b in read_html(page, page.read_bytes()) if b.kind == "list_item"]
    assert items == ["First point of the deal.", "Second point inside.", "Third point inside.", "Fourth point here."]


def test_docx_text_inside_a_content_control_is_read(tmp_path: Path) -> None:
    import docx
    from docx.oxml.ns import qn
    from lxml import etree

    from aligner.readers.docx import read as read_docx

    document = docx.Document()
    document.add_paragraph("Outside the control.")
    inside = document.add_paragraph("Inside a content control.")
    control = etree.SubElement(document.element.body, qn("w:sdt"))
    etree.SubElement(control, qn("w:sdtContent")).append(inside._p)
    path = tmp_path / "form.docx"
    document.save(path)
    assert [b.text for b in read_docx(path, path.read_bytes())] == ["Outside the control.", "Inside a content control."]
