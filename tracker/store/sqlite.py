"""The embedded default store: one SQLite file, standard library only.

``sqlite:///data/tracker.sqlite3`` is relative to the working directory,
``sqlite:////var/lib/tracker.sqlite3`` is absolute. WAL mode lets the web view read while a
crawl writes; every write is one ``BEGIN IMMEDIATE`` transaction, so a version is either
stored whole or not at all, and two crawls can never take the same version number. A store
writes through one connection and reads through another, so that a crawl's lookups never wait
for its own writer thread's transactions (reads inside a write transaction see its writes).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from tracker.store.base import (
    Store,
    StoreError,
    VersionConflict,
    as_utc,
    mask_uri,
    newest_first,
    search_words,
    storing_valid_text,
    utcnow,
)

# Column kinds: how a document field is written to and read from SQLite.
TEXT, INT, TIME, JSON, BLOB = "text", "int", "time", "json", "blob"
REAL = "real"

ARTICLE_FIELDS: dict[str, str] = {
    "article_id": TEXT, "url": TEXT, "outlet": TEXT, "state": TEXT,
    "first_seen_at": TIME, "last_checked_at": TIME, "last_changed_at": TIME,
    "next_check_at": TIME, "version_count": INT, "latest_hash": TEXT, "latest_raw_hash": TEXT,
    "headline": TEXT, "etag": TEXT, "last_modified": TEXT, "last_status": INT,
    "checks_since_change": INT, "consecutive_errors": INT, "consecutive_gone": INT,
    "last_outcome": TEXT, "published_at": TIME, "latest_hash_scheme": INT,
    "last_disagreement": REAL, "latest_body_hash": TEXT, "latest_extractor": TEXT,
}
VERSION_FIELDS: dict[str, str] = {
    "article_id": TEXT, "version": INT, "outlet": TEXT, "fetched_at": TIME, "url": TEXT,
    "content_hash": TEXT, "raw_hash": TEXT, "headline": TEXT, "authors": JSON,
    "datePublished": TEXT, "dateModified": TEXT, "description": TEXT, "inLanguage": TEXT,
    "paragraphs": JSON, "word_count": INT, "extractor": TEXT, "html": BLOB,
    "html_encoding": TEXT, "diff": JSON, "diff_stats": JSON, "boring_reason": TEXT,
    "standfirst": TEXT, "byline": TEXT, "reverts_to": INT, "hash_scheme": INT,
}
CHECK_FIELDS: dict[str, str] = {
    "article_id": TEXT, "at": TIME, "url": TEXT, "status": INT, "outcome": TEXT,
    "content_hash": TEXT, "version": INT, "duration_ms": INT, "error": TEXT,
    "etag": TEXT, "last_modified": TEXT, "extractor": TEXT, "matched_version": INT,
    "disagreement": REAL,
}
RUN_FIELDS: dict[str, str] = {
    "outlet": TEXT, "started_at": TIME, "finished_at": TIME, "seconds": REAL,
    "requests": INT, "fetched": INT, "failed": INT, "failures": JSON,
    "new_articles": INT, "new_versions": INT, "unchanged": INT, "not_modified": INT,
    "exit_status": INT,
}
# Heavy fields that listings leave out.
VERSION_BULK_FIELDS = ("paragraphs", "html", "diff")
# Private: when this store wrote the version (its own clock), the order `tracker notify` reads in.
STORED_AT = "_stored_at"
STORED_VERSION_FIELDS: dict[str, str] = {**VERSION_FIELDS, STORED_AT: TIME}
# What `tracker notify` remembers: one row per rule (its read position and recent sends) and
# one per (rule, version) it decided to send, so that nothing is sent twice.
NOTIFY_RULE_FIELDS: dict[str, str] = {
    "rule_id": TEXT, "target": TEXT, "since": TIME, "cursor": JSON, "recent_sends": JSON,
}
NOTIFICATION_FIELDS: dict[str, str] = {
    "rule_id": TEXT, "article_id": TEXT, "version": INT, "status": TEXT, "attempts": INT,
    "created_at": TIME, "next_attempt_at": TIME, "sent_at": TIME, "error": TEXT,
}

_SQL_TYPES = {TEXT: "TEXT", INT: "INTEGER", REAL: "REAL", TIME: "TEXT", JSON: "TEXT", BLOB: "BLOB"}

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
CREATE INDEX IF NOT EXISTS versions_hash ON versions (article_id, content_hash);
CREATE INDEX IF NOT EXISTS versions_fetched ON versions (fetched_at, outlet);
CREATE INDEX IF NOT EXISTS versions_outlet_fetched ON versions (outlet, fetched_at);
CREATE INDEX IF NOT EXISTS articles_changed ON articles (last_changed_at, article_id);
CREATE INDEX IF NOT EXISTS articles_outlet_counts ON articles (outlet, state, next_check_at, last_checked_at);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY,
    {", ".join(f'"{name}" {_SQL_TYPES[kind]}' for name, kind in RUN_FIELDS.items())}
);
CREATE INDEX IF NOT EXISTS runs_outlet_finished ON runs (outlet, finished_at);
CREATE TABLE IF NOT EXISTS notify_rules (
    {", ".join(f'"{name}" {_SQL_TYPES[kind]}' for name, kind in NOTIFY_RULE_FIELDS.items())},
    PRIMARY KEY (rule_id)
);
CREATE TABLE IF NOT EXISTS notifications (
    {", ".join(f'"{name}" {_SQL_TYPES[kind]}' for name, kind in NOTIFICATION_FIELDS.items())},
    PRIMARY KEY (rule_id, article_id, version)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS notifications_due ON notifications (rule_id, status, next_attempt_at);
"""
# Created after the column exists (an archive of an older release gains it on open).
STORED_INDEX = f'CREATE INDEX IF NOT EXISTS versions_stored ON versions ("{STORED_AT}", article_id, version)'
# Full-text search over the latest version of each article; rowid = the article's rowid.
SEARCH_TABLE = "article_search"
SEARCH_SCHEMA = (
    f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5(headline, body, tokenize='unicode61 remove_diacritics 2')"
)


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
    return typed_value(kind, value)


