"""The embedded default store: one SQLite file, standard library only.

``sqlite:///data/tracker.sqlite3`` is relative to the working directory,
``sqlite:////var/lib/tracker.sqlite3`` is absolute. WAL mode lets the web view read while a
crawl writes; every write is one ``BEGIN IMMEDIATE`` transaction, so a version is either
stored whole or not at all, and two crawls can never take the same version number.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tracker.store.base import Store, StoreError, VersionConflict, as_utc, mask_uri

# Column kinds: how a document field is written to and read from SQLite.
TEXT, INT, TIME, JSON, BLOB = "text", "int", "time", "json", "blob"

ARTICLE_FIELDS: dict[str, str] = {
    "article_id": TEXT, "url": TEXT, "outlet": TEXT, "state": TEXT,
    "first_seen_at": TIME, "last_checked_at": TIME, "last_changed_at": TIME,
    "next_check_at": TIME, "version_count": INT, "latest_hash": TEXT, "latest_raw_hash": TEXT,
    "headline": TEXT, "etag": TEXT, "last_modified": TEXT, "last_status": INT,
    "checks_since_change": INT, "consecutive_errors": INT, "consecutive_gone": INT,
    "last_outcome": TEXT, "published_at": TIME,
}
VERSION_FIELDS: dict[str, str] = {
    "article_id": TEXT, "version": INT, "outlet": TEXT, "fetched_at": TIME, "url": TEXT,
    "content_hash": TEXT, "raw_hash": TEXT, "headline": TEXT, "authors": JSON,
    "datePublished": TEXT, "dateModified": TEXT, "description": TEXT, "inLanguage": TEXT,
    "paragraphs": JSON, "word_count": INT, "extractor": TEXT, "html": BLOB,
    "html_encoding": TEXT, "diff": JSON, "diff_stats": JSON, "boring_reason": TEXT,
}
CHECK_FIELDS: dict[str, str] = {
    "article_id": TEXT, "at": TIME, "url": TEXT, "status": INT, "outcome": TEXT,
    "content_hash": TEXT, "version": INT, "duration_ms": INT, "error": TEXT,
    "etag": TEXT, "last_modified": TEXT, "extractor": TEXT,
}
# Heavy fields that listings leave out.
VERSION_BULK_FIELDS = ("paragraphs", "html", "diff")

_SQL_TYPES = {TEXT: "TEXT", INT: "INTEGER", TIME: "TEXT", JSON: "TEXT", BLOB: "BLOB"}

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS articles (
    {", ".join(f'"{name}" {_SQL_TYPES[kind]}' for name, kind in ARTICLE_FIELDS.items())},
    PRIMARY KEY (article_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS articles_url ON articles (url);
CREATE INDEX IF NOT EXISTS articles_due ON articles (state, next_check_at);
CREATE INDEX IF NOT EXISTS articles_outlet_changed ON articles (outlet, last_changed_at);
CREATE TABLE IF NOT EXISTS versions (
    {", ".join(f'"{name}" {_SQL_TYPES[kind]}' for name, kind in VERSION_FIELDS.items())},
    PRIMARY KEY (article_id, version)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checks (
    check_id INTEGER PRIMARY KEY,
    {", ".join(f'"{name}" {_SQL_TYPES[kind]}' for name, kind in CHECK_FIELDS.items())}
);
CREATE INDEX IF NOT EXISTS checks_article_at ON checks (article_id, at);
"""


