"""HTML (trafilatura): the page's main text, without menus, breadcrumbs or footers, with its
headings, paragraphs (line breaks kept), list items and table cells. trafilatura drops figure
captions, so the caption of each figure it keeps is taken from the page itself."""

from __future__ import annotations

from pathlib import Path

from lxml import etree, html as lxml_html

from aligner.errors import InputError
from aligner.readers.base import Block, Reader, table_blocks

_INLINE_BREAK = {"lb": "\n"}


def read(path: Path, data: bytes) -> list[Block]:
    import trafilatura

    xml = trafilatura.extract(data, output_format="xml", include_tables=True, include_images=True,
                              include_comments=False, include_links=False, favor_recall=True, deduplicate=False)
    if not xml:
        raise InputError(path, "has no main text that could be found in the page")
    main = etree.fromstring(xml.encode("utf-8")).find("main")
    captions = _captions(data)
    blocks: list[Block] = []
    for element in main if main is not None else []:
        _element(element, blocks, captions)
    return blocks


def _text(element) -> str:
    """An element's text, its <lb/> as line breaks."""
    parts = [element.text or ""]
    for child in element:
        parts.append(_INLINE_BREAK.get(child.tag, "") + _text(child) + (child.tail or ""))
    return "".join(parts)


def _element(element, blocks: list[Block], captions: dict[str, str]) -> None:
    tag = element.tag
    if tag == "head":
        blocks.append(Block("heading", _text(element)))
    elif tag == "list":
        for item in element.iter("item"):
            blocks.append(Block("list_item", _text(item)))
    elif tag == "table":
        cells = [_text(cell) for cell in element.iter("cell")]
        blocks.extend(table_blocks(cells, not any(b.kind in ("paragraph", "list_item") for b in blocks)))
    elif tag == "graphic":
        caption = captions.get(element.get("src", ""), "")
        if caption:
            blocks.append(Block("caption", caption))
    else:  # p, quote, code …
        blocks.append(Block("paragraph", _text(element)))


def _captions(data: bytes) -> dict[str, str]:
    """Each figure's image source and its caption (<figcaption>), from the page itself."""
    try:
        page = lxml_html.fromstring(data)
    except (etree.ParserError, ValueError):
        return {}
    out = {}
    for figure in page.iter("figure"):
        caption = figure.find(".//figcaption")
        image = figure.find(".//img")
        if caption is not None and image is not None and image.get("src"):
            out[image.get("src")] = caption.text_content()
    return out


READER = Reader("html", (".html", ".htm"), read)
