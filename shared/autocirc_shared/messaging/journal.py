"""The embedded bus's journal: one SQLite file holding every message not yet handled, per queue,
and the dead letters. Plain ``sqlite3``: each call is one short local transaction (WAL), so the
event loop is held for well under a millisecond."""
from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from .envelope import Envelope

SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    service  TEXT    NOT NULL,
    envelope TEXT    NOT NULL,
    attempt  INTEGER NOT NULL DEFAULT 1,
    dead     INTEGER NOT NULL DEFAULT 0,
    reason   TEXT
);
CREATE INDEX IF NOT EXISTS deliveries_by_queue ON deliveries (service, dead, id);
"""


class Journal:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=30000")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def add(self, messages: Sequence[tuple[str, Envelope]]) -> list[int]:
        """Store messages for their queues in one transaction; their ids, in order."""
        ids: list[int] = []
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            for service, env in messages:
                cursor = self._db.execute("INSERT INTO deliveries (service, envelope) VALUES (?, ?)",
                                          (service, env.model_dump_json()))
                assert cursor.lastrowid is not None  # set by an INSERT
                ids.append(cursor.lastrowid)
        return ids

    def pending(self, service: str) -> list[tuple[int, Envelope, int]]:
        rows = self._db.execute("SELECT id, envelope, attempt FROM deliveries WHERE service = ? AND dead = 0 "
                                "ORDER BY id", (service,)).fetchall()
        return [(row[0], Envelope.model_validate_json(row[1]), row[2]) for row in rows]

    def done(self, delivery_id: int) -> None:
        self._db.execute("DELETE FROM deliveries WHERE id = ?", (delivery_id,))

    def done_many(self, delivery_ids: Sequence[int]) -> None:
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("DELETE FROM deliveries WHERE id = ?", [(i,) for i in delivery_ids])

    def attempted(self, delivery_id: int, next_attempt: int) -> None:
        self._db.execute("UPDATE deliveries SET attempt = ? WHERE id = ?", (next_attempt, delivery_id))

    def dead(self, delivery_id: int, reason: str, attempts: int) -> None:
        self._db.execute("UPDATE deliveries SET dead = 1, reason = ?, attempt = ? WHERE id = ?",
                         (reason[:2000], attempts, delivery_id))

    def dead_letters(self, service: str, limit: int) -> list[tuple[int, Envelope, str, int]]:
        rows = self._db.execute("SELECT id, envelope, reason, attempt FROM deliveries WHERE service = ? AND dead = 1 "
                                "ORDER BY id LIMIT ?", (service, limit)).fetchall()
        return [(row[0], Envelope.model_validate_json(row[1]), row[2], row[3]) for row in rows]

    def dead_count(self, service: str) -> int:
        count: int = self._db.execute("SELECT count(*) FROM deliveries WHERE service = ? AND dead = 1",
                                      (service,)).fetchone()[0]
        return count

    def revive(self, service: str, limit: int | None) -> list[tuple[int, Envelope]]:
        """Move dead letters back to the queue (attempts start again), oldest first."""
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            rows = self._db.execute("SELECT id, envelope FROM deliveries WHERE service = ? AND dead = 1 ORDER BY id "
                                    "LIMIT ?", (service, -1 if limit is None else limit)).fetchall()
            self._db.executemany("UPDATE deliveries SET dead = 0, attempt = 1, reason = NULL WHERE id = ?",
                                 [(row[0],) for row in rows])
        return [(row[0], Envelope.model_validate_json(row[1])) for row in rows]