def _to_sql(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == TIME:
        stamp = as_utc(value)
        assert stamp is not None
        # Fixed width so that text order is time order.
        return stamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if kind == JSON:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if kind == INT:
        return int(value)
    return value


def _from_sql(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == TIME:
        return as_utc(value)
    if kind == JSON:
        return json.loads(value)
    if kind == BLOB:
        return bytes(value)
    return value


def path_from_uri(uri: str) -> str:
    """File path of a ``sqlite://`` URI: three slashes relative, four absolute."""
    if not uri.startswith("sqlite:///"):
        raise StoreError(f"expected sqlite:///path, got {mask_uri(uri)!r}")
    path = uri[len("sqlite:///"):].split("?", 1)[0]
    if not path:
        raise StoreError(f"no file path in {uri!r}")
    return path


class SQLiteStore(Store):
    def __init__(self, uri: str, *, timeout: float = 60.0) -> None:
        self.uri = uri
        path = path_from_uri(uri)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(
                path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(SCHEMA)
            self._add_missing_columns()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {path}: {exc}") from exc
        # One connection shared by the crawl's threads: serialise its use.
        self._lock = threading.RLock()

    def _add_missing_columns(self) -> None:
        """Bring a store written by an older release up to the current fields."""
        for table, fields in (("articles", ARTICLE_FIELDS), ("versions", VERSION_FIELDS), ("checks", CHECK_FIELDS)):
            present = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            for name, kind in fields.items():
                if name not in present:
                    self._db.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {_SQL_TYPES[kind]}')

    # --- helpers ------------------------------------------------------------------------

    @staticmethod
    def _row(fields: dict[str, str], names: list[str], row: tuple[Any, ...]) -> dict[str, Any]:
        return {name: _from_sql(fields[name], value) for name, value in zip(names, row)}

    def _select(
        self, table: str, fields: dict[str, str], where: str, params: tuple[Any, ...],
        names: list[str] | None = None,
    ) -> list[dict[str, Any]]:
        names = names or list(fields)
        columns = ", ".join(f'"{name}"' for name in names)
        with self._lock:
            rows = self._db.execute(f"SELECT {columns} FROM {table} {where}", params).fetchall()
        return [self._row(fields, names, row) for row in rows]

    def _insert(self, table: str, fields: dict[str, str], doc: dict[str, Any]) -> None:
        names = [name for name in fields if name in doc]
        placeholders = ", ".join("?" for _ in names)
        columns = ", ".join(f'"{name}"' for name in names)
        values = [_to_sql(fields[name], doc[name]) for name in names]
        self._db.execute(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values)

    def _upsert_article(self, article: dict[str, Any], version_count: int | None) -> None:
        doc = {name: value for name, value in article.items() if name in ARTICLE_FIELDS}
        if doc.get("url"):
            owner = self._db.execute("SELECT article_id FROM articles WHERE url = ?", (doc["url"],)).fetchone()
            if owner is not None and owner[0] != doc["article_id"]:
                raise StoreError(
                    f"article {doc['article_id']}: URL {doc['url']} already belongs to article {owner[0]}"
                )
        existing = self._db.execute(
            "SELECT 1 FROM articles WHERE article_id = ?", (doc["article_id"],)
        ).fetchone()
        if version_count is not None:
            doc["version_count"] = version_count
        if existing is None:
            doc["first_seen_at"] = doc.get("first_seen_at") or article.get("last_checked_at")
            doc.setdefault("state", "active")
            doc.setdefault("version_count", 0)
            self._insert("articles", ARTICLE_FIELDS, doc)
            return
        doc.pop("first_seen_at", None)
        names = [name for name in doc if name != "article_id"]
        if names:
            assignments = ", ".join(f'"{name}" = ?' for name in names)
            values = [_to_sql(ARTICLE_FIELDS[name], doc[name]) for name in names]
            self._db.execute(
                f"UPDATE articles SET {assignments} WHERE article_id = ?",
                [*values, doc["article_id"]],
            )

    # --- writing ------------------------------------------------------------------------

    def save_version(
        self,
        article: dict[str, Any],
        version: dict[str, Any],
        check: dict[str, Any],
        *,
        expected_count: int,
    ) -> int:
        article_id = article["article_id"]
        number = expected_count + 1
        with self._transaction(f"store version {number} of {article_id}"):
            row = self._db.execute(
                "SELECT COALESCE(MAX(version), 0) FROM versions WHERE article_id = ?", (article_id,)
            ).fetchone()
            if row[0] != expected_count:
                raise VersionConflict(f"article {article_id} has {row[0]} versions, expected {expected_count}")
            self._insert("versions", VERSION_FIELDS, {**version, "article_id": article_id, "version": number})
            self._upsert_article(article, version_count=number)
            self._insert("checks", CHECK_FIELDS, {**check, "article_id": article_id, "version": number})
        return number

    def record_check(self, article: dict[str, Any], check: dict[str, Any]) -> None:
        # The version count is the store's to keep, never the caller's.
        article = {name: value for name, value in article.items() if name != "version_count"}
        with self._transaction(f"record a check of {article['article_id']}"):
            self._upsert_article(article, version_count=None)
            self._insert("checks", CHECK_FIELDS, {**check, "article_id": article["article_id"]})

    @contextlib.contextmanager
    def _transaction(self, what: str) -> Iterator[None]:
        """One write transaction: all of it or nothing; SQLite failures become StoreErrors."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                yield
                self._db.execute("COMMIT")
            except BaseException as exc:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(f"cannot {what}: {exc}") from exc
                raise

    # --- reading ------------------------------------------------------------------------

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        rows = self._select("articles", ARTICLE_FIELDS, "WHERE article_id = ?", (article_id,))
        return rows[0] if rows else None

    def latest_version(self, article_id: str) -> dict[str, Any] | None:
        rows = self._select(
            "versions", VERSION_FIELDS,
            "WHERE article_id = ? ORDER BY version DESC LIMIT 1", (article_id,),
        )
        return rows[0] if rows else None

    def get_version(self, article_id: str, number: int) -> dict[str, Any] | None:
        rows = self._select(
            "versions", VERSION_FIELDS, "WHERE article_id = ? AND version = ?", (article_id, number)
        )
        return rows[0] if rows else None

    def list_versions(self, article_id: str) -> list[dict[str, Any]]:
        names = [name for name in VERSION_FIELDS if name not in VERSION_BULK_FIELDS]
        return self._select(
            "versions", VERSION_FIELDS, "WHERE article_id = ? ORDER BY version", (article_id,), names
        )

    def list_checks(self, article_id: str, limit: int | None = None) -> list[dict[str, Any]]:
        where = "WHERE article_id = ? ORDER BY at DESC, check_id DESC"
        params: tuple[Any, ...] = (article_id,)
        if limit is not None:
            where += " LIMIT ?"
            params += (int(limit),)
        return self._select("checks", CHECK_FIELDS, where, params)

    def iter_articles(
        self, outlet: str | None = None, states: tuple[str, ...] = ("active",)
    ) -> Iterator[dict[str, Any]]:
        clauses = [f"state IN ({', '.join('?' for _ in states)})"]
        params: list[Any] = list(states)
        if outlet is not None:
            clauses.append("outlet = ?")
            params.append(outlet)
        where = "WHERE " + " AND ".join(clauses) + " ORDER BY first_seen_at, article_id"
        yield from self._select("articles", ARTICLE_FIELDS, where, tuple(params))

    def due_articles(
        self, now: dt.datetime, outlet: str | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        # Served by the articles_due index (state, next_check_at); NULL never compares <= now.
        where = "WHERE state = 'active' AND next_check_at <= ?"
        params: list[Any] = [_to_sql(TIME, now)]
        if outlet is not None:
            where += " AND outlet = ?"
            params.append(outlet)
        where += " ORDER BY next_check_at, article_id LIMIT ?"
        params.append(int(limit))
        return self._select("articles", ARTICLE_FIELDS, where, tuple(params))

    def has_check(self, article_id: str, at: dt.datetime) -> bool:
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM checks WHERE article_id = ? AND at = ? LIMIT 1",
                (article_id, _to_sql(TIME, at)),
            ).fetchone()
        return row is not None

    def versions_since(self, since: dt.datetime) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute(
                "SELECT COALESCE(outlet, ''), COUNT(*) FROM versions WHERE fetched_at >= ? GROUP BY 1",
                (_to_sql(TIME, since),),
            ).fetchall()
        return {outlet: int(count) for outlet, count in rows}

    def count(self, kind: str) -> int:
        if kind not in ("articles", "versions", "checks"):
            raise ValueError(f"unknown kind {kind!r}")
        with self._lock:
            return int(self._db.execute(f"SELECT COUNT(*) FROM {kind}").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
