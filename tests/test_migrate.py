"""Migration between stores: SQLite -> MongoDB -> SQLite, re-runs, interruptions."""

from __future__ import annotations

import datetime as dt
import os
import zlib
from typing import Any

import pytest

from tracker.migrate import migrate
from tracker.store import Store, StoreError, open_store
from tracker.store.base import ARTICLE_STATES

UTC = dt.timezone.utc
T0 = dt.datetime(2024, 2, 1, 8, 0, 0, tzinfo=UTC)


def snapshot(store: Store) -> dict[str, Any]:
    """Everything a store holds, through the public interface."""
    articles = list(store.iter_articles(states=ARTICLE_STATES))
    return {
        "counts": [store.count(kind) for kind in ("articles", "versions", "checks")],
        "articles": {
            a["article_id"]: {
                "article": store.get_article(a["article_id"]),
                "versions": [store.get_version(a["article_id"], v["version"])
                             for v in store.list_versions(a["article_id"])],
                "checks": store.list_checks(a["article_id"]),
            }
            for a in articles
        },
    }


def fill(store: Store) -> None:
    """A small but varied history: outlets, states, errors, ties, unicode, bytes, diffs."""
    for i in range(6):
        aid = f"art{i}"
        outlet = "alpha" if i % 2 else "beta"
        state = ARTICLE_STATES[i % 3]
        url = f"https://news.example/{outlet}/{i}"
        base = T0 + dt.timedelta(hours=i, milliseconds=137 * i)
        if i == 5:  # seen once, never with content
            store.record_check(
                {"article_id": aid, "url": url, "outlet": outlet, "last_checked_at": base,
                 "last_status": 500, "last_outcome": "error", "consecutive_errors": 1, "state": state},
                {"at": base, "url": url, "status": 500, "outcome": "error", "error": "HTTP 500"},
            )
            continue
        for n in range(1, i + 2):
            at = base + dt.timedelta(minutes=10 * n)
            paragraphs = [f"Absatz {n} — 記事 {i} 😀", f"Second paragraph, version {n}."]
            store.save_version(
                {"article_id": aid, "url": url, "outlet": outlet, "last_checked_at": at,
                 "last_changed_at": at, "latest_hash": f"h{i}.{n}", "latest_raw_hash": f"r{i}.{n}",
                 "headline": f"Headline {i}.{n} «quoted»", "next_check_at": at + dt.timedelta(hours=2),
                 "state": state, "etag": f'"e{n}"', "checks_since_change": 0,
                 "published_at": base, "last_outcome": "new" if n == 1 else "changed"},
                {"fetched_at": at, "url": url + "?amp", "content_hash": f"h{i}.{n}",
                 "raw_hash": f"r{i}.{n}", "headline": f"Headline {i}.{n} «quoted»",
                 "authors": ["Zoë", "李雷"], "datePublished": "2024-02-01", "paragraphs": paragraphs,
                 "word_count": 9, "extractor": "jsonld",
                 "html": zlib.compress(os.urandom(300) + f"<p>{n}</p>".encode()), "html_encoding": "zlib",
                 "diff": None if n == 1 else {"paragraphs": [{"op": "replace", "words": [["-", "a"], ["+", "b"]]}]},
                 "diff_stats": None if n == 1 else {"words_added": 1}},
                {"at": at, "url": url, "status": 200, "outcome": "new" if n == 1 else "changed",
                 "content_hash": f"h{i}.{n}", "duration_ms": 30 + n, "etag": f'"e{n}"'},
                expected_count=n - 1,
            )
            for k in range(2):  # two identical checks at the same instant: both must survive
                store.record_check(
                    {"article_id": aid, "url": url, "last_checked_at": at + dt.timedelta(minutes=5),
                     "checks_since_change": k + 1, "last_outcome": "unchanged"},
                    {"at": at + dt.timedelta(minutes=5), "url": url, "status": 304,
                     "outcome": "not_modified", "version": n},
                )


@pytest.fixture
def source(tmp_path: Any) -> Any:
    store = open_store(f"sqlite:///{tmp_path}/source.sqlite3")
    fill(store)
    yield store
    store.close()


@pytest.fixture
def mongo(mongo_db_uri: str) -> Any:
    store = open_store(mongo_db_uri)
    yield store
    store.close()


