"""Web benchmark: response times of the web view's pages, feeds and API on a large archive.

    python bench/web.py [--versions 100000] [--store sqlite|mongodb://host:port] [--requests 100]
                        [--without-fields]

Builds a synthetic archive of N versions (default 100 000) over N/5 articles of 7 outlets
through ``Store.save_version`` (the builders of ``bench/store.py``, with article text from the
synthetic-text generator of ``bench/diff.py``: ten 60-word paragraphs, one to three words
changed from each version to the next), then asks the app (``tracker.web.create_app``, through
Flask's test client: the whole WSGI request, without sockets) for each kind of page, of random
articles and outlets, and prints median and p95 response times next to the same store's
``latest_version`` lookup measured in the same run, the ratio of the medians, and how many
``Store`` calls one request made (more than a handful means a query per row: N+1).
Versions name their changed fields in ``diff_stats`` as the recorder writes them; with
``--without-fields`` they are as recorded before that (listings then read their diffs).

SQLite by default (a temporary file); ``--store mongodb://...`` builds the archive in a fresh
database of that server and drops it afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(ROOT))

from bench.diff import VOCAB, article, change_words  # noqa: E402
from bench.store import VERSIONS_PER_ARTICLE, make_version, mongo_factory, sqlite_store  # noqa: E402
from tracker.store import Store  # noqa: E402
from tracker.store.base import mask_uri  # noqa: E402

if TYPE_CHECKING:
    from flask.testing import FlaskClient

T = TypeVar("T")
R = TypeVar("R")
UTC = dt.timezone.utc
START = dt.datetime(2024, 1, 1, tzinfo=UTC)
WORDS_PER_ARTICLE, WORDS_PER_PARAGRAPH = 600, 60
OUTLETS = 7  # bench/store.py's make_version spreads articles over outlet0..outlet6


# --- the archive ------------------------------------------------------------------------------


def first_text(index: int) -> list[str]:
    return article(random.Random(index), WORDS_PER_ARTICLE, WORDS_PER_PARAGRAPH)


def edit(paragraphs: list[str], rng: random.Random) -> list[str]:
    """The next version's text: one to three words of one paragraph changed."""
    where = rng.randrange(len(paragraphs))
    changed = change_words(paragraphs[where], rng.sample(range(WORDS_PER_PARAGRAPH), rng.randint(1, 3)), rng)
    return [*paragraphs[:where], changed, *paragraphs[where + 1:]]


def headline(index: int, number: int) -> str:
    rng = random.Random(index * 7919 + (number >= 3))  # the headline changes at version 3
    return " ".join(rng.choice(VOCAB) for _ in range(8)).capitalize()


