"""The MongoDB store (any server speaking the MongoDB wire protocol, FerretDB included).

``mongodb://user:pass@host:27017/dbname`` -- the URI path names the database (default
``tracker``). Documents have exactly the fields of the SQLite store (``ARTICLE_FIELDS`` ...)
and come back as the same Python values: aware UTC datetimes (BSON keeps milliseconds, so
times are truncated to the millisecond on write), lists/dicts, bytes, ints.

How writes stay safe without multi-document transactions
--------------------------------------------------------
FerretDB 1.24 has no transactions, and its updates are read-modify-write without a lock, so
a conditional update is not an atomic compare-and-set there. The only atomic arbiter both
servers offer is a unique key on insert. Hence:

* ``versions`` and ``checks`` are append-only facts under natural ``_id`` keys
  (``<article_id>:<n>`` and ``<article_id>:c<n>``). Inserting version ``n+1`` either wins the
  key or fails with a duplicate key (-> :class:`VersionConflict`); a version is inserted only
  when version ``n`` exists, so numbers never skip. These facts are the truth.
* the ``articles`` document is a summary written *last* (version -> check -> article). Its
  ``version_count`` is a hint that may lag (crash between writes, or a lost update under
  FerretDB) but is never ahead, because versions are never deleted. Every reader walks past
  the hint to the real latest version, and :meth:`get_article` repairs a lagging summary
  from it, so no reader ever sees version n+1 next to an article claiming n.
* each write carries a private ``_write_id``; a retried insert that meets its own key
  already taken by that ``_write_id`` landed the first time, so retries never duplicate.
  (Articles also keep a private ``_checks`` hint for the next check number.) The API never
  returns ``_id`` or these private fields.

Every per-article read or write is a handful of ``_id`` lookups: primary-key lookups on
MongoDB, and the only filter FerretDB 1.24's SQLite backend pushes down at all (any other
filter decodes every document of the collection). Even so FerretDB 1.24 scans: its ``_id``
index is on ``_ferretdb_sjson->"_id"`` while its queries test ``->'$._id'``, so SQLite never
uses it; reads there grow with the collection (see bench/store.py). The secondary indexes
serve MongoDB's collection-wide queries (due articles, listings) and enforce uniqueness.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import time
import uuid
from collections.abc import Callable, Collection, Iterator
from typing import Any, TypeVar

import bson
import pymongo
from bson.binary import Binary
from bson.errors import InvalidDocument
from pymongo.errors import (
    ConfigurationError,
    ConnectionFailure,
    DuplicateKeyError,
    InvalidName,
    InvalidURI,
    OperationFailure,
    PyMongoError,
)

from tracker.store.base import (
    Store,
    StoreError,
    StoreUnavailable,
    VersionConflict,
    as_utc,
    empty_outlet_counts,
    mask_uri,
    search_words,
    utcnow,
)
from tracker.store.sqlite import (
    ARTICLE_FIELDS,
    BLOB,
    CHECK_FIELDS,
    INT,
    JSON,
    NOTIFICATION_FIELDS,
    NOTIFY_RULE_FIELDS,
    REAL,
    RUN_FIELDS,
    STORED_AT,
    TIME,
    VERSION_BULK_FIELDS,
    VERSION_FIELDS,
)

T = TypeVar("T")

DEFAULT_DATABASE = "tracker"
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024  # BSON document limit of MongoDB (and FerretDB)
HTML_OMITTED = "omitted-too-large"

# JSON values that not every MongoDB-wire server holds natively (FerretDB rejects keys with
# "." or a leading "$", and arrays directly inside arrays, as in the diff's word ops) are
# kept as JSON text in this user-defined binary subtype: unambiguous, since a JSON value is
# never bytes. The choice depends on the value only, never on the server.
JSON_TEXT_SUBTYPE = 0x80

# Server error codes that mean "try again": shutdown, failover, interrupted, timeouts.
TRANSIENT_CODES = frozenset({6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436})

# Our own defaults for MongoClient; a value in the URI or in **options wins.
CLIENT_DEFAULTS: dict[str, Any] = {
    "serverSelectionTimeoutMS": 5000,
    "connectTimeoutMS": 5000,
    "socketTimeoutMS": 60000,
    "appname": "tracker",
}

_SUMMARY_FROM_VERSION = {  # article field <- field of its latest version
    "latest_hash": "content_hash",
    "latest_raw_hash": "raw_hash",
    "latest_hash_scheme": "hash_scheme",
    "last_changed_at": "fetched_at",
    "headline": "headline",
}


# Private field of an article: its latest text, for the text index (only where the server has one).
SEARCH_FIELD = "_search"


def _search_text(version: dict[str, Any]) -> dict[str, str]:
    return {SEARCH_FIELD: "\n".join(version.get("paragraphs") or ())}


def _version_key(article_id: str, number: int) -> str:
    # The number has no ":", so the last ":" splits the key unambiguously.
    return f"{article_id}:{number}"


def _check_key(article_id: str, number: int) -> str:
    return f"{article_id}:c{number}"


def _not_portable(value: Any, in_array: bool = False) -> bool:
    if isinstance(value, dict):
        return any(
            "." in key or key.startswith("$") or "\x00" in key or _not_portable(item)
            for key, item in value.items()
        )
    if isinstance(value, list):
        return in_array or any(_not_portable(item, True) for item in value)
    return False


def _to_mongo(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == TIME:
        stamp = as_utc(value)
        assert stamp is not None
        # BSON dates hold milliseconds: truncate here so what we return is what we stored.
        return stamp.replace(microsecond=stamp.microsecond // 1000 * 1000)
    if kind == JSON:
        # Through JSON first, so that values come back exactly as from SQLite
        # (tuples -> lists, int keys -> str keys).
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        plain = json.loads(text)
        if _not_portable(plain):
            return Binary(text.encode("utf-8"), JSON_TEXT_SUBTYPE)
        return plain
    if kind == INT:
        return int(value)
    if kind == REAL:
        return float(value)
    if kind == BLOB:
        return bytes(value)
    return value


def _from_mongo(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == TIME:
        return as_utc(value)
    if kind == JSON and isinstance(value, Binary) and value.subtype == JSON_TEXT_SUBTYPE:
        return json.loads(bytes(value).decode("utf-8"))
    if kind == BLOB:
        return bytes(value)
    return value


def _doc(fields: dict[str, str], values: dict[str, Any]) -> dict[str, Any]:
    """The known fields of ``values``, converted for MongoDB."""
    return {name: _to_mongo(fields[name], value) for name, value in values.items() if name in fields}


def _out(fields: dict[str, str], doc: dict[str, Any], names: list[str] | None = None) -> dict[str, Any]:
    """A stored document as the API returns it: every field, no _id or private fields."""
    return {name: _from_mongo(fields[name], doc.get(name)) for name in names or fields}


def _one_line(exc: BaseException) -> str:
    text = str(exc)
    # pymongo appends timeouts and a whole topology description: keep the cause.
    text = re.split(r",? Timeout: |, Topology Description: | \(configured timeouts:", text)[0]
    return " ".join(text.split()) or type(exc).__name__


class MongoStore(Store):
    def __init__(self, uri: str, *, retries: int = 5, retry_backoff: float = 0.2,
                 **options: Any) -> None:
        """Connect, check the server answers, and create the indexes.

        ``retries``: attempts of one operation on transient errors (backoff doubling from
        ``retry_backoff`` seconds). Other ``options`` go to :class:`pymongo.MongoClient`
        (e.g. ``serverSelectionTimeoutMS``, default 5000).
        """
        self.uri = uri
        self._masked = mask_uri(uri)
        self._password = self._find_password(uri)
        self._attempts = max(1, int(retries))
        self._backoff = float(retry_backoff)
        lowered = uri.lower()
        client_options = {
            name: value for name, value in CLIENT_DEFAULTS.items()
            if f"{name.lower()}=" not in lowered
        }
        client_options.update(options)
        # Aware datetimes in UTC, always: the contract returns them.
        client_options.update(tz_aware=True, tzinfo=dt.timezone.utc)
        try:
            self._client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(
                uri, **client_options
            )
        except (InvalidURI, InvalidName) as exc:
            raise StoreError(f"invalid MongoDB URI {self._masked}: {self._reason(exc)}") from exc
        except ConfigurationError as exc:
            if lowered.startswith("mongodb+srv://"):
                # pymongo resolves the SRV record at once: offline, that is "unreachable".
                raise StoreUnavailable(
                    f"MongoDB unreachable at {self._masked}: {self._reason(exc)}"
                ) from exc
            raise StoreError(f"invalid MongoDB settings for {self._masked}: {self._reason(exc)}") from exc
        except (TypeError, ValueError) as exc:
            raise StoreError(f"invalid MongoDB URI or options {self._masked}: {self._reason(exc)}") from exc
        try:
            self._db = self._client.get_default_database(DEFAULT_DATABASE)
            self._articles = self._db["articles"]
            self._versions = self._db["versions"]
            self._checks = self._db["checks"]
            self._runs = self._db["runs"]
            self._notify_rules = self._db["notify_rules"]
            self._notifications = self._db["notifications"]
            # One attempt only: an unreachable server should fail the open quickly.
            self._client.admin.command("ping")
            self._create_indexes()
        except InvalidName as exc:
            self._client.close()
            raise StoreError(f"invalid MongoDB database in {self._masked}: {exc}") from exc
        except ConnectionFailure as exc:
            self._client.close()
            raise StoreUnavailable(f"MongoDB unreachable at {self._masked}: {self._reason(exc)}") from exc
        except PyMongoError as exc:
            self._client.close()
            raise StoreError(f"cannot open MongoDB store {self._masked}: {self._reason(exc)}") from exc

    def _create_indexes(self) -> None:
        # create_index is a no-op when the same index exists, so every open may run this.
        self._versions.create_index(
            [("article_id", pymongo.ASCENDING), ("version", pymongo.ASCENDING)],
            unique=True, name="article_version",
        )
        self._articles.create_index("article_id", unique=True, name="article_id")
        self._articles.create_index("url", unique=True, name="url")
        self._articles.create_index(
            [("state", pymongo.ASCENDING), ("next_check_at", pymongo.ASCENDING)], name="due"
        )
        self._articles.create_index(
            [("outlet", pymongo.ASCENDING), ("last_changed_at", pymongo.ASCENDING)],
            name="outlet_changed",
        )
        self._checks.create_index(
            [("article_id", pymongo.ASCENDING), ("at", pymongo.ASCENDING)], name="article_at"
        )
        # Reverts and flip-flops: "which earlier version has this text?"
        self._versions.create_index(
            [("article_id", pymongo.ASCENDING), ("content_hash", pymongo.ASCENDING)], name="article_hash"
        )
        # Listings for the web view: newest versions, recently changed articles. The keys are
        # the whole sort order, so that MongoDB walks the index instead of sorting in memory.
        newest = [("fetched_at", pymongo.DESCENDING), ("article_id", pymongo.DESCENDING),
                  ("version", pymongo.DESCENDING)]
        self._versions.create_index([newest[0], ("outlet", pymongo.DESCENDING), *newest[1:]], name="fetched")
        self._versions.create_index([("outlet", pymongo.ASCENDING), *newest], name="outlet_fetched")
        self._articles.create_index(
            [("last_changed_at", pymongo.DESCENDING), ("article_id", pymongo.DESCENDING)], name="changed"
        )
        self._articles.create_index(
            [("outlet", pymongo.ASCENDING), ("last_checked_at", pymongo.DESCENDING)], name="outlet_checked"
        )
        self._runs.create_index([("outlet", pymongo.ASCENDING), ("finished_at", pymongo.DESCENDING)], name="outlet_finished")
        # tracker notify: versions in the order they were written, and each rule's due sends.
        self._versions.create_index(
            [(STORED_AT, pymongo.ASCENDING), ("article_id", pymongo.ASCENDING), ("version", pymongo.ASCENDING)],
            name="stored",
        )
        self._notifications.create_index(
            [("rule_id", pymongo.ASCENDING), ("status", pymongo.ASCENDING), ("next_attempt_at", pymongo.ASCENDING)],
            name="due",
        )
        self._text_search = self._create_text_index()

    def _create_text_index(self) -> bool:
        """A text index over the latest headline and text, filled for an existing archive.

        False when the server has no text indexes (FerretDB 1.24): search then matches
        headlines with a case-insensitive regex.
        """
        if "text" in self._articles.index_information():
            return True
        try:
            self._articles.create_index(
                [("headline", pymongo.TEXT), (SEARCH_FIELD, pymongo.TEXT)],
                name="text", default_language="none",
            )
        except OperationFailure:
            return False
        for doc in self._articles.find({"version_count": {"$gt": 0}}, {"_id": 1, "version_count": 1}):
            latest = self._versions.find_one({"_id": _version_key(doc["_id"], doc["version_count"])}, {"paragraphs": 1})
            if latest is not None:
                self._articles.update_one({"_id": doc["_id"]}, {"$set": _search_text(latest)})
        return True

    # --- errors and retries ---------------------------------------------------------------

    @staticmethod
    def _find_password(uri: str) -> str | None:
        match = re.search(r"://[^/@:]+:([^/@]*)@", uri)
        return match.group(1) if match and len(match.group(1)) >= 3 else None

    def _reason(self, exc: BaseException) -> str:
        text = mask_uri(_one_line(exc))
        if self._password:
            text = text.replace(self._password, "***")
        return text

    def _run(self, what: str, attempt: Callable[[], T]) -> T:
        """Run one attempt of an operation, again on transient errors, a bounded number of times.

        Every attempt function is idempotent (keys and ``_write_id``), so a retry after a
        reply was lost cannot store anything twice.
        """
        delay = self._backoff
        for number in range(1, self._attempts + 1):
            try:
                return attempt()
            except StoreError:
                raise
            except ConnectionFailure as exc:  # AutoReconnect, NotPrimary, NetworkTimeout, selection
                last: Exception = exc
            except OperationFailure as exc:
                if exc.code not in TRANSIENT_CODES and not exc.has_error_label("RetryableWriteError"):
                    raise StoreError(f"MongoDB {what} failed at {self._masked}: {self._reason(exc)}") from exc
                last = exc
            except InvalidDocument as exc:
                raise StoreError(f"MongoDB {what}: document refused: {self._reason(exc)}") from exc
            except PyMongoError as exc:
                raise StoreError(f"MongoDB {what} failed at {self._masked}: {self._reason(exc)}") from exc
            if number < self._attempts:
                time.sleep(delay * (0.5 + random.random()))  # jitter: racing writers spread out
                delay = min(delay * 2, 5.0)
        raise StoreUnavailable(
            f"MongoDB unreachable at {self._masked}: {self._reason(last)} "
            f"({what}: gave up after {self._attempts} attempts)"
        ) from last

    def _insert_once(self, collection: Any, doc: dict[str, Any]) -> bool:
        """Insert ``doc`` (its ``_id`` is a natural key); False if another writer holds the key.

        True also when the key holds this very document (same ``_write_id``): an earlier
        attempt landed although its reply was lost.
        """
        try:
            collection.insert_one(doc)
            return True
        except DuplicateKeyError:
            existing = collection.find_one({"_id": doc["_id"]}, {"_write_id": 1})
            if existing is None:
                raise  # the duplicate is on another unique index: the caller decides
            return existing.get("_write_id") == doc["_write_id"]

    # --- reading helpers (all by _id) -------------------------------------------------------

    def _exists(self, collection: Any, key: str) -> bool:
        return collection.find_one({"_id": key}, {"_id": 1}) is not None

    def _article_doc(self, article_id: str) -> dict[str, Any] | None:
        return self._articles.find_one({"_id": article_id})

    def _last_number(self, collection: Any, key: Callable[[str, int], str], article_id: str,
                     hint: int) -> int:
        """The highest number stored for the article, found by walking from the hint.

        Numbers are gapless and never deleted, and the hint only lags, so this is usually one
        lookup (``hint + 1`` absent).
        """
        number = max(int(hint or 0), 0)
        while self._exists(collection, key(article_id, number + 1)):
            number += 1
        return number

    def _latest_number(self, article_id: str, article: dict[str, Any] | None) -> int:
        hint = (article or {}).get("version_count") or 0
        return self._last_number(self._versions, _version_key, article_id, hint)

    def _summary_repair(self, article_id: str, article: dict[str, Any] | None) -> dict[str, Any]:
        """The summary fields from the latest version if the stored summary lags it, else {}.

        A lag means a save stopped after its version (crash) or a concurrent update was lost
        (FerretDB): the repair shows the article as that save would have left it.
        """
        stored = (article or {}).get("version_count") or 0
        latest = self._latest_number(article_id, article)
        if latest <= stored:
            return {}
        newest = self._versions.find_one({"_id": _version_key(article_id, latest)}) or {}
        repair = {field: newest.get(source) for field, source in _SUMMARY_FROM_VERSION.items()}
        repair["version_count"] = latest
        if article is None:  # not even created: what the versions tell
            first = self._versions.find_one({"_id": _version_key(article_id, 1)}) or {}
            repair.update(url=newest.get("url"), state="active", first_seen_at=first.get("fetched_at"))
        return repair

    # --- writing ------------------------------------------------------------------------

    def _version_doc(self, article_id: str, number: int, version: dict[str, Any]) -> dict[str, Any]:
        doc = _doc(VERSION_FIELDS, {**version, "article_id": article_id, "version": number})
        for name in VERSION_FIELDS:
            doc.setdefault(name, None)
        doc["_id"] = _version_key(article_id, number)
        doc["_write_id"] = uuid.uuid4().hex
        doc[STORED_AT] = _to_mongo(TIME, utcnow())
        size = len(bson.encode(doc))
        if size > MAX_DOCUMENT_BYTES and doc.get("html") is not None:
            # The raw page is the expendable part; the text and diff are the record.
            doc["html"] = None
            doc["html_encoding"] = HTML_OMITTED
            size = len(bson.encode(doc))
        if size > MAX_DOCUMENT_BYTES:
            raise StoreError(
                f"version {number} of article {article_id} is {size} bytes of BSON even without "
                f"its HTML, over MongoDB's {MAX_DOCUMENT_BYTES}-byte document limit"
            )
        return doc

    def _write_check(self, article_id: str, check: dict[str, Any], hint: int) -> int:
        """Append a check under the next free per-article number; returns that number."""
        doc = _doc(CHECK_FIELDS, {**check, "article_id": article_id})
        for name in CHECK_FIELDS:
            doc.setdefault(name, None)
        doc["_write_id"] = uuid.uuid4().hex
        hint = max(int(hint), 0)
        tried = [hint]  # the last number tried, across attempts

        def attempt() -> int:
            # Start at the hint + 1 (usually free) and step past numbers others hold. A retry
            # resumes at the number it last tried: that insert may have landed.
            number = tried[0] if tried[0] > hint else hint + 1
            while True:
                tried[0] = number
                doc["_id"] = _check_key(article_id, number)
                try:
                    if self._insert_once(self._checks, doc):
                        return number
                except DuplicateKeyError:  # checks have no other unique index
                    pass
                number += 1

        return self._run(f"recording a check of {article_id}", attempt)

    @staticmethod
    def _article_fields(article: dict[str, Any]) -> dict[str, Any]:
        """The article fields a writer may set (the store keeps the id, counts, first sight)."""
        fields = _doc(ARTICLE_FIELDS, article)
        for name in ("article_id", "version_count", "first_seen_at"):
            fields.pop(name, None)
        return fields

    def _ensure_article(self, article: dict[str, Any], *, identity_only: bool) -> dict[str, Any]:
        """The stored article, created first if it is new (before any version or check, so a
        URL owned by another article fails the write before anything is stored).

        ``identity_only``: create it with url/outlet/state only and no versions, so that it
        never claims a version that a crash could keep from being stored.
        """
        article_id = article["article_id"]

        def attempt() -> dict[str, Any]:
            current = self._article_doc(article_id)
            if current is not None:
                return current
            fields = self._article_fields(article)
            if identity_only:
                fields = {k: v for k, v in fields.items() if k in ("url", "outlet", "state")}
            # As in SQLite: first_seen_at when given (even None), else last_checked_at.
            first_seen = _to_mongo(TIME, article["first_seen_at"] if "first_seen_at" in article
                                   else article.get("last_checked_at"))
            doc = {
                **{name: None for name in ARTICLE_FIELDS}, "state": "active", **fields,
                "_id": article_id, "article_id": article_id, "first_seen_at": first_seen,
                "version_count": 0, "_checks": 0,
            }
            try:
                self._articles.insert_one(doc)
                return doc
            except DuplicateKeyError:
                current = self._article_doc(article_id)
                if current is None:  # the duplicate is on the url index
                    raise StoreError(
                        f"article {article_id}: its url {fields.get('url')!r} already belongs "
                        "to another article"
                    ) from None
                return current  # a concurrent writer created it

        return self._run(f"creating article {article_id}", attempt)

    def _update_article(self, article: dict[str, Any], *, version_count: int | None,
                        check_number: int, search: dict[str, str] | None = None) -> None:
        """Set the article's summary fields after its version and check are stored.

        ``version_count`` given: a version was stored; a summary already at or past that
        number came from a newer version and is left alone (but for the check hint).
        """
        article_id = article["article_id"]
        fields = self._article_fields(article)

        def attempt() -> None:
            update: dict[str, Any] = {"$max": {"_checks": check_number}}
            if version_count is not None:
                # Re-read just before writing: a newer version may have been summarised
                # meanwhile and must not be rolled back. (Read-then-write: FerretDB offers
                # nothing atomic here; readers repair what a lost race leaves.)
                current = self._article_doc(article_id) or {}
                if (current.get("version_count") or 0) < version_count:
                    update["$set"] = {**fields, "version_count": version_count, **(search or {})}
            elif fields:
                update["$set"] = fields
            try:
                self._articles.update_one({"_id": article_id}, update)
            except DuplicateKeyError:
                raise StoreError(
                    f"article {article_id}: its url {fields.get('url')!r} already belongs to "
                    "another article"
                ) from None

        self._run(f"updating article {article_id}", attempt)

    def save_version(
        self,
        article: dict[str, Any],
        version: dict[str, Any],
        check: dict[str, Any],
        *,
        expected_count: int,
    ) -> int:
        article_id = article["article_id"]
        number = int(expected_count) + 1
        doc = self._version_doc(article_id, number, version)
        current = self._ensure_article(article, identity_only=True)

        def insert_version() -> None:
            # Version n must exist before n+1 (no gaps); n+1 must be free (the unique _id
            # decides between racing writers). The summary is never ahead of the versions:
            # when it counts n already, it vouches for version n without a lookup. (A
            # summary past n still goes through the insert: after a lost reply, the version
            # there may be this very one.)
            known = current.get("version_count") or 0
            if number > 1 and known < number - 1 and not self._exists(
                self._versions, _version_key(article_id, number - 1)
            ):
                self._conflict(article_id, expected_count)
            try:
                won = self._insert_once(self._versions, doc)
            except DuplicateKeyError:
                won = False
            if not won:
                self._conflict(article_id, expected_count)

        # Order: article (if new), version, check, article summary (see the module docstring).
        self._run(f"saving version {number} of {article_id}", insert_version)
        check_number = self._write_check(article_id, {**check, "version": number}, current.get("_checks") or 0)
        search = _search_text(version) if self._text_search else None
        self._update_article(article, version_count=number, check_number=check_number, search=search)
        return number

    def _conflict(self, article_id: str, expected_count: int) -> None:
        stored = self._latest_number(article_id, self._article_doc(article_id))
        raise VersionConflict(
            f"article {article_id} has {stored} versions, expected {expected_count}"
        )

    def record_check(self, article: dict[str, Any], check: dict[str, Any]) -> None:
        # A summary that lags its versions is left as is here: readers show it repaired and
        # the next save stores it so (no version lookup on every check).
        current = self._ensure_article(article, identity_only=False)
        check_number = self._write_check(article["article_id"], check, current.get("_checks") or 0)
        self._update_article(article, version_count=None, check_number=check_number)

    # --- reading ------------------------------------------------------------------------

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        def attempt() -> dict[str, Any] | None:
            doc = self._article_doc(article_id)
            repair = self._summary_repair(article_id, doc)
            if doc is None and not repair:
                return None
            return _out(ARTICLE_FIELDS, {**(doc or {}), **repair, "article_id": article_id})

        return self._run(f"reading article {article_id}", attempt)

    def latest_version(self, article_id: str, *, bulk: bool = True) -> dict[str, Any] | None:
        names = list(VERSION_FIELDS) if bulk else [name for name in VERSION_FIELDS if name not in VERSION_BULK_FIELDS]
        projection = None if bulk else {name: 1 for name in names}

        def attempt() -> dict[str, Any] | None:
            number = self._latest_number(article_id, self._article_doc(article_id))
            while number > 0:
                doc = self._versions.find_one({"_id": _version_key(article_id, number)}, projection)
                if doc is not None:
                    return _out(VERSION_FIELDS, doc, names)
                number -= 1  # a summary ahead of its versions: only if data was removed by hand
            return None

        return self._run(f"reading versions of {article_id}", attempt)

    def get_version(self, article_id: str, number: int) -> dict[str, Any] | None:
        doc = self._run(
            f"reading version {number} of {article_id}",
            lambda: self._versions.find_one({"_id": _version_key(article_id, int(number))}),
        )
        return _out(VERSION_FIELDS, doc) if doc else None

    def find_version_by_hash(self, article_id: str, content_hash: str) -> dict[str, Any] | None:
        names = [name for name in VERSION_FIELDS if name not in VERSION_BULK_FIELDS]
        doc = self._run(
            f"finding a version of {article_id} by hash",
            lambda: self._versions.find_one(
                {"article_id": article_id, "content_hash": content_hash},
                {name: 1 for name in names}, sort=[("version", pymongo.ASCENDING)],
            ),
        )
        return _out(VERSION_FIELDS, doc, names) if doc else None

    def list_versions(self, article_id: str) -> list[dict[str, Any]]:
        names = [name for name in VERSION_FIELDS if name not in VERSION_BULK_FIELDS]
        projection = {name: 1 for name in names}

        def attempt() -> list[dict[str, Any]]:
            last = self._latest_number(article_id, self._article_doc(article_id))
            docs = (
                self._versions.find_one({"_id": _version_key(article_id, n)}, projection)
                for n in range(1, last + 1)
            )
            return [_out(VERSION_FIELDS, doc, names) for doc in docs if doc]

        return self._run(f"listing versions of {article_id}", attempt)

    def list_checks(self, article_id: str, limit: int | None = None) -> list[dict[str, Any]]:
        def attempt() -> list[dict[str, Any]]:
            hint = (self._article_doc(article_id) or {}).get("_checks") or 0
            last = self._last_number(self._checks, _check_key, article_id, hint)
            docs = [
                doc for n in range(1, last + 1)
                if (doc := self._checks.find_one({"_id": _check_key(article_id, n)}))
            ]
            return docs

        docs = self._run(f"listing checks of {article_id}", attempt)
        # Newest first; checks at the same instant, latest recorded first (as in SQLite).
        docs.reverse()
        docs.sort(key=lambda doc: as_utc(doc.get("at")) or dt.datetime.min.replace(tzinfo=dt.timezone.utc),
                  reverse=True)
        if limit is not None:
            docs = docs[: max(int(limit), 0)]
        return [_out(CHECK_FIELDS, doc) for doc in docs]

    def iter_articles(
        self, outlet: str | None = None, states: tuple[str, ...] = ("active",)
    ) -> Iterator[dict[str, Any]]:
        query: dict[str, Any] = {"state": {"$in": list(states)}}
        if outlet is not None:
            query["outlet"] = outlet
        # Collection-wide, so streamed as stored: a summary may lag its versions after a
        # crash (get_article shows it repaired). A failure mid-stream is not retried.
        cursor = self._articles.find(query).sort(
            [("first_seen_at", pymongo.ASCENDING), ("article_id", pymongo.ASCENDING)]
        )
        try:
            for doc in cursor:
                yield _out(ARTICLE_FIELDS, doc)
        except ConnectionFailure as exc:
            raise StoreUnavailable(f"MongoDB unreachable at {self._masked}: {self._reason(exc)}") from exc
        except PyMongoError as exc:
            raise StoreError(f"MongoDB listing articles failed at {self._masked}: {self._reason(exc)}") from exc
        finally:
            cursor.close()

    def articles_by_id(
        self, outlets: Collection[str] | None = None, *, after: str | None = None, limit: int = 500
    ) -> list[dict[str, Any]]:
        # Pages of the unique article_id index; each summary shown repaired, as get_article does.
        query: dict[str, Any] = {"article_id": {"$gt": after or ""}}
        if outlets is not None:
            query["outlet"] = {"$in": sorted(outlets)}

        def attempt() -> list[dict[str, Any]]:
            docs = list(self._articles.find(query).sort("article_id", pymongo.ASCENDING).limit(int(limit)))
            return [{**doc, **self._summary_repair(doc["article_id"], doc)} for doc in docs]

        return [_out(ARTICLE_FIELDS, doc) for doc in self._run("listing articles", attempt)]

    def iter_versions(self, article_id: str, *, html: bool = False) -> Iterator[dict[str, Any]]:
        names = [name for name in VERSION_FIELDS if html or name != "html"]
        projection = None if html else {"html": 0}
        docs = self._run(
            f"reading versions of {article_id}",
            lambda: list(self._versions.find({"article_id": article_id}, projection)),
        )
        docs.sort(key=lambda doc: doc["version"])
        for doc in docs:
            yield _out(VERSION_FIELDS, doc, names)

    def iter_checks(self, article_id: str) -> Iterator[dict[str, Any]]:
        docs = self._run(
            f"reading checks of {article_id}", lambda: list(self._checks.find({"article_id": article_id}))
        )
        # Oldest first; the same instant: by check number, the order they were recorded in.
        docs.sort(key=lambda doc: (as_utc(doc.get("at")) or dt.datetime.min.replace(tzinfo=dt.timezone.utc),
                                   int(str(doc["_id"]).rsplit(":c", 1)[1])))
        for doc in docs:
            yield _out(CHECK_FIELDS, doc)

    def due_articles(
        self, now: dt.datetime, outlet: str | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        query: dict[str, Any] = {"state": "active", "next_check_at": {"$lte": _to_mongo(TIME, now)}}
        if outlet is not None:
            query["outlet"] = outlet
        docs = self._run(
            "listing due articles",
            lambda: list(
                self._articles.find(query)
                .sort([("next_check_at", pymongo.ASCENDING), ("article_id", pymongo.ASCENDING)])
                .limit(int(limit))
            ),
        )
        return [_out(ARTICLE_FIELDS, doc) for doc in docs]

    def recent_versions(
        self, outlet: str | None = None, limit: int = 50, offset: int = 0, *, with_diff: bool = False,
        article_id: str | None = None,
    ) -> list[dict[str, Any]]:
        left_out = ("paragraphs", "html") if with_diff else VERSION_BULK_FIELDS
        names = [name for name in VERSION_FIELDS if name not in left_out]
        query = {"outlet": outlet} if outlet is not None else {}
        if article_id is not None:  # one article: the article_version index, a few rows sorted
            query["article_id"] = article_id
        # The order of the fetched / outlet_fetched index (see newest_first).
        order = [("fetched_at", pymongo.DESCENDING), ("article_id", pymongo.DESCENDING),
                 ("version", pymongo.DESCENDING)]
        if outlet is None:
            order.insert(1, ("outlet", pymongo.DESCENDING))
        docs = self._run("listing recent versions", lambda: list(
            self._versions.find(query, {name: 1 for name in names}).sort(order).skip(int(offset)).limit(int(limit))
        ))
        return [_out(VERSION_FIELDS, doc, names) for doc in docs]

    def list_articles(
        self,
        outlet: str | None = None,
        state: str | None = None,
        changed_since: dt.datetime | None = None,
        after: tuple[dt.datetime, str] | None = None,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        changed: dict[str, Any] = {"$ne": None}
        if changed_since is not None:
            changed["$gte"] = _to_mongo(TIME, changed_since)
        query: dict[str, Any] = {"last_changed_at": changed}
        if outlet is not None:
            query["outlet"] = outlet
        if state is not None:
            query["state"] = state
        if after is not None:
            stamp = _to_mongo(TIME, after[0])
            query["$or"] = [{"last_changed_at": {"$lt": stamp}},
                            {"last_changed_at": stamp, "article_id": {"$lt": after[1]}}]
        order = [("last_changed_at", pymongo.DESCENDING), ("article_id", pymongo.DESCENDING)]
        docs = self._run("listing articles", lambda: list(
            self._articles.find(query, self._LISTING).sort(order).limit(int(limit))
        ))
        return [_out(ARTICLE_FIELDS, doc) for doc in docs]

    # Article fields a listing returns (the private search text stays in the store).
    _LISTING = {name: 1 for name in ARTICLE_FIELDS}

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        words = search_words(query)
        if not words:
            return []
        order: list[tuple[str, Any]]
        if self._text_search:
            # Quoted words: every one must occur (no user-supplied text-search syntax).
            selector: dict[str, Any] = {"$text": {"$search": " ".join(f'"{word}"' for word in words)}}
            projection: dict[str, Any] = {**self._LISTING, "score": {"$meta": "textScore"}}
            order = [("score", {"$meta": "textScore"}), ("article_id", pymongo.ASCENDING)]
        else:
            # Words that start where a word starts (like the FTS prefix match), in any script.
            selector = {"$and": [{"headline": {"$regex": r"(?:^|[^\p{L}\p{N}])" + re.escape(word), "$options": "i"}}
                              for word in words]}
            projection = self._LISTING
            order = [("last_changed_at", pymongo.DESCENDING), ("article_id", pymongo.ASCENDING)]
        docs = self._run("searching articles", lambda: list(
            self._articles.find(selector, projection).sort(order).skip(int(offset)).limit(int(limit))
        ))
        return [_out(ARTICLE_FIELDS, doc) for doc in docs]

    def versions_since(self, since: dt.datetime, outlet: str | None = None) -> dict[str, int]:
        # One outlet: a range of the outlet_fetched index.
        match = {"fetched_at": {"$gte": _to_mongo(TIME, since)}, **({"outlet": outlet} if outlet is not None else {})}
        groups = self._run("counting recent versions", lambda: list(self._versions.aggregate([
            {"$match": match},
            {"$group": {"_id": "$outlet", "n": {"$sum": 1}}},
        ])))
        return {group["_id"] or "": int(group["n"]) for group in groups}

    def outlet_counts(self, now: dt.datetime, outlet: str | None = None) -> dict[str, dict[str, Any]]:
        # Counted on the server ($group with $sum: FerretDB 1.24 has no $max), then the last
        # check of each outlet by the outlet_checked index. One outlet: its articles only.
        of_outlet = {"outlet": outlet} if outlet is not None else {}
        by_state = self._run("counting articles per outlet", lambda: list(self._articles.aggregate([
            {"$match": of_outlet},
            {"$group": {"_id": {"outlet": "$outlet", "state": "$state"}, "n": {"$sum": 1}}},
        ])))
        due = self._run("counting due articles per outlet", lambda: list(self._articles.aggregate([
            {"$match": {**of_outlet, "state": "active", "next_check_at": {"$lte": _to_mongo(TIME, now)}}},
            {"$group": {"_id": "$outlet", "n": {"$sum": 1}}},
        ])))
        counts: dict[str, dict[str, Any]] = {}
        for group in by_state:
            row = counts.setdefault(group["_id"].get("outlet") or "", empty_outlet_counts())
            row["tracked"] += group["n"]
            state = group["_id"].get("state") or "active"
            row[state] = row.get(state, 0) + group["n"]
        for group in due:
            counts.setdefault(group["_id"] or "", empty_outlet_counts())["due_now"] = group["n"]
        for outlet, row in counts.items():
            row["last_crawl"] = self._last_check_time(outlet or None)
        return counts

    def _last_check_time(self, outlet: str | None) -> dt.datetime | None:
        docs = self._run(f"reading the last check of {outlet}", lambda: list(
            self._articles.find({"outlet": outlet, "last_checked_at": {"$ne": None}}, {"last_checked_at": 1})
            .sort("last_checked_at", pymongo.DESCENDING).limit(1)
        ))
        return as_utc(docs[0]["last_checked_at"]) if docs else None

    def parser_health(self, since: dt.datetime) -> dict[str, dict[str, int]]:
        recent = {"last_checked_at": {"$gte": _to_mongo(TIME, since)}}
        health: dict[str, dict[str, int]] = {}
        # Three $match + $group counts ($cond is not in FerretDB 1.24's aggregation).
        for key, extra in (
            ("checked", {}),
            ("disagreeing", {"last_disagreement": {"$ne": None}}),
            ("fallback", {"last_outcome": "extraction_fallback"}),
        ):
            groups = self._run(f"counting {key} checks per outlet", lambda extra=extra: list(self._articles.aggregate([
                {"$match": {**recent, **extra}},
                {"$group": {"_id": "$outlet", "n": {"$sum": 1}}},
            ])))
            for group in groups:
                row = health.setdefault(group["_id"] or "", {"checked": 0, "disagreeing": 0, "fallback": 0})
                row[key] = group["n"]
        return health

    def pending_counts(self) -> dict[str, int]:
        groups = self._run("counting pending articles", lambda: list(self._articles.aggregate([
            {"$match": {"state": "active", "version_count": {"$in": [0, None]}}},
            {"$group": {"_id": "$outlet", "n": {"$sum": 1}}},
        ])))
        return {group["_id"] or "": group["n"] for group in groups}

    def record_run(self, run: dict[str, Any]) -> None:
        doc = {**_doc(RUN_FIELDS, run), "_id": uuid.uuid4().hex}
        doc["_write_id"] = doc["_id"]
        self._run(f"recording the run of {run.get('outlet')}", lambda: self._insert_once(self._runs, doc))

    def last_runs(self) -> dict[str, dict[str, Any]]:
        def attempt() -> dict[str, dict[str, Any]]:
            runs = {}
            for outlet in self._runs.distinct("outlet"):
                latest = self._runs.find({"outlet": outlet}).sort("finished_at", pymongo.DESCENDING).limit(1)
                for doc in latest:
                    runs[outlet] = _out(RUN_FIELDS, doc)
            return runs

        return self._run("reading the last runs", attempt)

    # --- notifications ------------------------------------------------------------------

    def versions_after(
        self, after: tuple[dt.datetime, str, int] | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        names = [name for name in VERSION_FIELDS if name not in ("paragraphs", "html")]
        query: dict[str, Any] = {STORED_AT: {"$ne": None}}
        if after is not None:
            stamp, aid, number = _to_mongo(TIME, after[0]), after[1], int(after[2])
            query = {"$or": [
                {STORED_AT: {"$gt": stamp}},
                {STORED_AT: stamp, "article_id": {"$gt": aid}},
                {STORED_AT: stamp, "article_id": aid, "version": {"$gt": number}},
            ]}
        order = [(STORED_AT, pymongo.ASCENDING), ("article_id", pymongo.ASCENDING), ("version", pymongo.ASCENDING)]
        docs = self._run("listing versions in write order", lambda: list(
            self._versions.find(query, {**{name: 1 for name in names}, STORED_AT: 1}).sort(order).limit(int(limit))
        ))
        return [{**_out(VERSION_FIELDS, doc, names), "stored_at": as_utc(doc[STORED_AT])} for doc in docs]

    def notify_rule_state(self, rule_id: str) -> dict[str, Any] | None:
        doc = self._run(f"reading notification rule {rule_id}", lambda: self._notify_rules.find_one({"_id": rule_id}))
        return _out(NOTIFY_RULE_FIELDS, doc) if doc else None

    def save_notify_rule_state(self, state: dict[str, Any]) -> None:
        doc = {**{name: None for name in NOTIFY_RULE_FIELDS}, **_doc(NOTIFY_RULE_FIELDS, state)}
        self._run(f"saving notification rule {state['rule_id']}", lambda: self._notify_rules.replace_one(
            {"_id": state["rule_id"]}, doc, upsert=True,
        ))

    @staticmethod
    def _notification_key(notification: dict[str, Any]) -> str:
        return f"{notification['rule_id']}:{notification['article_id']}:{int(notification['version'])}"

    def add_notification(self, notification: dict[str, Any]) -> bool:
        doc = {**{name: None for name in NOTIFICATION_FIELDS}, **_doc(NOTIFICATION_FIELDS, notification)}
        doc["_id"] = self._notification_key(notification)
        doc["_write_id"] = uuid.uuid4().hex
        return self._run(f"queueing a notification of {notification['article_id']}",
                         lambda: self._insert_once(self._notifications, doc))

    def due_notifications(self, rule_id: str, now: dt.datetime, limit: int = 100) -> list[dict[str, Any]]:
        query = {"rule_id": rule_id, "status": "pending", "next_attempt_at": {"$lte": _to_mongo(TIME, now)}}
        order = [("created_at", pymongo.ASCENDING), ("article_id", pymongo.ASCENDING), ("version", pymongo.ASCENDING)]
        docs = self._run("listing due notifications", lambda: list(
            self._notifications.find(query).sort(order).limit(int(limit))
        ))
        return [_out(NOTIFICATION_FIELDS, doc) for doc in docs]

    def list_notifications(self, rule_id: str | None = None) -> list[dict[str, Any]]:
        query = {"rule_id": rule_id} if rule_id is not None else {}
        order = [("created_at", pymongo.ASCENDING), ("article_id", pymongo.ASCENDING), ("version", pymongo.ASCENDING)]
        docs = self._run("listing notifications", lambda: list(self._notifications.find(query).sort(order)))
        return [_out(NOTIFICATION_FIELDS, doc) for doc in docs]

    def update_notification(self, notification: dict[str, Any]) -> None:
        names = ("status", "attempts", "next_attempt_at", "sent_at", "error")
        fields = _doc(NOTIFICATION_FIELDS, {name: notification[name] for name in names if name in notification})
        key = self._notification_key(notification)
        self._run(f"updating notification {key}", lambda: self._notifications.update_one({"_id": key}, {"$set": fields}))

    def count(self, kind: str) -> int:
        if kind not in ("articles", "versions", "checks"):
            raise ValueError(f"unknown kind {kind!r}")
        return int(self._run(f"counting {kind}", lambda: self._db[kind].count_documents({})))

    def close(self) -> None:
        self._client.close()
