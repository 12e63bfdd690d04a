"""The review page: one self-contained HTML file a translator opens offline to check an alignment.

A summary (documents, sentences, units per bead type, left-out beads, unaligned sentences,
the expected number of wrong units), the rows to check first (lowest confidence first), then
per document a table with one row per bead in document order: source | target | bead type,
score and confidence, coloured by confidence (P(the unit is right): ≥ .9, .5–.9, below .5) or,
without a calibrated model, by score; unaligned rows grey. No script, no external resource (a
Content-Security-Policy forbids any); a CSS-only switch hides the rows that need no check.

Rows carry ``data-bead`` (1-1, 1-0 …), ``data-status`` (aligned, unaligned, low-score,
low-confidence, as in the review TSV), ``data-band`` (good, fair, poor, none, unscored),
``data-score`` and ``data-confidence`` (empty without a model); a cell's text is the bead's
sentences joined as the TSV and the TMX join them.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from aligner.data import KEPT_OUT, Alignment, base_language, kind_order, sentence_separator
from aligner.formats.atomic import write_atomic
from aligner.formats.review import ALIGNED, LEFT_OUT, UNALIGNED, DocumentRows, ReviewRow, review_documents

GOOD_SCORE = 0.6  # green at or above
FAIR_SCORE = 0.4  # amber at or above, red below
# With a calibrated confidence, the bands are probabilities that the unit is right: out of fold
# on the development data, units at ≥ .9 were right 97.3–99.7 % of the time on NTREX and the
# Bible, 90.7 % on Text+Berg (models/README.md).
GOOD_CONFIDENCE = 0.9
FAIR_CONFIDENCE = 0.5
CHECK_FIRST = 30  # rows listed under "check first"

LANGUAGE_NAMES = {
    "ko": "Korean",
    "en": "English",
    "zh": "Chinese",
    "ja": "Japanese",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "ru": "Russian",
    "vi": "Vietnamese",
    "th": "Thai",
    "id": "Indonesian",
    "ar": "Arabic",
}

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


@dataclass
class _Counts:
    documents: int = 0
    src_sentences: int = 0
    tgt_sentences: int = 0
    units: Counter = field(default_factory=Counter)  # aligned beads (TM units) per bead type
    low: Counter = field(default_factory=Counter)  # beads left out (low score or confidence) per type
    src_unaligned: int = 0
    tgt_unaligned: int = 0
    expected_wrong: float = 0.0  # Σ (1 − confidence) over the units with a confidence

    def add(self, alignment: Alignment, rows: list[ReviewRow]) -> None:
        self.documents += 1
        src, tgt = alignment.document.sentence_counts()
        self.src_sentences += src
        self.tgt_sentences += tgt
        for row in rows:
            if row.status == ALIGNED:
                self.units[row.kind] += 1
                self.expected_wrong += 1.0 - row.confidence if row.confidence is not None else 0.0
            elif row.status in LEFT_OUT:
                self.low[row.kind] += 1
            else:
                self.src_unaligned += len(row.bead.src) if row.source else 0
                self.tgt_unaligned += len(row.bead.tgt) if row.target else 0


def format_review_html(alignments: Sequence[Alignment] | Alignment, *, min_score: float | None = None,
                       min_confidence: float | None = None) -> str:
    """The review page as text."""
    return html_from_rows(review_documents(alignments, min_score, min_confidence=min_confidence),
                          min_score=min_score, min_confidence=min_confidence)


def html_from_rows(documents: Sequence[DocumentRows], *, min_score: float | None = None,
                   min_confidence: float | None = None) -> str:
    """The review page of rows already made (review_documents with the same limits)."""
    alignments = [alignment for alignment, _ in documents]
    scored = any(r.score != 0 for _, rows in documents for r in rows if r.status != UNALIGNED)
    calibrated = any(r.confidence is not None for _, rows in documents for r in rows)
    limits = _Limits(min_score, min_confidence, scored, calibrated)
    total = _Counts()
    per_doc = []
    for alignment, rows in documents:
        counts = _Counts()
        counts.add(alignment, rows)
        total.add(alignment, rows)
        per_doc.append(counts)

    pairs = {(a.document.src_lang, a.document.tgt_lang) for a in alignments}
    if len(pairs) == 1:
        src_lang, tgt_lang = next(iter(pairs))
        src_name, tgt_name = _language_name(src_lang), _language_name(tgt_lang)
    else:
        src_name, tgt_name = "Source", "Target"

    title = (
        f"Alignment review: {alignments[0].document.name}" if len(alignments) == 1
        else f"Alignment review: {len(alignments)} documents"
    )
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Nothing may load from anywhere: the page works offline and leaks nothing.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">",
        '<meta name="generator" content="aligner">',
        f"<title>{_esc(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        '<header class="top">',
        "<h1>Alignment review</h1>",
        _summary(total, per_doc, alignments, src_name, tgt_name, limits),
        "</header>",
        "<main>",
    ]
    if calibrated:
        out.append(_check_first(documents))
    for number, ((alignment, rows), counts) in enumerate(zip(documents, per_doc), start=1):
        out.append(_document(number, alignment, rows, counts, limits))
    if not documents:
        out.append('<p class="nothing">No documents.</p>')
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)


def write_review_html(
    alignments: Sequence[Alignment] | Alignment, path: Path, *, min_score: float | None = None,
    min_confidence: float | None = None,
) -> None:
    """Write the review page atomically: one self-contained HTML file that opens offline."""
    write_atomic(Path(path), format_review_html(alignments, min_score=min_score, min_confidence=min_confidence))


# --------------------------------------------------------------------------- parts


@dataclass(frozen=True)
class _Limits:
    """What the page colours by and what was left out of the TM."""

    min_score: float | None
    min_confidence: float | None
    scored: bool  # some unit has a non-zero score (an encoder was used)
    calibrated: bool  # some row has a confidence

    @property
    def leaves_out(self) -> bool:
        return self.min_score is not None or self.min_confidence is not None

    def left_out_label(self) -> str:
        parts = ([f"score below {self.min_score:.2f}"] if self.min_score is not None else []) + \
                ([f"confidence below {self.min_confidence:.2f}"] if self.min_confidence is not None else [])
        return " or ".join(parts)


def _summary(total: _Counts, per_doc: list[_Counts], alignments: list[Alignment], src_name: str,
             tgt_name: str, limits: _Limits) -> str:
    units = sum(total.units.values())
    low = sum(total.low.values())
    unaligned = total.src_unaligned + total.tgt_unaligned
    cards = [
        _card("Documents", f"{total.documents}"),
        _card("Sentences", f"{total.src_sentences} {_esc(src_name)} · {total.tgt_sentences} {_esc(tgt_name)}"),
        _card("Aligned units", f"{units}", "good" if units else ""),
    ]
    if limits.calibrated:
        cards.append(_card("Expected wrong units", f"{total.expected_wrong:.1f} <small>(Σ 1 − confidence)</small>",
                           "fair" if total.expected_wrong >= 1 else "good"))
    if limits.leaves_out:
        cards.append(_card(f"{limits.left_out_label().capitalize()}, left out", f"{low}", "poor" if low else ""))
    cards.append(
        _card(
            "Unaligned sentences",
            f"{unaligned} <small>({total.src_unaligned} {_esc(src_name)} · "
            f"{total.tgt_unaligned} {_esc(tgt_name)})</small>",
            "none" if unaligned else "",
        )
    )
    parts = ['<section class="summary" aria-label="Summary">', '<div class="cards">', *cards, "</div>"]

    kinds = sorted(set(total.units) | set(total.low), key=kind_order)
    if kinds:
        parts.append('<table class="kinds"><caption>Units per bead type</caption>')
        head = "<th scope=\"col\">in the TM</th>"
        if limits.leaves_out:
            head += "<th scope=\"col\">left out</th>"
        parts.append(f'<thead><tr><th scope="col">bead</th>{head}</tr></thead><tbody>')
        for kind in kinds:
            cells = f'<td class="n">{total.units[kind]}</td>'
            if limits.leaves_out:
                cells += f'<td class="n">{total.low[kind]}</td>'
            parts.append(f'<tr data-kind="{_esc(kind)}"><th scope="row">{_esc(kind)}</th>{cells}</tr>')
        parts.append("</tbody></table>")

    if len(alignments) > 1:
        parts.append('<table class="docs"><caption>Documents</caption><thead><tr>'
                     '<th scope="col">#</th><th scope="col">document</th>'
                     f'<th scope="col">{_esc(src_name)}</th><th scope="col">{_esc(tgt_name)}</th>'
                     '<th scope="col">units</th><th scope="col">left out</th>'
                     '<th scope="col">unaligned</th></tr></thead><tbody>')
        for number, (alignment, counts) in enumerate(zip(alignments, per_doc), start=1):
            parts.append(
                f'<tr><td class="n">{number}</td>'
                f'<td><a href="#doc-{number}">{_esc(alignment.document.name)}</a></td>'
                f'<td class="n">{counts.src_sentences}</td><td class="n">{counts.tgt_sentences}</td>'
                f'<td class="n">{sum(counts.units.values())}</td><td class="n">{sum(counts.low.values())}</td>'
                f'<td class="n">{counts.src_unaligned + counts.tgt_unaligned}</td></tr>'
            )
        parts.append("</tbody></table>")

    parts.append(_legend(limits))
    below = f"confidence below {GOOD_CONFIDENCE:.1f}" if limits.calibrated else f"below {GOOD_SCORE:.2f}"
    parts.append(
        '<p class="filter"><label><input type="checkbox" id="only-check"> '
        f"Show only the rows to check ({below}, left out or unaligned)</label></p>"
    )
    parts.append("</section>")
    return "\n".join(parts)


def _legend(limits: _Limits) -> str:
    items = []
    left_out = f", or {limits.left_out_label()} (left out of the TM)" if limits.leaves_out else ""
    if limits.calibrated:
        items.append(f'<li><span class="swatch good"></span>confidence ≥ {GOOD_CONFIDENCE:.1f}: likely right '
                     "(confidence: the calibrated probability that the unit is exactly right)</li>")
        items.append(f'<li><span class="swatch fair"></span>{FAIR_CONFIDENCE:.1f}–{GOOD_CONFIDENCE:.1f}: check</li>')
        items.append(f'<li><span class="swatch poor"></span>below {FAIR_CONFIDENCE:.1f}{left_out}: doubtful</li>')
    elif limits.scored:
        items.append(f'<li><span class="swatch good"></span>score ≥ {GOOD_SCORE:.2f}: likely right</li>')
        items.append(
            f'<li><span class="swatch fair"></span>{FAIR_SCORE:.2f}–{GOOD_SCORE:.2f}: check</li>'
        )
        items.append(f'<li><span class="swatch poor"></span>below {FAIR_SCORE:.2f}{left_out}: doubtful</li>')
    else:
        items.append(
            '<li><span class="swatch unscored"></span>every score is 0: the alignment used sentence '
            "lengths only (no encoder), so colours say nothing about quality</li>"
        )
    items.append(
        '<li><span class="swatch none"></span>unaligned: a sentence with no counterpart, never in the TM</li>'
    )
    return '<ul class="legend">' + "".join(items) + "</ul>"


def _check_first(documents: list[tuple[Alignment, list[ReviewRow]]]) -> str:
    """The rows most likely wrong, lowest confidence first, each linking to its row."""
    rows = sorted(((row.confidence, number, index, row) for number, (_, doc_rows) in enumerate(documents, start=1)
                   for index, row in enumerate(doc_rows, start=1)
                   if row.confidence is not None and row.confidence < GOOD_CONFIDENCE),
                  key=lambda item: item[:3])
    out = ['<section class="check" aria-label="Check first">',
           f"<h2>Check first: {len(rows)} row{'s' if len(rows) != 1 else ''} with confidence below "
           f"{GOOD_CONFIDENCE:.1f}" + (f" (the {CHECK_FIRST} least sure)" if len(rows) > CHECK_FIRST else "") + "</h2>"]
    if not rows:
        out.append('<p class="nothing">Every unit and every unaligned sentence has confidence '
                   f"≥ {GOOD_CONFIDENCE:.1f}.</p></section>")
        return "\n".join(out)
    out.append('<table class="first"><thead><tr><th scope="col">confidence</th><th scope="col">row</th>'
               '<th scope="col">bead</th><th scope="col">source</th><th scope="col">target</th></tr></thead><tbody>')
    for confidence, number, index, row in rows[:CHECK_FIRST]:
        band = "none" if row.status == UNALIGNED else _confidence_band(confidence)
        out.append(f'<tr class="{band}" data-confidence="{confidence:.3f}"><td class="n">{confidence:.3f}</td>'
                   f'<td><a href="#doc-{number}-row-{index}">{number}.{index}</a></td>'
                   f"<td>{_esc(row.kind)}</td><td>{_esc(_short(row.source))}</td><td>{_esc(_short(row.target))}</td></tr>")
    out += ["</tbody></table>", "</section>"]
    return "\n".join(out)


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _document(number: int, alignment: Alignment, rows: list[ReviewRow], counts: _Counts,
              limits: _Limits) -> str:
    document = alignment.document
    src_lang, tgt_lang = _lang_attr(document.src_lang), _lang_attr(document.tgt_lang)
    src_name, tgt_name = _language_name(document.src_lang), _language_name(document.tgt_lang)
    units = sum(counts.units.values())
    low = sum(counts.low.values())
    facts = [f"{counts.src_sentences} {src_name} · {counts.tgt_sentences} {tgt_name} sentences",
             f"{units} aligned unit{'s' if units != 1 else ''}"]
    if limits.calibrated:
        facts.append(f"{counts.expected_wrong:.1f} expected wrong")
    if limits.leaves_out:
        facts.append(f"{low} left out")
    facts.append(f"{counts.src_unaligned + counts.tgt_unaligned} unaligned")
    out = [
        f'<section class="doc" id="doc-{number}" data-document="{_esc(document.name)}">',
        f"<h2>{_esc(document.name)}</h2>",
        f'<p class="facts">{_esc(" · ".join(facts))}</p>',
        '<table class="beads">',
        '<colgroup><col class="c-num"><col class="c-src"><col class="c-tgt"><col class="c-meta"></colgroup>',
        "<thead><tr>"
        '<th scope="col" class="num">#</th>'
        f'<th scope="col">{_esc(src_name)}</th>'
        f'<th scope="col">{_esc(tgt_name)}</th>'
        f'<th scope="col" class="meta">bead · score{" · confidence" if limits.calibrated else ""}</th>'
        "</tr></thead>",
        "<tbody>",
    ]
    src_sep = sentence_separator(document.src_lang)
    tgt_sep = sentence_separator(document.tgt_lang)
    for index, row in enumerate(rows, start=1):
        band = _band(row, limits)
        src_cell = _cell("src", src_lang, src_name,
                         [(i, document.src[i].text) for i in row.bead.src] if row.source else [], src_sep)
        tgt_cell = _cell("tgt", tgt_lang, tgt_name,
                         [(i, document.tgt[i].text) for i in row.bead.tgt] if row.target else [], tgt_sep)
        score = "" if row.status == UNALIGNED else f'<span class="score">{row.score:.3f}</span>'
        confidence = ("" if row.confidence is None else
                      f'<span class="confidence" title="P(this row is right)">p {row.confidence:.3f}</span>')
        if row.status == UNALIGNED:
            # furniture or a caption of a read document says so; other sentences say which side
            kinds = {document.src[i].kind for i in row.bead.src} | {document.tgt[j].kind for j in row.bead.tgt}
            side = src_name if row.source else tgt_name
            label = next(iter(kinds)) if len(kinds) == 1 and kinds <= KEPT_OUT else f"{side} only"
            flag = f'<span class="flag">{_esc(label)}</span>'
        elif row.status in LEFT_OUT:
            flag = '<span class="flag">left out</span>'
        else:
            flag = ""
        data_confidence = "" if row.confidence is None else f"{row.confidence:.3f}"
        out.append(
            f'<tr id="doc-{number}-row-{index}" class="{band}" data-bead="{_esc(row.kind)}" data-status="{row.status}" '
            f'data-band="{band}" data-score="{row.score:.3f}" data-confidence="{data_confidence}" '
            f'data-src-ids="{_ids(row.bead.src)}" data-tgt-ids="{_ids(row.bead.tgt)}">'
            f'<td class="num">{index}</td>{src_cell}{tgt_cell}'
            f'<td class="meta"><span class="kind">{_esc(row.kind)}</span> '
            f'{score}{confidence}{flag}</td></tr>'
        )
    out += ["</tbody>", "</table>", "</section>"]
    return "\n".join(out)


def _cell(side: str, lang: str, name: str, sentences: list[tuple[int, str]], sep: str) -> str:
    lang_attr = f' lang="{lang}"' if lang else ""
    if not sentences:
        return f'<td class="{side} empty"{lang_attr} data-empty="no {_esc(name)} counterpart"></td>'
    spans = sep.join(
        f'<span class="s" title="sentence {i}">{_esc(text)}</span>' for i, text in sentences
    )
    return f'<td class="{side}"{lang_attr}>{spans}</td>'


def _band(row: ReviewRow, limits: _Limits) -> str:
    if row.status == UNALIGNED:
        return "none"
    if row.status in LEFT_OUT:
        return "poor"
    if row.confidence is not None:
        return _confidence_band(row.confidence)
    if not limits.scored:
        return "unscored"
    if row.score < FAIR_SCORE:
        return "poor"
    return "good" if row.score >= GOOD_SCORE else "fair"


def _confidence_band(confidence: float) -> str:
    if confidence >= GOOD_CONFIDENCE:
        return "good"
    return "fair" if confidence >= FAIR_CONFIDENCE else "poor"


def _card(label: str, value: str, tone: str = "") -> str:
    return f'<div class="card {tone}"><div class="label">{_esc(label)}</div><div class="value">{value}</div></div>'


def _esc(text: str) -> str:
    return html.escape(_CONTROL_RE.sub(" ", text), quote=True)


def _ids(ids: Sequence[int]) -> str:
    return " ".join(str(i) for i in ids)


def _lang_attr(code: str) -> str:
    code = code.strip().replace("_", "-")
    return code if _LANG_RE.match(code) else ""


def _language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(base_language(code), code or "?")


_CSS = """
:root {
  --ink: #1f2328; --muted: #59636e; --line: #d8dee4; --paper: #ffffff; --head: #f6f8fa;
  --good: #e6f4ea; --good-edge: #1a7f37; --fair: #fff4d6; --fair-edge: #b7791f;
  --poor: #fde8e8; --poor-edge: #c62828; --none: #eef0f2; --none-edge: #8c959f;
  --unscored: #eef4fb; --unscored-edge: #6e8fb5;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans",
    "Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans KR", "Noto Sans CJK KR", "NanumGothic", sans-serif;
  --ko: "Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans KR", "Noto Sans CJK KR", "NanumGothic",
    "NanumBarunGothic", system-ui, sans-serif;
}
* { box-sizing: border-box; }
html { color: var(--ink); background: var(--paper); font: 15px/1.55 var(--sans); }
body { margin: 0 auto; padding: 1.2rem 1.5rem 3rem; max-width: 1400px; }
:lang(ko) { font-family: var(--ko); word-break: keep-all; overflow-wrap: anywhere; }
h1 { font-size: 1.5rem; margin: 0 0 .8rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .2rem; overflow-wrap: anywhere; }
.facts { color: var(--muted); margin: 0 0 .6rem; font-size: .9rem; }
.summary { display: flex; flex-wrap: wrap; gap: .8rem 1.6rem; align-items: flex-start; }
.cards { display: flex; flex-wrap: wrap; gap: .6rem; flex-basis: 100%; }
.card { border: 1px solid var(--line); border-left-width: 4px; border-radius: 6px; padding: .45rem .8rem;
  min-width: 9rem; background: var(--head); }
