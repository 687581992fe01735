"""A durable local queue for pages the store could not take (a database outage).

While the store is unreachable, every fetched page is appended here (one SQLite file on local
disk, committed before the crawl moves on) instead of being lost; once the store answers again
-- later in the same run, or in the next run -- the pages are recorded in their original
order and removed from the spool. Recording is idempotent per check (the store skips a check
it already has, see :meth:`tracker.revisions.Recorder.record`), so a crash between "recorded"
and "removed from the spool" cannot write anything twice.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tracker.store.base import mask_uri


def spool_path(directory: str | Path, store_uri: str) -> Path:
    """One spool per store, so that pages are only ever replayed into the store they were for."""
    digest = hashlib.sha256(mask_uri(store_uri).encode()).hexdigest()[:16]
    return Path(directory) / f"spool-{digest}.sqlite3"


class Spool:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=60)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # a spooled page survives a power cut
        self._db.execute("CREATE TABLE IF NOT EXISTS pages (seq INTEGER PRIMARY KEY, page TEXT NOT NULL)")
        self._lock = threading.Lock()
        # Asked for every crawled page: kept in memory, not counted on disk each time.
        self._count = int(self._db.execute("SELECT COUNT(*) FROM pages").fetchone()[0])

    def __len__(self) -> int:
        return self._count

    def append(self, page: Mapping[str, Any]) -> None:
        data = json.dumps(dict(page), ensure_ascii=False, default=str)
        with self._lock:
            self._db.execute("INSERT INTO pages (page) VALUES (?)", (data,))
            self._count += 1

    def drain(self, record: Callable[[dict[str, Any]], Any], stop_on: type[BaseException]) -> int:
        """Record spooled pages oldest first; stops (keeping the rest) at the first ``stop_on``.

        Returns how many pages were recorded and removed.
        """
        done = 0
        while True:
            with self._lock:
                row = self._db.execute("SELECT seq, page FROM pages ORDER BY seq LIMIT 1").fetchone()
            if row is None:
                return done
            seq, data = row
            try:
                record(json.loads(data))
            except stop_on:
                return done
            with self._lock:
                self._db.execute("DELETE FROM pages WHERE seq = ?", (seq,))
                self._count -= 1
            done += 1

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def remove(self) -> None:
        """Delete the (closed, empty) spool file and its journal."""
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
