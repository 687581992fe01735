"""What the SQLite store does for the web view: full-text search kept in step, indexed listings,
pages whose cost does not grow with the archive (counted in queries and SQLite steps, never timed)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tracker.store.sqlite import SEARCH_TABLE, SQLiteStore
from tracker.web import create_app

T0 = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.timezone.utc)


def save(store: SQLiteStore, aid: str, headline: str, paragraphs: list[str], expected: int) -> None:
    at = T0 + dt.timedelta(hours=expected)
    store.save_version(
        {"article_id": aid, "url": f"https://news.example/{aid}", "outlet": "example",
         "last_checked_at": at, "last_changed_at": at, "headline": headline},
        {"fetched_at": at, "outlet": "example", "headline": headline, "paragraphs": paragraphs},
        {"at": at, "status": 200, "outcome": "changed" if expected else "new"},
        expected_count=expected,
    )


def found(store: SQLiteStore, query: str) -> list[str]:
    return [article["article_id"] for article in store.search(query)]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "tracker.sqlite3"


def test_search_follows_each_new_version(path: Path) -> None:
    with SQLiteStore(f"sqlite:///{path}") as store:
        save(store, "a1", "Storm nears", ["Residents of the coast were told to leave their homes."], 0)
        save(store, "b1", "Vote delayed", ["The vote on the budget moved to Friday."], 0)
        assert found(store, "coast residents") == ["a1"]
        save(store, "a1", "Storm makes landfall", ["The hurricane reached land near the harbour."], 1)
        assert found(store, "residents") == [] and found(store, "harbour") == ["a1"]
        assert found(store, "landfall") == ["a1"] and found(store, "budget") == ["b1"]
        assert found(store, "Hárbour") == ["a1"]  # diacritics folded
        rows = store._db.execute(f"SELECT COUNT(*) FROM {SEARCH_TABLE}").fetchone()[0]
        assert rows == 2  # one entry per article, not per version


def test_an_archive_without_the_index_gets_it_on_open(path: Path) -> None:
    with SQLiteStore(f"sqlite:///{path}") as store:
        save(store, "a1", "Storm nears", ["Residents of the coast were told to leave."], 0)
        save(store, "a1", "Storm makes landfall", ["The hurricane reached land near the harbour."], 1)
    with sqlite3.connect(path) as db:  # as an archive written before search existed
        db.execute(f"DROP TABLE {SEARCH_TABLE}")
    with SQLiteStore(f"sqlite:///{path}") as store:
        assert found(store, "harbour landfall") == ["a1"] and found(store, "residents") == []
    with SQLiteStore(f"sqlite:///{path}") as store:  # built once: opening again changes nothing
        assert store._db.execute(f"SELECT COUNT(*) FROM {SEARCH_TABLE}").fetchone()[0] == 1


def connections(store: SQLiteStore) -> list[sqlite3.Connection]:
    """The store's connections: it writes through one and reads through the other."""
    return [store._db] + ([store._reader] if store._reader is not None else [])


def plans(store: SQLiteStore, call: Callable[[], object]) -> list[str]:
    """The query plan of each statement that ``call`` makes the store run (values bound)."""
    statements: list[str] = []
    for connection in connections(store):
        connection.set_trace_callback(statements.append)
    try:
        call()
    finally:
        for connection in connections(store):
            connection.set_trace_callback(None)
    return [" | ".join(row[-1] for row in store._db.execute(f"EXPLAIN QUERY PLAN {sql}"))
            for sql in statements if sql.lstrip().upper().startswith("SELECT")]


def test_web_listings_use_indexes_not_table_scans(path: Path) -> None:
    with SQLiteStore(f"sqlite:///{path}") as store:
        save(store, "a1", "Storm nears", ["Residents of the coast were told to leave."], 0)
        cases = {
            "versions_fetched": lambda: store.recent_versions(limit=50, offset=50),
            "versions_outlet_fetched": lambda: store.recent_versions(outlet="example", limit=50),
            "articles_changed": lambda: store.list_articles(after=(T0, "a1"), changed_since=T0 - dt.timedelta(days=1)),
            "COVERING INDEX articles_outlet_counts": lambda: store.outlet_counts(T0),
        }
        for index, call in cases.items():
            [query_plan] = plans(store, call)
            assert index in query_plan, query_plan
            # An index walked in order (stopped by LIMIT), never a table scan or a sort of all rows.
            assert "TEMP B-TREE" not in query_plan, query_plan
            assert all("INDEX" in step or "PRIMARY KEY" in step
                       for step in query_plan.split(" | ") if step.startswith(("SCAN", "SEARCH"))), query_plan
        # Deep pages skip index entries only (covering), then read the page's rows by key.
        [query_plan] = plans(store, lambda: store.recent_versions(limit=50, offset=5000))
        assert "SCAN versions USING COVERING INDEX versions_fetched" in query_plan, query_plan
        assert "SEARCH versions USING PRIMARY KEY (article_id=? AND version=?)" in query_plan, query_plan
        # The last day's versions: a range of the fetched_at index (then a small sort by outlet).
        [query_plan] = plans(store, lambda: store.versions_since(T0))
        assert "SEARCH versions USING COVERING INDEX versions_fetched (fetched_at>?)" in query_plan, query_plan


