"""Store benchmark: ingest rate, latest-version and due-for-check latency, at archive sizes.

    python bench/store.py                       # the issue's sizes: SQLite 1 M and 5 M, Mongo 10 k and 100 k
    python bench/store.py --sizes 100000 --mongo-sizes 2000 --window 2000   # a quick look

One archive per store grows through the sizes. Each size is reached by a **window** of
versions written through ``Store.save_version`` one at a time (synthetic articles of 5 versions,
10 paragraphs, a small diff, ~2 KB each); its rate is the ingest rate at that size. The gap
between two windows is filled by a bulk path, in the store's exact format because it copies
documents the store wrote itself:

* SQLite: ``INSERT … SELECT`` copies of the seed articles (every column, the article id and URL
  prefixed), their versions, checks and search rows: the first ``--base`` versions (10 k), all
  written through ``save_version``, are both the seed and the baseline window. The copy is
  flushed to disk before the next window, and each window is compared with a ``--base``
  window into an empty file written right after it (the machine is shared: same load).
* MongoDB: ``insert_many`` of copies of the raw documents of every collection that
  ``save_version`` wrote for a few seed articles (``_id``, ``article_id`` and URL renamed).
  The window also times ``record_check`` (an unchanged re-check); and each size reports the
  server round trips and bytes read per check outcome, counted by pymongo command monitoring.

Then at each size: ``latest_version`` of random articles of the whole archive and
``due_articles(now, limit=100)`` (about half of the articles are due), p50/p99, and the
archive's real version count. MongoDB means a FerretDB started here like the tests start it
(``bench/_ferretdb.py``; ``--ferretdb postgresql|sqlite``), or ``--mongo-uri`` for a server
of your own (a fresh database is created and dropped). Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(ROOT))

from tracker.store import Store, open_store  # noqa: E402
from tracker.store.checkcost import renamed_doc  # noqa: E402

UTC = dt.timezone.utc
VERSIONS_PER_ARTICLE = 5
START_AT = dt.datetime(2024, 1, 1, tzinfo=UTC)
# When the due query runs: about half of the articles' next checks are past.
DUE_NOW = START_AT + dt.timedelta(days=VERSIONS_PER_ARTICLE + 1)
WORDS = ("the minister said on tuesday that talks would resume after a brief pause in "
         "negotiations over the budget and the new rules for public spending in regions").split()
MONGO_SEED_ARTICLES = 40  # written through save_version; their documents are the copies' models
CHECK_COST_SLACK = 20  # versions the per-outcome measurement may add at a size
OUTCOMES_SHOWN = ("new", "changed", "unchanged", "not_modified", "error")


def paragraph(rng: random.Random, words: int = 26) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def make_version(
    rng: random.Random, aid: str, number: int, at: dt.datetime, paragraphs: list[str] | None = None
) -> tuple[dict[str, Any], ...]:
    """Article, version and check documents of version ``number`` of article ``aid`` (``a<n>``);
    ``paragraphs`` replaces the ten synthetic ones."""
    paragraphs = paragraphs or [paragraph(rng) for _ in range(10)]
    digest = uuid.UUID(int=rng.getrandbits(128)).hex
    url = f"https://news.example/{aid}"
    diff = None if number == 1 else {
        "paragraphs": [{"op": "replace", "old": 3, "new": 3,
                        "words": [["=", "talks would"], ["-", "resume"], ["+", "restart"]]}],
        "stats": {"paragraphs_changed": 1, "words_added": 1, "words_removed": 1},
    }
    outcome = "new" if number == 1 else "changed"
    article = {
        "article_id": aid, "url": url, "outlet": f"outlet{int(aid[1:]) % 7}",
        "last_checked_at": at, "last_changed_at": at, "latest_hash": digest,
        "headline": paragraphs[0][:80], "state": "active", "last_status": 200,
        "last_outcome": outcome, "checks_since_change": 0, "consecutive_errors": 0,
        # about half of the articles are due when the queries run
        "next_check_at": at + dt.timedelta(hours=rng.uniform(-48, 48)),
    }
    version = {
        "fetched_at": at, "url": url, "content_hash": digest, "raw_hash": digest,
        "headline": paragraphs[0][:80], "authors": ["A. Reporter"], "datePublished": "2024-01-01",
        "paragraphs": paragraphs, "word_count": 260, "extractor": "jsonld",
        "diff": diff, "diff_stats": diff["stats"] if diff else None,
    }
    check = {"at": at, "url": url, "status": 200, "outcome": outcome, "content_hash": digest,
             "duration_ms": rng.randint(50, 900)}
    return article, version, check


@contextmanager
def sqlite_store(workdir: Path) -> Iterator[Store]:
    path = workdir / f"bench-{uuid.uuid4().hex[:8]}.sqlite3"
    store = open_store(f"sqlite:///{path}")
    try:
        yield store
    finally:
        store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def mongo_factory(
    workdir: Path, uri: str | None, backend: str = "postgresql"
) -> tuple[Callable[..., Any], Callable[[], None]]:
    """A context-manager factory of fresh Mongo stores, and a cleanup for the server.

    Without ``uri``: a local FerretDB on ``backend`` (``postgresql``: a throw-away cluster of
    Debian's PostgreSQL; ``sqlite``: files in ``workdir``). Keyword arguments of the factory
    go to the store (e.g. ``event_listeners``).
    """
    server = cluster = None
    if uri is None:
        from bench._ferretdb import FerretDBServer

        postgresql_url = None
        if backend == "postgresql":
            from bench._postgres import PostgresCluster

            cluster = PostgresCluster()
            cluster.start()
            cluster.create_database("ferretdb")
            postgresql_url = cluster.url("ferretdb")
        server = FerretDBServer(workdir / "ferretdb", postgresql_url=postgresql_url)
        server.start()
        uri = server.uri
    base = uri.split("?")[0].rstrip("/")
    if base.count("/") > 2:  # drop a database in the URI: each run gets its own
        base = base.rsplit("/", 1)[0]

    @contextmanager
    def fresh(**options: Any) -> Iterator[Store]:
        name = f"bench_{uuid.uuid4().hex[:8]}"
        store = open_store(f"{base}/{name}", serverSelectionTimeoutMS=10000, **options)
        try:
            yield store
        finally:
            store._db.client.drop_database(name)  # type: ignore[attr-defined]
            store.close()

    def stop() -> None:
        if server is not None:
            server.stop()
        if cluster is not None:
            cluster.stop()

    return fresh, stop


# --- arithmetic ---------------------------------------------------------------------------


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p99 of durations in seconds, in milliseconds."""
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return at(0.50) * 1000, at(0.99) * 1000


@dataclass(frozen=True)
class Window:
    """Versions written one at a time through ``save_version`` just before a size was reached."""

    versions: int
    seconds: float
    load: float  # 1-minute load average when the window ended: the machine is shared

    @property
    def rate(self) -> float:
        return self.versions / self.seconds if self.seconds > 0 else 0.0

    def ratio(self, baseline: Window) -> float:
        """This window's rate as a multiple of the baseline window's."""
        return self.rate / baseline.rate if baseline.rate > 0 else 0.0


def bulk_to_reach(size: int, current: int, window: int, per_article: int = VERSIONS_PER_ARTICLE) -> int:
    """Versions the bulk path adds (whole articles) so that a window of ``window`` versions
    ends at ``size``, or just short of it when ``current`` is not a whole number of articles."""
    if size - window < current:
        raise ValueError(
            f"size {size:,} is below the {current:,} versions stored plus a {window:,}-version window"
        )
    gap = size - window - current
    return gap - gap % per_article


def sizes_problem(sizes: list[int], first: int, window: int, slack: int = 0) -> str | None:
    """Why ``sizes`` cannot be reached by windows of ``window`` versions from an archive of
    ``first`` versions (``slack``: versions a size may add besides), or None when they can."""
    previous = first
    for size in sizes:
        if size < previous + window + slack:
            return (f"size {size:,} leaves no room for a {window:,}-version window after "
                    f"{previous + slack:,} versions")
        previous = size + slack
    return None


def clone_batches(versions: int, seed_articles: int, per_article: int = VERSIONS_PER_ARTICLE) -> list[int]:
    """How many seed articles each copy generation clones to add ``versions`` versions."""
    if versions % per_article:
        raise ValueError(f"{versions:,} versions are not whole articles of {per_article}")
    articles = versions // per_article
    full, rest = divmod(articles, seed_articles)
    return [seed_articles] * full + ([rest] if rest else [])


def timed(call: Callable[[], Any], *, count: int, budget: float) -> list[float]:
    samples: list[float] = []
    deadline = time.monotonic() + budget
    while len(samples) < count and (len(samples) < 5 or time.monotonic() < deadline):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- writing through the store --------------------------------------------------------------


class ArticleSource:
    """Synthetic articles ``a<n>``, numbered on from 0, of ``VERSIONS_PER_ARTICLE`` versions each."""

    def __init__(self, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self.next_number = 0

    def versions(self, count: int) -> list[tuple[dict[str, Any], dict[str, Any], dict[str, Any], int]]:
        """``count`` (article, version, check, expected_count), article after article (the
        last one short when ``count`` is not a whole number of articles)."""
        out = []
        while len(out) < count:
            aid = f"a{self.next_number}"
            for number in range(1, min(VERSIONS_PER_ARTICLE, count - len(out)) + 1):
                at = START_AT + dt.timedelta(days=number, seconds=self.next_number)
                out.append((*make_version(self.rng, aid, number, at), number - 1))
            self.next_number += 1
        return out


def write_window(store: Store, source: ArticleSource, count: int, label: str) -> Window:
    """Write ``count`` versions through ``save_version``, one call each, and time them
    (documents are built before the clock starts)."""
    docs = source.versions(count)
    step = max(1, len(docs) // 10)
    started = time.perf_counter()
    for done, (article, version, check, expected) in enumerate(docs, 1):
        store.save_version(article, version, check, expected_count=expected)
        if done % step == 0:
            elapsed = time.perf_counter() - started
            progress(f"{label}: {done:,}/{len(docs):,} versions through save_version ({done / elapsed:,.0f}/s)")
    return Window(len(docs), time.perf_counter() - started, os.getloadavg()[0])


def latency(store: Store, article_ids: list[str], *, count: int, budget: float) -> dict[str, Any]:
    lookups = iter(article_ids * (count // max(1, len(article_ids)) + 1))
    latest = timed(lambda: store.latest_version(next(lookups)), count=count, budget=budget)
    due_returned = len(store.due_articles(DUE_NOW, limit=100))
    due = timed(lambda: store.due_articles(DUE_NOW, limit=100), count=max(10, count // 20), budget=budget)
    latest_p50, latest_p99 = percentiles(latest)
    due_p50, due_p99 = percentiles(due)
    return {
        "latest_p50_ms": round(latest_p50, 3), "latest_p99_ms": round(latest_p99, 3),
        "latest_samples": len(latest), "due_p50_ms": round(due_p50, 3), "due_p99_ms": round(due_p99, 3),
        "due_samples": len(due), "due_returned": due_returned,
    }


# --- SQLite ---------------------------------------------------------------------------------


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def _copy_select(columns: list[str]) -> tuple[str, str]:
    """Column list and SELECT expressions copying every column, the article id prefixed
    (also where the URL holds it)."""
    renamed = {"article_id": ":prefix || article_id", "url": "replace(url, article_id, :prefix || article_id)"}
    names = ", ".join(f'"{name}"' for name in columns)
    exprs = ", ".join(renamed.get(name, f'"{name}"') for name in columns)
    return names, exprs


def clone_sqlite_articles(path: Path, seed_articles: int, versions: int, first_generation: int = 1) -> int:
    """Add ``versions`` versions to the SQLite file at ``path`` by copying its first
    ``seed_articles`` articles (and their versions, checks and search rows) under new ids;
    returns the next generation number. Rows are copies of rows ``save_version`` wrote.

    Copies are named ``g<generation>-<id>`` (zero-padded): they sort after every id before
    them, so the copy appends to the tables' B-trees instead of splitting pages all over.
    """
    from tracker.store.sqlite import SEARCH_TABLE

    db = sqlite3.connect(path, isolation_level=None)
    try:
        # The bulk path only, with the file to itself: no journal (each page is written once,
        # not to the WAL and again to the file), no syncs, a big cache for the indexes.
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("PRAGMA cache_size=-1000000")
        has_search = db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (SEARCH_TABLE,)).fetchone()
        article_cols, article_exprs = _copy_select(_columns(db, "articles"))
        version_cols, version_exprs = _copy_select(_columns(db, "versions"))
        check_cols, check_exprs = _copy_select([c for c in _columns(db, "checks") if c != "check_id"])
        seed = "SELECT article_id FROM articles WHERE rowid <= :k"
        batches = clone_batches(versions, seed_articles)
        generation = first_generation
        for done, count in enumerate(batches, 1):
            params = {"prefix": f"g{generation:06d}-", "k": count}
            db.execute("BEGIN")
            db.execute(f"INSERT INTO articles ({article_cols}) SELECT {article_exprs} FROM articles WHERE rowid <= :k", params)
            db.execute(f"INSERT INTO versions ({version_cols}) SELECT {version_exprs} FROM versions WHERE article_id IN ({seed})", params)
            db.execute(f"INSERT INTO checks ({check_cols}) SELECT {check_exprs} FROM checks WHERE article_id IN ({seed})", params)
            if has_search:
                db.execute(
                    f"INSERT INTO {SEARCH_TABLE} (rowid, headline, body) "
                    f"SELECT n.rowid, s.headline, s.body FROM articles o JOIN {SEARCH_TABLE} s ON s.rowid = o.rowid "
                    "JOIN articles n ON n.article_id = :prefix || o.article_id WHERE o.rowid <= :k",
                    params,
                )
            db.execute("COMMIT")
            generation += 1
            if done % max(1, len(batches) // 20) == 0:
                progress(f"sqlite bulk copy: {done}/{len(batches)} generations")
        if has_search:
            # Merge the copy's many small full-text segments now, as writing the archive one
            # version at a time would have as it went: else the next window pays for the copy.
            db.execute(f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}) VALUES ('optimize')")
        db.execute("PRAGMA journal_mode=WAL")  # as the store keeps it
    finally:
        db.close()
    flush_to_disk(path)
    return generation


def flush_to_disk(path: Path) -> None:
    """Write the copy's dirty pages out now: otherwise the kernel writes gigabytes back during
    the next window and the window measures that, not the store at its size."""
    progress(f"sqlite bulk copy: flushing {path.stat().st_size / 1e9:.1f} GB to disk")
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def random_sqlite_articles(path: Path, count: int, rng: random.Random) -> list[str]:
    """Ids of ``count`` random articles of the whole archive (by rowid: no scan)."""
    db = sqlite3.connect(path)
    try:
        (top,) = db.execute("SELECT MAX(rowid) FROM articles").fetchone()
        ids = []
        while len(ids) < count:
            row = db.execute("SELECT article_id FROM articles WHERE rowid = ?", (rng.randint(1, top),)).fetchone()
            if row:
                ids.append(row[0])
        return ids
    finally:
        db.close()


def sqlite_series(workdir: Path, base: int, sizes: list[int], window: int) -> list[dict[str, Any]]:
    """The SQLite rows: ``base`` versions through save_version, then each size."""
    path = workdir / "bench.sqlite3"
    uri = f"sqlite:///{path}"
    source = ArticleSource()
    rng = random.Random(2)
    rows = []
    with open_store(uri) as store:
        progress(f"sqlite: {base:,} seed versions through save_version")
        baseline = write_window(store, source, base, f"sqlite {base:,}")
        stored = store.count("versions")
    seed_articles = source.next_number
    generation = 1
    for size in [base, *[s for s in sizes if s > base]]:
        written = adjacent = baseline
        if size > base:
            bulk = bulk_to_reach(size, stored, window)
            progress(f"sqlite: bulk copy of {bulk:,} versions ({stored:,} -> {stored + bulk:,})")
            generation = clone_sqlite_articles(path, seed_articles, bulk, generation)
        with open_store(uri) as store:  # closed during the copy, which needs the file alone
            if size > base:
                written = write_window(store, source, window, f"sqlite {size:,}")
                adjacent = fresh_baseline(workdir, base)
            progress(f"sqlite {size:,}: lookups")
            stored = store.count("versions")
            row = {
                "store": "sqlite", "backend": "file", "size": size, "versions": stored,
                "articles": store.count("articles"), "window": written.versions,
                "ingest_per_s": round(written.rate, 1), "ingest_vs_smallest": round(written.ratio(baseline), 3),
                "base_rate_adjacent": round(adjacent.rate, 1),
                "ingest_vs_adjacent_base": round(written.ratio(adjacent), 3),
                "load": round(written.load, 2), "db_bytes": _sqlite_bytes(path),
                **latency(store, random_sqlite_articles(path, 2000, rng), count=1000, budget=60),
            }
        rows.append(row)
        report_row(row)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return rows


def fresh_baseline(workdir: Path, base: int) -> Window:
    """The ``base``-version window again, into an empty file, right after a big window: a
    ratio of two windows minutes apart, not an hour apart, on a machine others share."""
    with sqlite_store(workdir) as store:
        return write_window(store, ArticleSource(seed=1), base, f"sqlite {base:,} (adjacent baseline)")


def _sqlite_bytes(path: Path) -> int:
    return sum(Path(f"{path}{suffix}").stat().st_size for suffix in ("", "-wal") if Path(f"{path}{suffix}").exists())


# --- MongoDB ----------------------------------------------------------------------------


def owner(key: Any, seed_ids: set[str]) -> str | None:
    """The seed article a document's ``_id`` belongs to (``<id>`` or ``<id>:…``), if any."""
    if not isinstance(key, str):
        return None
    head = key.split(":", 1)[0]
    return head if head in seed_ids else None


def mongo_seed_documents(store: Any, seed_ids: set[str]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Every raw document the store wrote for the seed articles, by collection."""
    db = store._db  # the raw documents: the format is the store's, not ours
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for name in db.list_collection_names():
        if name.startswith("system."):
            continue
        docs = [(aid, doc) for doc in db[name].find() if (aid := owner(doc.get("_id"), seed_ids))]
        if docs:
            out[name] = docs
    return out


def clone_mongo_articles(store: Any, seed: dict[str, list[tuple[str, dict[str, Any]]]],
                         seed_articles: list[str], versions: int, first_generation: int) -> int:
    """Add ``versions`` versions by inserting renamed copies of the seed articles' documents
    (``insert_many``, 1000 at a time); returns the next generation number."""
    db = store._db
    batches = clone_batches(versions, len(seed_articles))
    generation = first_generation
    for done, count in enumerate(batches, 1):
        chosen = set(seed_articles[:count])
        for name, docs in seed.items():
            copies = [renamed_doc(doc, aid, f"{aid}g{generation}") for aid, doc in docs if aid in chosen]
            for start in range(0, len(copies), 1000):
                db[name].insert_many(copies[start:start + 1000], ordered=False)
        generation += 1
        if done % max(1, len(batches) // 10) == 0:
            progress(f"mongo bulk copy: {done}/{len(batches)} generations")
    return generation


def write_checks(store: Store, article_ids: list[str], label: str) -> Window:
    """An unchanged re-check (``record_check``) of each article, timed."""
    started = time.perf_counter()
    for number, aid in enumerate(article_ids):
        at = DUE_NOW + dt.timedelta(seconds=number)
        article = {"article_id": aid, "url": f"https://news.example/{aid}", "last_checked_at": at,
                   "last_outcome": "unchanged", "next_check_at": at + dt.timedelta(hours=6)}
        check = {"at": at, "url": article["url"], "status": 200, "outcome": "unchanged", "duration_ms": 100}
        store.record_check(article, check)
    progress(f"{label}: {len(article_ids)} record_check calls")
    return Window(len(article_ids), time.perf_counter() - started, os.getloadavg()[0])


def mongo_series(factory: Callable[..., Any], backend: str, sizes: list[int], window: int,
                 seed_articles: int = MONGO_SEED_ARTICLES) -> list[dict[str, Any]]:
    """The MongoDB rows: one database grown through ``sizes`` (copies between windows)."""
    from tracker.store.commands import CommandCounter

    counter = CommandCounter()
    source = ArticleSource(seed=3)
    rng = random.Random(4)
    rows = []
    with factory(event_listeners=[counter]) as store:
        progress(f"mongo: {seed_articles} seed articles through save_version")
        write_window(store, source, seed_articles * VERSIONS_PER_ARTICLE, "mongo seed")
        seed_ids = [f"a{n}" for n in range(seed_articles)]
        seed = mongo_seed_documents(store, set(seed_ids))
        generation = 1
        baseline: Window | None = None
        for size in sizes:
            stored = store.count("versions")
            bulk = bulk_to_reach(size, stored, window)
            progress(f"mongo: insert_many copies of {bulk:,} versions ({stored:,} -> {stored + bulk:,})")
            generation = clone_mongo_articles(store, seed, seed_ids, bulk, generation)
            # The window makes up what whole copied articles could not (the check-cost article).
            written = write_window(store, source, size - stored - bulk, f"mongo {size:,}")
            baseline = baseline or written
            all_ids = [f"a{n}" for n in range(source.next_number)] + [
                f"{aid}g{g}" for g in range(1, generation) for aid in seed_ids
            ]
            checks = write_checks(store, rng.sample(all_ids, min(len(all_ids), window)), f"mongo {size:,}")
            progress(f"mongo {size:,}: lookups and per-check costs")
            row = {
                "store": "mongo", "backend": backend, "size": size, "versions": store.count("versions"),
                "articles": store.count("articles"), "window": written.versions,
                "ingest_per_s": round(written.rate, 1), "ingest_vs_smallest": round(written.ratio(baseline), 3),
                "checks_per_s": round(checks.rate, 1), "load": round(written.load, 2),
                **latency(store, rng.sample(all_ids, min(len(all_ids), 400)), count=200, budget=60),
            }
            row["check_costs"], row["check_costs_by"] = check_costs(store, counter)
            rows.append(row)
            report_row(row)
    return rows


# --- counting what each check asks of the server ------------------------------------------


def check_costs(store: Store, counter: Any) -> tuple[dict[str, dict[str, Any]], str]:
    """Round trips, documents and bytes per check outcome, and how they were measured:
    ``tracker.store.checkcost.measure_check_costs`` when it is there, else one page per
    outcome through the real Recorder."""
    try:
        from tracker.store.checkcost import measure_check_costs
    except ImportError:
        return measure_with_recorder(store, counter), "bench/store.py: Recorder.record of one page per outcome"
    costs = measure_check_costs(store, counter)
    return {outcome: asdict(cost) for outcome, cost in costs.items()}, "tracker.store.checkcost.measure_check_costs"


def measure_with_recorder(store: Store, counter: Any) -> dict[str, dict[str, Any]]:
    """Each outcome once, on a fresh article, through ``tracker.revisions.Recorder``: what a
    crawl's check of that outcome asks of the store."""
    from tracker.revisions import Recorder

    recorder = Recorder(store)
    rng = random.Random(5)
    url = f"https://news.example/checkcost-{uuid.uuid4().hex[:8]}"
    body = [paragraph(rng) for _ in range(10)]
    edited = [*body[:3], paragraph(rng), *body[4:]]
    at = DUE_NOW + dt.timedelta(days=30)
    pages = [
        ("new", {"status": 200, "paragraphs": body}),
        ("changed", {"status": 200, "paragraphs": edited}),
        ("unchanged", {"status": 200, "paragraphs": edited}),
        ("not_modified", {"status": 304}),
        ("error", {"status": 503, "error": "HTTP 503"}),
    ]
    costs: dict[str, dict[str, Any]] = {}
    for step, (expected, fields) in enumerate(pages):
        page = {"url": url, "outlet": "outlet0", "headline": "Talks resume", "authors": ["A. Reporter"],
                "fetched_at": (at + dt.timedelta(hours=step)).isoformat(), "extractor": "jsonld", **fields}
        before = counter.snapshot()
        outcome = recorder.record(page).outcome
        if outcome != expected:
            raise RuntimeError(f"check-cost page meant to be {expected} came out {outcome}")
        costs[outcome] = asdict(counter.snapshot() - before)
    return costs


# --- report ---------------------------------------------------------------------------------

_JSON = False


def report_row(row: dict[str, Any]) -> None:
    """Each row as soon as it is measured (a long run shows its progress)."""
    if _JSON:
        print(json.dumps(row), flush=True)
    else:
        progress("row: " + json.dumps(row))


def _cost(cost: dict[str, int] | None) -> str:
    return f"{cost['round_trips']} RT {cost['bytes_read'] / 1024:.1f} KB" if cost else "-"


def table(rows: list[dict[str, Any]]) -> str:
    head = (f"{'store':6} {'backend':19} {'versions':>10} {'ingest/s':>8} {'x smallest':>10} {'x adj.':>6} "
            f"{'latest p50':>10} {'p99':>8} {'due p50':>8} {'unchanged check':>16} {'load':>5}")
    lines = [head, "-" * len(head)]
    for row in rows:
        adjacent = row.get("ingest_vs_adjacent_base")
        lines.append(
            f"{row['store']:6} {row['backend']:19} {row['versions']:>10,} {row['ingest_per_s']:>8,.0f} "
            f"{row['ingest_vs_smallest']:>10.2f} {f'{adjacent:.2f}' if adjacent else '-':>6} "
            f"{row['latest_p50_ms']:>8.2f}ms {row['latest_p99_ms']:>6.1f}ms {row['due_p50_ms']:>6.1f}ms "
            f"{_cost((row.get('check_costs') or {}).get('unchanged')):>16} {row['load']:>5.1f}"
        )
    lines += [
        "",
        "ingest/s: versions/s of the save_version window (one call each) that ended at that size;",
        "x smallest: against the store's smallest size; x adj.: against the --base window into an empty",
        "file run right after it (same machine load). Between windows, bulk copies of documents the",
        "store wrote (SQLite INSERT...SELECT, MongoDB insert_many). load: 1-minute load average.",
    ]
    outcomes = [row for row in rows if row.get("check_costs")]
    if outcomes:
        lines += ["", f"server round trips / KB read per check outcome ({outcomes[-1]['check_costs_by']};",
                  " counted by tracker.store.commands.CommandCounter):"]
        lines.append(f"{'versions':>10} " + " ".join(f"{o:>14}" for o in OUTCOMES_SHOWN))
        for row in outcomes:
            cells = [_cost(row["check_costs"].get(outcome)) for outcome in OUTCOMES_SHOWN]
            lines.append(f"{row['versions']:>10,} " + " ".join(f"{c:>14}" for c in cells))
    return "\n".join(lines)


def sizes_arg(text: str) -> list[int]:
    return sorted(int(part.replace("_", "")) for part in text.split(",") if part.strip())


def main(argv: list[str] | None = None) -> int:
    global _JSON
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=sizes_arg, default=[1_000_000, 5_000_000],
                        help="SQLite archive sizes in versions (default 1000000,5000000)")
    parser.add_argument("--base", type=int, default=10_000,
                        help="SQLite seed and baseline window, through save_version (default 10000)")
    parser.add_argument("--window", type=int, default=10_000,
                        help="SQLite versions written through save_version to reach each size (default 10000)")
    parser.add_argument("--mongo-sizes", type=sizes_arg, default=[10_000, 100_000],
                        help="MongoDB archive sizes in versions (default 10000,100000)")
    parser.add_argument("--mongo-window", type=int, default=100,
                        help="MongoDB save_version and record_check calls at each size (default 100)")
    parser.add_argument("--stores", default="sqlite,mongo", help="sqlite, mongo or both")
    parser.add_argument("--mongo-uri", default=None, help="use this server instead of a local FerretDB")
    parser.add_argument("--ferretdb", choices=("postgresql", "sqlite"), default="postgresql",
                        help="backend of the local FerretDB (default: postgresql)")
    parser.add_argument("--json", action="store_true", help="print results as JSON lines")
    args = parser.parse_args(argv)
    _JSON = args.json
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    for kind in stores:
        if kind not in ("sqlite", "mongo"):
            parser.error(f"unknown store {kind!r}")
    for name, value in (("--base", args.base), ("--window", args.window), ("--mongo-window", args.mongo_window)):
        if value < VERSIONS_PER_ARTICLE or value % VERSIONS_PER_ARTICLE:
            parser.error(f"{name} must be a positive multiple of {VERSIONS_PER_ARTICLE}")
    problem = ("sqlite" in stores and sizes_problem([s for s in args.sizes if s != args.base], args.base, args.window)) or (
        "mongo" in stores and sizes_problem(args.mongo_sizes, MONGO_SEED_ARTICLES * VERSIONS_PER_ARTICLE,
                                            args.mongo_window, slack=CHECK_COST_SLACK))
    if problem:
        parser.error(problem)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as tmp:
        workdir = Path(tmp)
        if "sqlite" in stores:
            rows += sqlite_series(workdir, args.base, args.sizes, args.window)
        if "mongo" in stores:
            factory, cleanup = mongo_factory(workdir, args.mongo_uri, args.ferretdb)
            backend = "mongo-uri" if args.mongo_uri else f"ferretdb/{args.ferretdb}"
            try:
                rows += mongo_series(factory, backend, args.mongo_sizes, args.mongo_window)
            finally:
                cleanup()
    if not args.json:
        print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
