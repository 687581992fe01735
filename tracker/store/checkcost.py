"""What recording one check costs a MongoDB store, per check outcome.

:func:`measure_check_costs` records one check of each outcome through a real
:class:`tracker.revisions.Recorder` and reports, from a :class:`CommandCounter` attached to the
store, the round trips, documents returned, bytes read and sent of each, the documents the
server examined where its ``explain`` says (MongoDB does; FerretDB does not: None then), and
each query it sent with the index that should serve it (docs/DATA.md, "Per-check cost") and
what the server's plan says it used. :func:`fill_archive` grows the archive around it in
seconds (``insert_many`` of copies of documents the store itself wrote, each made another
article's by :func:`renamed_doc`).

Used by ``tests/test_store_costs.py`` (the budget) and ``bench/checkcost.py`` (the table);
``bench/store.py`` copies documents with :func:`renamed_doc` too.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tracker.normalize import article_id, canonical_url
from tracker.revisions import Recorder, body_hash
from tracker.store.base import utcnow
from tracker.store.commands import CommandCost, CommandCounter
from tracker.store.mongo import MongoStore

# The outcomes measured, in the order they are recorded (``identical_body``: a 200 with the
# very bytes of the last check, recorded ``unchanged`` without extracting it).
MEASURED = ("new", "unchanged", "identical_body", "not_modified", "changed", "error", "gone")
_RECORDED_AS = {"identical_body": "unchanged"}

# The index of docs/DATA.md each query shape of a check is served by on MongoDB:
# (collection, filter fields, sort fields) -> index name.
CHECK_INDEXES: dict[tuple[str, tuple[str, ...], tuple[str, ...]], str] = {
    ("articles", ("_id",), ()): "_id_",
    ("versions", ("_id",), ()): "_id_",
    ("checks", ("_id",), ()): "_id_",
    ("versions", ("article_id",), ("version",)): "article_version",
    ("versions", ("article_id", "content_hash"), ("version",)): "article_hash",
    ("checks", ("article_id",), ("at",)): "article_at",
    ("checks", ("article_id", "at"), ()): "article_at",
    # Not a check's, but a crawl's, once per run: its outlet's due articles (due_articles).
    ("articles", ("next_check_at", "outlet", "state"), ("next_check_at", "article_id")): "outlet_due",
}


# The commands whose filter FerretDB's explain reports on.
FERRETDB_EXPLAINS = ("find", "count", "aggregate")


@dataclass(frozen=True)
class QueryUse:
    """One query a check sent, the index that should serve it, and what the server says."""

    shape: str                          # e.g. "versions.find {article_id} sort version desc limit 1"
    index: str | None                   # the index of docs/DATA.md meant to serve it; None: none known
    plan: tuple[str, ...] | None = None  # MongoDB's winning plan: stages, "IXSCAN article_version"; None: no planner
    pushdown: bool | None = None        # FerretDB: whether the filter went to its backend; None: not FerretDB


@dataclass(frozen=True)
class CheckCost(CommandCost):
    """A check's command cost, the documents the server examined (None: it cannot tell), and
    the queries it sent."""

    docs_examined: int | None = None
    queries: tuple[QueryUse, ...] = ()


def sample_page(url: str | None = None, *, paragraphs: int = 30, html_bytes: int = 60_000) -> dict[str, Any]:
    """An article page as the spider sends it after extracting (with its body hash); at a URL
    of its own unless ``url`` is given."""
    url = url or f"https://news.example/2024/05/01/harbour-bridge-closure-{uuid.uuid4().hex[:12]}"
    body = [f"Paragraph {n} of the report on the harbour bridge closure, with the council's "
            f"figures for week {n} and what residents told our reporter." for n in range(paragraphs)]
    html = "<html><body>" + "".join(f"<p>{text}</p>" for text in body)
    html += "<!-- " + "x" * max(0, html_bytes - len(html) - 30) + " --></body></html>"
    page = {
        "url": url, "final_url": url, "outlet": "example", "status": 200,
        "headline": "Harbour bridge to close for repairs", "standfirst": "Work starts in June.",
        "authors": ["A. Reporter"], "byline": "A. Reporter", "paragraphs": body,
        "extractor": "example", "html": html, "etag": '"v1"', "duration_ms": 120,
    }
    return {**page, "body_hash": body_hash(html.encode(), url, "text/html")}


def _pages(page: Mapping[str, Any], new_url: str) -> dict[str, dict[str, Any]]:
    """One page per measured outcome, built from ``page`` (which the article shows now)."""
    crawl = {name: page[name] for name in ("url", "final_url", "outlet", "etag", "duration_ms") if name in page}
    edited = [f"{page['paragraphs'][0]} (Updated.)", *page["paragraphs"][1:]]
    return {
        "new": {**page, "url": new_url, "final_url": new_url},
        "unchanged": dict(page),
        "identical_body": {**crawl, "status": 200, "html": page.get("html"), "body_hash": page["body_hash"],
                           "extraction_skipped": True},
        "not_modified": {**crawl, "status": 304},
        "changed": {**page, "paragraphs": edited, "body_hash": body_hash(repr(edited).encode())},
        "error": {**crawl, "status": 500},
        "gone": {**crawl, "status": 404},
    }


def measure_check_costs(
    store: MongoStore, counter: CommandCounter, *, page: Mapping[str, Any] | None = None,
    start: dt.datetime | None = None, recorder: Recorder | None = None,
) -> dict[str, CheckCost]:
    """Record one check of each of :data:`MEASURED` and return what each cost.

    ``page``: the article to re-check (default :func:`sample_page`); it is recorded once first,
    uncounted, so that the latest version has its text, whatever the store held of it. ``new``
    is a first sight of another article (``page``'s URL with a unique suffix). ``counter``
    must be attached to ``store`` (``MongoStore(uri, event_listeners=[counter])``); it is reset.
    """
    page = dict(page or sample_page())
    recorder = recorder or Recorder(store)
    moments = _moments(start or utcnow())
    first = recorder.record({**page, "fetched_at": next(moments).isoformat()}).outcome
    if first not in ("new", "changed", "unchanged"):
        raise RuntimeError(f"the sample page was recorded {first!r}: it cannot be the article's latest text")
    costs: dict[str, CheckCost] = {}
    pages = _pages(page, f"{page['url']}-{uuid.uuid4().hex[:8]}")
    for name in MEASURED:
        counter.reset()
        outcome = recorder.record({**pages[name], "fetched_at": next(moments).isoformat()}).outcome
        cost = counter.snapshot()
        if outcome != _RECORDED_AS.get(name, name):
            raise RuntimeError(f"the {name} check was recorded {outcome!r}")
        explained = [(command, store.explain(command)) for command in counter.commands_sent()]
        costs[name] = CheckCost(**vars(cost), docs_examined=docs_examined([answer for _, answer in explained]),
                                queries=tuple(query_use(command, answer) for command, answer in explained))
    return costs


def _moments(start: dt.datetime) -> Iterator[dt.datetime]:
    # A minute apart: each check is a moment of its own, in order.
    return (start + dt.timedelta(minutes=minutes) for minutes in itertools.count())


def docs_examined(explained: list[Mapping[str, Any]]) -> int | None:
    """Documents examined, summed over the servers' ``explain`` answers (executionStats); None
    when one does not say (FerretDB answers with its backend's plan, no execution statistics)."""
    total = 0
    for answer in explained:
        stats = answer.get("executionStats")
        if not isinstance(stats, Mapping) or "totalDocsExamined" not in stats:
            return None
        total += int(stats["totalDocsExamined"])
    return total


def query_use(command: Mapping[str, Any], explained: Mapping[str, Any]) -> QueryUse:
    """One command as sent, the index meant to serve it, and the server's ``explain`` of it."""
    shape, index = query_shape(command)
    # FerretDB's explain reads the filter of find, count and aggregate only: its update pushes
    # its filter down too (handler/msg_update.go), but an explained update says it does not.
    pushdown = explained.get("filterPushdown") if next(iter(command)) in FERRETDB_EXPLAINS else None
    return QueryUse(shape, index, winning_plan(explained), pushdown if isinstance(pushdown, bool) else None)


def query_shape(command: Mapping[str, Any]) -> tuple[str, str | None]:
    """The shape of one command as sent, and the index of docs/DATA.md that serves it."""
    name = next(iter(command))
    collection = str(command[name])
    if name == "update":
        [statement] = command["updates"]
        query, sort = statement["q"], {}
    elif name == "findAndModify":
        query, sort = command.get("query", {}), command.get("sort", {})
    else:
        query, sort = command.get("filter", {}), command.get("sort", {})
    fields, order = tuple(sorted(query)), tuple(sort)
    shape = f"{collection}.{name} {{{', '.join(fields)}}}"
    if order:
        shape += " sort " + ", ".join(f"{key} {'desc' if sort[key] == -1 else 'asc'}" for key in order)
    if command.get("limit"):
        shape += f" limit {command['limit']}"
    return shape, CHECK_INDEXES.get((collection, fields, order))


def winning_plan(explained: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The stages of the winning plan of a MongoDB ``explain``, each with the index it scans
    (``"IXSCAN article_version"``), or None when the answer has no MongoDB query planner
    (FerretDB answers with PostgreSQL's plan)."""
    planner = explained.get("queryPlanner")
    if not isinstance(planner, Mapping) or "winningPlan" not in planner:
        return None
    stages: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            if "stage" in node:
                stages.append(" ".join(filter(None, [str(node["stage"]), node.get("indexName")])))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(planner["winningPlan"])
    return tuple(stages)


def fill_archive(store: MongoStore, count: int, *, page: Mapping[str, Any] | None = None) -> None:
    """Add ``count`` articles to the store: one recorded through a real Recorder (its documents
    exactly as the store writes them), then copies of its documents under other URLs and ids,
    inserted with ``insert_many`` -- an archive of 20 k articles in seconds, not hours."""
    seed = dict(page or sample_page())
    Recorder(store).record({**seed, "fetched_at": utcnow().isoformat()})
    seed_id = article_id(seed["url"])
    db = store._db  # the raw documents: their format is the store's, copied as is
    documents = {name: list(db[name].find({"article_id": seed_id})) for name in ("articles", "versions", "checks")}
    batch = uuid.uuid4().hex[:8]  # copies of another call have other URLs
    for first in range(0, count, 1_000):
        urls = [canonical_url(f"{seed['url']}-{batch}-{number}") for number in range(first, min(count, first + 1_000))]
        for name, docs in documents.items():
            copies = [{**renamed_doc(doc, seed_id, article_id(url)), "url": url} for url in urls for doc in docs]
            db[name].insert_many(copies, ordered=False)


def renamed_doc(doc: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """A copy of a stored document of article ``old`` as article ``new``'s: string fields that
    are the id, start with ``<id>:`` (version and check keys) or end with ``/<id>`` (URLs)."""
    def rename(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if value == old:
            return new
        if value.startswith(old + ":"):
            return new + value[len(old):]
        if value.endswith("/" + old):
            return value[: -len(old)] + new
        return value

    return {name: rename(value) for name, value in doc.items()}
