"""The seed press releases written as DOCX, HWPX, PDF and HTML with the libraries that write
those formats, each with the furniture its format adds (running heads, page numbers, menus),
so the reader tests can check that every format aligns as the plain text does.

A paragraph of the text (lines between blank lines) stays one paragraph with its line breaks
(a soft break in DOCX and HWPX, <br> in HTML, a short line in PDF); a `▶` photo caption is a
caption where the format has one (DOCX's Caption style, HTML's <figcaption>).
"""

from __future__ import annotations

import html
from pathlib import Path

from aligner.documents import paragraphs, read_text

RUNNING_HEAD = "조달청 보도자료"
RUNNING_FOOT = "PPS press releases, www.pps.go.kr"
MENU = ("홈", "알림마당", "보도자료", "정보공개", "Sitemap")
FOOTER = "Copyright Public Procurement Service. All rights reserved."
FURNITURE = (RUNNING_HEAD, RUNNING_FOOT, FOOTER, "알림마당", "Sitemap")
FONT = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")


def seed_paragraphs(path: Path) -> list[str]:
    """The text's paragraphs, each with its line breaks."""
    return ["\n".join(line.strip() for _, line in paragraph) for paragraph in paragraphs(read_text(path))]


def is_caption(paragraph: str) -> bool:
    return paragraph.startswith("▶")


def write_docx(paras: list[str], out: Path) -> None:
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = RUNNING_HEAD
    section.footer.paragraphs[0].text = RUNNING_FOOT
    for text in paras:
        paragraph = document.add_paragraph(style="Caption" if is_caption(text) else None)
        for number, line in enumerate(text.split("\n")):
            run = paragraph.add_run(line)
            if number < text.count("\n"):
                run.add_break()
    document.save(str(out))


def write_hwpx(paras: list[str], out: Path) -> None:
    from hwpx import HwpxDocument

    document = HwpxDocument.new()
    document.page.set_header(text=RUNNING_HEAD)
    document.page.set_footer(text=RUNNING_FOOT)
    for text in paras:
        document.add_paragraph(text)  # python-hwpx writes a line break as <hp:lineBreak/>
    document.save_to_path(str(out))


def write_html(paras: list[str], out: Path) -> None:
    body = []
    for number, text in enumerate(paras):
        if is_caption(text):
            body.append(f'<figure><img src="photo{number}.jpg" alt=""><figcaption>{html.escape(text)}</figcaption></figure>')
        else:
            body.append("<p>" + "<br>".join(html.escape(line) for line in text.split("\n")) + "</p>")
    menu = "".join(f'<li><a href="/{i}">{html.escape(item)}</a></li>' for i, item in enumerate(MENU))
    page = ('<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>보도자료</title></head><body>'
            f'<header><nav><ul>{menu}</ul></nav></header>'
            '<div class="breadcrumb"><a href="/">홈</a> &gt; <a href="/news">알림마당</a> &gt; 보도자료</div>'
            '<main><article>' + "\n".join(body) + '</article></main>'
            f'<footer><p>{FOOTER}</p><p>대전광역시 서구 청사로 189</p></footer></body></html>')
    out.write_text(page, encoding="utf-8")


def write_pdf(paras: list[str], out: Path, copies: int = 1) -> None:
    """A4 pages in NanumGothic (Debian's fonts-nanum), a running head and a page number on each."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    if "Nanum" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Nanum", str(FONT)))
    style = ParagraphStyle("body", fontName="Nanum", fontSize=10.5, leading=15, spaceAfter=9)

    def furniture(canvas, document) -> None:
        canvas.setFont("Nanum", 8)
        canvas.drawString(72, A4[1] - 42, RUNNING_HEAD)
        canvas.drawCentredString(A4[0] / 2, 30, f"- {document.page} -")

    flow = [Paragraph(html.escape(text).replace("\n", "<br/>"), style) for text in paras * copies]
    SimpleDocTemplate(str(out), pagesize=A4).build(flow, onFirstPage=furniture, onLaterPages=furniture)


WRITERS = {"docx": write_docx, "hwpx": write_hwpx, "pdf": write_pdf, "html": write_html}