# --- cost that must not grow with the archive (counted, never timed) ---------------------------


def vm_steps(store: SQLiteStore, call: Callable[[], object]) -> int:
    """How many SQLite virtual-machine instructions ``call`` makes the store run: a measure of
    the rows its queries visit, exact and the same on any machine."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0  # go on

    for connection in connections(store):
        connection.set_progress_handler(count, 1)
    try:
        call()
    finally:
        for connection in connections(store):
            connection.set_progress_handler(None, 1)
    return steps


def statements(store: SQLiteStore, call: Callable[[], object]) -> list[str]:
    run: list[str] = []
    for connection in connections(store):
        connection.set_trace_callback(run.append)
    try:
        call()
    finally:
        for connection in connections(store):
            connection.set_trace_callback(None)
    return run


def save_in(store: SQLiteStore, aid: str, outlet: str, headline: str, expected: int, at: dt.datetime) -> None:
    store.save_version(
        {"article_id": aid, "url": f"https://{outlet}.example/{aid}", "outlet": outlet, "state": "active",
         "last_checked_at": at, "last_changed_at": at, "next_check_at": at, "headline": headline},
        {"fetched_at": at, "outlet": outlet, "headline": headline,
         "paragraphs": [f"{headline}: the text of version {expected + 1}."],
         "diff": {"stats": {"words_added": expected, "words_removed": 0}} if expected else {}},
        {"at": at, "status": 200, "outcome": "changed" if expected else "new"},
        expected_count=expected,
    )


def client(store: SQLiteStore) -> Any:
    return create_app(store, now=lambda: T0 + dt.timedelta(hours=12)).test_client()


def test_the_outlet_page_costs_the_same_however_big_the_other_outlets(path: Path) -> None:
    with SQLiteStore(f"sqlite:///{path}") as store:
        for n in range(3):
            save_in(store, f"s{n}", "small", f"Small story {n}", 0, T0 + dt.timedelta(minutes=n))
        web = client(store)

        def outlet_page() -> None:
            assert web.get("/outlet/small").status_code == 200

        before = vm_steps(store, outlet_page)
        for n in range(300):  # another outlet's articles and versions, all of the last day
            save_in(store, f"b{n}", "big", f"Big story {n}", 0, T0 + dt.timedelta(minutes=n))
        after = vm_steps(store, outlet_page)
        # Counting every outlet's articles and recent versions would visit the 300 new rows.
        assert after <= before * 1.05, (before, after)
        for query_plan in plans(store, outlet_page):
            if "FROM articles" in query_plan or "versions" in query_plan:
                assert "outlet=?" in query_plan or "PRIMARY KEY" in query_plan, query_plan
        [counts] = plans(store, lambda: store.outlet_counts(T0, outlet="small"))
        assert "SEARCH articles USING COVERING INDEX articles_outlet_counts (outlet=?)" in counts, counts
        [recent] = plans(store, lambda: store.versions_since(T0, outlet="small"))
        assert "SEARCH versions USING COVERING INDEX versions_outlet_fetched (outlet=? AND fetched_at>?)" in recent


def test_an_article_feed_reads_its_versions_in_one_query(path: Path) -> None:
    with SQLiteStore(f"sqlite:///{path}") as store:
        for aid, count in (("few", 2), ("many", 8)):
            for n in range(count):
                save_in(store, aid, "example", f"Story {aid} {n}", n, T0 + dt.timedelta(hours=n))
        web = client(store)
        run = {aid: statements(store, lambda aid=aid: web.get(f"/article/{aid}/feed.rss"))
               for aid in ("few", "many")}
        # The same statements for 2 versions as for 8: no query per listed version.
        assert len(run["many"]) == len(run["few"]) <= 3, run["many"]
        assert web.get("/article/many/feed.rss").data.count(b"<item>") == 8


def test_search_ranks_only_a_bounded_number_of_the_newest_matches(path: Path) -> None:
    with SQLiteStore(f"sqlite:///{path}") as store:
        store.search_candidates = 10
        for n in range(20):
            save_in(store, f"a{n:03}", "example", f"Harbour story {n}", 0, T0 + dt.timedelta(minutes=n))
        cost_of_20 = vm_steps(store, lambda: store.search("harbour", limit=5))
        # The ten articles seen last are the candidates; bm25 orders them, pages stop there.
        assert sorted(a["article_id"] for a in store.search("harbour", limit=50)) == [f"a{n:03}" for n in range(10, 20)]
        assert store.search("harbour", limit=5, offset=10) == []
        for n in range(20, 200):
            save_in(store, f"a{n:03}", "example", f"Harbour story {n}", 0, T0 + dt.timedelta(minutes=n))
        cost_of_200 = vm_steps(store, lambda: store.search("harbour", limit=5))
        # Ten times the matches: ranking them all would cost ~8 times as much; FTS5's own reads
        # of its index segments (SQL too, so counted) grow a little with the index.
        assert cost_of_200 <= cost_of_20 * 1.5, (cost_of_20, cost_of_200)
