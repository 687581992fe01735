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


def test_find_version_by_hash_gives_the_first_version_with_that_text(store: Store) -> None:
    for n, tag in enumerate(["one", "two", "one"]):  # version 3 reverts to version 1
        save(store, tag, n, at=T0 + dt.timedelta(hours=n))
    save(store, "three", 0, aid="a2")
    found = store.find_version_by_hash("a1", "hash-one")
    assert found is not None and (found["version"], found["headline"]) == (1, "Headline one")
    assert found == next(v for v in store.list_versions("a1") if v["version"] == 1)
    assert store.find_version_by_hash("a1", "hash-two")["version"] == 2  # type: ignore[index]
    assert store.find_version_by_hash("a1", "hash-three") is None  # another article's text
    assert store.find_version_by_hash("nope", "hash-one") is None


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


def test_articles_by_id_pages_every_state_in_id_order(store: Store) -> None:
    layout = [("b2", "beta", "active"), ("a1", "alpha", "retired"), ("c1", "gamma", "gone"),
              ("a2", "alpha", "active"), ("b1", "beta", "active")]
    for n, (aid, outlet, state) in enumerate(layout):
        store.record_check(article(aid, at=T0 - dt.timedelta(minutes=n), outlet=outlet, state=state),
                           check("error", at=T0))

    def ids(**kwargs: Any) -> list[str]:
        return [a["article_id"] for a in store.articles_by_id(**kwargs)]

    assert ids() == ["a1", "a2", "b1", "b2", "c1"]
    assert ids(limit=2) == ["a1", "a2"]
    assert ids(after="a2", limit=2) == ["b1", "b2"]
    assert ids(after="b2") == ["c1"] and ids(after="c1") == []
    assert ids(outlets={"alpha", "gamma"}) == ["a1", "a2", "c1"]
    assert ids(outlets={"beta"}, after="b1") == ["b2"] and ids(outlets=set()) == []
    assert store.articles_by_id(after="b2") == [store.get_article("c1")]


def test_iter_versions_are_whole_oldest_first_html_on_request(store: Store) -> None:
    for n, tag in enumerate(("one", "two", "three")):
        save(store, tag, n, at=T0 + dt.timedelta(hours=n))
    save(store, "other", 0, aid="b1")

    whole = [store.get_version("a1", n) for n in (1, 2, 3)]
    assert list(store.iter_versions("a1", html=True)) == whole
    without = list(store.iter_versions("a1"))
    assert [v["version"] for v in without] == [1, 2, 3]
    assert without == [{k: v for k, v in version.items() if k != "html"} for version in whole]  # type: ignore[union-attr]
    assert without[2]["paragraphs"] == version("three")["paragraphs"]
    assert list(store.iter_versions("nope")) == []


def test_iter_checks_oldest_first(store: Store) -> None:
    save(store, "one", 0)
    later = T0 + dt.timedelta(minutes=5)
    for outcome in ("unchanged", "error", "boring"):  # three at the same instant: as recorded
        store.record_check(article("a1", at=later), check(outcome, at=later))
    store.record_check(article("a1", at=T0 - dt.timedelta(minutes=1)), check("gone", at=T0 - dt.timedelta(minutes=1)))

    checks = list(store.iter_checks("a1"))
    assert [c["outcome"] for c in checks] == ["gone", "new", "unchanged", "error", "boring"]
    assert checks == list(reversed(store.list_checks("a1")))
    assert list(store.iter_checks("nope")) == []


def test_export_reads_agree_with_the_generic_fallbacks(store: Store) -> None:
    for n, aid in enumerate(("c1", "a1", "b1")):
        outlet = ("x", "y")[n % 2]
        save(store, "one", 0, aid=aid, outlet=outlet, at=T0 + dt.timedelta(minutes=n))
        save(store, "two", 1, aid=aid, outlet=outlet, at=T0 + dt.timedelta(minutes=n, hours=1))
    assert [a["article_id"] for a in store.articles_by_id({"x"})] == ["b1", "c1"]
    assert store.articles_by_id({"x"}, after="b1") == Store.articles_by_id(store, {"x"}, after="b1")
    assert store.articles_by_id(limit=2) == Store.articles_by_id(store, limit=2)
    assert list(store.iter_versions("b1")) == list(Store.iter_versions(store, "b1"))
    assert list(store.iter_versions("b1", html=True)) == list(Store.iter_versions(store, "b1", html=True))
    assert list(store.iter_checks("b1")) == list(Store.iter_checks(store, "b1"))


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


