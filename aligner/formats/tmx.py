"""TMX 1.4 that CAT tools (OmegaT, Trados, memoQ, Phrase) accept: write, read back, lint.

translate-toolkit does the XML; this module fixes what it gets wrong for CAT tools (header
attributes, language codes, silent dropping of control characters, prop placement) and
checks what a DTD cannot see.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from lxml import etree
from translate.misc.xml_helpers import safely_set_text
from translate.storage import tmx

from aligner.data import TranslationUnit
from aligner.errors import InputError
from aligner.formats.atomic import write_atomic

CREATION_TOOL = "aligner"
O_TMF = "aligner"
DATATYPE = "plaintext"
SEGTYPE = "sentence"
ADMINLANG = "en"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"

REQUIRED_HEADER_ATTRIBUTES = (
    "creationtool",
    "creationtoolversion",
    "segtype",
    "o-tmf",
    "adminlang",
    "srclang",
    "datatype",
)
SEGTYPES = ("block", "paragraph", "sentence", "phrase")

# Bare codes CAT tools handle better with a region: OmegaT compares ko-KR with ko-KR exactly
# and only warns (but still matches) on ko vs ko-KR.
DEFAULT_REGIONS = {"ko": "ko-KR", "en": "en-US"}
# Three-letter ISO 639-2 codes people write for languages that have a two-letter code.
THREE_LETTER = {
    "kor": "ko",
    "eng": "en",
    "zho": "zh",
    "chi": "zh",
    "jpn": "ja",
    "fra": "fr",
    "fre": "fr",
    "deu": "de",
    "ger": "de",
    "spa": "es",
}
# Codes that look like a language but name a country: 'kr' is Kanuri, not Korean.
COUNTRY_NOT_LANGUAGE = {"kr": "ko", "jp": "ja", "cn": "zh", "us": "en", "gb": "en"}

_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_DATE_RE = re.compile(r"^\d{8}T\d{6}Z$")
_XML_NS = "{http://www.w3.org/XML/1998/namespace}"
_PROP_TYPES = ("x-score", "x-confidence", "x-bead", "x-document", "x-count")
_Report = Callable[[etree._Element | None, str, str], None]


# --------------------------------------------------------------------------- cleaning


# What clean_segment changes that str.split() would not already treat as a space: the BOM,
# control characters that are not whitespace, surrogates, U+FFFE/U+FFFF. (Every other
# character it turns into a space — Zs by Python's definition, U+2028, U+2029, the
# whitespace controls — is whitespace to str.split().)
_UNUSUAL_RE = re.compile(
    "[\ufeff\ud800-\udfff\ufffe\uffff"
    + "".join(re.escape(chr(c)) for c in range(0xA0) if unicodedata.category(chr(c)) == "Cc"
              and not chr(c).isspace())
    + "]"
)


def clean_segment(text: str) -> str:
    """Segment text as CAT tools match it: NFC, one plain space between words, no padding.

    Control characters become a space rather than vanishing (translate-toolkit drops them,
    which glues the words on either side together); a zero-width no-break space (BOM)
    is removed because it is invisible and only breaks exact matching.
    """
    text = unicodedata.normalize("NFC", text)
    if _UNUSUAL_RE.search(text) is None:  # the usual case, without a loop over characters
        return " ".join(text.split())
    out = []
    for ch in text:
        if ch == "\ufeff":
            continue
        cat = unicodedata.category(ch)
        # Cc: C0/C1 controls incl. tab and newlines; Z*: NBSP and all other spaces;
        # Cs and U+FFFE/U+FFFF: not allowed in XML at all.
        if cat in ("Cc", "Zs", "Zl", "Zp", "Cs") or ch in "\ufffe\uffff":
            out.append(" ")
        else:
            out.append(ch)
    return " ".join("".join(out).split())


def tmx_language(code: str) -> str:
    """A language code in the hyphenated form CAT tools expect: ko → ko-KR, ko_KR → ko-KR.

    Raises ValueError for codes that would silently break matching ('kr', empty, junk),
    because OmegaT skips every unit of a TMX whose source language it cannot place.
    """
    raw = code.strip().replace("_", "-")
    if not _LANG_RE.match(raw):
        raise ValueError(f"not a language code: {code!r}")
    parts = raw.split("-")
    primary = parts[0].lower()
    if primary in COUNTRY_NOT_LANGUAGE:
        raise ValueError(
            f"{code!r} is a country code, not a language; did you mean "
            f"{COUNTRY_NOT_LANGUAGE[primary]!r}?"
        )
    primary = THREE_LETTER.get(primary, primary)
    if len(parts) == 1:
        return DEFAULT_REGIONS.get(primary, primary)
    rest = []
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            rest.append(part.upper())  # region
        elif len(part) == 4 and part.isalpha():
            rest.append(part.title())  # script
        else:
            rest.append(part)
    return "-".join([primary, *rest])


def tmx_languages(src_lang: str, tgt_lang: str) -> tuple[str, str]:
    """Both codes as a TMX writes them; ValueError for an unusable code or one language twice."""
    src, tgt = tmx_language(src_lang), tmx_language(tgt_lang)
    if src == tgt:
        raise ValueError(f"source and target language are both {src}")
    return src, tgt


def tuid_for(src: str, tgt: str) -> str:
    """A tuid that depends only on the pair, so the same pair keeps its id across runs."""
    digest = hashlib.sha256(f"{src}\x1f{tgt}".encode()).hexdigest()
    return digest[:16]


# --------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class TmxWriteResult:
    """What write_tmx did, so the caller can route the rest to the review file.

    written: the units as written (cleaned text, duplicates merged, count summed).
    skipped: input units (as given) left out because a side was empty after cleaning.
    merged: how many input units were folded into an identical earlier pair.
    """

    written: tuple[TranslationUnit, ...]
    skipped: tuple[TranslationUnit, ...]
    merged: int


def creation_stamp(creation_date: datetime | None) -> str:
    """UTC timestamp: the given date, else SOURCE_DATE_EPOCH (reproducible builds), else now."""
    if creation_date is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch is not None and epoch.strip():
            try:
                creation_date = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
            except (ValueError, OverflowError, OSError) as exc:
                raise InputError("SOURCE_DATE_EPOCH", f"{epoch!r} is not a Unix time") from exc
        else:
            creation_date = datetime.now(timezone.utc)
    if creation_date.tzinfo is None:
        creation_date = creation_date.replace(tzinfo=timezone.utc)  # naive means UTC
    return creation_date.astimezone(timezone.utc).strftime(DATE_FORMAT)


def _default_tool_version() -> str:
    """The aligner's own version, looked up when needed (no import-time work)."""
    import aligner

    version = getattr(aligner, "__version__", None)
    if isinstance(version, str) and version:
        return version
    from importlib import metadata

    try:
        return metadata.version("aligner")
    except metadata.PackageNotFoundError:
        return "unknown"