def typed_value(kind: str, value: Any) -> Any:
    """An INT, REAL or BLOB field's value as its Python type, any other as it is (both stores
    write numbers and blobs so)."""
    if kind == INT:
        return int(value)
    if kind == REAL:
        return float(value)
    if kind == BLOB:
        return bytes(value)
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
    # Versions are stamped inside their serialised write transaction: commit order is stamp
    # order, but for a step of the clock.
    write_order_slack = dt.timedelta(seconds=2)
    serial_writes = True  # one connection behind a lock
    # Search ranks at most this many matches, those of the most recently first-seen articles.
    search_candidates = 1000

    def __init__(self, uri: str, *, timeout: float = 60.0) -> None:
        self.uri = uri
        path = path_from_uri(uri)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._connect(path, timeout)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(SCHEMA)
            self._add_missing_columns()
            self._db.execute(STORED_INDEX)
            self._has_search = self._ensure_search_index()
            # Reads through a second connection (WAL: they never wait for a writer), so that a
            # crawl's lookups do not queue behind its writer thread's transactions.
            self._reader = None if path == ":memory:" else self._connect(path, timeout)
            if self._reader is not None:
                self._reader.execute("PRAGMA query_only=ON")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {path}: {exc}") from exc
        # Each connection is shared by the crawl's threads: serialise its use.
        self._lock = threading.RLock()
        self._read_lock = threading.Lock()
        self._writing_thread: int | None = None  # the thread inside a write transaction

    @staticmethod
    def _connect(path: str, timeout: float) -> sqlite3.Connection:
        return sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)

    def _ensure_search_index(self) -> bool:
        """Create the full-text index, filled from the latest versions of an existing archive.

        False when this SQLite lacks FTS5: search then falls back to headlines.
        """
        try:
            self._db.execute("BEGIN IMMEDIATE")
            exists = self._db.execute(
                "SELECT 1 FROM sqlite_master WHERE name = ?", (SEARCH_TABLE,)
            ).fetchone()
            if not exists:
                self._db.execute(SEARCH_SCHEMA)
                self._db.execute(
                    f"INSERT INTO {SEARCH_TABLE} (rowid, headline, body) "
                    "SELECT a.rowid, v.headline, (SELECT group_concat(value, char(10)) FROM json_each(v.paragraphs)) "
                    "FROM articles a JOIN versions v ON v.article_id = a.article_id AND v.version = a.version_count"
                )
            self._db.execute("COMMIT")
            return True
        except sqlite3.OperationalError as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            if "fts5" in str(exc):
                return False
            raise

    def _index_latest(self, article_id: str, version: dict[str, Any]) -> None:
        """Put the article's newest text in the search index (inside the writing transaction)."""
        if not self._has_search:
            return
        (rowid,) = self._db.execute("SELECT rowid FROM articles WHERE article_id = ?", (article_id,)).fetchone()
        self._db.execute(f"DELETE FROM {SEARCH_TABLE} WHERE rowid = ?", (rowid,))
        self._db.execute(
            f"INSERT INTO {SEARCH_TABLE} (rowid, headline, body) VALUES (?, ?, ?)",
            (rowid, version.get("headline") or "", "\n".join(version.get("paragraphs") or ())),
        )

    def _add_missing_columns(self) -> None:
        """Bring a store written by an older release up to the current fields."""
        for table, fields in (("articles", ARTICLE_FIELDS), ("versions", STORED_VERSION_FIELDS), ("checks", CHECK_FIELDS)):
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
        query = f"SELECT {columns} FROM {table} {where}"
        if self._reader is None or self._writing_thread == threading.get_ident():
            with self._lock:  # inside a write transaction: read what it wrote so far
                rows = self._db.execute(query, params).fetchall()
        else:
            with self._read_lock:
                rows = self._reader.execute(query, params).fetchall()
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

    @storing_valid_text
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
            stored = {**version, "article_id": article_id, "version": number, STORED_AT: utcnow()}
            self._insert("versions", STORED_VERSION_FIELDS, stored)
            self._upsert_article(article, version_count=number)
            self._index_latest(article_id, version)
            self._insert("checks", CHECK_FIELDS, {**check, "article_id": article_id, "version": number})
        return number

    @storing_valid_text
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
            self._writing_thread = threading.get_ident()
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
            finally:
                self._writing_thread = None

    # --- reading ------------------------------------------------------------------------

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        rows = self._select("articles", ARTICLE_FIELDS, "WHERE article_id = ?", (article_id,))
        return rows[0] if rows else None

    def latest_version(self, article_id: str, *, bulk: bool = True, text_only: bool = False) -> dict[str, Any] | None:
        left_out = VERSION_BULK_FIELDS if not bulk else ("html", "diff") if text_only else ()
        names = [name for name in VERSION_FIELDS if name not in left_out] if left_out else None
        rows = self._select(
            "versions", VERSION_FIELDS,
            "WHERE article_id = ? ORDER BY version DESC LIMIT 1", (article_id,), names,
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

    def find_version_by_hash(self, article_id: str, content_hash: str) -> dict[str, Any] | None:
        # Served by the versions_hash index (article_id, content_hash).
        names = [name for name in VERSION_FIELDS if name not in VERSION_BULK_FIELDS]
        rows = self._select(
            "versions", VERSION_FIELDS,
            "WHERE article_id = ? AND content_hash = ? ORDER BY version LIMIT 1",
            (article_id, content_hash), names,
        )
        return rows[0] if rows else None

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

    def articles_by_id(
        self, outlets: Collection[str] | None = None, *, after: str | None = None, limit: int = 500
    ) -> list[dict[str, Any]]:
        # A range of the primary key: each page is an index seek, however deep the export.
        clauses, params = ["article_id > ?"], [after or ""]
        if outlets is not None:
            clauses.append(f"outlet IN ({', '.join('?' for _ in outlets)})")
            params += sorted(outlets)
        where = "WHERE " + " AND ".join(clauses) + " ORDER BY article_id LIMIT ?"
        return self._select("articles", ARTICLE_FIELDS, where, (*params, int(limit)))

    def iter_versions(self, article_id: str, *, html: bool = False) -> Iterator[dict[str, Any]]:
        names = [name for name in VERSION_FIELDS if html or name != "html"]
        yield from self._select(
            "versions", VERSION_FIELDS, "WHERE article_id = ? ORDER BY version", (article_id,), names
        )

    def iter_checks(self, article_id: str) -> Iterator[dict[str, Any]]:
        yield from self._select(
            "checks", CHECK_FIELDS, "WHERE article_id = ? ORDER BY at, check_id", (article_id,)
        )

    def has_check(self, article_id: str, at: dt.datetime) -> bool:
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM checks WHERE article_id = ? AND at = ? LIMIT 1",
                (article_id, _to_sql(TIME, at)),
            ).fetchone()
        return row is not None

    def versions_since(self, since: dt.datetime, outlet: str | None = None) -> dict[str, int]:
        if outlet is not None:  # a range of versions_outlet_fetched: one outlet's, however big the rest
            with self._lock:
                (count,) = self._db.execute(
                    "SELECT COUNT(*) FROM versions WHERE outlet = ? AND fetched_at >= ?",
                    (outlet, _to_sql(TIME, since)),
                ).fetchone()
            return {outlet: int(count)} if count else {}
        with self._lock:
            rows = self._db.execute(
                "SELECT COALESCE(outlet, ''), COUNT(*) FROM versions WHERE fetched_at >= ? GROUP BY 1",
                (_to_sql(TIME, since),),
            ).fetchall()
        return {outlet: int(count) for outlet, count in rows}

    def recent_versions(
        self, outlet: str | None = None, limit: int = 50, offset: int = 0, *, with_diff: bool = False,
        article_id: str | None = None,
    ) -> list[dict[str, Any]]:
        # The page's keys come from walking the versions_fetched / versions_outlet_fetched
        # index backwards (covering: skipping to a deep page never reads the large rows);
        # then only those rows are read, by primary key.
        left_out = ("paragraphs", "html") if with_diff else VERSION_BULK_FIELDS
        names = [name for name in VERSION_FIELDS if name not in left_out]
        if article_id is not None:  # one article: a range of the primary key, sorted (a few rows)
            where = "WHERE article_id = ?" + (" AND outlet = ?" if outlet is not None else "")
            params: tuple[Any, ...] = (article_id,) if outlet is None else (article_id, outlet)
            keys = f"{where} ORDER BY fetched_at DESC, version DESC"
        elif outlet is None:
            keys, params = "ORDER BY fetched_at DESC, outlet DESC, article_id DESC, version DESC", ()
        else:  # one outlet: the same order
            keys, params = "WHERE outlet = ? ORDER BY fetched_at DESC, article_id DESC, version DESC", (outlet,)
        page = f"SELECT article_id, version FROM versions {keys} LIMIT ? OFFSET ?"
        found = self._select("versions", VERSION_FIELDS, f"WHERE (article_id, version) IN ({page})",
                             (*params, int(limit), int(offset)), names)
        return sorted(found, key=newest_first, reverse=True)

    def list_articles(
        self,
        outlet: str | None = None,
        state: str | None = None,
        changed_since: dt.datetime | None = None,
        after: tuple[dt.datetime, str] | None = None,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        clauses = ["last_changed_at IS NOT NULL"]
        params: list[Any] = []
        for column, value in (("outlet", outlet), ("state", state)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if changed_since is not None:
            clauses.append("last_changed_at >= ?")
            params.append(_to_sql(TIME, changed_since))
        if after is not None:
            clauses.append("(last_changed_at < ? OR (last_changed_at = ? AND article_id < ?))")
            stamp = _to_sql(TIME, after[0])
            params += [stamp, stamp, after[1]]
        where = "WHERE " + " AND ".join(clauses) + " ORDER BY last_changed_at DESC, article_id DESC LIMIT ?"
        return self._select("articles", ARTICLE_FIELDS, where, (*params, int(limit)))

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        words = search_words(query)
        if not words or not self._has_search:
            return super().search(query, limit, offset)
        # Each word quoted (no FTS5 syntax from users); the last one also matches as a prefix.
        match = " ".join(f'"{word}"' for word in words) + "*"
        columns = ", ".join(f'a."{name}"' for name in ARTICLE_FIELDS)
        # Ranked (bm25) among the newest matches only: FTS5 walks its rowids (the articles'
        # rowids, in order of first sight) backwards and stops at the cap, so a common word
        # costs the same on any archive.
        with self._lock:
            rows = self._db.execute(
                f"WITH hits AS (SELECT rowid, rank FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ? "
                "ORDER BY rowid DESC LIMIT ?) "
                f"SELECT {columns} FROM hits s JOIN articles a ON a.rowid = s.rowid "
                "ORDER BY s.rank, a.article_id LIMIT ? OFFSET ?",
                (match, int(self.search_candidates), int(limit), int(offset)),
            ).fetchall()
        return [self._row(ARTICLE_FIELDS, list(ARTICLE_FIELDS), row) for row in rows]

    def outlet_counts(self, now: dt.datetime, outlet: str | None = None) -> dict[str, dict[str, Any]]:
        # One pass over the covering index articles_outlet_counts (one outlet: a range of
        # it), never the article rows.
        where, params = ("WHERE outlet = ? ", (outlet,)) if outlet is not None else ("", ())
        with self._lock:
            rows = self._db.execute(
                "SELECT outlet, COUNT(*), "
                "SUM(state = 'active'), SUM(state = 'retired'), SUM(state = 'gone'), "
                "SUM(state = 'active' AND next_check_at <= ?), MAX(last_checked_at) "
                f"FROM articles {where}GROUP BY outlet",
                (_to_sql(TIME, now), *params),
            ).fetchall()
        return {
            outlet or "": {"tracked": tracked, "active": active or 0, "retired": retired or 0, "gone": gone or 0,
                     "due_now": due or 0, "last_crawl": _from_sql(TIME, last)}
            for outlet, tracked, active, retired, gone, due, last in rows
        }

    def parser_health(self, since: dt.datetime) -> dict[str, dict[str, int]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT COALESCE(outlet, ''), COUNT(*), SUM(last_disagreement IS NOT NULL), "
                "SUM(last_outcome = 'extraction_fallback') FROM articles WHERE last_checked_at >= ? GROUP BY 1",
                (_to_sql(TIME, since),),
            ).fetchall()
        return {
            outlet: {"checked": checked, "disagreeing": disagreeing or 0, "fallback": fallback or 0}
            for outlet, checked, disagreeing, fallback in rows
        }

    def pending_counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute(
                "SELECT COALESCE(outlet, ''), COUNT(*) FROM articles "
                "WHERE state = 'active' AND COALESCE(version_count, 0) = 0 GROUP BY 1"
            ).fetchall()
        return dict(rows)

    def record_run(self, run: dict[str, Any]) -> None:
        with self._transaction(f"record the run of {run.get('outlet')}"):
            self._insert("runs", RUN_FIELDS, run)

    def last_runs(self) -> dict[str, dict[str, Any]]:
        names = list(RUN_FIELDS)
        columns = ", ".join(f'"{name}"' for name in names)
        with self._lock:
            rows = self._db.execute(
                f"SELECT {columns} FROM runs r WHERE run_id = (SELECT run_id FROM runs "
                "WHERE outlet = r.outlet ORDER BY finished_at DESC, run_id DESC LIMIT 1)"
            ).fetchall()
        runs = [self._row(RUN_FIELDS, names, row) for row in rows]
        return {run["outlet"]: run for run in runs}

    # --- notifications ------------------------------------------------------------------

    def versions_after(
        self, after: tuple[dt.datetime, str, int] | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        # A range of the versions_stored index: each page is one seek.
        names = [name for name in VERSION_FIELDS if name not in ("paragraphs", "html")]
        columns = ", ".join(f'"{name}"' for name in names)
        stamp, aid, number = after or (None, "", 0)
        with self._lock:
            rows = self._db.execute(
                f'SELECT {columns}, "{STORED_AT}" FROM versions WHERE "{STORED_AT}" IS NOT NULL '
                f'AND ("{STORED_AT}", article_id, version) > (?, ?, ?) '
                f'ORDER BY "{STORED_AT}", article_id, version LIMIT ?',
                (_to_sql(TIME, stamp) if stamp else "", aid, int(number), int(limit)),
            ).fetchall()
        return [
            {**self._row(VERSION_FIELDS, names, row[:-1]), "stored_at": _from_sql(TIME, row[-1])}
            for row in rows
        ]

    def notify_rule_state(self, rule_id: str) -> dict[str, Any] | None:
        rows = self._select("notify_rules", NOTIFY_RULE_FIELDS, "WHERE rule_id = ?", (rule_id,))
        return rows[0] if rows else None

    def save_notify_rule_state(self, state: dict[str, Any]) -> None:
        doc = {name: state.get(name) for name in NOTIFY_RULE_FIELDS}
        names = list(doc)
        with self._transaction(f"save the state of notification rule {state['rule_id']}"):
            self._db.execute(
                f"INSERT OR REPLACE INTO notify_rules ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                [_to_sql(NOTIFY_RULE_FIELDS[name], doc[name]) for name in names],
            )

    def add_notification(self, notification: dict[str, Any]) -> bool:
        names = [name for name in NOTIFICATION_FIELDS if name in notification]
        key = (notification["rule_id"], notification["article_id"], int(notification["version"]))
        with self._lock:  # a read first: the notifier re-reads recent versions every round
            known = self._db.execute(
                "SELECT 1 FROM notifications WHERE rule_id = ? AND article_id = ? AND version = ?", key
            ).fetchone()
        if known is not None:
            return False
        with self._transaction(f"queue a notification of {notification['article_id']}"):
            cursor = self._db.execute(
                f"INSERT OR IGNORE INTO notifications ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                [_to_sql(NOTIFICATION_FIELDS[name], notification[name]) for name in names],
            )
        return cursor.rowcount == 1

    def due_notifications(self, rule_id: str, now: dt.datetime, limit: int = 100) -> list[dict[str, Any]]:
        return self._select(
            "notifications", NOTIFICATION_FIELDS,
            "WHERE rule_id = ? AND status = 'pending' AND next_attempt_at <= ? "
            "ORDER BY created_at, article_id, version LIMIT ?",
            (rule_id, _to_sql(TIME, now), int(limit)),
        )

    def list_notifications(self, rule_id: str | None = None) -> list[dict[str, Any]]:
        where = "WHERE rule_id = ? " if rule_id is not None else ""
        params: tuple[Any, ...] = (rule_id,) if rule_id is not None else ()
        return self._select(
            "notifications", NOTIFICATION_FIELDS, where + "ORDER BY created_at, article_id, version", params
        )

    def update_notification(self, notification: dict[str, Any]) -> None:
        names = [name for name in ("status", "attempts", "next_attempt_at", "sent_at", "error") if name in notification]
        key = (notification["rule_id"], notification["article_id"], int(notification["version"]))
        with self._transaction(f"update a notification of {notification['article_id']}"):
            self._db.execute(
                f"UPDATE notifications SET {', '.join(f'{name} = ?' for name in names)} "
                "WHERE rule_id = ? AND article_id = ? AND version = ?",
                [*(_to_sql(NOTIFICATION_FIELDS[name], notification[name]) for name in names), *key],
            )

    def count(self, kind: str) -> int:
        if kind not in ("articles", "versions", "checks"):
            raise ValueError(f"unknown kind {kind!r}")
        with self._lock:
            return int(self._db.execute(f"SELECT COUNT(*) FROM {kind}").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
        if self._reader is not None:
            with self._read_lock:
                self._reader.close()
