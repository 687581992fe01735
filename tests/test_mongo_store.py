"""What only the MongoDB store does: connecting, indexes, lost replies, crash repair.

Against a real server (FerretDB, or ``TRACKER_TEST_MONGO_URI``), never a mock. Two tests
inject a fault into the real client (a reply lost after the server applied a write; a
process dying between two writes) to reach states that timing alone cannot produce.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pymongo
import pytest
from pymongo.errors import AutoReconnect

from bench._ferretdb import free_port
from tracker.store import StoreError, StoreUnavailable, VersionConflict, open_store
from tracker.store.mongo import MongoStore
from tracker.store.sqlite import ARTICLE_FIELDS, CHECK_FIELDS, VERSION_FIELDS

T0 = dt.datetime(2024, 3, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


def save(store: Any, tag: str, expected: int, aid: str = "a1") -> int:
    return int(store.save_version(
        {"article_id": aid, "url": f"https://news.example/{aid}", "outlet": "example",
         "last_checked_at": T0, "latest_hash": f"hash-{tag}", "headline": f"Headline {tag}",
         "last_changed_at": T0},
        {"fetched_at": T0, "content_hash": f"hash-{tag}", "raw_hash": f"raw-{tag}",
         "headline": f"Headline {tag}", "paragraphs": [f"Text {tag}."]},
        {"at": T0, "outcome": "new" if expected == 0 else "changed", "status": 200},
        expected_count=expected,
    ))


# --- connecting -----------------------------------------------------------------------------

def test_an_unreachable_server_fails_fast_with_a_masked_one_line_message() -> None:
    port = free_port()  # nothing listens there
    uri = f"mongodb://reader:s3cret-pw@127.0.0.1:{port}/news"
    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as caught:
        open_store(uri, serverSelectionTimeoutMS=500)
    assert time.monotonic() - started < 3
    message = str(caught.value)
    assert message.startswith(f"MongoDB unreachable at mongodb://reader:***@127.0.0.1:{port}/news: ")
    assert "s3cret-pw" not in message and "\n" not in message and "Topology" not in message
    assert "refused" in message.lower()


def test_the_default_server_selection_timeout_is_about_five_seconds() -> None:
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        MongoStore(f"mongodb://127.0.0.1:{free_port()}/news")
    assert 3 < time.monotonic() - started < 9


def test_a_timeout_in_the_uri_is_honoured() -> None:
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        open_store(f"mongodb://127.0.0.1:{free_port()}/news?serverSelectionTimeoutMS=300")
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("uri", [
    "mongodb+srv://reader:s3cret-pw@cluster0.tracker-test.invalid/news",
    "mongodb+srv://reader:s3cret-pw@cluster0.tracker-test.invalid/news?retryWrites=true&w=majority",
    "mongodb+srv://reader:s3cret-pw@just-one-label/news",
    "mongodb://reader:s3cret-pw@127.0.0.1:notaport/news",
    "mongodb://reader:s3cret-pw@[::1/news",
    "mongodb://reader:s3cret-pw@/news",
])
def test_unusable_uris_raise_store_errors_offline(uri: str) -> None:
    started = time.monotonic()
    with pytest.raises(StoreError) as caught:
        open_store(uri, serverSelectionTimeoutMS=500, connectTimeoutMS=500)
    assert time.monotonic() - started < 15
    message = str(caught.value)
    assert "reader:***@" in message and "s3cret-pw" not in message and "\n" not in message


def test_the_uri_path_names_the_database(mongo_uri: str, mongo_db_uri: str) -> None:
    with open_store(mongo_db_uri) as store:
        save(store, "one", 0)
    name = mongo_db_uri.split("?")[0].rsplit("/", 1)[1]
    with pymongo.MongoClient(mongo_uri) as client:
        assert client[name]["versions"].count_documents({}) == 1
    bare = mongo_uri.split("?")[0].rstrip("/")
    with open_store(bare) as store:
        assert store._db.name == "tracker"  # noqa: SLF001 - the default database


def test_indexes_exist_and_reopening_is_idempotent(mongo_db_uri: str) -> None:
    def indexes(store: MongoStore) -> dict[str, list[tuple[tuple[tuple[str, int], ...], bool]]]:
        found = {}
        for name in ("articles", "versions", "checks"):
            info = store._db[name].index_information()  # noqa: SLF001
            found[name] = sorted(
                (tuple((k, int(d)) for k, d in spec["key"]), bool(spec.get("unique")))
                for spec in info.values()
            )
        return found

    with MongoStore(mongo_db_uri) as first:
        created = indexes(first)  # type: ignore[arg-type]
    newest = (("fetched_at", -1), ("article_id", -1), ("version", -1))
    assert created == {
        "articles": sorted([
            ((("_id", 1),), False), ((("article_id", 1),), True), ((("url", 1),), True),
            ((("state", 1), ("next_check_at", 1)), False),
            ((("state", 1), ("outlet", 1), ("next_check_at", 1), ("article_id", 1)), False),
            ((("outlet", 1), ("last_changed_at", 1)), False),
            ((("last_changed_at", -1), ("article_id", -1)), False),
            ((("outlet", 1), ("last_checked_at", -1)), False),
        ]),
        "versions": sorted([
            ((("_id", 1),), False), ((("article_id", 1), ("version", 1)), True),
            ((("article_id", 1), ("content_hash", 1)), False),
            ((newest[0], ("outlet", -1), *newest[1:]), False),
            ((("outlet", 1), *newest), False),
            ((("_stored_at", 1), ("article_id", 1), ("version", 1)), False),
        ]),
        "checks": sorted([((("_id", 1),), False), ((("article_id", 1), ("at", 1)), False)]),
    }
    for _ in range(2):
        with MongoStore(mongo_db_uri) as again:
            assert indexes(again) == created  # type: ignore[arg-type]


# --- documents ------------------------------------------------------------------------------

def test_no_private_field_leaks(mongo_db_uri: str) -> None:
    with open_store(mongo_db_uri) as store:
        save(store, "one", 0)
        store.record_check({"article_id": "a1", "url": "https://news.example/a1"}, {"at": T0, "outcome": "unchanged"})
        assert set(store.get_article("a1") or {}) == set(ARTICLE_FIELDS)
        assert set(store.latest_version("a1") or {}) == set(VERSION_FIELDS)
        assert set(store.get_version("a1", 1) or {}) == set(VERSION_FIELDS)
        assert all(set(c) == set(CHECK_FIELDS) for c in store.list_checks("a1"))
        assert all("_id" not in v for v in store.list_versions("a1"))
        assert all(set(a) == set(ARTICLE_FIELDS) for a in store.iter_articles())
        assert all(set(a) == set(ARTICLE_FIELDS) for a in store.due_articles(T0 + dt.timedelta(days=1)))


# --- faults ---------------------------------------------------------------------------------

class _LoseFirstReply:
    """A collection whose first insert reaches the server but whose reply is 'lost'."""

    def __init__(self, collection: Any) -> None:
        self._collection = collection
        self.lost = 0

    def insert_one(self, doc: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        result = self._collection.insert_one(doc, *args, **kwargs)
        if self.lost == 0:
            self.lost += 1
            raise AutoReconnect("connection closed before the reply (injected)")
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._collection, name)


@pytest.mark.parametrize("collection", ["_versions", "_checks"])
def test_a_retried_write_whose_reply_was_lost_lands_once(mongo_db_uri: str, collection: str) -> None:
    store = MongoStore(mongo_db_uri, retry_backoff=0.01)
    try:
        save(store, "one", 0)
        faulty = _LoseFirstReply(getattr(store, collection))
        setattr(store, collection, faulty)
        assert save(store, "two", 1) == 2  # not a VersionConflict with itself
        assert faulty.lost == 1
        assert [v["content_hash"] for v in store.list_versions("a1")] == ["hash-one", "hash-two"]
        assert [c["version"] for c in store.list_checks("a1")] == [2, 1]
        assert (store.count("versions"), store.count("checks")) == (2, 2)
    finally:
        store.close()


class _Crash(BaseException):
    """The process dies here (BaseException: nothing may catch it)."""


@pytest.mark.parametrize("crash_in", ["_write_check", "_update_article"])
def test_a_crash_between_writes_leaves_a_consistent_view(mongo_db_uri: str, crash_in: str) -> None:
    with open_store(mongo_db_uri) as store:
        save(store, "one", 0)
        save(store, "two", 1)

    class Dying(MongoStore):
        pass

    def die(*args: Any, **kwargs: Any) -> Any:
        raise _Crash

    setattr(Dying, crash_in, die)
    dying = Dying(mongo_db_uri)
    with pytest.raises(_Crash):
        save(dying, "three", 2)
    dying.close()

    with open_store(mongo_db_uri) as store:
        # Version 3 is stored; the article summary, written last, was not. Readers see the
        # article as version 3 left it, never a count that disagrees with the versions.
        article = store.get_article("a1")
        assert article is not None
        assert (article["version_count"], article["latest_hash"], article["headline"]) == (
            3, "hash-three", "Headline three")
        assert store.latest_version("a1")["version"] == 3  # type: ignore[index]
        assert [v["version"] for v in store.list_versions("a1")] == [1, 2, 3]
        with pytest.raises(VersionConflict, match="has 3 versions"):
            save(store, "late", 2)
        assert save(store, "four", 3) == 4
        assert store.get_article("a1")["version_count"] == 4  # type: ignore[index]
        assert [v["version"] for v in store.list_versions("a1")] == [1, 2, 3, 4]


def test_a_crash_in_the_first_save_of_an_article_still_shows_it_right(mongo_db_uri: str) -> None:
    class Dying(MongoStore):
        def _update_article(self, *args: Any, **kwargs: Any) -> None:
            raise _Crash

    dying = Dying(mongo_db_uri)
    with pytest.raises(_Crash):
        save(dying, "one", 0, aid="new")
    dying.close()
    with open_store(mongo_db_uri) as store:
        # Created before its version (url, outlet, first sight), summarised never.
        [stored] = list(store.iter_articles())
        assert (stored["version_count"], stored["latest_hash"], stored["headline"]) == (0, None, None)
        article = store.get_article("new")
        assert article is not None
        assert (article["version_count"], article["url"], article["first_seen_at"]) == (
            1, "https://news.example/new", T0)
        assert (article["latest_hash"], article["headline"]) == ("hash-one", "Headline one")
        # A check leaves the stored summary as is; the next save stores it right.
        store.record_check({"article_id": "new", "url": "https://news.example/new", "last_checked_at": T0},
                           {"at": T0, "outcome": "unchanged"})
        assert store.get_article("new")["version_count"] == 1  # type: ignore[index]
        assert save(store, "two", 1, aid="new") == 2
        [stored] = list(store.iter_articles())
        assert (stored["version_count"], stored["latest_hash"]) == (2, "hash-two")


def test_a_slow_writer_never_rolls_the_article_back(mongo_db_uri: str) -> None:
    import threading

    release = threading.Event()
    paused = threading.Event()

    class Slow(MongoStore):
        def _update_article(self, *args: Any, **kwargs: Any) -> None:
            paused.set()
            release.wait(30)
            super()._update_article(*args, **kwargs)

    with open_store(mongo_db_uri) as store:
        save(store, "one", 0)
        slow = Slow(mongo_db_uri)
        writer = threading.Thread(target=save, args=(slow, "two", 1))
        writer.start()
        assert paused.wait(30)
        assert save(store, "three", 2) == 3  # version 2 is stored, its summary not yet
        release.set()
        writer.join(30)
        slow.close()
        [stored] = list(store.iter_articles())  # the stored summary, as written
        assert (stored["version_count"], stored["latest_hash"], stored["headline"]) == (
            3, "hash-three", "Headline three")
