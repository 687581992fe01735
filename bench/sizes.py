"""The measured inputs of docs/SCALING.md: checks per article, page sizes, bytes on the wire
and the size of every stored document. One command:

    python bench/sizes.py [--copies 10]

1. **Checks per article** over its life, from the real schedule (``tracker.schedule``, default
   tiers), for a few patterns of real changes: on a continuous clock (each check exactly when
   due) and with crawls in rounds (``tracker schedule --every 15m``, and ``5m``: a crawl asks
   for what is due by its start plus ``TRACKER_DUE_GRACE`` and fetches a little later, here
   30 s; and 15-minute rounds without the grace, for comparison).
2. **The real pages** of ``../shared/fixtures/real-pages/`` per outlet: raw HTML, as stored
   (``tracker.store.base.compress_html``: Zstandard level 3), gzip level 6 (what a server
   sending ``Content-Encoding: gzip`` puts on the wire) and the extracted text.
3. **Real crawls** of the local fixture site (``tests/site``): ``--copies`` × the 9 real
   Washington Post pages crawled by ``scrapy crawl washpo`` into a fresh SQLite store — first
   sight, a crawl with nothing due (the fixed cost of a job), a re-check a day later answered
   304, one two days later answered 200 with the same bytes and no validators (as
   ``bench/recheck.py``), one three days later with the same text in other bytes (extracted
   and compared) — with the CPU time of each crawl process (``TRACKER_EXTRACT_WORKERS=0``, so
   that the extraction's CPU is the process's own); and the offline demo (``tracker
   demo``: edits between crawls, so changed versions with diffs). Per kind of document: its
   size as the MongoDB store writes it (BSON, private fields included) and the SQLite store's
   bytes per row (``dbstat``: tables, indexes and the search index).
4. **On the wire**: the conditional GET exactly as the crawl sent it (from the site's request
   log), replayed on a socket, and the bytes of the site's 200 and 304 answers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import gzip
import json
import os
import resource
import socket
import sqlite3
import statistics
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import bson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _crawl import (
    BENCH_SETTINGS,
    REAL_PAGES,
    WAPO,
    FixtureSite,
    run_crawl,
    serve_pages,
    story_paths,
    wapo_pages,
)

from tracker.demo import build_demo
from tracker.extraction import decode_html, extract_article
from tracker.schedule import Policy, next_check
from tracker.settings import TRACKER_DUE_GRACE
from tracker.store import open_store
from tracker.store.base import compress_html, utcnow

# The MongoDB store's own document builders: the sizes are those of what it writes.
from tracker.store.mongo import SEARCH_FIELD, _check_key, _doc, _version_key
from tracker.store.sqlite import (
    ARTICLE_FIELDS,
    CHECK_FIELDS,
    STORED_AT,
    VERSION_FIELDS,
)

KIB = 1024
# Rounds of `tracker schedule --every` shown, (length, due grace): its default and a shorter
# one with the project's TRACKER_DUE_GRACE, and the default without it.
DUE_GRACE = dt.timedelta(seconds=TRACKER_DUE_GRACE)
ROUNDS = (
    (dt.timedelta(minutes=15), DUE_GRACE), (dt.timedelta(minutes=5), DUE_GRACE),
    (dt.timedelta(minutes=15), dt.timedelta(0)),
)
FETCH_LAG = dt.timedelta(seconds=30)   # from a round's start to the fetch of a due article
# Real changes after first sight, in hours: the patterns the schedule table shows.
CHANGE_PATTERNS: tuple[tuple[float, ...], ...] = ((), (1, 2), (1, 2, 6), (1, 2, 24))
DEFAULT_POLICY = Policy()  # the default tiers (3h:15m, 1d:1h, 7d:3h, 40d:1d), retired at 40 days


# --- 1. checks per article ----------------------------------------------------------------

def checks_over_life(
    change_hours: Iterable[float], round_length: dt.timedelta | None = None, policy: Policy = DEFAULT_POLICY,
    grace: dt.timedelta = DUE_GRACE,
) -> tuple[int, dict[str, int]]:
    """Checks of one article from first sight to retirement (first sight and the last check
    included), and how many fell in each tier (by interval). ``round_length``: crawls run in
    rounds that long, each taking what is due by its start plus ``grace``; None: each check
    exactly when due."""
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    changes = sorted(start + dt.timedelta(hours=hours) for hours in change_hours)
    now, changed_at, per_tier = start, start, defaultdict(int)
    while True:
        while changes and changes[0] <= now:  # a change made before this check is seen by it
            changes.pop(0)
            changed_at = now
        interval = policy.interval(now - changed_at)
        per_tier[f"every {short(interval)}" if interval else "retiring"] += 1
        due = next_check({"first_seen_at": start, "last_changed_at": changed_at}, now, policy).next_check_at
        if due is None:
            return sum(per_tier.values()), dict(per_tier)
        now = due if round_length is None else next_round_fetch(start, due, round_length, grace)


def short(length: dt.timedelta) -> str:
    """15m, 1h, 3h, 1d."""
    minutes = int(length.total_seconds() // 60)
    for unit, size in (("d", 1440), ("h", 60)):
        if minutes % size == 0:
            return f"{minutes // size}{unit}"
    return f"{minutes}m"


def next_round_fetch(
    start: dt.datetime, due: dt.datetime, round_length: dt.timedelta, grace: dt.timedelta = DUE_GRACE
) -> dt.datetime:
    """When a crawl in rounds fetches an article due at ``due``: the first round whose start
    plus ``grace`` (what its due query asks for) is at or after ``due``, plus the lag."""
    rounds_needed = -((start + grace - due) // round_length)  # ceil((due - start - grace) / round_length)
    return start + rounds_needed * round_length + FETCH_LAG


def print_schedule() -> None:
    print("1. checks per article over its life (tracker.schedule, default tiers)")
    rounds = "".join(f"{f'{short(length)} rounds' + ('' if grace else ', grace 0'):>{14 if grace else 21}}"
                     for length, grace in ROUNDS)
    print(f"{'real changes at (h)':<22}{'continuous':>11}{rounds}   per tier (continuous)")
    for pattern in CHANGE_PATTERNS:
        total, tiers = checks_over_life(pattern)
        in_rounds = "".join(f"{checks_over_life(pattern, length, grace=grace)[0]:>{14 if grace else 21}}"
                            for length, grace in ROUNDS)
        label = ", ".join(f"{hours:g}" for hours in pattern) or "none"
        print(f"{label:<22}{total:>11}{in_rounds}   " + ", ".join(f"{tier} {n}" for tier, n in tiers.items()))


# --- 2. the real pages --------------------------------------------------------------------

def real_pages() -> Iterator[tuple[str, bytes, str]]:
    """(outlet, page bytes, article URL) of every fixture page."""
    for page in sorted(REAL_PAGES.glob("*/*/page.html")):
        expected = json.loads((page.parent / "expected.json").read_text(encoding="utf-8"))
        yield page.parent.parent.name, page.read_bytes(), expected.get("url") or ""


def page_row(data: bytes, url: str) -> dict[str, float]:
    html = decode_html(data)  # as the crawl decodes it: the text the store compresses
    article = extract_article(html, url)
    text = "\n\n".join(article.get("paragraphs") or [])
    return {
        "raw": len(data),
        "zstd": len(compress_html(html)[0]),
        "gzip": len(gzip.compress(data, 6)),
        "text": len(text.encode("utf-8")),
        "words": len(text.split()),
        "distinct": len({word.lower() for word in text.split()}),
    }


def print_pages() -> None:
    rows: dict[str, list[dict[str, float]]] = defaultdict(list)
    for outlet, data, url in real_pages():
        rows[outlet].append(page_row(data, url))
    rows["ALL"] = [row for outlet_rows in list(rows.values()) for row in outlet_rows]
    print(f"\n2. real pages ({REAL_PAGES}), mean KiB per page (median raw in brackets)")
    print(f"{'outlet':<16}{'pages':>6}{'raw':>8}{'(median)':>10}{'zstd-3':>8}{'gzip-6':>8}"
          f"{'text':>7}{'words':>7}{'distinct':>9}")
    for outlet, outlet_rows in rows.items():
        mean = {key: statistics.mean(row[key] for row in outlet_rows) for key in outlet_rows[0]}
        median = statistics.median(row["raw"] for row in outlet_rows)
        print(f"{outlet:<16}{len(outlet_rows):>6}{mean['raw'] / KIB:>8.1f}{f'({median / KIB:.1f})':>10}"
              f"{mean['zstd'] / KIB:>8.1f}{mean['gzip'] / KIB:>8.1f}{mean['text'] / KIB:>7.1f}"
              f"{mean['words']:>7.0f}{mean['distinct']:>9.0f}")


# --- 3. documents after real crawls --------------------------------------------------------

def mongo_bytes(fields: dict[str, str], doc: dict[str, Any], private: dict[str, Any]) -> int:
    """BSON size of a document as the MongoDB store writes it (every field, private ones too)."""
    stored = _doc(fields, doc)
    for name in fields:
        stored.setdefault(name, None)
    return len(bson.encode({**stored, **private}))


def document_sizes(store_uri: str) -> dict[str, list[int]]:
    """BSON bytes of every article, version (by outcome of its check) and check (by outcome)."""
    sizes: dict[str, list[int]] = defaultdict(list)
    write_id = "0" * 32  # uuid4().hex, as the store writes it
    with open_store(store_uri) as store:
        for article in store.articles_by_id(limit=100_000):
            aid = article["article_id"]
            versions = list(store.iter_versions(aid, html=True))
            search = {SEARCH_FIELD: "\n".join(versions[-1]["paragraphs"] or [])} if versions else {}
            sizes["article"].append(mongo_bytes(ARTICLE_FIELDS, article, {"_id": aid, "_checks": 0, **search}))
            sizes["article: _search"].append(len(search.get(SEARCH_FIELD, "").encode()))
            for version in versions:
                kind = "version 1 (new)" if version["version"] == 1 else "version n (changed)"
                private = {"_id": _version_key(aid, version["version"]), "_write_id": write_id, STORED_AT: utcnow()}
                sizes[kind].append(mongo_bytes(VERSION_FIELDS, version, private))
                sizes[f"{kind}: html"].append(len(version.get("html") or b""))
                for name in ("paragraphs", "diff"):
                    sizes[f"{kind}: {name}"].append(len(json.dumps(version.get(name), ensure_ascii=False).encode()))
            for number, check in enumerate(store.iter_checks(aid), start=1):
                private = {"_id": _check_key(aid, number), "_write_id": write_id}
                sizes[f"check {check['outcome']}"].append(mongo_bytes(CHECK_FIELDS, check, private))
    return sizes


def sqlite_bytes(path: Path) -> dict[str, int]:
    """Bytes of each table with its indexes (dbstat), the search index's tables as one."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        owner = dict(connection.execute("SELECT name, tbl_name FROM sqlite_master"))
        totals: dict[str, int] = defaultdict(int)
        for name, size in connection.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
            table = owner.get(name, name)
            totals["article_search" if table.startswith("article_search") else table] += size
    return dict(totals)


