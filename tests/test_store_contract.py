"""One contract for every store: the same calls give the same documents back.

Each test runs against the SQLite store (a file in tmp_path) and the MongoDB store (a real
FerretDB, or ``TRACKER_TEST_MONGO_URI``; a fresh database per test). BSON keeps times to the
millisecond, so MongoDB returns them truncated to milliseconds; where a test feeds
sub-millisecond times it compares at millisecond precision.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import threading
import time
import zlib
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import pytest

from tracker.store import Store, StoreError, StoreUnavailable, VersionConflict, open_store
from tracker.store.sqlite import ARTICLE_FIELDS, CHECK_FIELDS, VERSION_BULK_FIELDS, VERSION_FIELDS

UTC = dt.timezone.utc
T0 = dt.datetime(2024, 3, 1, 12, 0, 0, tzinfo=UTC)


def ms(value: Any) -> Any:
    """``value`` with every datetime truncated to the millisecond (what BSON keeps)."""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    if isinstance(value, dict):
        return {key: ms(item) for key, item in value.items()}
    if isinstance(value, list):
        return [ms(item) for item in value]
    return value


def article(aid: str = "a1", *, at: dt.datetime = T0, **fields: Any) -> dict[str, Any]:
    return {
        "article_id": aid, "url": f"https://news.example/{aid}", "outlet": "example",
        "last_checked_at": at, "last_status": 200, **fields,
    }


def version(tag: str, *, at: dt.datetime = T0, **fields: Any) -> dict[str, Any]:
    paragraphs = [f"Paragraph {i} of {tag}." for i in range(3)]
    return {
        "fetched_at": at, "url": "https://news.example/a1?utm=x", "content_hash": f"hash-{tag}",
        "raw_hash": f"raw-{tag}", "headline": f"Headline {tag}", "authors": ["A. Writer"],
        "datePublished": "2024-03-01T10:00:00Z", "paragraphs": paragraphs,
        "word_count": 12, "extractor": "jsonld", "html": zlib.compress(f"<p>{tag}</p>".encode()),
        "html_encoding": "zlib", "diff": {"ops": [["equal", 0, 1]]}, "diff_stats": {"added": 1},
        **fields,
    }


def check(outcome: str, *, at: dt.datetime = T0, **fields: Any) -> dict[str, Any]:
    return {"at": at, "url": "https://news.example/a1", "status": 200, "outcome": outcome,
            "duration_ms": 42, **fields}


@pytest.fixture(params=["sqlite", "mongo"])
def store_uri(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/store.sqlite3"
    return str(request.getfixturevalue("mongo_db_uri"))


@pytest.fixture
def store(store_uri: str) -> Any:
    opened = open_store(store_uri)
    yield opened
    opened.close()


def save(store: Store, tag: str, expected: int, *, aid: str = "a1", at: dt.datetime = T0,
         **article_fields: Any) -> int:
    outcome = "new" if expected == 0 else "changed"
    return store.save_version(
        article(aid, at=at, headline=f"Headline {tag}", latest_hash=f"hash-{tag}",
                last_changed_at=at, last_outcome=outcome, **article_fields),
        version(tag, at=at), check(outcome, at=at, content_hash=f"hash-{tag}"),
        expected_count=expected,
    )


# --- writing versions --------------------------------------------------------------------

def test_first_version(store: Store) -> None:
    assert save(store, "one", 0) == 1

    stored = store.get_article("a1")
    assert stored == {
        **{name: None for name in ARTICLE_FIELDS},
        "article_id": "a1", "url": "https://news.example/a1", "outlet": "example",
        "state": "active", "first_seen_at": T0, "last_checked_at": T0, "last_changed_at": T0,
        "version_count": 1, "latest_hash": "hash-one", "headline": "Headline one",
        "last_status": 200, "last_outcome": "new",
    }
    assert store.latest_version("a1") == {
        **{name: None for name in VERSION_FIELDS}, **version("one"), "article_id": "a1", "version": 1,
    }
    assert store.get_version("a1", 1) == store.latest_version("a1")
    [only] = store.list_checks("a1")
    assert only == {
        **{name: None for name in CHECK_FIELDS}, **check("new", content_hash="hash-one"),
        "article_id": "a1", "version": 1,
    }


def test_next_version_updates_the_article_but_not_first_sight(store: Store) -> None:
    later = T0 + dt.timedelta(hours=3)
    save(store, "one", 0)
    assert save(store, "two", 1, at=later, first_seen_at=later) == 2

    stored = store.get_article("a1")
    assert stored is not None
    assert stored["version_count"] == 2
    assert stored["first_seen_at"] == T0  # kept from the first sight
    assert (stored["last_changed_at"], stored["latest_hash"], stored["headline"]) == (
        later, "hash-two", "Headline two")
    latest = store.latest_version("a1")
    assert latest is not None and (latest["version"], latest["content_hash"]) == (2, "hash-two")
    assert store.get_version("a1", 1)["content_hash"] == "hash-one"  # type: ignore[index]
    assert [c["version"] for c in store.list_checks("a1")] == [2, 1]


@pytest.mark.parametrize("stale", [0, 2, 4, 7])
def test_a_stale_or_impossible_expected_count_conflicts(store: Store, stale: int) -> None:
    save(store, "one", 0)
    save(store, "two", 1)
    save(store, "three", 2)
    before = (store.get_article("a1"), store.list_versions("a1"), store.list_checks("a1"))

    with pytest.raises(VersionConflict, match="a1"):
        save(store, "late", stale)

    assert (store.get_article("a1"), store.list_versions("a1"), store.list_checks("a1")) == before
    assert store.count("versions") == 3 and store.count("checks") == 3


def test_record_check_creates_the_article_with_no_versions_on_a_first_sight_error(store: Store) -> None:
    store.record_check(
        article("a9", last_status=503, last_outcome="error", consecutive_errors=1),
        check("error", status=503, error="HTTP 503"),
    )
    stored = store.get_article("a9")
    assert stored is not None
    assert (stored["version_count"], stored["state"], stored["first_seen_at"]) == (0, "active", T0)
    assert (stored["last_outcome"], stored["consecutive_errors"], stored["last_status"]) == ("error", 1, 503)
    assert store.latest_version("a9") is None
    assert store.list_versions("a9") == []
    assert store.get_version("a9", 1) is None
    [recorded] = store.list_checks("a9")
    assert (recorded["outcome"], recorded["error"], recorded["version"]) == ("error", "HTTP 503", None)

    # The article's first version after that keeps the first sight and counts from 1.
    assert save(store, "one", 0, aid="a9", at=T0 + dt.timedelta(minutes=5)) == 1
    stored = store.get_article("a9")
    assert stored is not None and (stored["version_count"], stored["first_seen_at"]) == (1, T0)


def test_record_check_updates_only_the_given_fields(store: Store) -> None:
    save(store, "one", 0, next_check_at=T0 + dt.timedelta(hours=1))
    later = T0 + dt.timedelta(hours=1)
    store.record_check(
        {"article_id": "a1", "url": "https://news.example/a1", "last_checked_at": later,
         "checks_since_change": 1, "last_outcome": "unchanged"},
        check("unchanged", at=later, content_hash="hash-one"),
    )
    stored = store.get_article("a1")
    assert stored is not None
    assert (stored["version_count"], stored["latest_hash"], stored["outlet"]) == (1, "hash-one", "example")
    assert (stored["last_checked_at"], stored["checks_since_change"], stored["last_outcome"]) == (
        later, 1, "unchanged")
    assert stored["next_check_at"] == T0 + dt.timedelta(hours=1)


def test_a_url_owned_by_another_article_is_a_store_error_and_writes_nothing(store: Store) -> None:
    save(store, "one", 0, aid="a1")
    with pytest.raises(StoreError, match="a2.*already belongs"):
        store.record_check({"article_id": "a2", "url": "https://news.example/a1"}, {"at": T0, "outcome": "error"})
    with pytest.raises(StoreError, match="a2.*already belongs"):
        store.save_version({"article_id": "a2", "url": "https://news.example/a1"}, {"content_hash": "x"},
                           {"at": T0, "outcome": "new"}, expected_count=0)
    assert store.get_article("a2") is None
    assert [store.count(kind) for kind in ("articles", "versions", "checks")] == [1, 1, 1]


# --- reading -----------------------------------------------------------------------------

def test_list_versions_is_oldest_first_and_leaves_out_bulk_fields(store: Store) -> None:
    for n, tag in enumerate(["one", "two", "three"]):
        save(store, tag, n, at=T0 + dt.timedelta(hours=n))
    listed = store.list_versions("a1")
    assert [v["version"] for v in listed] == [1, 2, 3]
    for entry in listed:
        assert set(entry) == set(VERSION_FIELDS) - set(VERSION_BULK_FIELDS)
        full = store.get_version("a1", entry["version"])
        assert full is not None
        assert entry == {name: value for name, value in full.items() if name not in VERSION_BULK_FIELDS}
    assert store.list_versions("nope") == []


def test_list_checks_is_newest_first_with_a_limit(store: Store) -> None:
    # Recorded out of time order, two at the same instant: newest first, and of two at the
    # same instant the one recorded last comes first.
    times = [2, 0, 5, 3, 5, 1]
    for i, hours in enumerate(times):
        store.record_check(article(), check("unchanged", at=T0 + dt.timedelta(hours=hours), duration_ms=i))
    listed = store.list_checks("a1")
    assert [(c["at"] - T0) // dt.timedelta(hours=1) for c in listed] == [5, 5, 3, 2, 1, 0]
    assert [c["duration_ms"] for c in listed[:2]] == [4, 2]
    assert store.list_checks("a1", limit=2) == listed[:2]
    assert store.list_checks("a1", limit=0) == []
    assert store.list_checks("a1", limit=100) == listed
    assert store.list_checks("nope") == []


def test_unknown_articles_and_versions_are_none(store: Store) -> None:
    save(store, "one", 0)
    assert store.get_article("nope") is None
    assert store.latest_version("nope") is None
    assert store.get_version("a1", 2) is None
    assert store.get_version("a1", 0) is None
    assert store.get_version("nope", 1) is None


def test_iter_articles_by_outlet_and_state_in_order_of_first_sight(store: Store) -> None:
    layout = [  # aid, outlet, state, minutes after T0 of first sight
        ("b2", "beta", "active", 3), ("a1", "alpha", "active", 1), ("a3", "alpha", "retired", 2),
        ("a2", "alpha", "active", 1), ("b1", "beta", "gone", 0), ("a4", "alpha", "active", 0),
    ]
    for aid, outlet, state, minutes in layout:
        store.record_check(
            article(aid, at=T0 + dt.timedelta(minutes=minutes), outlet=outlet, state=state),
            check("unchanged", at=T0 + dt.timedelta(minutes=minutes)),
        )

    def ids(**kwargs: Any) -> list[str]:
        return [a["article_id"] for a in store.iter_articles(**kwargs)]

    assert ids() == ["a4", "a1", "a2", "b2"]
    assert ids(outlet="alpha") == ["a4", "a1", "a2"]
    assert ids(outlet="beta", states=("gone",)) == ["b1"]
    assert ids(states=("active", "retired", "gone")) == ["a4", "b1", "a1", "a2", "a3", "b2"]
    assert ids(outlet="nobody") == []
    assert all(set(a) == set(ARTICLE_FIELDS) for a in store.iter_articles(states=("active", "gone")))


def test_due_articles(store: Store) -> None:
    now = T0 + dt.timedelta(days=1)
    layout = [  # aid, outlet, state, next check relative to now (None: never)
        ("d1", "alpha", "active", -60), ("d2", "alpha", "active", -5), ("d3", "beta", "active", -30),
        ("d4", "alpha", "active", +5), ("d5", "alpha", "retired", -90), ("d6", "alpha", "active", None),
        ("d7", "beta", "active", 0), ("d0", "alpha", "active", -60),
    ]
    for aid, outlet, state, minutes in layout:
        when = None if minutes is None else now + dt.timedelta(minutes=minutes)
        store.record_check(article(aid, outlet=outlet, state=state, next_check_at=when), check("unchanged"))

    assert [a["article_id"] for a in store.due_articles(now)] == ["d0", "d1", "d3", "d2", "d7"]
    assert [a["article_id"] for a in store.due_articles(now, outlet="alpha")] == ["d0", "d1", "d2"]
    assert [a["article_id"] for a in store.due_articles(now, limit=2)] == ["d0", "d1"]
    assert store.due_articles(T0) == []
    assert all(set(a) == set(ARTICLE_FIELDS) for a in store.due_articles(now))


def test_count(store: Store) -> None:
    assert [store.count(kind) for kind in ("articles", "versions", "checks")] == [0, 0, 0]
    save(store, "one", 0)
    save(store, "two", 1)
    store.record_check(article(), check("unchanged"))
    store.record_check(article("a2"), check("error", status=500))
    assert [store.count(kind) for kind in ("articles", "versions", "checks")] == [2, 2, 4]
    with pytest.raises(ValueError):
        store.count("nonsense")


# --- values round trip -------------------------------------------------------------------

def test_text_round_trips_exactly(store: Store) -> None:
    texts = [
        "Emoji 😀👍🏽🏳️‍🌈 and CJK 日本語の記事、中文新闻，한국어 기사",
        "RTL: مقالة إخبارية — עברית; combining: é (e\u0301), ZWJ \u200d, LS \u2028 PS \u2029",
        "Quotes ' \" ` \\ and { \"json\": [1] } and SQL '); DROP TABLE versions; --",
        "  leading and trailing spaces, tab\tand\nnewline  ",
    ]
    doc = version(
        "uni", headline=texts[0], description=texts[1], paragraphs=texts,
        authors=["Zoë Ærøskøbing", "李雷", "O'Brien"],
        diff={"a.b": {"$set": 1}, "1": [("tuple", 2)], "nested": {"x": None, "y": 1.5}},
        diff_stats={3: "int key", "ok": True},
    )
    store.save_version(article(headline=texts[0]), doc, check("new"), expected_count=0)
    got = store.get_version("a1", 1)
    assert got is not None
    assert (got["headline"], got["description"], got["paragraphs"], got["authors"]) == (
        texts[0], texts[1], texts, ["Zoë Ærøskøbing", "李雷", "O'Brien"])
    # JSON semantics in every store: tuples become lists, keys become strings.
    assert got["diff"] == {"a.b": {"$set": 1}, "1": [["tuple", 2]], "nested": {"x": None, "y": 1.5}}
    assert got["diff_stats"] == {"3": "int key", "ok": True}
    assert store.get_article("a1")["headline"] == texts[0]  # type: ignore[index]


def test_html_bytes_round_trip(store: Store) -> None:
    rng = random.Random(7)
    noise = bytes(rng.getrandbits(8) for _ in range(50_000))
    page = zlib.compress(b"<html>" + noise + b"\x00\xff</html>")
    save(store, "one", 0)
    store.save_version(article(), version("two", html=page), check("changed"), expected_count=1)
    store.save_version(article(), version("three", html=None, html_encoding=None), check("changed"),
                       expected_count=2)
    got = store.get_version("a1", 2)
    assert got is not None and type(got["html"]) is bytes and got["html"] == page
    assert zlib.decompress(got["html"]).endswith(b"\x00\xff</html>")
    assert store.get_version("a1", 3)["html"] is None  # type: ignore[index]


def test_datetimes_come_back_aware_utc(store: Store) -> None:
    fetched = dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))
    naive = dt.datetime(2024, 5, 6, 1, 0, 0, 999999)  # naive means UTC
    store.save_version(
        article(at=naive, next_check_at="2024-05-07T00:00:00.5Z", published_at=fetched),
        version("one", at=fetched), check("new", at=naive), expected_count=0,
    )
    stored = store.get_article("a1")
    got = store.get_version("a1", 1)
    [recorded] = store.list_checks("a1")
    assert stored is not None and got is not None
    values = [stored["last_checked_at"], stored["next_check_at"], stored["published_at"],
              stored["first_seen_at"], got["fetched_at"], recorded["at"]]
    assert all(v.tzinfo is not None and v.utcoffset() == dt.timedelta(0) for v in values)
    assert ms(values) == ms([
        naive.replace(tzinfo=UTC), dt.datetime(2024, 5, 7, 0, 0, 0, 500000, tzinfo=UTC),
        fetched, naive.replace(tzinfo=UTC), fetched, naive.replace(tzinfo=UTC),
    ])
    assert got["fetched_at"] == fetched.astimezone(UTC) or store_is_mongo(store)


def store_is_mongo(store: Store) -> bool:
    return store.uri.startswith("mongodb")


def test_both_stores_return_the_same_documents(tmp_path: Any, mongo_db_uri: str) -> None:
    """The same sequence of calls on both stores, every read compared (times to the ms)."""
    stores = [open_store(f"sqlite:///{tmp_path}/same.sqlite3"), open_store(mongo_db_uri)]
    try:
        outputs = []
        for s in stores:
            t = dt.datetime(2024, 1, 1, 0, 0, 0, 654321, tzinfo=UTC)
            s.record_check(article("x", at=t, last_status=404, last_outcome="gone"), check("gone", at=t, status=404))
            for n in range(4):
                when = t + dt.timedelta(minutes=n + 1, microseconds=n)
                save(s, f"v{n}", n, at=when, next_check_at=when + dt.timedelta(hours=1))
                s.record_check(article(at=when), check("unchanged", at=when))
            due = T0 + dt.timedelta(days=3000)
            outputs.append(ms([
                s.get_article("a1"), s.get_article("x"), s.latest_version("a1"),
                [s.get_version("a1", n) for n in range(6)], s.list_versions("a1"),
                s.list_checks("a1"), s.list_checks("a1", limit=3), s.list_checks("x"),
                list(s.iter_articles(states=("active", "retired", "gone"))),
                s.due_articles(due), [s.count(k) for k in ("articles", "versions", "checks")],
            ]))
        assert outputs[0] == outputs[1]
    finally:
        for s in stores:
            s.close()


# --- concurrency -------------------------------------------------------------------------

def _race_once(uri: str, expected: int, tag: str, barrier: threading.Barrier) -> int | None:
    with open_store(uri) as own:
        barrier.wait()
        try:
            return save(own, tag, expected)
        except VersionConflict:
            return None


def test_two_writers_of_the_same_number_one_wins(store: Store, store_uri: str) -> None:
    save(store, "one", 0)
    with ThreadPoolExecutor(2) as pool:
        for expected in range(1, 6):
            barrier = threading.Barrier(2)
            results = list(pool.map(
                lambda tag: _race_once(store_uri, expected, tag, barrier), [f"{expected}a", f"{expected}b"]
            ))
            assert sorted(results, key=str) == [expected + 1, None], results
    assert [v["version"] for v in store.list_versions("a1")] == [1, 2, 3, 4, 5, 6]
    assert store.count("checks") == 6


def _write_until(uri: str, tag: str, wanted: int) -> tuple[list[int], list[str], int]:
    """Write ``wanted`` versions of a1, re-reading after every conflict (as the pipeline does)."""
    numbers: list[int] = []
    hashes: list[str] = []
    conflicts = 0
    with open_store(uri) as own:
        while len(numbers) < wanted:
            latest = own.latest_version("a1")
            expected = latest["version"] if latest else 0
            name = f"{tag}-{len(numbers)}"
            try:
                numbers.append(save(own, name, expected))
                hashes.append(f"hash-{name}")
            except VersionConflict:
                conflicts += 1
    return numbers, hashes, conflicts


def _check_race_result(store: Store, results: list[tuple[list[int], list[str], int]], total: int) -> None:
    won = sorted(n for numbers, _, _ in results for n in numbers)
    assert won == list(range(1, total + 1)), "every number won exactly once"
    stored = {v["version"]: v["content_hash"] for v in store.list_versions("a1")}
    assert sorted(stored) == list(range(1, total + 1)), "no gap and no duplicate"
    for numbers, hashes, _ in results:
        assert [stored[n] for n in numbers] == hashes, "each number holds its winner's version"
    stored_article = store.get_article("a1")
    assert stored_article is not None and stored_article["version_count"] == total
    assert stored_article["latest_hash"] == stored[total]
    versions_of_checks = Counter(c["version"] for c in store.list_checks("a1"))
    assert versions_of_checks == Counter(range(1, total + 1)), "one check per version"
    assert store.count("versions") == total


def test_racing_threads_write_versions_without_gaps(store: Store, store_uri: str) -> None:
    per_writer = 12
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda tag: _write_until(store_uri, tag, per_writer), ["t1", "t2"]))
    _check_race_result(store, results, 2 * per_writer)


def test_racing_processes_write_versions_without_gaps(store: Store, store_uri: str) -> None:
    per_writer = 10
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(_write_until, store_uri, tag, per_writer) for tag in ("p1", "p2")]
        results = [future.result(timeout=120) for future in futures]
    _check_race_result(store, results, 2 * per_writer)


# --- MongoDB only: the document size limit and outages ---------------------------------

def test_oversized_html_is_dropped_and_oversized_text_refused(mongo_db_uri: str) -> None:
    with open_store(mongo_db_uri) as store:
        huge_html = os.urandom(17 * 1024 * 1024)  # incompressible: stays over 16 MiB
        number = store.save_version(article(), version("one", html=huge_html), check("new"), expected_count=0)
        got = store.get_version("a1", number)
        assert got is not None
        assert (got["html"], got["html_encoding"]) == (None, "omitted-too-large")
        assert got["paragraphs"] == version("one")["paragraphs"]

        huge_text = ["x" * (1024 * 1024)] * 17
        with pytest.raises(StoreError, match=r"article a1\b.*16777216") as caught:
            store.save_version(article(), version("two", paragraphs=huge_text), check("changed"),
                               expected_count=1)
        assert not isinstance(caught.value, VersionConflict)
        # Nothing of the refused version was written, and the article goes on.
        assert (store.count("versions"), store.count("checks")) == (1, 1)
        assert store.get_article("a1")["version_count"] == 1  # type: ignore[index]
        assert save(store, "two", 1) == 2


def test_a_write_during_an_outage_lands_exactly_once(private_ferretdb: Any) -> None:
    from tracker.store.mongo import MongoStore

    uri = private_ferretdb.uri + "outage"
    store = MongoStore(uri, serverSelectionTimeoutMS=300, retries=30, retry_backoff=0.05)
    try:
        save(store, "one", 0)
        private_ferretdb.kill()
        outcome: dict[str, Any] = {}

        def write() -> None:
            try:
                outcome["number"] = save(store, "two", 1)
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                outcome["error"] = exc

        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(1.5)
        assert writer.is_alive(), f"gave up while the server was down: {outcome}"
        private_ferretdb.start()
        writer.join(timeout=60)
        assert outcome == {"number": 2}
        assert [v["content_hash"] for v in store.list_versions("a1")] == ["hash-one", "hash-two"]
        assert [c["version"] for c in store.list_checks("a1")] == [2, 1]
        assert store.get_article("a1")["version_count"] == 2  # type: ignore[index]

        # A server that stays away: a bounded wait, then StoreUnavailable, nothing written.
        impatient = MongoStore(uri, serverSelectionTimeoutMS=200, retries=3, retry_backoff=0.05)
        private_ferretdb.kill()
        started = time.monotonic()
        with pytest.raises(StoreUnavailable) as caught:
            save(impatient, "three", 2)
        assert time.monotonic() - started < 10
        message = str(caught.value)
        assert message.startswith(f"MongoDB unreachable at {uri}: ") and "\n" not in message
        private_ferretdb.start()
        assert save(impatient, "three", 2) == 3  # the same client recovers
        assert store.count("versions") == 3 and store.count("checks") == 3
        impatient.close()
    finally:
        store.close()