# --- reads for the web view ------------------------------------------------------------------


def save_in(store: Store, aid: str, outlet: str, tag: str, expected: int, at: dt.datetime,
            **fields: Any) -> int:
    """Like ``save``, with the outlet on the version too (as crawls write it)."""
    outcome = "new" if expected == 0 else "changed"
    return store.save_version(
        article(aid, at=at, outlet=outlet, headline=f"Headline {tag}", last_changed_at=at,
                last_outcome=outcome, **fields),
        version(tag, at=at, outlet=outlet, headline=f"Headline {tag}",
                paragraphs=[f"Body of {tag} with words."]),
        check(outcome, at=at), expected_count=expected,
    )


def test_recent_versions_newest_first_per_outlet_in_pages(store: Store) -> None:
    for n, (aid, outlet) in enumerate([("a1", "alpha"), ("b1", "beta"), ("a2", "alpha")]):
        save_in(store, aid, outlet, f"{aid} first", 0, T0 + dt.timedelta(hours=n))
    save_in(store, "a1", "alpha", "a1 second", 1, T0 + dt.timedelta(hours=5))

    def keys(**kwargs: Any) -> list[tuple[str, int]]:
        return [(v["article_id"], v["version"]) for v in store.recent_versions(**kwargs)]

    assert keys() == [("a1", 2), ("a2", 1), ("b1", 1), ("a1", 1)]
    assert keys(outlet="alpha") == [("a1", 2), ("a2", 1), ("a1", 1)]
    assert keys(limit=2, offset=1) == [("a2", 1), ("b1", 1)] and keys(offset=10) == []
    assert keys(outlet="nobody") == []
    [newest] = store.recent_versions(limit=1)
    assert not set(VERSION_BULK_FIELDS) & set(newest)
    assert newest["headline"] == "Headline a1 second" and newest["fetched_at"] == T0 + dt.timedelta(hours=5)
    [with_diff] = store.recent_versions(limit=1, with_diff=True)
    assert with_diff["diff"] == version("x")["diff"] and "paragraphs" not in with_diff and "html" not in with_diff
    # One article's (its feed), newest first, with diffs: the same as the plain fallback.
    mine = store.recent_versions(article_id="a1", with_diff=True)
    assert [(v["article_id"], v["version"]) for v in mine] == [("a1", 2), ("a1", 1)]
    assert all(v["diff"] == version("x")["diff"] and "paragraphs" not in v for v in mine)
    assert mine == Store.recent_versions(store, article_id="a1", with_diff=True)
    assert keys(article_id="a1", limit=1) == [("a1", 2)] and keys(article_id="a1", outlet="beta") == []
    assert keys(article_id="nobody") == []


def test_list_articles_most_recently_changed_first_with_filters_and_keyset(store: Store) -> None:
    layout = [("a1", "alpha", 0), ("b1", "beta", 1), ("a2", "alpha", 2), ("a3", "alpha", 2)]
    for aid, outlet, hours in layout:
        save_in(store, aid, outlet, aid, 0, T0 + dt.timedelta(hours=hours))
    store.record_check(article("g1", outlet="alpha", state="gone"), check("gone", status=404))  # no version

    def ids(**kwargs: Any) -> list[str]:
        return [a["article_id"] for a in store.list_articles(**kwargs)]

    assert ids() == ["a3", "a2", "b1", "a1"]  # a tie on the time: article_id descending
    assert ids(outlet="alpha") == ["a3", "a2", "a1"] and ids(state="gone") == []
    assert ids(changed_since=T0 + dt.timedelta(hours=1)) == ["a3", "a2", "b1"]
    assert ids(after=(T0 + dt.timedelta(hours=2), "a3"), limit=2) == ["a2", "b1"]
    assert ids(after=(T0 + dt.timedelta(hours=2), "a2")) == ["b1", "a1"]
    assert ids(outlet="alpha", after=(T0 + dt.timedelta(hours=2), "a2")) == ["a1"]
    assert store.list_articles(limit=1) == [store.get_article("a3")]


