"""Store benchmark: ingest rate, latest-version and due-for-check latency, at several sizes.

    python bench/store.py [--sizes 10000,1000000] [--stores sqlite,mongo] [--budget 600]

For each store and size, a fresh store gets N synthetic versions (10 paragraphs, a small
diff, ~2 KB each) spread over N/5 articles, written round-robin (every article's version 1,
then every version 2, ...) through ``Store.save_version``. Then: ``latest_version`` of random
articles and ``due_articles(now, limit=100)`` (about half of the articles are due), p50/p99.
Finally the ingest rate at each size relative to 10 000 (or the smallest size).

MongoDB means a FerretDB started here like the tests start it (``bench/_ferretdb.py``), or
``--mongo-uri`` for a server of your own (a fresh database is created and dropped).
``--budget`` caps the ingest of one store at one size, in seconds; a run cut short reports
the number of versions it reached, not the one asked for.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(ROOT))

from tracker.store import Store, open_store  # noqa: E402

UTC = dt.timezone.utc
VERSIONS_PER_ARTICLE = 5
WORDS = ("the minister said on tuesday that talks would resume after a brief pause in "
         "negotiations over the budget and the new rules for public spending in regions").split()


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
) -> tuple[Callable[[], Any], Callable[[], None]]:
    """A context-manager factory of fresh Mongo stores, and a cleanup for the server.

    Without ``uri``: a local FerretDB on ``backend`` (``postgresql``: a throw-away cluster of
    Debian's PostgreSQL; ``sqlite``: files in ``workdir``).
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
    def fresh() -> Iterator[Store]:
        name = f"bench_{uuid.uuid4().hex[:8]}"
        store = open_store(f"{base}/{name}", serverSelectionTimeoutMS=10000)
        try:
            yield store
        finally:
            store._db.client.drop_database(name)  # type: ignore[attr-defined]  # noqa: SLF001
            store.close()

    def stop() -> None:
        if server is not None:
            server.stop()
        if cluster is not None:
            cluster.stop()

    return fresh, stop


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
    return at(0.50) * 1000, at(0.99) * 1000


def timed(call: Callable[[], Any], *, count: int, budget: float) -> list[float]:
    samples: list[float] = []
    deadline = time.monotonic() + budget
    while len(samples) < count and (len(samples) < 5 or time.monotonic() < deadline):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def run(store: Store, size: int, budget: float, seed: int = 1) -> dict[str, Any]:
    rng = random.Random(seed)
    articles = max(1, size // VERSIONS_PER_ARTICLE)
    start_at = dt.datetime(2024, 1, 1, tzinfo=UTC)
    written = 0
    deadline = time.monotonic() + budget
    started = time.perf_counter()
    window: list[tuple[int, float]] = [(0, started)]
    stopped_early = False
    for number in range(1, VERSIONS_PER_ARTICLE + 1):
        for index in range(articles):
            if written >= size:
                break
            aid = f"a{index}"
            at = start_at + dt.timedelta(days=number, seconds=index)
            article, version, check = make_version(rng, aid, number, at)
            store.save_version(article, version, check, expected_count=number - 1)
            written += 1
            if written % max(10, size // 100) == 0:
                window.append((written, time.perf_counter()))
                if time.monotonic() > deadline:
                    stopped_early = True
                    break
        if stopped_early:
            break
    elapsed = time.perf_counter() - started
    window.append((written, time.perf_counter()))
    # Rate over the last tenth of the run: where a store that slows down with size shows it.
    tail_from = next((w for w in window if w[0] >= written * 0.9), window[0])
    tail_rate = (written - tail_from[0]) / max(window[-1][1] - tail_from[1], 1e-9)

    written_articles = min(articles, written)
    ids = [f"a{rng.randrange(written_articles)}" for _ in range(2000)]
    lookups = iter(ids)
    latest = timed(lambda: store.latest_version(next(lookups)), count=1000, budget=30)
    now = start_at + dt.timedelta(days=VERSIONS_PER_ARTICLE + 1)
    due_count = len(store.due_articles(now, limit=100))
    due = timed(lambda: store.due_articles(now, limit=100), count=50, budget=30)
    return {
        "size": size, "versions": written, "articles": written_articles,
        "stopped_at_budget": stopped_early, "ingest_seconds": round(elapsed, 1),
        "ingest_per_s": round(written / elapsed, 1), "ingest_tail_per_s": round(tail_rate, 1),
        "latest_p50_ms": round(percentiles(latest)[0], 3), "latest_p99_ms": round(percentiles(latest)[1], 3),
        "latest_samples": len(latest),
        "due_p50_ms": round(percentiles(due)[0], 3), "due_p99_ms": round(percentiles(due)[1], 3),
        "due_samples": len(due), "due_returned": due_count,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,1000000", help="versions per run, comma-separated")
    parser.add_argument("--stores", default="sqlite,mongo", help="sqlite, mongo or both")
    parser.add_argument("--budget", type=float, default=600.0, help="max ingest seconds per run")
    parser.add_argument("--mongo-uri", default=None, help="use this server instead of a local FerretDB")
    parser.add_argument("--ferretdb", choices=("postgresql", "sqlite"), default="postgresql",
                        help="backend of the local FerretDB (default: postgresql)")
    parser.add_argument("--json", action="store_true", help="print results as JSON lines")
    args = parser.parse_args(argv)
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s)
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as tmp:
        workdir = Path(tmp)
        for kind in stores:
            if kind == "sqlite":
                factory: Callable[[], Any] = lambda: sqlite_store(workdir)  # noqa: E731
                cleanup: Callable[[], None] = lambda: None  # noqa: E731
            elif kind == "mongo":
                factory, cleanup = mongo_factory(workdir, args.mongo_uri, args.ferretdb)
            else:
                parser.error(f"unknown store {kind!r}")
            try:
                base_rate = None
                for size in sizes:
                    with factory() as store:
                        result = {"store": kind, **run(store, size, args.budget)}
                    base_rate = base_rate or result["ingest_per_s"]
                    result["ingest_vs_smallest"] = round(result["ingest_per_s"] / base_rate, 3)
                    results.append(result)
                    if args.json:
                        print(json.dumps(result), flush=True)
                    else:
                        print(
                            f"{kind:6} N={result['versions']:>9,}{'*' if result['stopped_at_budget'] else ' '} "
                            f"({result['articles']:,} articles) ingest {result['ingest_per_s']:>8,.0f}/s "
                            f"(last 10%: {result['ingest_tail_per_s']:,.0f}/s, x{result['ingest_vs_smallest']} of smallest) | "
                            f"latest p50 {result['latest_p50_ms']:.2f} ms p99 {result['latest_p99_ms']:.2f} ms | "
                            f"due p50 {result['due_p50_ms']:.1f} ms p99 {result['due_p99_ms']:.1f} ms "
                            f"(n={result['due_samples']})",
                            flush=True,
                        )
            finally:
                cleanup()
    if not args.json and any(r["stopped_at_budget"] for r in results):
        print("* ingest stopped at the --budget; the size reached is shown")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