def _merge(units: Sequence[TranslationUnit]) -> TmxWriteResult:
    """Clean every unit, drop one-sided ones, fold identical pairs (first seen keeps its place).

    A merged pair keeps its first document and bead type, the best score, the summed count,
    and the first inline codes seen on each side.
    """
    merged: dict[tuple[str, str], TranslationUnit] = {}
    skipped: list[TranslationUnit] = []
    folded = 0
    for unit in units:
        src, tgt = clean_segment(unit.src), clean_segment(unit.tgt)
        if not src or not tgt:
            skipped.append(unit)
            continue
        count = max(int(unit.count), 1)
        key = (src, tgt)
        seen = merged.get(key)
        if seen is None:
            merged[key] = TranslationUnit(
                src=src,
                tgt=tgt,
                score=float(unit.score),
                kind=clean_segment(unit.kind) or "1-1",
                document=clean_segment(unit.document),
                count=count,
                confidence=_confidence(unit.confidence),
                src_markup=unit.src_markup,
                tgt_markup=unit.tgt_markup,
            )
        else:
            folded += 1
            merged[key] = replace(
                seen,
                score=max(seen.score, float(unit.score)),
                confidence=_best_confidence(seen.confidence, _confidence(unit.confidence)),
                document=seen.document or clean_segment(unit.document),
                count=seen.count + count,
                # the first inline codes seen, even when an earlier copy had none
                src_markup=seen.src_markup or unit.src_markup,
                tgt_markup=seen.tgt_markup or unit.tgt_markup,
            )
    return TmxWriteResult(written=tuple(merged.values()), skipped=tuple(skipped), merged=folded)


