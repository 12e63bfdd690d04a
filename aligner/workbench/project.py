"""A project's plain data: documents, their sentences and units, and one undoable change.

Sentences have ids that never change (a split makes a new one); a unit lists the ids of its
sentences on each side, and the units of a document, in order, cover each sentence once.
Every edit is a Change: a run of units replaced by another, plus sentences created, changed
or removed. Undo applies the inverse; the same record serves the file, the history and redo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

AUTOMATIC, CONFIRMED, EDITED = "automatic", "confirmed", "edited"
STATUSES = (AUTOMATIC, CONFIRMED, EDITED)
SIDES = ("src", "tgt")


@dataclass(frozen=True)
class Sentence:
    side: str  # "src" or "tgt"
    text: str
    paragraph: int = 0
    line: int = 0
    kind: str = "paragraph"  # the reader's block kind (furniture and captions are never aligned)

    def to_json(self) -> list:
        return [self.side, self.text, self.paragraph, self.line, self.kind]

    @classmethod
    def from_json(cls, data: list) -> Sentence:
        return cls(*data)


class Unit(NamedTuple):
    """A row of the review: sentence ids on each side, the aligner's score and confidence
    (None once a person has changed the row), and who last decided it.

    A named tuple, not a dataclass: a long document's confirmation compares and rebuilds
    thousands of rows, and tuples do that in C (an undo of 5,000 rows took 2× longer)."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float | None = None
    confidence: float | None = None
    status: str = AUTOMATIC

    @property
    def kind(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    @property
    def is_empty(self) -> bool:
        return not self.src and not self.tgt

    @property
    def is_aligned(self) -> bool:
        return bool(self.src) and bool(self.tgt)

    def same_rows(self, other: Unit) -> bool:
        """The same sentences and scores, whatever the status."""
        return self[:4] == other[:4]

    def with_status(self, status: str) -> Unit:
        return Unit(self.src, self.tgt, self.score, self.confidence, status)

    def side(self, side: str) -> tuple[int, ...]:
        return self.src if side == "src" else self.tgt

    @classmethod
    def from_json(cls, data: list) -> Unit:
        src, tgt, score, confidence, status = data
        return cls(tuple(src), tuple(tgt), score, confidence, status)


@dataclass
class DocState:
    """One document as the reviewer sees it now."""

    index: int  # its place in the project, which a Change names
    name: str
    src_lang: str
    tgt_lang: str
    sentences: dict[int, Sentence] = field(default_factory=dict)
    units: list[Unit] = field(default_factory=list)

    def texts(self, unit: Unit, side: str) -> list[str]:
        return [self.sentences[i].text for i in unit.side(side)]

    def snapshot(self) -> DocState:
        """A copy to work on without holding the project (its rows and sentences are immutable)."""
        return DocState(self.index, self.name, self.src_lang, self.tgt_lang, dict(self.sentences), list(self.units))


class StaleChange(RuntimeError):
    """A change made for rows that have changed since: applying it would lose an edit."""


@dataclass(frozen=True)
class Change:
    """units[start:start + len(before)] of document `doc` become `after`; each sentence id in
    `sentences_after` takes that value (None: removed), `sentences_before` holds the old ones."""

    op: str
    doc: int
    start: int
    before: tuple[Unit, ...]
    after: tuple[Unit, ...]
    sentences_before: dict[int, Sentence | None] = field(default_factory=dict)
    sentences_after: dict[int, Sentence | None] = field(default_factory=dict)

    def inverse(self) -> Change:
        return Change(self.op, self.doc, self.start, self.after, self.before,
                      self.sentences_after, self.sentences_before)

    def check(self, doc: DocState) -> None:
        """StaleChange unless the units it replaces are the ones it recorded."""
        if tuple(doc.units[self.start:self.start + len(self.before)]) != self.before:
            raise StaleChange(f"{self.op}: the document is not in the state this change was made in")

    def apply(self, doc: DocState) -> None:
        self.check(doc)
        doc.units[self.start:self.start + len(self.before)] = self.after
        for sid, sentence in self.sentences_after.items():
            if sentence is None:
                doc.sentences.pop(sid, None)
            else:
                doc.sentences[sid] = sentence

    def new_status(self) -> str | None:
        """The one status every row gets, when that is all the change does (a confirmation of
        thousands of rows is then written as one statement and a short history entry)."""
        if not self.after or len(self.after) != len(self.before) or self.sentences_after:
            return None
        status = self.after[0].status
        if all(a.status == status and a.same_rows(b) for a, b in zip(self.after, self.before)):
            return status
        return None

    def to_json(self) -> dict:
        def sentences(values: dict[int, Sentence | None]) -> list:
            return [[sid, s.to_json() if s else None] for sid, s in values.items()]

        status = self.new_status()
        # a Unit is a tuple, which JSON writes as a list
        after = {"status": status} if status else list(self.after)
        return {"op": self.op, "doc": self.doc, "start": self.start, "before": list(self.before), "after": after,
                "sentences_before": sentences(self.sentences_before),
                "sentences_after": sentences(self.sentences_after)}

    @classmethod
    def from_json(cls, data: dict) -> Change:
        def sentences(values: list) -> dict[int, Sentence | None]:
            return {sid: Sentence.from_json(s) if s else None for sid, s in values}

        before = tuple(map(Unit.from_json, data["before"]))
        after = data["after"]
        after = (tuple(u.with_status(after["status"]) for u in before) if isinstance(after, dict)
                 else tuple(map(Unit.from_json, after)))
        return cls(data["op"], data["doc"], data["start"], before, after, sentences(data["sentences_before"]),
                   sentences(data["sentences_after"]))