def test_search_matches_every_word_of_the_latest_headline(store: Store) -> None:
    save_in(store, "a1", "alpha", "Senate approves budget", 0, T0)
    save_in(store, "a1", "alpha", "Senate passes budget", 1, T0 + dt.timedelta(hours=1))
    save_in(store, "b1", "beta", "Budget talks stall", 0, T0)

    def ids(query: str, **kwargs: Any) -> list[str]:
        return sorted(a["article_id"] for a in store.search(query, **kwargs))

    assert ids("budget") == ["a1", "b1"]
    assert ids("SENATE passes") == ["a1"] and ids("senate approves") == []  # the latest headline only
    assert ids("budg") == ["a1", "b1"]  # words match from their start
    assert ids("enate") == [] and ids("") == [] and ids('") OR *') == []
    assert len(store.search("budget", limit=1)) == 1 and store.search("budget", offset=2) == []
    assert store.search("talks")[0] == store.get_article("b1")


def test_outlet_counts_and_versions_since(store: Store) -> None:
    now = T0 + dt.timedelta(days=1)
    save_in(store, "a1", "alpha", "a1", 0, T0, next_check_at=now - dt.timedelta(minutes=1))
    save_in(store, "a1", "alpha", "a1 again", 1, now - dt.timedelta(hours=2), next_check_at=now + dt.timedelta(hours=1))
    save_in(store, "a2", "alpha", "a2", 0, T0, next_check_at=now - dt.timedelta(hours=1))
    save_in(store, "a3", "alpha", "a3", 0, T0, state="retired")
    store.record_check(article("b1", outlet="beta", state="gone", at=T0 + dt.timedelta(hours=3)), check("gone"))

    counts = store.outlet_counts(now)
    assert counts == {
        "alpha": {"tracked": 3, "active": 2, "retired": 1, "gone": 0, "due_now": 1,
                  "last_crawl": now - dt.timedelta(hours=2)},
        "beta": {"tracked": 1, "active": 0, "retired": 0, "gone": 1, "due_now": 0,
                 "last_crawl": T0 + dt.timedelta(hours=3)},
    }
    assert store.versions_since(now - dt.timedelta(hours=24)) == {"alpha": 4}
    assert store.versions_since(now - dt.timedelta(hours=3)) == {"alpha": 1}
    assert counts == Store.outlet_counts(store, now)  # the indexed query agrees with the plain fallback
    assert store.versions_since(T0) == Store.versions_since(store, T0)
    # One outlet's only (the outlet page): the same rows, and none for an unknown outlet.
    for outlet in ("alpha", "beta", "nobody"):
        expected = {outlet: counts[outlet]} if outlet in counts else {}
        assert store.outlet_counts(now, outlet=outlet) == expected == Store.outlet_counts(store, now, outlet=outlet)
    day_ago = now - dt.timedelta(hours=24)
    assert store.versions_since(day_ago, outlet="alpha") == {"alpha": 4}
    assert store.versions_since(day_ago, outlet="beta") == {} == store.versions_since(day_ago, outlet="nobody")
    assert store.versions_since(T0, outlet="alpha") == Store.versions_since(store, T0, outlet="alpha")


def test_pending_counts_are_active_articles_without_a_version(store: Store) -> None:
    save_in(store, "a1", "alpha", "a1", 0, T0)
    store.record_check(article("a2", outlet="alpha", last_outcome="error"), check("error", status=None))
    store.record_check(article("a3", outlet="alpha", state="gone"), check("gone", status=404))
    store.record_check(article("b1", outlet="beta", last_outcome="error"), check("error", status=None))
    assert store.pending_counts() == {"alpha": 1, "beta": 1}
    assert store.pending_counts() == Store.pending_counts(store)  # the query agrees with the fallback


def run(outlet: str, finished: dt.datetime, **fields: Any) -> dict[str, Any]:
    return {
        "outlet": outlet, "started_at": finished - dt.timedelta(seconds=90), "finished_at": finished,
        "seconds": 90.5, "requests": 12, "fetched": 10, "failed": 2, "failures": {"http_404": 1, "timeout": 1},
        "new_articles": 3, "new_versions": 1, "unchanged": 4, "not_modified": 2, "exit_status": 0,
        "store": "sqlite:///not/kept", **fields,
    }


def test_last_runs_gives_the_latest_run_of_each_outlet(store: Store) -> None:
    assert store.last_runs() == {}
    store.record_run(run("alpha", T0 + dt.timedelta(hours=1)))
    store.record_run(run("alpha", T0 + dt.timedelta(hours=2), fetched=0, failed=12, exit_status=3))
    store.record_run(run("alpha", T0))  # recorded late, finished earlier
    store.record_run(run("beta", T0))
    latest = store.last_runs()
    assert sorted(latest) == ["alpha", "beta"]
    expected = {key: value for key, value in run("alpha", T0 + dt.timedelta(hours=2), fetched=0, failed=12, exit_status=3).items() if key != "store"}
    assert latest["alpha"] == expected
    assert latest["beta"]["finished_at"] == T0 and latest["beta"]["failures"] == {"http_404": 1, "timeout": 1}


