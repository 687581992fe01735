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

A check costs four round trips and a few KB read whatever the size of the archive (docs/DATA.md,
"Per-check cost"; held by tests/test_store_costs.py): the article by ``_id`` and its latest
version by the last key of the ``article_version`` index, both without bulk fields, then the
check insert and the summary update (the article's next check number is remembered from the
read). Every per-article query is a point lookup on MongoDB. FerretDB 1.24 serves none of
them from an index (on PostgreSQL every filter becomes ``_jsonb->$1 @> $2``; on SQLite only
``_id`` is even pushed down), so there reads grow with the collection (see bench/store.py),
and finding the latest version decodes each version of the article (it sorts in memory).
The secondary indexes serve MongoDB's collection-wide queries (due articles, listings) and
enforce uniqueness.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any, TypeVar

import bson
import pymongo
from bson.binary import Binary
from bson.errors import InvalidDocument
from pymongo import IndexModel
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
    storing_valid_text,
    utcnow,
)
from tracker.store.sqlite import (
    ARTICLE_FIELDS,
    BLOB,
    CHECK_FIELDS,
    JSON,
    NOTIFICATION_FIELDS,
    NOTIFY_RULE_FIELDS,
    RUN_FIELDS,
    STORED_AT,
    TIME,
    VERSION_BULK_FIELDS,
    VERSION_FIELDS,
    typed_value,
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
# What an article read returns: everything but the search text (the whole latest text).
WITHOUT_SEARCH = {SEARCH_FIELD: 0}
# The database's own facts about its server, e.g. that it has no text indexes (so that an open
# does not try to create one again): collection, and the _id of that fact.
META_COLLECTION = "meta"
NO_TEXT_INDEX = "no_text_index"
# How many articles' next check numbers a store remembers from its reads and writes, so that
# recording a check needs no read of the article first.
CHECK_HINTS_KEPT = 10_000
# The version fields a check decides with (everything but the bulk fields).
LEAN_VERSION_FIELDS = [name for name in VERSION_FIELDS if name not in VERSION_BULK_FIELDS]


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
    return typed_value(kind, value)


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


def _check_order(doc: dict[str, Any]) -> tuple[dt.datetime, int]:
    """Checks in the order they happened: by time, and at the same instant by number (the
    order they were recorded in; the number ends the ``_id``)."""
    at = as_utc(doc.get("at")) or dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    return at, int(str(doc["_id"]).rsplit(":c", 1)[1])


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
        # article_id -> the highest check number seen: articles are never deleted, and a stale
        # number only costs stepping to the next free one.
        self._check_hints: OrderedDict[str, int] = OrderedDict()
        self._hints_lock = threading.Lock()
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
        # Every open lists each collection's indexes and creates the missing ones in one
        # command: two per collection the first time, one afterwards. (Only the missing ones:
        # FerretDB 1.24 drops the connection when one createIndexes names several that exist.)
        asc, desc = pymongo.ASCENDING, pymongo.DESCENDING
        # Listings for the web view: newest versions, recently changed articles. The keys are
        # the whole sort order, so that MongoDB walks the index instead of sorting in memory.
        newest = [("fetched_at", desc), ("article_id", desc), ("version", desc)]
        indexes = {
            self._versions: [
                IndexModel([("article_id", asc), ("version", asc)], unique=True, name="article_version"),
                # Reverts and flip-flops: "which earlier version has this text?"
                IndexModel([("article_id", asc), ("content_hash", asc)], name="article_hash"),
                IndexModel([newest[0], ("outlet", desc), *newest[1:]], name="fetched"),
                IndexModel([("outlet", asc), *newest], name="outlet_fetched"),
                # tracker notify: versions in the order they were written.
                IndexModel([(STORED_AT, asc), ("article_id", asc), ("version", asc)], name="stored"),
            ],
            self._articles: [
                IndexModel("article_id", unique=True, name="article_id"),
                IndexModel("url", unique=True, name="url"),
                IndexModel([("state", asc), ("next_check_at", asc)], name="due"),
                # A crawl's due articles of its outlet: equality keys first, then the sort, so
                # that MongoDB reads just the ``limit`` entries it returns, already in order.
                IndexModel([("state", asc), ("outlet", asc), ("next_check_at", asc), ("article_id", asc)],
                           name="outlet_due"),
                IndexModel([("outlet", asc), ("last_changed_at", asc)], name="outlet_changed"),
                IndexModel([("last_changed_at", desc), ("article_id", desc)], name="changed"),
                IndexModel([("outlet", asc), ("last_checked_at", desc)], name="outlet_checked"),
            ],
            self._checks: [IndexModel([("article_id", asc), ("at", asc)], name="article_at")],
            self._runs: [IndexModel([("outlet", asc), ("finished_at", desc)], name="outlet_finished")],
            # Each notification rule's due sends.
            self._notifications: [
                IndexModel([("rule_id", asc), ("status", asc), ("next_attempt_at", asc)], name="due"),
            ],
        }
        existing: dict[str, set[str]] = {}
        for collection, models in indexes.items():
            existing[collection.name] = set(collection.index_information())
            missing = [model for model in models if model.document["name"] not in existing[collection.name]]
            if missing:
                collection.create_indexes(missing)
        self._text_search = self._create_text_index("text" in existing["articles"])

    def _create_text_index(self, exists: bool) -> bool:
        """A text index over the latest headline and text, filled for an existing archive.

        False when the server has no text indexes (FerretDB 1.24): search then matches
        headlines with a case-insensitive regex. That is remembered in the database's ``meta``
        collection, so that later opens do not try again (delete the ``no_text_index``
        document there to have the next open try, e.g. after moving the data to MongoDB).
        """
        if exists:
            return True
        meta = self._db[META_COLLECTION]
        if meta.find_one({"_id": NO_TEXT_INDEX}, {"_id": 1}) is not None:
            return False
        try:
            self._articles.create_index(
                [("headline", pymongo.TEXT), (SEARCH_FIELD, pymongo.TEXT)],
                name="text", default_language="none",
            )
        except OperationFailure as exc:
            meta.replace_one({"_id": NO_TEXT_INDEX}, {"reason": self._reason(exc), "at": utcnow()}, upsert=True)
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
        doc = self._articles.find_one({"_id": article_id}, WITHOUT_SEARCH)
        if doc is not None:
            self._remember_checks(article_id, doc.get("_checks") or 0)
        return doc

    def _remember_checks(self, article_id: str, number: int) -> None:
        with self._hints_lock:
            known = self._check_hints.pop(article_id, 0)
            self._check_hints[article_id] = max(known, int(number))
            if len(self._check_hints) > CHECK_HINTS_KEPT:
                self._check_hints.popitem(last=False)

    def _known_checks(self, article_id: str) -> int | None:
        """The article's last check number as this store last saw it; None: not seen lately
        (it may not even exist)."""
        with self._hints_lock:
            return self._check_hints.get(article_id)

    def _latest_doc(self, article_id: str, fields: Collection[str]) -> dict[str, Any] | None:
        """The article's newest version (those ``fields`` of it): the last key of the
        article_version index, wherever the summary's count stands."""
        return self._versions.find_one(
            {"article_id": article_id}, {name: 1 for name in fields},
            sort=[("version", pymongo.DESCENDING)],
        )

    def _latest_number(self, article_id: str) -> int:
        doc = self._latest_doc(article_id, ["version"])
        return int(doc["version"]) if doc else 0

    def _summary_repair(
        self, article_id: str, article: dict[str, Any] | None, newest: dict[str, Any] | None
    ) -> dict[str, Any]:
        """The summary fields from the latest version (``newest``, as read with at least its
        number) if the stored summary lags it, else {}.

        A lag means a save stopped after its version (crash) or a concurrent update was lost
        (FerretDB): the repair shows the article as that save would have left it.
        """
        stored = (article or {}).get("version_count") or 0
        if newest is None or newest["version"] <= stored:
            return {}
        latest = int(newest["version"])
        if any(source not in newest for source in (*_SUMMARY_FROM_VERSION.values(), "url")):
            newest = self._versions.find_one({"_id": _version_key(article_id, latest)},
                                             {name: 1 for name in LEAN_VERSION_FIELDS}) or {}
        repair = {field: newest.get(source) for field, source in _SUMMARY_FROM_VERSION.items()}
        # The body hash kept is of a check before that version: the same bytes again are no
        # longer certainly unchanged (they must be extracted).
        repair.update(version_count=latest, latest_body_hash=None)
        if article is None:  # not even created: what the versions tell
            first = self._versions.find_one({"_id": _version_key(article_id, 1)}, {"fetched_at": 1}) or {}
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

        number = self._run(f"recording a check of {article_id}", attempt)
        self._remember_checks(article_id, number)
        return number

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
        stored = self._latest_number(article_id)
        raise VersionConflict(
            f"article {article_id} has {stored} versions, expected {expected_count}"
        )

    @storing_valid_text
    def record_check(self, article: dict[str, Any], check: dict[str, Any]) -> None:
        # A summary that lags its versions is left as is here: readers show it repaired and
        # the next save stores it so (no version lookup on every check). An article this
        # store has just read (the recorder always has) exists: no read before the insert.
        hint = self._known_checks(article["article_id"])
        if hint is None:
            hint = self._ensure_article(article, identity_only=False).get("_checks") or 0
        check_number = self._write_check(article["article_id"], check, hint)
        self._update_article(article, version_count=None, check_number=check_number)

    # --- reading ------------------------------------------------------------------------

    def _repaired(self, article_id: str, doc: dict[str, Any] | None,
                  newest: dict[str, Any] | None) -> dict[str, Any] | None:
        repair = self._summary_repair(article_id, doc, newest)
        if doc is None and not repair:
            return None
        return _out(ARTICLE_FIELDS, {**(doc or {}), **repair, "article_id": article_id})

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        # Two point reads: the article, and the number of its latest version (a lagging
        # summary is shown repaired).
        return self._run(f"reading article {article_id}", lambda: self._repaired(
            article_id, self._article_doc(article_id), self._latest_doc(article_id, ["version"])
        ))

    def article_and_latest(self, article_id: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        # Two point reads: the latest version read lean also tells whether the summary lags.
        def attempt() -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
            doc = self._article_doc(article_id)
            newest = self._latest_doc(article_id, LEAN_VERSION_FIELDS)
            latest = _out(VERSION_FIELDS, newest, LEAN_VERSION_FIELDS) if newest else None
            return self._repaired(article_id, doc, newest), latest

        return self._run(f"reading article {article_id}", attempt)

    def latest_version(self, article_id: str, *, bulk: bool = True, text_only: bool = False) -> dict[str, Any] | None:
        left_out = VERSION_BULK_FIELDS if not bulk else ("html", "diff") if text_only else ()
        names = [name for name in VERSION_FIELDS if name not in left_out]
        doc = self._run(f"reading versions of {article_id}", lambda: self._latest_doc(article_id, names))
        return _out(VERSION_FIELDS, doc, names) if doc else None

    def get_version(self, article_id: str, number: int) -> dict[str, Any] | None:
        doc = self._run(
            f"reading version {number} of {article_id}",
            lambda: self._versions.find_one({"_id": _version_key(article_id, int(number))}),
        )
        return _out(VERSION_FIELDS, doc) if doc else None

    def find_version_by_hash(self, article_id: str, content_hash: str) -> dict[str, Any] | None:
        # The article_hash index, named: article_version would also serve the filter (and the
        # sort), but by walking every version of the article.
        doc = self._run(
            f"finding a version of {article_id} by hash",
            lambda: self._versions.find_one(
                {"article_id": article_id, "content_hash": content_hash},
                {name: 1 for name in LEAN_VERSION_FIELDS}, sort=[("version", pymongo.ASCENDING)],
                hint="article_hash",
            ),
        )
        return _out(VERSION_FIELDS, doc, LEAN_VERSION_FIELDS) if doc else None

    def list_versions(self, article_id: str) -> list[dict[str, Any]]:
        # One range of the article_version index.
        docs = self._run(f"listing versions of {article_id}", lambda: list(
            self._versions.find({"article_id": article_id}, {name: 1 for name in LEAN_VERSION_FIELDS})
            .sort("version", pymongo.ASCENDING)
        ))
        return [_out(VERSION_FIELDS, doc, LEAN_VERSION_FIELDS) for doc in docs]

    def list_checks(self, article_id: str, limit: int | None = None) -> list[dict[str, Any]]:
        if limit is not None and int(limit) <= 0:
            return []

        def attempt() -> list[dict[str, Any]]:
            # The newest ``limit`` (+1, to see a tie at the cut) from the end of the article_at index.
            query = {"article_id": article_id}
            cursor = self._checks.find(query).sort("at", pymongo.DESCENDING)
            if limit is None:
                return list(cursor)
            docs = list(cursor.limit(int(limit) + 1))
            if len(docs) > limit and docs[limit]["at"] == docs[limit - 1]["at"]:
                # Checks at the instant of the cut: which come first depends on their numbers.
                tied = docs[limit]["at"]
                docs = [doc for doc in docs if doc["at"] != tied] + list(self._checks.find({**query, "at": tied}))
            return docs

        docs = self._run(f"listing checks of {article_id}", attempt)
        # Newest first; checks at the same instant, latest recorded first (as in SQLite).
        docs.sort(key=_check_order, reverse=True)
        return [_out(CHECK_FIELDS, doc) for doc in docs[:limit]]

    def has_check(self, article_id: str, at: dt.datetime) -> bool:
        # A point of the article_at index (times are kept to the millisecond, as compared).
        return self._run(f"looking up a check of {article_id}", lambda: self._checks.find_one(
            {"article_id": article_id, "at": _to_mongo(TIME, at)}, {"_id": 1}
        ) is not None)

    def iter_articles(
        self, outlet: str | None = None, states: tuple[str, ...] = ("active",)
    ) -> Iterator[dict[str, Any]]:
        query: dict[str, Any] = {"state": {"$in": list(states)}}
        if outlet is not None:
            query["outlet"] = outlet
        # Collection-wide, so streamed as stored: a summary may lag its versions after a
        # crash (get_article shows it repaired). A failure mid-stream is not retried.
        cursor = self._articles.find(query, WITHOUT_SEARCH).sort(
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
            docs = list(self._articles.find(query, WITHOUT_SEARCH).sort("article_id", pymongo.ASCENDING).limit(int(limit)))
            return [{**doc, **self._summary_repair(doc["article_id"], doc, self._latest_doc(doc["article_id"], ["version"]))}
                    for doc in docs]

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
        docs.sort(key=_check_order)
        for doc in docs:
            yield _out(CHECK_FIELDS, doc)

    def due_articles(
        self, now: dt.datetime, outlet: str | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        # With an outlet (a crawl's query): the outlet_due index, in its order; without: due.
        query: dict[str, Any] = {"state": "active", "next_check_at": {"$lte": _to_mongo(TIME, now)}}
        if outlet is not None:
            query["outlet"] = outlet
        docs = self._run(
            "listing due articles",
            lambda: list(
                self._articles.find(query, WITHOUT_SEARCH)
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

    def explain(self, command: Mapping[str, Any], verbosity: str = "executionStats") -> dict[str, Any]:
        """The server's ``explain`` of a command as this store sent it (see
        :meth:`tracker.store.commands.CommandCounter.commands_sent`): MongoDB answers with its
        query plans and, at this verbosity, documents examined; FerretDB with its backend's plan."""
        plain = {name: value for name, value in command.items()
                 if not name.startswith("$") and name not in ("lsid", "txnNumber")}
        return self._run("explaining a command", lambda: self._db.command({"explain": plain, "verbosity": verbosity}))

    def close(self) -> None:
        self._client.close()