def _confidence(value: float | None) -> float | None:
    """A probability as a unit keeps it: None when absent or not a number in [0, 1]."""
    if value is None or not math.isfinite(float(value)) or not 0.0 <= float(value) <= 1.0:
        return None
    return float(value)


def _best_confidence(a: float | None, b: float | None) -> float | None:
    """Of two copies of one pair, the surer (as the best score is kept)."""
    return b if a is None else a if b is None else max(a, b)


def _props(unit: TranslationUnit) -> list[tuple[str, str]]:
    score = unit.score if math.isfinite(unit.score) else 0.0
    props = [("x-score", f"{score:.4f}")]
    if unit.confidence is not None:
        props.append(("x-confidence", f"{unit.confidence:.3f}"))
    props.append(("x-bead", unit.kind))
    if unit.document:
        props.append(("x-document", unit.document))
    if unit.count > 1:
        props.append(("x-count", str(unit.count)))
    return props


def write_tmx(
    units: Sequence[TranslationUnit],
    path: Path,
    src_lang: str,
    tgt_lang: str,
    *,
    creation_date: datetime | None = None,
    tool_version: str | None = None,
) -> TmxWriteResult:
    """Write a TMX 1.4 file that OmegaT and other CAT tools load, atomically.

    Text is cleaned with clean_segment; a unit with an empty side is not written but
    returned in ``skipped`` (it belongs in the review file); identical pairs are written
    once with their counts summed. The same input and creation_date give the same bytes.
    tool_version None means the aligner's installed version. Raises InputError for a
    language code CAT tools cannot use (e.g. 'kr') or an unwritable path.
    """
    path = Path(path)
    try:
        src, tgt = tmx_languages(src_lang, tgt_lang)
    except ValueError as exc:
        raise InputError(path, str(exc)) from None
    result = _merge(units)

    # Languages go in at construction: translate-toolkit writes the header then.
    store = tmx.tmxfile(sourcelanguage=src, targetlanguage=tgt)
    header = store.document.getroot().find("header")
    header.set("creationtool", CREATION_TOOL)
    header.set("creationtoolversion", tool_version or _default_tool_version())
    header.set("segtype", SEGTYPE)
    header.set("o-tmf", O_TMF)  # translate-toolkit writes "UTF-8", which is no format
    header.set("adminlang", ADMINLANG)
    header.set("srclang", src)
    header.set("datatype", DATATYPE)  # translate-toolkit writes "PlainText"
    header.set("creationdate", creation_stamp(creation_date))

    # The units' elements are built here, as translate-toolkit's addsourceunit and settarget
    # would build them (several times faster for a long document); it serialises the file.
    # The DTD wants (note|prop)* before the first tuv.
    body = store.document.getroot().find("body")
    for unit in result.written:
        element = etree.SubElement(body, "tu", tuid=tuid_for(unit.src, unit.tgt))
        for kind, value in _props(unit):
            etree.SubElement(element, "prop", type=kind).text = value
        for lang, text, markup in ((src, unit.src, unit.src_markup), (tgt, unit.tgt, unit.tgt_markup)):
            tuv = etree.SubElement(element, "tuv", {f"{_XML_NS}lang": lang})
            tuv.append(_seg(text, markup))

    write_atomic(path, bytes(store))
    return result


def _seg(text: str, markup: str) -> etree._Element:
    """A <seg> of the unit's text, with its inline codes when it has them; codes that do not
    parse (say, an attribute in a namespace left undeclared) are left out, not written as text."""
    if markup:
        try:
            return etree.fromstring(f"<seg>{markup}</seg>")
        except etree.XMLSyntaxError:
            pass
    seg = etree.Element("seg")
    safely_set_text(seg, text)
    return seg


# --------------------------------------------------------------------------- reading