def test_count(store: Store) -> None:
    assert [store.count(kind) for kind in ("articles", "versions", "checks")] == [0, 0, 0]
    save(store, "one", 0)
    save(store, "two", 1)
    store.record_check(article(), check("unchanged"))
    store.record_check(article("a2"), check("error", status=500))
    assert [store.count(kind) for kind in ("articles", "versions", "checks")] == [2, 2, 4]
    with pytest.raises(ValueError):
        store.count("nonsense")


# --- notifications (tracker notify) ------------------------------------------------------

def test_versions_after_walks_versions_in_the_order_they_were_written(store: Store) -> None:
    save(store, "one", 0, at=T0 + dt.timedelta(hours=2))
    time.sleep(0.005)  # distinct write times, even at BSON's millisecond precision
    save(store, "first-of-a2", 0, aid="a2", at=T0)  # fetched earlier (a spool replay), written later
    time.sleep(0.005)
    save(store, "two", 1, at=T0 + dt.timedelta(hours=3))
    walked = store.versions_after(None)
    assert [(v["article_id"], v["version"]) for v in walked] == [("a1", 1), ("a2", 1), ("a1", 2)]
    times = [v["stored_at"] for v in walked]
    assert times == sorted(times) and all(t.tzinfo is not None for t in times)
    assert walked[2]["diff"] == version("two")["diff"] and walked[2]["headline"] == "Headline two"
    assert all("paragraphs" not in v and "html" not in v for v in walked)
    first_page = store.versions_after(None, limit=2)
    last = first_page[-1]
    rest = store.versions_after((last["stored_at"], last["article_id"], last["version"]), limit=2)
    assert [(v["article_id"], v["version"]) for v in first_page + rest] == [("a1", 1), ("a2", 1), ("a1", 2)]
    assert store.versions_after((times[-1], "a1", 2)) == []
    assert "stored_at" not in store.get_version("a1", 1) and "_stored_at" not in store.get_version("a1", 1)  # type: ignore[operator]


def test_notifications_are_queued_once_and_their_rule_state_kept(store: Store) -> None:
    assert store.notify_rule_state("r1") is None
    state = {"rule_id": "r1", "target": "json://example/***", "since": T0,
             "cursor": ["2024-03-01T12:00:00Z", "a1", 1], "recent_sends": ["2024-03-01T12:00:00Z"]}
    store.save_notify_rule_state(state)
    assert store.notify_rule_state("r1") == state
    store.save_notify_rule_state({**state, "cursor": ["2024-03-01T13:00:00Z", "a2", 4]})
    assert store.notify_rule_state("r1")["cursor"] == ["2024-03-01T13:00:00Z", "a2", 4]  # type: ignore[index]

    def queued(aid: str, number: int, rule: str = "r1", due: dt.datetime = T0) -> dict[str, Any]:
        return {"rule_id": rule, "article_id": aid, "version": number, "status": "pending", "attempts": 0,
                "created_at": due, "next_attempt_at": due}

    assert store.add_notification(queued("a1", 2)) is True
    assert store.add_notification({**queued("a1", 2), "status": "sent"}) is False  # never twice
    assert store.add_notification(queued("a1", 3, due=T0 + dt.timedelta(hours=1))) is True
    assert store.add_notification(queued("a1", 2, rule="r2")) is True
    assert [n["version"] for n in store.due_notifications("r1", T0)] == [2]
    assert [n["version"] for n in store.due_notifications("r1", T0 + dt.timedelta(hours=1))] == [2, 3]
    store.update_notification({"rule_id": "r1", "article_id": "a1", "version": 2, "status": "sent",
                               "attempts": 1, "sent_at": T0})
    assert [n["version"] for n in store.due_notifications("r1", T0 + dt.timedelta(hours=1))] == [3]
    sent = store.list_notifications("r1")[0]
    assert sent == {**queued("a1", 2), "status": "sent", "attempts": 1, "sent_at": T0, "error": None}
    assert len(store.list_notifications()) == 3 and store.due_notifications("r2", T0)[0]["status"] == "pending"


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
