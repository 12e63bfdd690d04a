"""A small SQLite key-value table that several processes share, and that never stops a run.

WAL mode lets readers and a writer work at once; switching to it and creating the table can
meet another process doing the same, so opening retries. A cache that still fails is a cache
miss, never an error: the caller computes the value instead.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Iterable

OPEN_ATTEMPTS = 50


class SharedTable:
    def __init__(self, path: Path, value_type: str) -> None:
        self._path = Path(path)
        self._value_type = value_type
        self._db: sqlite3.Connection | None = None
        self._broken = False

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is not None or self._broken:
            return self._db
        for attempt in range(OPEN_ATTEMPTS):
            try:
                self._path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self._path, timeout=30)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute(f"CREATE TABLE IF NOT EXISTS entries (key BLOB PRIMARY KEY, value {self._value_type} NOT NULL)")
                db.commit()
                self._db = db
                return db
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) and "busy" not in str(err):
                    break  # cannot open at all (a folder in the way, no permission): no cache
                time.sleep(0.05 * (attempt + 1))
            except (sqlite3.Error, OSError):
                break
        self._broken = True
        return None

    def get_many(self, keys: list) -> dict:
        db = self._connect()
        found: dict = {}
        if db is None:
            return found
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                marks = ",".join("?" * len(chunk))
                found.update(db.execute(f"SELECT key, value FROM entries WHERE key IN ({marks})", chunk))
        except sqlite3.Error:
            return {}
        return found

    def put_many(self, rows: Iterable[tuple]) -> None:
        db = self._connect()
        if db is None:
            return
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", list(rows))
        except sqlite3.Error:
            pass
