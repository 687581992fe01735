"""StoreWriter: pages recorded in order off the crawl's thread, results handed back in bursts;
and SQLite's reads, which do not wait for that thread's write transactions.

The hand-back to the event loop is replaced by a list here (a unit test: no reactor runs); the
end-to-end crawls (test_e2e_*.py) go through the real one.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from twisted.python.failure import Failure

from tracker.store import open_store
from tracker.storewriter import StoreWriter, _fire


class RecordingWriter(StoreWriter[Any]):
    """Hands results back at once, and remembers each hand-back's size."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.bursts: list[int] = []
        super().__init__(*args, **kwargs)

    def _hand_back(self, done: list[Any]) -> None:  # type: ignore[override]
        if done:
            self.bursts.append(len(done))
            _fire(done)


def results_of(deferreds: list[Any]) -> list[Any]:
    results: list[Any] = []
    for deferred in deferreds:
        deferred.addBoth(results.append)
    return results


def test_pages_are_recorded_in_order_and_handed_back_in_bursts() -> None:
    go = threading.Event()
    recorded: list[int] = []

    def record(page: int) -> int:
        go.wait(5)  # the first page waits until all are queued
        recorded.append(page)
        return page * 10

    writer = RecordingWriter(record, threads=1, burst=2)
    deferreds = [writer.submit(page) for page in range(5)]
    go.set()
    writer.close()
    assert recorded == [0, 1, 2, 3, 4]
    assert results_of(deferreds) == [0, 10, 20, 30, 40]
    # Five queued pages: two full bursts, then the rest when the queue ran empty.
    assert writer.bursts == [2, 2, 1]


def test_a_page_alone_is_handed_back_at_once() -> None:
    handed_back = threading.Event()

    class Writer(RecordingWriter):
        def _hand_back(self, done: list[Any]) -> None:  # type: ignore[override]
            super()._hand_back(done)
            if done:
                handed_back.set()

    writer = Writer(lambda page: page, threads=1, burst=16)
    deferred = writer.submit("page")
    assert handed_back.wait(5), "a page with nothing queued behind it waited for a full burst"
    assert results_of([deferred]) == ["page"]
    writer.close()


def test_an_exception_reaches_whoever_submitted_the_page_and_the_next_pages_go_on() -> None:
    def record(page: int) -> int:
        if page == 1:
            raise ValueError("bad page")
        return page

    writer = RecordingWriter(record, threads=1)
    deferreds = [writer.submit(page) for page in range(3)]
    writer.close()
    first, failed, last = results_of(deferreds)
    assert (first, last) == (0, 2)
    assert isinstance(failed, Failure) and failed.check(ValueError) and "bad page" in str(failed.value)


def test_close_records_every_queued_page_with_several_threads() -> None:
    lock = threading.Lock()
    recorded: set[int] = set()

    def record(page: int) -> int:
        with lock:
            recorded.add(page)
        return page

    writer = RecordingWriter(record, threads=4)
    deferreds = [writer.submit(page) for page in range(200)]
    writer.close()
    assert recorded == set(range(200))
    assert sorted(results_of(deferreds)) == list(range(200))
    assert sum(writer.bursts) == 200


def test_a_writer_needs_a_thread() -> None:
    with pytest.raises(ValueError, match="at least one thread"):
        StoreWriter(lambda page: page, threads=0)


# --- SQLite: the crawl's lookups do not queue behind its writer thread -------------------------


def test_sqlite_reads_do_not_wait_for_a_write_transaction(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path}/t.sqlite3")
    article = {"article_id": "a1", "url": "https://example.com/a1", "outlet": "x"}
    store.record_check(article, {"at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "outcome": "new", "status": 200})
    holding, release = threading.Event(), threading.Event()

    def writer() -> None:
        with store._transaction("hold the write lock"):
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(5)
        read: list[Any] = []
        reader = threading.Thread(target=lambda: read.append(store.get_article("a1")))
        reader.start()
        reader.join(2)
        assert read and read[0]["url"] == article["url"], "a read waited for the writer's transaction"
    finally:
        release.set()
        thread.join()
        store.close()


def test_sqlite_reads_inside_a_write_transaction_see_its_writes(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path}/t.sqlite3")
    with store._transaction("write, then read back"):
        store._upsert_article({"article_id": "a2", "url": "https://example.com/a2", "outlet": "x"}, version_count=None)
        seen = store.get_article("a2")
    assert seen is not None and seen["url"] == "https://example.com/a2"
    store.close()
