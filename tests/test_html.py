"""The review page: one self-contained HTML file, checked as text and in a real browser."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import warnings
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import notice as notice_of
from tests.conftest import press_release as press_release_of

from aligner.data import Alignment, Bead
from aligner.formats.html import format_review_html, write_review_html
from aligner.formats.review import review_rows, units_from_alignments

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT = PROJECT_ROOT / "out" / "review-screenshot.png"


def press_release() -> Alignment:
    ko = [
        "한-캐나다, 중소기업 성장 지원에 힘 모은다",  # 0
        "조달청과 캐나다 공공서비스조달부는 16일 킨텍스에서 정부조달 협력 양해각서를 체결했다.",  # 1
        "▶ 협약식에서 기념촬영을 하는 양국 대표단",  # 2: photo caption, no English
        "청장은 \"혁신\" & '협력' <script>alert('x')</script>을 강조했다.",  # 3
        "양국은 신성장 분야의 조달 정보를 공유하기로 했다.",  # 4
        "전자조달 정책 협력도 강화한다.",  # 5
        "이번 협약은 지난해 엑스포 회담을 계기로 이뤄졌다.",  # 6
        "* 문의: 국제협력담당관 (042-724-7470)",  # 7: contact line, no English
    ]
    en = [
        "Korea and Canada join forces to support SMEs",  # 0
        "On April 16th, PPS and PSPC signed an MOU on government procurement at KINTEX.",  # 1
        "The MOU covers new growth areas and e-procurement.",  # 2
        "The Administrator stressed \"innovation\" & 'cooperation' <script>alert(\"x\")</script>.",  # 3
        "Both countries will share procurement information and strengthen e-procurement policy.",  # 4
        "Networking events for SMEs are planned for the Expo.",  # 5: a loose match
        "Photo: KINTEX, Ilsan",  # 6: no Korean
    ]
    return press_release_of(ko, en, [0.8234, 0.7111, 0.64, 0.5249, 0.3112])


def notice() -> Alignment:
    return notice_of("notice <2> & co", ["계약 절차가 간소화된다.", "자세한 내용은 http://www.pps.go.kr 을 참조하라."],
                     ["Contract procedures will be simplified.", "See http://www.pps.go.kr for details.",
                      "© KOGL Type 1"])


@pytest.fixture
def alignments() -> list[Alignment]:
    return [press_release(), notice()]


class Page(HTMLParser):
    """The rows of a review page (attributes and cells with their text) and every tag seen."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attributes: list[tuple[str, str, str]] = []
        self.rows: list[dict] = []
        self.cell: dict | None = None
        self.cell_text: list[str] = []  # text inside any bead-table cell
        self.outside_text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        attrs = {k: v or "" for k, v in attrs}
        self.attributes += [(tag, k, v) for k, v in attrs.items()]
        if tag == "tr" and "data-status" in attrs:
            self.rows.append({"attrs": attrs, "cells": []})
        elif tag == "td" and self.rows and self.cell is None:
            self.cell = {"class": attrs.get("class", ""), "lang": attrs.get("lang"), "text": ""}

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.rows[-1]["cells"].append(self.cell)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data
            self.cell_text.append(data)
        else:
            self.outside_text.append(data)

    def cells(self, status: str, side: str) -> list[str]:
        return [
            " ".join(c["text"].split())
            for row in self.rows if row["attrs"]["data-status"] == status
            for c in row["cells"] if side in c["class"].split()
        ]


def squash(text: str) -> str:
    return " ".join(text.split())


def expected_statuses(alignments, min_score):
    return Counter(r.status for a in alignments for r in review_rows(a, min_score))


# --------------------------------------------------------------------------- the file


