"""The project file: one SQLite database beside the TMX, written at every edit.

Tables: meta (how the run aligned: encoder, max side), documents, sentences, units (by
document and position) and history (each Change as JSON, with whether it is undone). An edit
is one transaction: the units it replaces, the sentences it touches and its history row, so a
killed server loses nothing and the undo history survives a restart. The journal is SQLite's
default rollback journal, not a write-ahead log: after every commit the one file is the whole
project, safe to copy or move. The whole project is
also held in memory, where the views and the operations read it.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
from itertools import count
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from aligner.data import Alignment
from aligner.errors import InputError
from aligner.workbench.project import AUTOMATIC, Change, DocState, Sentence, Unit

FORMAT = "aligner-project-1"
IN_USE = "is open in another `aligner review`; stop that one first (Ctrl+C)"

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (id INTEGER PRIMARY KEY, name TEXT NOT NULL, src_lang TEXT NOT NULL, tgt_lang TEXT NOT NULL);
CREATE TABLE sentences (id INTEGER PRIMARY KEY, doc INTEGER NOT NULL, side TEXT NOT NULL, text TEXT NOT NULL,
                        paragraph INTEGER NOT NULL, line INTEGER NOT NULL, kind TEXT NOT NULL);
CREATE TABLE units (doc INTEGER NOT NULL, pos INTEGER NOT NULL, src TEXT NOT NULL, tgt TEXT NOT NULL,
                    score REAL, confidence REAL, status TEXT NOT NULL);
CREATE INDEX units_by_position ON units (doc, pos);
CREATE TABLE history (id INTEGER PRIMARY KEY AUTOINCREMENT, change TEXT NOT NULL, undone INTEGER NOT NULL);
"""


@dataclass(frozen=True)
class Settings:
    """How the run that made the project aligned, so re-aligning uses the same aligner."""

    encoder: str
    max_side: int


