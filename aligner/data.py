"""Plain data that flows between the stages: documents, sentences, beads."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

# Block kinds a reader gives (aligner/readers) whose text the search does not see and no TMX
# unit holds, only the review: a running head, a page number, a photo caption has no counterpart.
KEPT_OUT = frozenset({"furniture", "caption"})

# A list marker typed as text at the start of a line (`- `, `•`, `▶`, `※`, `○`, `□` …): the
# line's furniture, not the sentence's, so a TMX segment starts after it.
LIST_MARKER = re.compile(r"^\s*(?:[-–*]\s+|o\s+(?=[^\x00-\x7f])|[•·∙◦▪▫●○◎□■◇◆❑▷▶►▸☞※➢➤✓✔❍]\s*)+")


@dataclass(frozen=True)
class Sentence:
    """One unit to align, with where it came from so a splitter never glues across lines."""

    text: str
    paragraph: int = 0  # blank-line separated block of its side (a reader's block)
    line: int = 0  # line number within its side's text
    kind: str = "paragraph"  # the kind of the block it came from (heading, list_item, furniture …)

    @property
    def marker(self) -> str:
        """The list marker the sentence starts with, if any (the review shows it, the TMX not)."""
        match = LIST_MARKER.match(self.text)
        return match.group(0) if match and match.end() < len(self.text.rstrip()) else ""

    @property
    def segment(self) -> str:
        """The sentence as a translation memory holds it: without its list marker."""
        return self.text[len(self.marker):]


@dataclass
class Document:
    """One document's two sides, already split into sentences."""

    name: str
    src_lang: str
    tgt_lang: str
    src: list[Sentence] = field(default_factory=list)
    tgt: list[Sentence] = field(default_factory=list)

    def ids_with_text(self) -> tuple[list[int], list[int]]:
        """The ids of the sentences with text on each side (a blank line of a pre-split file has
        an id and no text)."""
        return ([i for i, s in enumerate(self.src) if s.text.strip()],
                [j for j, s in enumerate(self.tgt) if s.text.strip()])

    def ids_to_align(self) -> tuple[list[int], list[int]]:
        """The ids of the sentences the search sees: with text, and not furniture or a caption."""
        return ([i for i, s in enumerate(self.src) if s.text.strip() and s.kind not in KEPT_OUT],
                [j for j, s in enumerate(self.tgt) if s.text.strip() and s.kind not in KEPT_OUT])

    def sentence_counts(self) -> tuple[int, int]:
        """Sentences with text on each side."""
        src, tgt = self.ids_with_text()
        return len(src), len(tgt)


@dataclass(frozen=True)
class Bead:
    """A group of source sentence ids matched to a group of target ids; one side may be empty."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0
    # P(this bead is exactly right), from the calibrated model of align/confidence.py; None
    # where no model fits the encoder. Not part of a bead's identity (equality, hashing).
    confidence: float | None = field(default=None, compare=False)
    # How much more the search's best path without this bead costs (search.best_path_with_margins),
    # for the confidence; None for a bead the search did not draw. Not part of its identity.
    margin: float | None = field(default=None, compare=False)

    @property
    def kind(self) -> str:
        """The bead type as translators name it: '1-1', '1-2', '1-0' …"""
        return f"{len(self.src)}-{len(self.tgt)}"

    @property
    def is_aligned(self) -> bool:
        return bool(self.src) and bool(self.tgt)


@dataclass
class Alignment:
    """A document and the beads that cover every one of its sentences exactly once."""

    document: Document
    beads: list[Bead]

    def src_text(self, bead: Bead) -> str:
        """The bead's source segment, as the TMX and the review TSV hold it (no list markers)."""
        return join_sentences([self.document.src[i].segment for i in bead.src], self.document.src_lang)

    def tgt_text(self, bead: Bead) -> str:
        return join_sentences([self.document.tgt[i].segment for i in bead.tgt], self.document.tgt_lang)


NO_SPACE_LANGS = {"zh", "ja"}


def base_language(lang: str) -> str:
    """`ko-KR`, `ko_KR`, `KO` → `ko`: what models, splitters and language pairs are keyed by."""
    return lang.strip().replace("_", "-").split("-")[0].lower()


def sentence_separator(lang: str) -> str:
    """What goes between two sentences of one bead in the language's writing."""
    return "" if base_language(lang) in NO_SPACE_LANGS else " "


def join_sentences(texts: list[str], lang: str) -> str:
    """Sentences of one bead, joined the way the language writes them."""
    return sentence_separator(lang).join(texts)


def kind_order(kind: str) -> tuple[int, int, str]:
    """Bead types in reading order: 0-1, 1-0, 1-1, 1-2, 2-1, … (unknown labels last)."""
    try:
        a, b = (int(n) for n in kind.split("-"))
    except ValueError:
        return (99, 0, kind)
    return (a + b, a, kind)


@dataclass(frozen=True)
class TranslationUnit:
    """One source/target pair bound for a translation memory, whatever produced it."""

    src: str
    tgt: str
    score: float = 0.0
    kind: str = "1-1"
    document: str = ""
    count: int = 1
    confidence: float | None = None  # P(the unit is right), when a calibrated model gave one
    # A segment read from a TMX with inline codes (<bpt>, <ph> …): its content as TMX XML, so
    # a merged memory keeps the codes; src / tgt then hold the text without them. Else empty.
    src_markup: str = ""
    tgt_markup: str = ""


@dataclass
class DocumentCounts:
    """What the run's summary needs of one document, small enough to keep for a million."""

    src_sentences: int = 0
    tgt_sentences: int = 0
    beads: Counter = field(default_factory=Counter)
    unaligned_src: int = 0
    unaligned_tgt: int = 0

    @classmethod
    def of(cls, alignment: Alignment) -> DocumentCounts:
        counts = cls(*alignment.document.sentence_counts())
        for bead in alignment.beads:
            # as the review and the TMX count it: a unit needs text on both sides
            src, tgt = alignment.src_text(bead).strip(), alignment.tgt_text(bead).strip()
            if src and tgt:
                counts.beads[bead.kind] += 1
            elif src or tgt:  # (blank lines of a pre-split file are no sentences to report)
                counts.unaligned_src += len(bead.src)
                counts.unaligned_tgt += len(bead.tgt)
        return counts

    @property
    def sentences(self) -> int:
        return self.src_sentences + self.tgt_sentences