def test_rows_per_status_and_bead_in_document_order(tmp_path, alignments):
    path = tmp_path / "review.html"
    write_review_html(alignments, path, min_score=0.5)
    page = Page(path.read_text(encoding="utf-8"))
    statuses = Counter(r["attrs"]["data-status"] for r in page.rows)
    assert statuses == expected_statuses(alignments, 0.5) == {"aligned": 6, "unaligned": 4, "low-score": 1}
    assert [r["attrs"]["data-bead"] for r in page.rows] == [b.kind for a in alignments for b in a.beads]
    assert [r["attrs"]["data-src-ids"] for r in page.rows[:5]] == ["0", "1", "2", "3", "4 5"]
    assert [r["attrs"]["data-band"] for r in page.rows[:8]] == [
        "good", "good", "none", "good", "fair", "poor", "none", "none"]
    assert page.rows[5]["attrs"]["data-status"] == "low-score"
    assert page.rows[5]["attrs"]["data-score"] == "0.311"
    # Without a minimum nothing is left out; a poor score is still red.
    page = Page(format_review_html(alignments))
    assert Counter(r["attrs"]["data-status"] for r in page.rows) == {"aligned": 7, "unaligned": 4}
    assert page.rows[5]["attrs"]["data-band"] == "poor"


def test_cells_carry_languages_and_the_bead_text(alignments):
    page = Page(format_review_html(alignments, min_score=0.5))
    for row in page.rows:
        src, tgt = (c for c in row["cells"] if {"src", "tgt"} & set(c["class"].split()))
        assert (src["lang"], tgt["lang"]) == ("ko", "en")
    units = units_from_alignments(alignments, min_score=0.5)
    assert page.cells("aligned", "src") == [squash(u.src) for u in units]
    assert page.cells("aligned", "tgt") == [squash(u.tgt) for u in units]
    # An empty side is an empty cell, marked for the eye by CSS only.
    assert page.cells("unaligned", "tgt")[0] == ""
    assert 'class="tgt empty" lang="en" data-empty="no English counterpart"' in format_review_html(alignments)


def test_everything_is_escaped(alignments):
    text = format_review_html(alignments)
    page = Page(text)
    assert page.tags["script"] == 0
    assert "<script" not in text.lower() and "</script>" not in text.lower()
    assert "&quot;혁신&quot; &amp; &#x27;협력&#x27; &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert "<h2>notice &lt;2&gt; &amp; co</h2>" in text
    assert 'data-document="notice &lt;2&gt; &amp; co"' in text
    # Parsed back, the text is the text.
    assert any("<script>alert('x')</script>" in c for c in page.cells("aligned", "src"))


def test_the_page_is_self_contained(alignments):
    text = format_review_html(alignments)
    page = Page(text)
    for tag in ("script", "link", "img", "iframe", "object", "embed", "base", "form", "video", "audio"):
        assert page.tags[tag] == 0, tag
    for tag, name, value in page.attributes:
        assert name not in ("src", "srcset", "action", "background", "poster"), (tag, name)
        if name == "href":
            assert value.startswith("#"), value  # only links within the page
        assert not name.startswith("on"), (tag, name)
    style = text[text.index("<style>"): text.index("</style>")]
    assert "url(" not in style and "@import" not in style and "http" not in style
    # "http" only where a sentence says it, never in markup.
    assert "http" not in "".join(page.outside_text)
    markup = re.sub(r">[^<]*<", "><", text)  # tags and attributes only
    assert "http:" not in markup and "https:" not in markup and "//" not in markup
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert text.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in text


def test_summary_counts(alignments):
    page = Page(format_review_html(alignments, min_score=0.5))
    summary = squash(" ".join(page.outside_text))
    assert "Documents 2" in summary
    assert "Sentences 10 Korean · 10 English" in summary
    assert "Aligned units 6" in summary
    assert "Score below 0.50, left out 1" in summary
    assert "Unaligned sentences 4 (2 Korean · 2 English)" in summary
    text = format_review_html(alignments, min_score=0.5)
    kinds = dict(re.findall(r'<tr data-kind="([^"]+)"><th scope="row">[^<]+</th>(.*?)</tr>', text))
    assert kinds == {
        "1-1": '<td class="n">4</td><td class="n">1</td>',
        "1-2": '<td class="n">1</td><td class="n">0</td>',
        "2-1": '<td class="n">1</td><td class="n">0</td>',
    }
    assert '<a href="#doc-2">notice &lt;2&gt; &amp; co</a>' in text and 'id="doc-2"' in text