def _prop_values(element: etree._Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for prop in element.findall("prop"):
        kind = prop.get("type")
        if kind in _PROP_TYPES and kind not in values:
            values[kind] = prop.text or ""
    return values


def _lang_of(tuv: etree._Element) -> str | None:
    # TMX 1.1 (what OmegaT exports for its project memory) uses lang=, 1.4 uses xml:lang=.
    return tuv.get(f"{_XML_NS}lang") or tuv.get("lang")


def read_tmx(path: Path) -> tuple[list[TranslationUnit], str, str]:
    """Units, source and target language of a TMX, with the aligner's props when present.

    Reads xml:lang (TMX 1.4) and lang (TMX 1.1, what OmegaT exports); ko matches ko-KR.
    The target language is the first tuv language that is not the source; a TU without a
    source or target segment is skipped (lint_tmx reports it). A segment with inline codes
    keeps them as XML in the unit's src_markup / tgt_markup; its text leaves them out.
    """
    with Path(path).open("rb") as fh:
        store = tmx.tmxfile(fh)
    header = store.document.getroot().find("header")
    src_lang = header.get("srclang", "") if header is not None else ""
    if not src_lang or src_lang == "*all*":
        first = next(iter(store.units), None)
        nodes = first.getlanguageNodes() if first is not None else []
        src_lang = (_lang_of(nodes[0]) or "") if nodes else ""

    tgt_lang = ""
    per_unit = []
    for unit in store.units:
        nodes = _language_nodes(unit.getlanguageNodes())
        tu_src = unit.xmlelement.get("srclang")
        src_key = _pick_language(nodes, _norm(tu_src if tu_src and tu_src != "*all*" else src_lang))
        others = {key: node for key, node in nodes.items() if key != src_key}
        if not tgt_lang and others:
            tgt_lang = _lang_of(next(iter(others.values()))) or ""
        per_unit.append((unit, nodes.get(src_key) if src_key else None, others))

    units: list[TranslationUnit] = []
    for unit, src_node, others in per_unit:
        tgt_key = _pick_language(others, _norm(tgt_lang))
        if src_node is None or tgt_key is None:
            continue
        (src, src_markup), (tgt, tgt_markup) = (_segment(unit, src_node), _segment(unit, others[tgt_key]))
        if not src or not tgt:
            continue
        props = _prop_values(unit.xmlelement)
        units.append(
            TranslationUnit(
                src=src,
                tgt=tgt,
                score=_float(props.get("x-score"), 0.0),
                confidence=_confidence(_float(props.get("x-confidence"), math.nan)),
                kind=props.get("x-bead") or "1-1",
                document=props.get("x-document", ""),
                count=_int(props.get("x-count"), 1),
                src_markup=src_markup,
                tgt_markup=tgt_markup,
            )
        )
    return units, src_lang, tgt_lang


# Inline elements whose content is the native code they stand for (`<bpt>&lt;b&gt;</bpt>`),
# not text a translator reads; <hi> and <sub> hold text.
_CODE_ELEMENTS = ("bpt", "ept", "it", "ph", "ut")
_INLINE_ELEMENTS = _CODE_ELEMENTS + ("hi", "sub")  # all that TMX 1.4 allows inside a <seg>


def _segment(unit: tmx.tmxunit, tuv: etree._Element) -> tuple[str, str]:
    """A tuv's text and, when its <seg> holds inline codes, the seg's content as XML (else "").

    The content is cleaned as clean_segment cleans text (NFC, single spaces, no padding, no
    space doubled across a code), its namespaces dropped, so that what is written back is
    well-formed TMX 1.4 whose text is the unit's text.
    """
    seg = next((child for child in tuv if _local(child) == "seg"), None)
    if seg is None or not any(_local(child) for child in seg):
        return unit.getNodeText(tuv), ""
    seg = deepcopy(seg)
    for element in seg.iter():
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname
            for name in [name for name in element.attrib if name.startswith("{") and not name.startswith(_XML_NS)]:
                del element.attrib[name]  # an attribute in another vocabulary
    foreign = {element.tag for element in seg.iter() if isinstance(element.tag, str)} - set(_INLINE_ELEMENTS)
    etree.strip_tags(seg, *(foreign - {"seg"}))  # not TMX: its text stays, the element goes
    etree.cleanup_namespaces(seg)
    _clean_slots(seg)
    markup = xml_escape(seg.text or "") + "".join(
        etree.tostring(child, encoding="unicode", with_tail=True) for child in seg)
    return "".join(readable_text(seg)), markup


def _local(node: etree._Element) -> str:
    """An element's tag without its namespace; "" for a comment or processing instruction."""
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def _clean_slots(seg: etree._Element) -> None:
    """Clean the text around a segment's inline codes in place, as clean_segment cleans text."""
    slots = list(_text_slots(seg))
    after_space = True  # the segment's start counts as a space: no leading padding
    for element, attribute in slots:
        text = getattr(element, attribute) or ""
        core = clean_segment(text)
        cleaned = (" " if text[:1].isspace() and not after_space else "") + core
        if core and text[-1:].isspace():
            cleaned += " "
        if cleaned:
            after_space = cleaned.endswith(" ")
        setattr(element, attribute, cleaned or None)
    for element, attribute in reversed(slots):  # no trailing padding
        text = getattr(element, attribute)
        if text:
            setattr(element, attribute, text.rstrip(" ") or None)
            break


def _text_slots(element: etree._Element):
    """(element, "text" or "tail") for every run of text a reader sees, in order."""
    yield element, "text"
    for child in element:
        if _local(child) and _local(child) not in _CODE_ELEMENTS:
            yield from _text_slots(child)
        yield child, "tail"


def readable_text(element: etree._Element) -> Iterable[str]:
    """The text of a segment, its inline codes and comments left out (their tails are text)."""
    return (getattr(node, attribute) or "" for node, attribute in _text_slots(element))


def _norm(lang: str) -> str:
    return lang.replace("_", "-").lower()


def _language_nodes(nodes: list[etree._Element]) -> dict[str, etree._Element]:
    """tuv nodes by normalised language; the first tuv of a language wins."""
    found: dict[str, etree._Element] = {}
    for node in nodes:
        lang = _lang_of(node)
        if lang:
            found.setdefault(_norm(lang), node)
    return found


def _float(value: str | None, default: float) -> float:
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# --------------------------------------------------------------------------- checking


def language_problem(code: str | None) -> str | None:
    """Why a language code will trouble a CAT tool, or None if it is usable."""
    if code is None or not code.strip():
        return "missing language code"
    if code == "*all*":
        return None
    if "_" in code:
        return f"language code {code!r} uses an underscore; write {code.replace('_', '-')!r}"
    if code != code.strip() or not _LANG_RE.match(code):
        return f"{code!r} is not a language code"
    primary = code.split("-")[0].lower()
    if primary in COUNTRY_NOT_LANGUAGE:
        return (
            f"language code {code!r} is a country code ({primary!r} is not the language); "
            f"write {COUNTRY_NOT_LANGUAGE[primary]!r}"
        )
    if primary in THREE_LETTER:
        return (
            f"language code {code!r} is a three-letter code CAT tools do not match; "
            f"write {THREE_LETTER[primary]!r}"
        )
    return None


def _short(text: str, limit: int = 50) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _segment_problems(text: str) -> list[str]:
    """What is wrong with one segment's text, in the writer's own terms."""
    if not text.strip():
        return ["empty segment"]
    problems = []
    if text != text.strip():
        problems.append(f"segment has leading or trailing whitespace: {_short(text)}")
    if "\u00a0" in text:
        problems.append(f"segment contains a no-break space (U+00A0): {_short(text)}")
    if "\t" in text:
        problems.append(f"segment contains a tab: {_short(text)}")
    if "\n" in text or "\r" in text:
        problems.append(f"segment contains a line break: {_short(text)}")
    controls = sorted(
        {f"U+{ord(ch):04X}" for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r"}
    )
    if controls:
        problems.append(f"segment contains control characters {', '.join(controls)}: {_short(text)}")
    if unicodedata.normalize("NFC", text) != text:
        problems.append(f"segment is not in Unicode NFC: {_short(text)}")
    return problems


def lint_tmx(path: Path) -> list[str]:
    """Problems a CAT tool would trip on that a DTD cannot see; an empty list means clean.

    Each message starts with 'line N:' and 'error:' or 'warning:' (the same source with
    different targets is a warning: legitimate, but a translator gets two matches).
    """
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        tree = etree.parse(str(path), parser)
    except (etree.XMLSyntaxError, OSError) as exc:
        return [f"line 0: error: not a well-formed XML file: {exc}"]
    root = tree.getroot()
    problems: list[str] = []

    def report(node: etree._Element | None, level: str, message: str) -> None:
        line = node.sourceline if node is not None and node.sourceline else 0
        problems.append(f"line {line}: {level}: {message}")

    if root.tag != "tmx":
        report(root, "error", f"root element is <{root.tag}>, not <tmx>")
        return problems
    if root.get("version") != "1.4":
        report(root, "error", f"tmx version is {root.get('version')!r}, not '1.4'")

    header = root.find("header")
    src_lang: str | None = None
    if header is None:
        report(root, "error", "no <header>")
    else:
        for name in REQUIRED_HEADER_ATTRIBUTES:
            if not (header.get(name) or "").strip():
                report(header, "error", f"header attribute {name} is missing")
        segtype = header.get("segtype")
        if segtype and segtype not in SEGTYPES:
            report(header, "error", f"header segtype {segtype!r} is not one of {', '.join(SEGTYPES)}")
        src_lang = header.get("srclang")
        if src_lang is not None:
            problem = language_problem(src_lang)
            if problem:
                report(header, "error", f"header srclang: {problem}")
        admin = header.get("adminlang")
        if admin:
            problem = language_problem(admin)
            if problem:
                report(header, "error", f"header adminlang: {problem}")
        _check_date(header, "creationdate", report)
        _check_date(header, "changedate", report)

    body = root.find("body")
    if body is None:
        report(root, "error", "no <body>")
        return problems

    src_norm = _norm(src_lang or "")
    targets: dict[str, dict[str, int]] = {}  # source text -> target text -> first line
    tuids: dict[str, int] = {}
    for tu in body.iterfind("tu"):
        tuid = tu.get("tuid")
        where = f"tu {tuid!r}" if tuid else "tu"
        if tuid:
            if tuid in tuids:
                report(tu, "error", f"{where}: tuid already used on line {tuids[tuid]}")
            else:
                tuids[tuid] = tu.sourceline or 0
        _check_date(tu, "creationdate", report)
        _check_date(tu, "changedate", report)
        tuvs = tu.findall("tuv")
        if len(tuvs) < 2:
            report(tu, "error", f"{where}: {len(tuvs)} tuv; a TU needs a source and a target")
        tu_src = _norm(tu.get("srclang") or src_norm)
        texts: dict[str, str] = {}
        for tuv in tuvs:
            lang = _lang_of(tuv)
            problem = language_problem(lang)
            if problem:
                report(tuv, "error", f"{where}: tuv xml:lang: {problem}")
            seg = tuv.find("seg")
            if seg is None:
                report(tuv, "error", f"{where}: tuv {lang!r} has no <seg>")
                continue
            text = "".join(readable_text(seg))  # native codes inside <bpt>, <ph> … are not text
            for message in _segment_problems(text):
                report(seg, "error", f"{where}, {lang}: {message}")
            if lang:
                texts.setdefault(_norm(lang), text)
        if len(tuvs) >= 2 and tu_src and tu_src != "*all*":
            source = _pick_language(texts, tu_src)
            if source is None:
                report(tu, "error", f"{where}: no tuv in the source language {tu_src!r}")
            else:
                others = [t for lang, t in texts.items() if lang != source]
                if not others:
                    report(tu, "error", f"{where}: no tuv in a target language")
                src_text = texts[source]
                for other in others:
                    if src_text.strip() and other.strip():
                        targets.setdefault(src_text, {}).setdefault(other, tu.sourceline or 0)

    for src_text, tgts in targets.items():
        if len(tgts) > 1:
            lines = ", ".join(str(line) for line in tgts.values())
            problems.append(
                f"line {min(tgts.values())}: warning: same source with {len(tgts)} different "
                f"targets (lines {lines}): {_short(src_text)}"
            )
    return problems


def _pick_language(keys: Iterable[str], lang: str) -> str | None:
    """The normalised language key matching lang exactly, else by primary subtag (ko ~ ko-KR)."""
    keys = list(keys)
    if not lang:
        return None
    if lang in keys:
        return lang
    primary = lang.split("-")[0]
    return next((key for key in keys if key.split("-")[0] == primary), None)


def _check_date(node: etree._Element, name: str, report: _Report) -> None:
    value = node.get(name)
    if value is None:
        return
    ok = bool(_DATE_RE.match(value))
    if ok:
        try:
            datetime.strptime(value, DATE_FORMAT)
        except ValueError:
            ok = False
    if not ok:
        report(node, "error", f"{name} {value!r} is not a UTC date YYYYMMDDThhmmssZ")


def validate_dtd(path: Path, dtd_path: Path) -> list[str]:
    """DTD errors of a TMX file (empty list = valid), e.g. against OmegaT's tmx14.dtd."""
    dtd = etree.DTD(str(dtd_path))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        return [f"line {exc.lineno or 0}: not a well-formed XML file: {exc.msg}"]
    if dtd.validate(tree):
        return []
    return [f"line {error.line}: {error.message}" for error in dtd.error_log.filter_from_errors()]