def crawl_cpu(command: list[str], settings: dict[str, str]) -> float:
    """CPU seconds (user + system) of one crawl process; the fixture site runs in this
    process and is not counted."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run_crawl(command, settings)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def wapo_crawls(
    site: FixtureSite, workdir: Path, copies: int
) -> tuple[str, dict[str, dict[str, int]], dict[str, float]]:
    """First sight, a crawl with nothing due, then the three kinds of unchanged re-check: the
    SQLite bytes after each and the CPU seconds of each crawl."""
    paths = story_paths(copies * len(wapo_pages()))
    store_path = workdir / "wapo.sqlite3"
    host_map = {"www.washingtonpost.com": site.base_url, "feeds.washingtonpost.com": site.base_url}
    settings = {**BENCH_SETTINGS, "TRACKER_HOST_MAP": json.dumps(host_map), "TRACKER_STORE": f"sqlite:///{store_path}",
                "TRACKER_MAX_RECHECKS": str(len(paths)),
                # Extraction in a thread of the crawl process: getrusage counts only children that
                # were waited for, and the pool's worker processes do not show up in it.
                "TRACKER_EXTRACT_WORKERS": "0"}
    crawl = [sys.executable, "-m", "scrapy", "crawl", "washpo"]
    serve_pages(site, paths, wapo_pages())
    after: dict[str, dict[str, int]] = {}
    cpu = {"first sight": crawl_cpu([*crawl, "-a", "url=" + ",".join(WAPO + path for path in paths)], settings)}
    after["first sight"] = sqlite_bytes(store_path)
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)).isoformat()
    cpu["nothing due (start-up, discovery)"] = crawl_cpu(crawl, {**settings, "TRACKER_NOW": soon})
    # The last re-check: the same text in other bytes (as a page with a fresh ad slot id or
    # timestamp each time), so it is extracted and compared.
    other_bytes = [page + b"\n<!-- served again -->" for page in wapo_pages()]
    for days, pages, validators, label in ((1, wapo_pages(), True, "304 re-check"),
                                           (2, wapo_pages(), False, "identical-200 re-check"),
                                           (3, other_bytes, False, "other-bytes-200 re-check")):
        serve_pages(site, paths, pages, validators=validators)
        later = (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).isoformat()
        cpu[label] = crawl_cpu(crawl, {**settings, "TRACKER_NOW": later})
        after[label] = sqlite_bytes(store_path)
    return f"sqlite:///{store_path}", after, cpu


def print_cpu(cpu: dict[str, float], pages: int) -> None:
    idle = cpu["nothing due (start-up, discovery)"]
    print(f"\n3. CPU of each crawl process (user + system; extraction in its thread), {pages} pages")
    print(f"{'crawl':<36}{'CPU s':>8}{'ms per page beyond the idle crawl':>36}")
    for label, seconds in cpu.items():
        per_page = "" if seconds is idle else f"{1000 * (seconds - idle) / pages:.1f}"
        print(f"{label:<36}{seconds:>8.2f}{per_page:>36}")


def print_sizes(title: str, sizes: dict[str, list[int]]) -> None:
    print(f"\n3. {title}: bytes per document as the MongoDB store writes it (BSON)")
    print(f"{'document':<36}{'count':>7}{'mean':>10}{'median':>10}{'max':>10}")
    for kind in sorted(sizes, key=lambda name: (not name.startswith("article"), name)):
        values = sizes[kind]
        print(f"{kind:<36}{len(values):>7}{statistics.mean(values):>10.0f}"
              f"{statistics.median(values):>10.0f}{max(values):>10}")


def print_sqlite_growth(after: dict[str, dict[str, int]], versions: int) -> None:
    print(f"\n3. SQLite store, bytes (dbstat, tables with their indexes), {versions} articles")
    tables = sorted({table for sizes in after.values() for table in sizes})
    print(f"{'after':<26}" + "".join(f"{table:>16}" for table in tables) + f"{'total':>12}")
    for label, sizes in after.items():
        row = "".join(f"{sizes.get(table, 0):>16,}" for table in tables)
        print(f"{label:<26}{row}{sum(sizes.values()):>12,}")
    first, recheck = after["first sight"], after["304 re-check"]
    print(f"per version (first sight): {sum(first.values()) / versions:,.0f} bytes; "
          f"per 304 check: {(sum(recheck.values()) - sum(first.values())) / versions:,.0f} bytes")


# --- 4. on the wire -----------------------------------------------------------------------

def replay(site: FixtureSite, path: str, headers: dict[str, str]) -> tuple[int, int, int]:
    """Send the request (as logged) on a socket: (request bytes, response head bytes, body bytes)."""
    host, port = site.base_url.removeprefix("http://").split(":")
    request = f"GET {path} HTTP/1.1\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    with socket.create_connection((host, int(port))) as connection:
        connection.sendall(request.encode("latin-1"))
        response = b""
        while b"\r\n\r\n" not in response:
            response += connection.recv(65536)
        head, _, body = response.partition(b"\r\n\r\n")
        lengths = [line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")]
        length = int(lengths[0]) if lengths else 0
        while len(body) < length:
            body += connection.recv(65536)
    return len(request), len(head) + 4, len(body)


def print_wire(site: FixtureSite) -> None:
    logged = next(request for request in site.requests if request.status == 304)
    # Serve a page again at that path and ask for it with its validators (same lengths as logged).
    page = site.set_page(logged.path, wapo_pages()[0])
    conditional = {**logged.headers, "If-None-Match": page.etag,
                   "If-Modified-Since": email.utils.formatdate(page.last_modified, usegmt=True)}
    plain = {name: value for name, value in logged.headers.items()
             if name.lower() not in ("if-none-match", "if-modified-since")}
    print("\n4. on the wire: the crawl's own conditional GET replayed (bytes; no TLS, no compression)")
    print(f"{'answer':<22}{'request':>9}{'response head':>15}{'body':>9}{'total':>9}")
    for label, headers in (("304 (conditional)", conditional), ("200 (plain)", plain)):
        sent, head, body = replay(site, logged.path, headers)
        print(f"{label:<22}{sent:>9}{head:>15}{body:>9}{sent + head + body:>9}")
    print("request headers sent by the crawl: " + "; ".join(
        f"{name}: {value}" for name, value in logged.headers.items() if name != "User-Agent"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=10, help="copies of the 9 WaPo pages crawled (default 10)")
    options = parser.parse_args()
    print(f"load average {' '.join(f'{load:.2f}' for load in os.getloadavg())} (CPU figures move with it)")
    print_schedule()
    print_pages()
    with FixtureSite() as site, tempfile.TemporaryDirectory() as workdir:
        store, after, cpu = wapo_crawls(site, Path(workdir), options.copies)
        print_cpu(cpu, options.copies * len(wapo_pages()))
        print_sizes(f"real crawl of {options.copies} x 9 WaPo pages (first sight and three re-checks)",
                    document_sizes(store))
        print_sqlite_growth(after, options.copies * len(wapo_pages()))
        demo = f"sqlite:///{workdir}/demo.sqlite3"
        build_demo(demo)
        print_sizes("tracker demo (6 articles, 3 crawls, edits between them)", document_sizes(demo))
        print_wire(site)


if __name__ == "__main__":
    main()