def test_scores_of_a_length_only_alignment_are_not_coloured_as_bad():
    alignment = notice()
    alignment.beads = [Bead(b.src, b.tgt, 0.0) for b in alignment.beads]
    page = Page(format_review_html([alignment]))
    assert [r["attrs"]["data-band"] for r in page.rows] == ["unscored", "unscored", "none"]
    assert "lengths only" in " ".join(page.outside_text)


def test_write_is_atomic(tmp_path, alignments):
    path = tmp_path / "review.html"
    path.write_text("old", encoding="utf-8")
    write_review_html(alignments, path)
    assert path.read_text(encoding="utf-8") == format_review_html(alignments)
    broken = notice()
    broken.beads.pop()
    with pytest.raises(ValueError, match="in no bead 2"):
        write_review_html([broken], path)
    assert path.read_text(encoding="utf-8") == format_review_html(alignments)
    assert os.listdir(tmp_path) == ["review.html"]


def test_no_documents_still_makes_a_page(tmp_path):
    path = tmp_path / "empty.html"
    write_review_html([], path)
    page = Page(path.read_text(encoding="utf-8"))
    assert page.rows == [] and "No documents." in " ".join(page.outside_text)


# --------------------------------------------------------------------------- a real browser


def chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None)
    if found:
        return found
    reason = "chromium is not installed (apt-get install -y chromium fonts-nanum)"
    if os.environ.get("ALIGNER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and ALIGNER_REQUIRE_BROWSER=1 requires the browser test")
    pytest.skip(f"{reason}; set ALIGNER_REQUIRE_BROWSER=1 to make this a failure")


def run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    command = [
        binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", *args,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, f"{' '.join(command)} exited {result.returncode}:\n{result.stderr[-3000:]}"
    return result


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_chromium_renders_every_unit_and_unaligned_sentence(tmp_path, alignments):
    binary = chromium()
    page_path = tmp_path / "review.html"
    write_review_html(alignments, page_path, min_score=0.5)

    result = run_chromium(binary, tmp_path / "profile-dom", "--dump-dom", page_path.as_uri())
    dom = Page(result.stdout)
    assert dom.tags["table"] >= 2 and dom.tags["script"] == 0

    statuses = Counter(r["attrs"]["data-status"] for r in dom.rows)
    assert statuses == expected_statuses(alignments, 0.5)
    units = units_from_alignments(alignments, min_score=0.5)
    assert dom.cells("aligned", "src") == [squash(u.src) for u in units]
    assert dom.cells("aligned", "tgt") == [squash(u.tgt) for u in units]
    rendered_unaligned = set(dom.cells("unaligned", "src")) | set(dom.cells("unaligned", "tgt"))
    for alignment in alignments:
        for bead in alignment.beads:
            if not bead.is_aligned:
                for i in bead.src:
                    assert squash(alignment.document.src[i].text) in rendered_unaligned
                for i in bead.tgt:
                    assert squash(alignment.document.tgt[i].text) in rendered_unaligned
    low = [alignment.document.src[6].text for alignment in alignments[:1]]
    assert dom.cells("low-score", "src") == low

    if shutil.which("fc-list"):
        fonts = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True, check=False)
        if not fonts.stdout.strip():
            warnings.warn("no Korean font installed (apt-get install -y fonts-nanum): "
                          "the screenshot shows Korean as empty boxes", stacklevel=1)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    run_chromium(binary, tmp_path / "profile-shot", "--hide-scrollbars", f"--screenshot={SCREENSHOT}",
                 "--window-size=1200,1600", page_path.as_uri())
    assert png_size(SCREENSHOT) == (1200, 1600)
    assert SCREENSHOT.stat().st_size > 20_000  # a rendered page, not a blank one
