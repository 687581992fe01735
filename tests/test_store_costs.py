"""What a check costs the MongoDB store, counted by pymongo's command monitoring.

The budget (issue 15): an unchanged, an identical-body and a 304 re-check each cost at most
4 round trips and 4 KB read, on an article whose latest version is big (300 paragraphs,
~200 KB of HTML) and which has 30 versions and 100 checks -- so that a check reading the HTML,
the text or every check fails -- and the same at any archive size. Against the real server
of the suite (FerretDB on PostgreSQL, or ``TRACKER_TEST_MONGO_URI``).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import threading
from collections.abc import Iterator
from typing import Any

import bson
import pymongo
import pytest
from pymongo import monitoring

from tracker.normalize import article_id
from tracker.revisions import Recorder, body_hash
from tracker.store.base import Store, compress_html
from tracker.store.checkcost import (
    CHECK_INDEXES,
    fill_archive,
    measure_check_costs,
    query_use,
    sample_page,
)
from tracker.store.commands import CommandCost, CommandCounter
from tracker.store.mongo import MongoStore

BUDGET_ROUND_TRIPS = 4
BUDGET_BYTES_READ = 4 * 1024
# Re-checks that write no version: held to the budget.
CHECK_ONLY = ("unchanged", "identical_body", "not_modified", "error", "gone")
T0 = dt.datetime(2024, 5, 1, 8, 0, tzinfo=dt.UTC)
BIG_URL = "https://news.example/2024/05/01/the-long-read"


# --- the counter on its own -----------------------------------------------------------------

def _started(command: dict[str, Any], request_id: int) -> monitoring.CommandStartedEvent:
    return monitoring.CommandStartedEvent(command, "db", request_id, ("127.0.0.1", 27017), request_id)


def _succeeded(name: str, reply: dict[str, Any], request_id: int) -> monitoring.CommandSucceededEvent:
    return monitoring.CommandSucceededEvent(dt.timedelta(milliseconds=1), reply, name, request_id,
                                            ("127.0.0.1", 27017), request_id)


def test_the_counter_counts_round_trips_documents_and_bytes_per_command() -> None:
    counter = CommandCounter()
    find = {"find": "versions", "filter": {"article_id": "a"}, "$db": "db"}
    first = {"cursor": {"id": 7, "ns": "db.versions", "firstBatch": [{"_id": 1}, {"_id": 2}]}, "ok": 1.0}
    more = {"getMore": 7, "collection": "versions", "$db": "db"}
    next_batch = {"cursor": {"id": 0, "ns": "db.versions", "nextBatch": [{"_id": 3}]}, "ok": 1.0}
    modify = {"findAndModify": "articles", "query": {"_id": "a"}, "update": {"$inc": {"n": 1}}, "$db": "db"}
    modified = {"value": {"_id": "a", "n": 2}, "lastErrorObject": {"n": 1}, "ok": 1.0}
    insert = {"insert": "checks", "documents": [{"_id": "a:c1"}], "$db": "db"}
    inserted = {"n": 1, "ok": 1.0}
    for number, (command, reply) in enumerate([(find, first), (more, next_batch), (modify, modified), (insert, inserted)]):
        counter.started(_started(command, number))
        counter.succeeded(_succeeded(next(iter(command)), reply, number))
    counter.started(_started(find, 9))
    failure = {"ok": 0.0, "errmsg": "interrupted", "code": 11601}
    counter.failed(monitoring.CommandFailedEvent(dt.timedelta(milliseconds=1), failure, "find", 9,
                                                 ("127.0.0.1", 27017), 9))

    cost = counter.snapshot()
    replies = [first, next_batch, modified, inserted, failure]
    assert cost == CommandCost(
        round_trips=5,
        docs_returned=2 + 1 + 1,  # batches and findAndModify's value; an insert's n is no document
        bytes_read=sum(len(bson.encode(reply)) for reply in replies),
        bytes_sent=sum(len(bson.encode(command)) for command in (find, more, modify, insert, find)),
        commands={"find": 2, "findAndModify": 1, "getMore": 1, "insert": 1},
    )
    per_command = counter.per_command()
    assert per_command["find"].bytes_read == len(bson.encode(first)) + len(bson.encode(failure))
    assert per_command["insert"].docs_returned == 0
    # Reads and matches are kept for explain(), writes of whole documents are not.
    assert [next(iter(command)) for command in counter.commands_sent()] == ["find", "findAndModify", "find"]
    assert cost - CommandCost(round_trips=1, commands={"find": 1}) == CommandCost(
        4, cost.docs_returned, cost.bytes_read, cost.bytes_sent, {"find": 1, "findAndModify": 1, "getMore": 1, "insert": 1})
    counter.reset()
    assert counter.snapshot() == CommandCost() and counter.commands_sent() == []


def test_the_counter_loses_nothing_to_threads() -> None:
    counter = CommandCounter()
    reply = {"cursor": {"id": 0, "firstBatch": [{"_id": 1}]}, "ok": 1.0}

    def work(offset: int) -> None:
        for number in range(offset, offset + 2_000):
            counter.started(_started({"find": "c", "filter": {}}, number))
            counter.succeeded(_succeeded("find", reply, number))

    threads = [threading.Thread(target=work, args=(n * 10_000,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cost = counter.snapshot()
    assert (cost.round_trips, cost.docs_returned, cost.commands) == (16_000, 16_000, {"find": 16_000})
    assert cost.bytes_read == 16_000 * len(bson.encode(reply))


def test_the_counter_sees_what_a_real_client_sends(mongo_db_uri: str) -> None:
    counter = CommandCounter()
    with MongoStore(mongo_db_uri, event_listeners=[counter]) as store:
        collection = store._db["probe"]  # a plain collection of the store's database
        collection.insert_many([{"_id": n, "text": "x" * 100} for n in range(250)])
        counter.reset()
        docs = list(collection.find({}, batch_size=100))
        cost = counter.snapshot()
    assert len(docs) == 250
    assert cost.commands == {"find": 1, "getMore": 2} and cost.round_trips == 3
    assert cost.docs_returned == 250
    assert cost.bytes_read > sum(len(bson.encode(doc)) for doc in docs)  # documents plus cursor envelopes


# --- the budget -----------------------------------------------------------------------------

@pytest.fixture
def counted(mongo_db_uri: str) -> Iterator[tuple[MongoStore, CommandCounter]]:
    counter = CommandCounter()
    with MongoStore(mongo_db_uri, event_listeners=[counter]) as store:
        yield store, counter


def big_page(edits: int, rng: random.Random, *, paragraphs: int = 300, html_bytes: int = 200_000) -> dict[str, Any]:
    """The long read after ``edits`` edits: 300 paragraphs, ~200 KB of HTML that compresses
    poorly (as real pages full of scripts and markup do not, quite)."""
    words = [f"{rng.getrandbits(40):x}" for _ in range(4_000)]
    body = [f"Paragraph {n}: " + " ".join(rng.choice(words) for _ in range(14)) for n in range(paragraphs)]
    body = [f"{text} (edit {n})" if n < edits else text for n, text in enumerate(body)]
    html = "<html><body>" + "".join(f"<p>{text}</p>" for text in body)
    html += "<script>" + " ".join(rng.choice(words) for _ in range(html_bytes // 11)) + "</script></body></html>"
    return {
        "url": BIG_URL, "final_url": BIG_URL, "outlet": "example", "status": 200,
        "headline": "The long read", "standfirst": "All of it.", "authors": ["A. Writer"],
        "paragraphs": body, "extractor": "example", "html": html, "etag": f'"e{edits}"',
        "body_hash": body_hash(html.encode(), BIG_URL, "text/html"),
    }


def build_history(store: MongoStore, versions: int = 30, checks: int = 100) -> dict[str, Any]:
    """The long read with ``versions`` versions and ``checks`` checks; returns its latest page.

    The earlier versions are short (FerretDB decodes every version of an article to find its
    latest: a test of 30 big ones would take a minute), the latest one is big."""
    recorder = Recorder(store)
    at = T0
    for edits in range(versions):
        size = {} if edits == versions - 1 else {"paragraphs": 30, "html_bytes": 2_000}
        page = big_page(edits, random.Random(1), **size)  # the same words each time: one edit more
        assert recorder.record({**page, "fetched_at": at.isoformat()}).outcome == ("changed" if edits else "new")
        at += dt.timedelta(hours=1)
    for _ in range(checks - versions):
        assert recorder.record({"url": BIG_URL, "status": 304, "fetched_at": at.isoformat()}).outcome == "not_modified"
        at += dt.timedelta(minutes=10)
    return page


def test_a_re_check_costs_at_most_four_round_trips_and_four_kilobytes(counted: tuple[MongoStore, CommandCounter]) -> None:
    store, counter = counted
    page = build_history(store)
    aid = article_id(BIG_URL)
    # Heavy enough that reading any bulk of it breaks the budget: its text, its raw page, its checks.
    latest = store.latest_version(aid)
    assert latest is not None and latest["version"] == 30 and len(store.list_checks(aid)) == 100
    assert len(json.dumps(latest["paragraphs"])) > 10 * BUDGET_BYTES_READ
    assert len(latest["html"]) > 10 * BUDGET_BYTES_READ
    assert len(bson.encode({"checks": store.list_checks(aid)})) > 5 * BUDGET_BYTES_READ

    costs = measure_check_costs(store, counter, page=page, start=T0 + dt.timedelta(days=2))

    for outcome in CHECK_ONLY:
        cost = costs[outcome]
        assert cost.round_trips <= BUDGET_ROUND_TRIPS, (outcome, cost)
        assert cost.bytes_read <= BUDGET_BYTES_READ, (outcome, cost)
    # A change reads the previous text for the diff, but never its raw page or its own diff.
    text, (compressed_html, _) = len(json.dumps(page["paragraphs"])), compress_html(page["html"])
    assert text < costs["changed"].bytes_read < text + len(compressed_html) / 2, costs["changed"]
    stored = store.latest_version(aid, bulk=False)
    assert stored is not None and stored["version"] == 31  # the measured change landed


def test_the_cost_of_a_check_does_not_grow_with_the_archive(counted: tuple[MongoStore, CommandCounter]) -> None:
    store, counter = counted
    fill_archive(store, 1)
    small = measure_check_costs(store, counter, page=sample_page("https://news.example/first-measure"))
    fill_archive(store, 499)
    assert store.count("articles") >= 500 + 2
    large = measure_check_costs(store, counter, page=sample_page("https://news.example/again-measure"))

    assert set(small) == set(large)
    for outcome in small:
        assert large[outcome].commands == small[outcome].commands, outcome
        assert large[outcome].round_trips == small[outcome].round_trips, outcome
        assert large[outcome].docs_returned == small[outcome].docs_returned, outcome
        # The same documents, but for ids and times of the same length: a few bytes apart at most.
        assert abs(large[outcome].bytes_read - small[outcome].bytes_read) <= 64, (outcome, small[outcome], large[outcome])


# --- which index serves each query ----------------------------------------------------------

def test_every_query_of_a_check_is_served_by_an_index(counted: tuple[MongoStore, CommandCounter]) -> None:
    """Each query a check sends has its index in docs/DATA.md. Where the server explains with
    MongoDB's planner (a real mongod via TRACKER_TEST_MONGO_URI), its winning plan scans that
    index and never the collection; FerretDB answers with PostgreSQL's plan instead, which
    cannot say that (its indexes serve no filter, see the README), so there the check is that
    every find's filter runs in PostgreSQL (``filterPushdown``), not by decoding documents in
    FerretDB."""
    store, counter = counted
    fill_archive(store, 20)
    costs = measure_check_costs(store, counter)
    queries = [query for cost in costs.values() for query in cost.queries]
    assert {query.index for query in queries} <= set(CHECK_INDEXES.values())
    unknown = [query.shape for query in queries if query.index is None]
    assert not unknown, f"queries without a documented index: {unknown}"
    planned = [query for query in queries if query.plan is not None]
    for query in planned:
        stages = " / ".join(query.plan or ())
        assert "COLLSCAN" not in stages, (query.shape, stages)
        if query.index == "_id_":
            assert any(word in stages for word in ("IDHACK", "EXPRESS", "_id_")), (query.shape, stages)
        else:
            assert f"IXSCAN {query.index}" in stages, (query.shape, stages)
    if not planned:  # FerretDB: PostgreSQL plans, and whether the filter went there
        finds = [query for query in queries if ".find " in query.shape]
        assert finds and all(query.pushdown is True for query in finds), [(q.shape, q.pushdown) for q in finds]
    if planned:
        assert all(isinstance(cost.docs_examined, int) for cost in costs.values())
        for outcome in CHECK_ONLY:  # point lookups: a few documents each, not the archive
            assert costs[outcome].docs_examined is not None and costs[outcome].docs_examined <= 4, costs[outcome]
    else:
        assert all(cost.docs_examined is None for cost in costs.values())  # not faked


def test_a_crawls_due_query_is_served_by_the_outlet_due_index(counted: tuple[MongoStore, CommandCounter]) -> None:
    """The one query a crawl sends for its re-checks: equality on state and outlet, range and
    sort on next_check_at (then article_id), all keys of ``outlet_due`` in order, so that MongoDB
    reads only the entries it returns and sorts nothing in memory. Its answer is the fallback's."""
    store, counter = counted
    recorder = Recorder(store)
    for number in range(12):  # two outlets, due a minute apart, some ties
        url = f"https://news.example/2024/05/01/due-{number}"
        recorder.record({**sample_page(url), "outlet": ("example", "other")[number % 2],
                         "fetched_at": (T0 + dt.timedelta(minutes=number // 3)).isoformat()})
    now = T0 + dt.timedelta(minutes=17)
    assert "outlet_due" in store._db["articles"].index_information()
    counter.reset()
    due = store.due_articles(now, outlet="example", limit=4)
    [command] = counter.commands_sent()
    assert due == Store.due_articles(store, now, outlet="example", limit=4)  # the Python fallback
    assert len(due) == 4 and {article["outlet"] for article in due} == {"example"}

    use = query_use(command, store.explain(command))
    assert use.index == "outlet_due", use.shape
    if use.plan is not None:  # MongoDB's planner: the index, and no sort stage in memory
        assert "IXSCAN outlet_due" in use.plan and "SORT" not in use.plan, use.plan
    else:  # FerretDB: PostgreSQL scans anyway (see the README), but the filter runs there
        assert use.pushdown is True, use


# --- lean reads -------------------------------------------------------------------------------

def test_reads_for_a_check_leave_out_the_bulk(counted: tuple[MongoStore, CommandCounter]) -> None:
    store, counter = counted
    page = build_history(store, versions=3, checks=40)
    aid = article_id(BIG_URL)
    counter.reset()
    lean = store.latest_version(aid, bulk=False)
    assert lean is not None and not {"paragraphs", "html", "diff"} & set(lean)
    assert counter.snapshot().bytes_read < BUDGET_BYTES_READ
    counter.reset()
    for_diff = store.latest_version(aid, text_only=True)
    assert for_diff is not None and not {"html", "diff"} & set(for_diff) and for_diff["paragraphs"] == page["paragraphs"]
    counter.reset()
    found = store.find_version_by_hash(aid, lean["content_hash"])
    assert found is not None and found["version"] == 3 and "paragraphs" not in found
    assert counter.snapshot().bytes_read < BUDGET_BYTES_READ
    counter.reset()
    newest = store.list_checks(aid, limit=4)
    cost = counter.snapshot()
    assert newest == store.list_checks(aid)[:4]
    assert cost.docs_returned <= 5 and cost.round_trips == 1  # the limit (+1, for ties), not all 40


class FailedCommands(monitoring.CommandListener):
    """The names of the commands that failed."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None: ...

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None: ...

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        self.names.append(event.command_name)


def test_a_server_without_text_indexes_is_asked_once(mongo_db_uri: str) -> None:
    MongoStore(mongo_db_uri).close()  # the first open learns what the server has
    failed, counter = FailedCommands(), CommandCounter()
    with MongoStore(mongo_db_uri, event_listeners=[failed, counter]) as store:
        opening, failed_opening = counter.snapshot(), list(failed.names)
        store.record_check({"article_id": "a1", "url": "https://news.example/a1", "headline": "Harbour bridge"},
                           {"at": T0, "status": 200, "outcome": "unchanged"})
        assert [found["article_id"] for found in store.search("harbour")] == ["a1"]  # either way
        has_text = store._text_search
    with pymongo.MongoClient(mongo_db_uri) as client:
        marker = client.get_default_database()["meta"].find_one({"_id": "no_text_index"})
    assert failed_opening == []
    assert (marker is None) == has_text  # remembered only where the server has no text index
    # Indexes listed, none created again: a ping, a listing per collection, the marker.
    assert "createIndexes" not in opening.commands and opening.round_trips <= 8, opening


class _Crash(BaseException):
    """The process dies here (BaseException: nothing may catch it)."""


def test_a_lagging_summary_is_repaired_by_the_same_two_reads(mongo_db_uri: str) -> None:
    page = sample_page(paragraphs=12, html_bytes=3_000)
    aid = article_id(page["url"])
    with MongoStore(mongo_db_uri) as store:
        Recorder(store).record({**page, "fetched_at": T0.isoformat()})

    class Dying(MongoStore):
        def _update_article(self, *args: Any, **kwargs: Any) -> None:
            raise _Crash  # after version 2 and its check, before the article's summary

    edited = {**page, "paragraphs": ["A new first paragraph of the report, with more detail."] + page["paragraphs"][1:],
              "body_hash": "bytes-of-version-2", "fetched_at": (T0 + dt.timedelta(hours=1)).isoformat()}
    with Dying(mongo_db_uri) as dying, pytest.raises(_Crash):
        Recorder(dying).record(edited)

    counter = CommandCounter()
    with MongoStore(mongo_db_uri, event_listeners=[counter]) as store:
        counter.reset()
        article, latest = store.article_and_latest(aid)
        cost = counter.snapshot()
        assert (article, latest) == (store.get_article(aid), store.latest_version(aid, bulk=False))
    assert cost.round_trips == 2 and cost.bytes_read < BUDGET_BYTES_READ
    assert latest is not None and latest["version"] == 2
    assert article is not None and article["version_count"] == 2 and article["latest_hash"] == latest["content_hash"]
    # The summary's body hash was of version 1's page: those bytes again must be extracted.
    assert article["latest_body_hash"] is None