def create_project(path: Path, alignments: Sequence[Alignment], settings: Settings) -> None:
    """A new project of these alignments, written whole or not at all (a temporary file, then
    a rename over any older project of the same name)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        db = sqlite3.connect(tmp)
        try:
            with db:
                db.executescript(SCHEMA)
                db.executemany("INSERT INTO meta VALUES (?, ?)", [
                    ("format", FORMAT), ("encoder", settings.encoder), ("max_side", str(settings.max_side))])
                sid = 0
                for index, alignment in enumerate(alignments):
                    document = alignment.document
                    db.execute("INSERT INTO documents VALUES (?, ?, ?, ?)",
                               (index, document.name, document.src_lang, document.tgt_lang))
                    ids = {}
                    rows = []
                    for side, sentences in (("src", document.src), ("tgt", document.tgt)):
                        for i, s in enumerate(sentences):
                            ids[side, i] = sid
                            rows.append((sid, index, side, s.text, s.paragraph, s.line, s.kind))
                            sid += 1
                    db.executemany("INSERT INTO sentences VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
                    units = [Unit(tuple(ids["src", i] for i in bead.src), tuple(ids["tgt", j] for j in bead.tgt),
                                  bead.score, bead.confidence, AUTOMATIC)
                             for bead in alignment.beads]
                    db.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?)",
                                   [_unit_row(index, pos, u) for pos, u in enumerate(units)])
        finally:
            db.close()
        os.replace(tmp, path)
    except sqlite3.Error as err:
        raise InputError(path, f"cannot write the project ({err})") from None
    finally:
        tmp.unlink(missing_ok=True)


def write_project(path: Path, alignments: Sequence[Alignment], settings: Settings) -> str | None:
    """The project beside a run's TMX. An earlier one that holds review work (any edit in its
    history) is first kept under a free name, NAME.1.aligner …: a re-run never throws a
    review away. Returns a note saying where it went, or None."""
    path = Path(path)
    note = None
    done = _edits_in(path) if path.is_file() else 0
    if done:
        kept = next(p for p in (path.with_name(f"{path.stem}.{n}{path.suffix}") for n in count(1)) if not p.exists())
        os.replace(path, kept)  # the file is the whole project (no write-ahead log beside it)
        note = f"the earlier project, with {done} edits, is kept as {kept}"
    create_project(path, alignments, settings)
    return note


def _edits_in(path: Path) -> int:
    try:
        db = sqlite3.connect(path)
        try:
            return int(db.execute("SELECT COUNT(*) FROM history").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return 0


class Project:
    """An open project: its documents in memory, every change written through to the file.

    Methods may be called from several threads (the web server's workers); one lock keeps
    each operation whole.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise InputError(self.path, "no such project file")
        self.lock = threading.RLock()
        try:
            self._db = sqlite3.connect(self.path, timeout=2, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=DELETE")
            self._db.execute("PRAGMA synchronous=FULL")
            meta = dict(self._db.execute("SELECT key, value FROM meta"))
            if meta.get("format") != FORMAT:
                raise InputError(self.path, "is not an aligner project of this version")
            self.settings = Settings(meta["encoder"], int(meta["max_side"]))
            self.documents = self._load()
        except sqlite3.OperationalError as err:
            if "locked" in str(err):
                raise InputError(self.path, IN_USE) from None
            raise InputError(self.path, f"is not an aligner project ({err})") from None
        except sqlite3.DatabaseError as err:
            raise InputError(self.path, f"is not an aligner project ({err})") from None

    def claim(self) -> None:
        """Keep the file to this process until it closes. A second server on the same project
        would hold its own copy of the rows and write over the first one's edits."""
        try:
            self._db.execute("PRAGMA locking_mode=EXCLUSIVE")
            self._db.execute("BEGIN EXCLUSIVE")
            self._db.execute("COMMIT")
        except sqlite3.OperationalError:
            raise InputError(self.path, IN_USE) from None

    def _load(self) -> list[DocState]:
        documents = [DocState(i, name, src, tgt)
                     for i, name, src, tgt in self._db.execute("SELECT * FROM documents ORDER BY id")]
        for sid, doc, side, text, paragraph, line, kind in self._db.execute("SELECT * FROM sentences"):
            documents[doc].sentences[sid] = Sentence(side, text, paragraph, line, kind)
        for doc, _, src, tgt, score, confidence, status in self._db.execute(
                "SELECT * FROM units ORDER BY doc, pos"):
            documents[doc].units.append(Unit(tuple(map(int, src.split())), tuple(map(int, tgt.split())), score,
                                              confidence, status))
        return documents

    def close(self) -> None:
        self._db.close()

    def next_sentence_id(self) -> int:
        return 1 + max((max(d.sentences, default=-1) for d in self.documents), default=-1)

    def record(self, change: Change) -> None:
        """Make a new edit: applied, written and put on the undo stack; the redo stack is dropped."""
        with self.lock:
            self._write(change, "DELETE FROM history WHERE undone = 1",
                        ("INSERT INTO history (change, undone) VALUES (?, 0)", (json.dumps(change.to_json()),)))

    def undo(self) -> Change | None:
        """Take back the latest edit not yet undone; None when there is none."""
        return self._step(undo=True)

    def redo(self) -> Change | None:
        """Make again the earliest undone edit; None when there is none."""
        return self._step(undo=False)

    def _step(self, undo: bool) -> Change | None:
        """One move along the history: the edit applied backwards (undo) or again (redo), and
        its undone flag flipped in the same transaction."""
        with self.lock:
            row = self._db.execute(f"SELECT id, change FROM history WHERE undone = ? ORDER BY id "
                                   f"{'DESC' if undo else 'ASC'} LIMIT 1", (0 if undo else 1,)).fetchone()
            if row is None:
                return None
            change = Change.from_json(json.loads(row[1]))
            self._write(change.inverse() if undo else change,
                        ("UPDATE history SET undone = ? WHERE id = ?", (1 if undo else 0, row[0])))
            return change

    def history_counts(self) -> tuple[int, int]:
        """(edits that can be undone, edits that can be redone)."""
        done, undone = self._db.execute(
            "SELECT COALESCE(SUM(undone = 0), 0), COALESCE(SUM(undone = 1), 0) FROM history").fetchone()
        return int(done), int(undone)

    def _write(self, change: Change, *history: str | tuple) -> None:
        """One transaction: the change's rows and sentences, and the history statements."""
        doc = self.documents[change.doc]
        change.check(doc)
        end = change.start + len(change.before)
        status = change.new_status()
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            if status:
                db.execute("UPDATE units SET status = ? WHERE doc = ? AND pos >= ? AND pos < ?",
                           (status, change.doc, change.start, end))
            elif len(change.after) == len(change.before):  # rows rewritten in place: only those that differ
                db.executemany("UPDATE units SET src = ?, tgt = ?, score = ?, confidence = ?, status = ? "
                               "WHERE doc = ? AND pos = ?",
                               [_unit_row(change.doc, change.start + k, a)[2:] + (change.doc, change.start + k)
                                for k, (b, a) in enumerate(zip(change.before, change.after)) if a != b])
            else:
                db.execute("DELETE FROM units WHERE doc = ? AND pos >= ? AND pos < ?", (change.doc, change.start, end))
                db.execute("UPDATE units SET pos = pos + ? WHERE doc = ? AND pos >= ?",
                           (len(change.after) - len(change.before), change.doc, end))
                db.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?)",
                               [_unit_row(change.doc, change.start + k, u) for k, u in enumerate(change.after)])
            for sid, sentence in change.sentences_after.items():
                if sentence is None:
                    db.execute("DELETE FROM sentences WHERE id = ?", (sid,))
                else:
                    db.execute("INSERT OR REPLACE INTO sentences VALUES (?, ?, ?, ?, ?, ?, ?)",
                               (sid, change.doc, sentence.side, sentence.text, sentence.paragraph, sentence.line,
                                sentence.kind))
            for statement in history:
                db.execute(*statement) if isinstance(statement, tuple) else db.execute(statement)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        change.apply(doc)


def _unit_row(doc: int, pos: int, unit: Unit) -> tuple:
    return (doc, pos, _ids(unit.src), _ids(unit.tgt), unit.score, unit.confidence, unit.status)


def _ids(ids: tuple[int, ...]) -> str:
    """Sentence ids as the file keeps them: `3 4` (cheaper to write and read than JSON)."""
    return " ".join(map(str, ids))


def project_path(output: Path) -> Path:
    """`out/seeds.tmx` → `out/seeds.aligner`: the project a run writes beside its TMX."""
    return Path(output).with_suffix(".aligner")


def open_project(path: Path) -> Project:
    """The project a path names: the .aligner file itself, or the TMX it was written beside."""
    path = Path(path)
    project = path if path.suffix == ".aligner" else project_path(path)
    if not project.is_file():
        raise InputError(path, f"no project {project.name} beside it (`aligner align … -o NAME.tmx` writes "
                               "NAME.aligner unless --no-review)")
    return Project(project)