def build_archive(
    store: Store, versions: int, progress: Callable[[str], None], *, fields: bool = True,
) -> int:
    """``versions`` versions over versions/5 articles, written round-robin (every article's
    version 1, then every version 2, ...); returns the article count. ``fields``: name the
    changed fields in ``diff_stats`` as the recorder does (off: versions recorded before it)."""
    rng = random.Random(1)
    articles = max(1, versions // VERSIONS_PER_ARTICLE)
    texts: dict[int, list[str]] = {}
    written = 0
    started = time.perf_counter()
    for number in range(1, VERSIONS_PER_ARTICLE + 1):
        for index in range(min(articles, versions - written)):
            texts[index] = edit(texts[index], rng) if number > 1 else first_text(index)
            # versions six hours apart, so that the home page has a real order
            at = START + dt.timedelta(hours=6 * number, seconds=index)
            article_doc, version, check = make_version(rng, f"a{index}", number, at, texts[index])
            version["headline"] = article_doc["headline"] = headline(index, number)
            version["outlet"] = article_doc["outlet"]
            version["word_count"] = WORDS_PER_ARTICLE
            if fields and number > 1:
                version["diff_stats"] = {**version["diff_stats"], "fields": ["headline"] if number == 3 else []}
            store.save_version(article_doc, version, check, expected_count=number - 1)
            written += 1
        progress(f"  version {number} of every article written ({written:,} versions, "
                 f"{written / (time.perf_counter() - started):,.0f}/s)")
    return articles


# --- measuring --------------------------------------------------------------------------------


class StoreCalls:
    """Counts and times every public method call on a store: the app's view of the database."""

    def __init__(self, store: Store) -> None:
        self.calls: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()
        for name in dir(type(store)):
            if not name.startswith("_") and name != "close" and callable(getattr(store, name)):
                setattr(store, name, self._watched(name, getattr(store, name)))

    def _watched(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.calls[name] += 1
                self.seconds[name] += time.perf_counter() - started
        return wrapper

    def clear(self) -> None:
        self.calls.clear()
        self.seconds.clear()

    def slowest(self, requests: int) -> str:
        """The method that took the most time, with its mean milliseconds per request."""
        if not self.seconds:
            return "-"
        name, seconds = self.seconds.most_common(1)[0]
        return f"{name} {seconds / requests * 1000:.1f}"


def time_each(call: Callable[[T], R], args: list[T]) -> tuple[list[float], list[R]]:
    """Seconds and result of ``call(arg)`` for each arg after the first, which warms up
    (templates compiled, caches filled)."""
    call(args[0])
    times, results = [], []
    for arg in args[1:]:
        started = time.perf_counter()
        results.append(call(arg))
        times.append(time.perf_counter() - started)
    return times, results


def median_p95(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000


def routes(rng: random.Random, articles: int) -> dict[str, Callable[[], str]]:
    """Name -> a function giving the path of the next request (random article, outlet, word)."""
    def aid() -> str:
        return f"a{rng.randrange(articles)}"

    def outlet() -> str:
        return f"outlet{rng.randrange(OUTLETS)}"

    def word() -> str:
        return rng.choice(VOCAB[:500])

    last_page = max(1, min(articles * VERSIONS_PER_ARTICLE // 50, 10_000))
    # a word of the vocabulary is in about 11 % of the articles: page 3 exists on large archives
    search_page = max(1, min(3, articles // 10 // 50))
    return {
        "home": lambda: "/",
        f"home, page {min(20, last_page)}": lambda: f"/?page={min(20, last_page)}",
        "home, last page": lambda: f"/?page={last_page}",
        "outlet": lambda: f"/outlet/{outlet()}",
        "article": lambda: f"/article/{aid()}",
        "compare (latest)": lambda: f"/article/{aid()}/compare",
        "compare 1 vs 5, inline": lambda: f"/article/{aid()}/compare?a=1&b=5&mode=inline",
        "search": lambda: f"/search?q={word()}",
        f"search, page {search_page}": lambda: f"/search?q={word()}&page={search_page}",
        "feed: all (RSS)": lambda: "/feed.rss",
        "feed: outlet (Atom)": lambda: f"/outlet/{outlet()}/feed.atom",
        "feed: article (RSS)": lambda: f"/article/{aid()}/feed.rss",
        "API articles": lambda: "/api/articles?limit=50",
        "API articles, outlet": lambda: f"/api/articles?outlet={outlet()}&limit=50",
        "API article": lambda: f"/api/articles/{aid()}",
        "API version": lambda: f"/api/articles/{aid()}/versions/3",
        "API diff": lambda: f"/api/articles/{aid()}/diff?a=1&b=5",
    }


def page_size(client: FlaskClient, path: str) -> int:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code} (the benchmark measures answered pages)")
    return len(response.data)


def measure(store: Store, articles: int, requests: int, out: Callable[[str], None]) -> None:
    from tracker.web import create_app

    rng = random.Random(2)
    # the archive's last version was written at START + 30 h: "now" is a day later
    client = create_app(store, now=lambda: START + dt.timedelta(hours=54)).test_client()
    lookups = [f"a{rng.randrange(articles)}" for _ in range(max(requests * 10, 1000) + 1)]
    base_median, base_p95 = median_p95(time_each(store.latest_version, lookups)[0])
    calls = StoreCalls(store)
    out(f"{'request':24} {'median ms':>10} {'p95 ms':>9} {'x latest':>9} {'store calls':>12} {'KB':>6}  "
        "slowest store call (ms per request)")
    out(f"{'store.latest_version':24} {base_median:10.2f} {base_p95:9.2f} {1:9.1f}")
    for name, next_path in routes(rng, articles).items():
        calls.clear()
        times, sizes = time_each(functools.partial(page_size, client), [next_path() for _ in range(requests + 1)])
        median, p95 = median_p95(times)
        per_request = sum(calls.calls.values()) / (requests + 1)
        out(f"{name:24} {median:10.2f} {p95:9.2f} {median / base_median:9.0f} {per_request:12.1f} "
            f"{statistics.median(sizes) / 1024:6.1f}  {calls.slowest(requests + 1)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--versions", type=int, default=100_000, help="versions in the archive (default 100000)")
    parser.add_argument("--store", default="sqlite", help="sqlite (default) or a MongoDB URI")
    parser.add_argument("--requests", type=int, default=100, help="requests per kind of page (default 100)")
    parser.add_argument("--without-fields", action="store_true",
                        help="versions as recorded before diff_stats named the changed fields")
    args = parser.parse_args(argv)
    if args.versions < VERSIONS_PER_ARTICLE:
        parser.error(f"--versions must be at least {VERSIONS_PER_ARTICLE}")

    def out(line: str) -> None:
        print(line, flush=True)

    with tempfile.TemporaryDirectory(prefix="tracker-bench-web-") as tmp:
        cleanup: Callable[[], None] = lambda: None  # noqa: E731
        if args.store == "sqlite":
            fresh: Callable[[], AbstractContextManager[Store]] = lambda: sqlite_store(Path(tmp))  # noqa: E731
        elif args.store.startswith("mongodb"):
            fresh, cleanup = mongo_factory(Path(tmp), args.store)
        else:
            parser.error("--store is sqlite or a mongodb:// URI")
        try:
            with fresh() as store:
                out(f"building {args.versions:,} versions in {mask_uri(store.uri)} ...")
                started = time.perf_counter()
                articles = build_archive(store, args.versions, out, fields=not args.without_fields)
                out(f"built: {store.count('articles'):,} articles, {store.count('versions'):,} versions "
                    f"in {time.perf_counter() - started:.0f} s; {args.requests} requests per kind")
                measure(store, articles, args.requests, out)
        finally:
            cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