def test_sqlite_to_mongo_to_sqlite_is_lossless(source: Store, mongo: Store, tmp_path: Any) -> None:
    expected = snapshot(source)
    assert expected["counts"] == [6, 15, 46]
    seen: list[dict[str, int]] = []

    there = migrate(source, mongo, progress=seen.append)
    assert there == {"articles": 6, "versions": 15, "versions_skipped": 0, "checks": 46,
                     "checks_skipped": 0, "checks_synthesised": 0}
    assert [p["articles"] for p in seen] == [1, 2, 3, 4, 5, 6]
    assert snapshot(mongo) == expected

    with open_store(f"sqlite:///{tmp_path}/back.sqlite3") as back:
        assert migrate(mongo, back)["versions"] == 15
        assert snapshot(back) == expected
        hashes = {(a, v["version"]): v["content_hash"]
                  for a, d in snapshot(back)["articles"].items() for v in d["versions"]}
        assert len(hashes) == 15 and hashes[("art4", 5)] == "h4.5"


def test_a_second_run_writes_nothing(source: Store, mongo: Store) -> None:
    migrate(source, mongo)
    before = snapshot(mongo)
    again = migrate(source, mongo)
    assert again == {"articles": 6, "versions": 0, "versions_skipped": 15, "checks": 0,
                     "checks_skipped": 46, "checks_synthesised": 0}
    assert snapshot(mongo) == before


class Interrupted(Exception):
    pass


class DiesAfter:
    """The target store, interrupted (crash, Ctrl-C) after ``writes`` writes."""

    def __init__(self, store: Store, writes: int) -> None:
        self._store = store
        self._left = writes

    def _tick(self) -> None:
        if self._left == 0:
            raise Interrupted
        self._left -= 1

    def save_version(self, *args: Any, **kwargs: Any) -> int:
        self._tick()
        return self._store.save_version(*args, **kwargs)

    def record_check(self, *args: Any, **kwargs: Any) -> None:
        self._tick()
        self._store.record_check(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


@pytest.mark.parametrize("writes", [0, 1, 7, 23, 45])
def test_an_interrupted_migration_completes_when_run_again(source: Store, mongo: Store, writes: int) -> None:
    with pytest.raises(Interrupted):
        migrate(source, DiesAfter(mongo, writes))  # type: ignore[arg-type]
    assert mongo.count("checks") == writes
    resumed = migrate(source, mongo)
    assert resumed["versions"] + resumed["versions_skipped"] == 15
    assert resumed["checks"] == 46 - writes
    assert snapshot(mongo) == snapshot(source)


def test_a_version_without_its_check_gets_one(source: Store, mongo: Store) -> None:
    source._db.execute("DELETE FROM checks WHERE article_id = 'art2' AND version = 2 AND outcome = 'changed'")  # type: ignore[attr-defined]  # noqa: SLF001
    result = migrate(source, mongo)
    assert result["checks_synthesised"] == 1
    assert [v["content_hash"] for v in mongo.list_versions("art2")] == ["h2.1", "h2.2", "h2.3"]
    made = [c for c in mongo.list_checks("art2") if c["version"] == 2 and c["outcome"] == "changed"]
    assert len(made) == 1 and made[0]["content_hash"] == "h2.2"
    assert migrate(source, mongo)["versions"] == 0


def test_a_target_holding_other_versions_is_refused(source: Store, mongo: Store) -> None:
    mongo.save_version({"article_id": "art1", "url": "https://elsewhere.example/1"},
                       {"content_hash": "different"}, {"at": T0, "outcome": "new"}, expected_count=0)
    with pytest.raises(StoreError, match="art1.*version 1"):
        migrate(source, mongo)


def test_sub_millisecond_times_are_kept_to_the_millisecond(tmp_path: Any, mongo: Store) -> None:
    at = dt.datetime(2024, 1, 1, 0, 0, 0, 123456, tzinfo=UTC)
    with open_store(f"sqlite:///{tmp_path}/us.sqlite3") as precise:
        precise.save_version({"article_id": "a", "url": "https://x.example/a", "last_checked_at": at},
                             {"content_hash": "h", "fetched_at": at}, {"at": at, "outcome": "new"},
                             expected_count=0)
        migrate(precise, mongo)
        assert migrate(precise, mongo)["checks"] == 0  # the key compares at millisecond precision
    assert mongo.get_version("a", 1)["fetched_at"] == at.replace(microsecond=123000)  # type: ignore[index]
    assert mongo.list_checks("a")[0]["at"] == at.replace(microsecond=123000)
