"""HTML (trafilatura): the page's main text, with its headings, paragraphs (line breaks kept),
list items and table cells. trafilatura drops figure captions, so the caption of each figure it
keeps is taken from the page itself; and what it leaves out as boilerplate (menus, breadcrumbs,
the site's header and footer) is listed as furniture, before and after the text, so `aligner
read` shows it and the review lists it."""

from __future__ import annotations

import re
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
    page = _page(data)
    captions = _captions(page) if page is not None else {}
    blocks: list[Block] = []
    for element in main if main is not None else []:
        _element(element, blocks, captions)
    head, foot = _furniture(page) if page is not None else ([], [])
    return head + blocks + foot


def _text(element, skip: tuple[str, ...] = ()) -> str:
    """An element's text, its <lb/> as line breaks, without the children tagged `skip`."""
    parts = [element.text or ""]
    for child in element:
        inner = "" if child.tag in skip else _INLINE_BREAK.get(child.tag, "") + _text(child)
        parts.append(inner + (child.tail or ""))
    return "".join(parts)


def _element(element, blocks: list[Block], captions: dict[str, str]) -> None:
    tag = element.tag
    if tag == "head":
        blocks.append(Block("heading", _text(element)))
    elif tag == "list":
        for item in element.iterchildren("item"):  # a nested list is items of its own
            blocks.append(Block("list_item", _text(item, skip=("list", "table"))))
            for inner in item.iterchildren("list", "table"):
                _element(inner, blocks, captions)
    elif tag == "table":
        cells = [_text(cell, skip=("table",)) for row in element.iterchildren("row") for cell in row.iterchildren("cell")]
        blocks.extend(table_blocks(cells, not any(b.kind in ("paragraph", "list_item") for b in blocks)))
    elif tag == "graphic":
        caption = captions.get(element.get("src", ""), "")
        if caption:
            blocks.append(Block("caption", caption))
    else:  # p, quote, code …
        blocks.append(Block("paragraph", _text(element)))


def _page(data: bytes):
    try:
        return lxml_html.fromstring(data)
    except (etree.ParserError, ValueError):
        return None


# the site around the text: its menus, breadcrumbs, header and footer
_AROUND = {"nav", "header", "footer", "aside"}
_AROUND_NAME = re.compile(r"\b(?:nav|navbar|menu|gnb|lnb|snb|breadcrumbs?|location|footer|header|sitemap)\b", re.I)


def _furniture(page) -> tuple[list[Block], list[Block]]:
    """The text of the page's menus, breadcrumbs, header and footer (outside its article), one
    block each, split into what stands before the main text and what after."""
    head: list[Block] = []
    foot: list[Block] = []
    taken: list = []
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        named = " ".join((element.get("class") or "", element.get("id") or ""))
        if element.tag not in _AROUND and not _AROUND_NAME.search(named):
            continue
        if any(ancestor.tag in ("article", "main") or ancestor in taken for ancestor in element.iterancestors()):
            continue
        taken.append(element)
        words = [t.strip() for t in element.itertext() if t.strip()]
        if words:
            role = "footer" if element.tag == "footer" or "footer" in named.lower() else "menu"
            (foot if role == "footer" else head).append(Block("furniture", " ".join(words), role))
    return head, foot


def _captions(page) -> dict[str, str]:
    """Each figure's image source and its caption (<figcaption>), from the page itself."""
    out = {}
    for figure in page.iter("figure"):
        caption = figure.find(".//figcaption")
        image = figure.find(".//img")
        if caption is not None and image is not None and image.get("src"):
            out[image.get("src")] = caption.text_content()
    return out


READER = Reader("html", "HTML", (".html", ".htm", ".xhtml"), read)