.card.good { border-left-color: var(--good-edge); }
.card.fair { border-left-color: var(--fair-edge); }
.card.poor { border-left-color: var(--poor-edge); }
.card.none { border-left-color: var(--none-edge); }
.card .label { font-size: .78rem; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.card .value { font-size: 1.3rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .value small { font-size: .8rem; font-weight: 400; color: var(--muted); }
table { border-collapse: collapse; }
table.kinds { min-width: 14rem; }
caption { text-align: left; font-weight: 600; padding-bottom: .3rem; }
.kinds th, .kinds td, .docs th, .docs td { border: 1px solid var(--line); padding: .2rem .6rem; }
.kinds thead th, .docs thead th { background: var(--head); font-weight: 600; font-size: .85rem; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.legend { list-style: none; margin: 0; padding: 0; font-size: .88rem; }
.legend li { margin: .15rem 0; }
.swatch { display: inline-block; width: 1.6em; height: .95em; vertical-align: -.1em; margin-right: .45em;
  border-radius: 3px; border-left: 4px solid; }
.swatch.good { background: var(--good); border-color: var(--good-edge); }
.swatch.fair { background: var(--fair); border-color: var(--fair-edge); }
.swatch.poor { background: var(--poor); border-color: var(--poor-edge); }
.swatch.none { background: repeating-linear-gradient(135deg, var(--none) 0 4px, #e1e4e8 4px 8px);
  border-color: var(--none-edge); }
.swatch.unscored { background: var(--unscored); border-color: var(--unscored-edge); }
.filter { flex-basis: 100%; margin: 0; font-size: .9rem; }
table.beads { width: 100%; table-layout: fixed; border: 1px solid var(--line); }
col.c-num { width: 3.2rem; } col.c-meta { width: 8.5rem; }
.beads thead th { position: sticky; top: 0; z-index: 1; background: var(--head); text-align: left;
  font-size: .85rem; padding: .4rem .6rem; border-bottom: 2px solid var(--line); }
.beads td { padding: .45rem .6rem; vertical-align: top; border-bottom: 1px solid var(--line); }
.beads td.num { color: var(--muted); font-size: .8rem; text-align: right; font-variant-numeric: tabular-nums; }
.beads td.meta { font-size: .85rem; white-space: nowrap; }
.beads .kind { font-weight: 600; }
.beads .score, .beads .confidence { font-variant-numeric: tabular-nums; color: var(--muted); margin-left: .3em; }
.beads .confidence { display: block; font-weight: 600; color: var(--ink); }
.check h2 { margin-top: 1.2rem; }
table.first { width: 100%; border: 1px solid var(--line); font-size: .88rem; }
.first th, .first td { border-bottom: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
.first thead th { background: var(--head); }
.beads .flag { display: block; width: max-content; margin-top: .25rem; font-size: .72rem; font-weight: 600;
  text-transform: uppercase; letter-spacing: .03em; padding: 0 .4em; border-radius: 3px; color: #fff;
  background: var(--poor-edge); }
.beads .s { display: block; }
.beads .s + .s { margin-top: .3rem; padding-top: .3rem; border-top: 1px dashed rgba(0, 0, 0, .18); }
tr.good > td:first-child { box-shadow: inset 4px 0 var(--good-edge); }
tr.fair > td:first-child { box-shadow: inset 4px 0 var(--fair-edge); }
tr.poor > td:first-child { box-shadow: inset 4px 0 var(--poor-edge); }
tr.none > td:first-child { box-shadow: inset 4px 0 var(--none-edge); }
tr.unscored > td:first-child { box-shadow: inset 4px 0 var(--unscored-edge); }
tr.good { background: var(--good); }
tr.fair { background: var(--fair); }
tr.poor { background: var(--poor); }
tr.unscored { background: var(--unscored); }
tr.none { background: repeating-linear-gradient(135deg, var(--none) 0 6px, #e6e9ec 6px 12px); color: #3d444d; }
tr.none .flag { background: var(--none-edge); }
td.empty::before { content: "— " attr(data-empty) " —"; color: var(--muted); font-style: italic;
  font-size: .85rem; }
body:has(#only-check:checked) tr.good, body:has(#only-check:checked) tr.unscored { display: none; }
@media print {
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  .filter { display: none; }
  .beads tr { break-inside: avoid; }
  .beads thead th { position: static; }
}
"""
