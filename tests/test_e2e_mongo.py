"""End to end against a real MongoDB-wire server (FerretDB, or TRACKER_TEST_MONGO_URI).

The same crawls store the same versions and diffs in MongoDB as in SQLite; an unreachable
server stops a crawl at once with one line; a server lost in the middle of a crawl loses no
page: pages wait in the local spool and are written, once, when it is back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.crawling import PROJECT_ROOT, TEST_SETTINGS, crawl_stats, run_crawl
from tests.mongo_server import FerretDBServer, with_database
from tests.site import FixtureSite
from tests.site.outlets import washpo
from tracker.normalize import article_id
from tracker.store import Store, open_store

ALWAYS_DUE = {"TRACKER_SCHEDULE_TIERS": "40d:0s"}


def body(number: int, word: str = "five") -> list[str]:
    return [
        f"Story {number}: the council approved the budget on Tuesday after a long debate about costs.",
        f"Officials said {word} people were detained outside the building during the protest.",
    ]


def serve_articles(site: FixtureSite, urls: list[str], word: str = "five", **options: Any) -> None:
    for number, url in enumerate(urls):
        page = washpo.article_page(url=url, headline=f"Story {number}", paragraphs=body(number, word))
        site.set_page(urlsplit(url).path, page, **options)


def history(store: Store, url: str) -> dict[str, Any]:
    """What must be equal in any store: versions (text, hashes, diffs) and check outcomes."""
    aid = article_id(url)
    versions = []
    for listed in store.list_versions(aid):
        version = store.get_version(aid, listed["version"])
        assert version is not None
        versions.append({key: version[key] for key in ("version", "headline", "paragraphs", "content_hash", "raw_hash", "diff", "authors", "word_count")})
    return {"versions": versions, "outcomes": [check["outcome"] for check in store.list_checks(aid)]}


def test_mongodb_stores_what_sqlite_stores(mongo_db_uri: str, tmp_path: Path) -> None:
    sqlite_uri = f"sqlite:///{tmp_path}/tracker.sqlite3"
    with FixtureSite() as site:
        for path, (content, content_type) in washpo.discovery_pages(washpo.ARTICLE_URLS).items():
            site.set_page(path, content, content_type=content_type)
        host_map = {host: site.base_url for host in washpo.HOSTS}
        urls = list(washpo.ARTICLE_URLS)
        for word in ("five", "six", "six"):  # first sight, an edit, an unchanged re-check
            serve_articles(site, urls, word)
            for store_uri in (sqlite_uri, mongo_db_uri):
                run_crawl("washpo", host_map=host_map, store_uri=store_uri, settings=ALWAYS_DUE)
    with open_store(sqlite_uri) as sqlite_store, open_store(mongo_db_uri) as mongo_store:
        assert mongo_store.count("versions") == sqlite_store.count("versions") == 6
        for url in urls:
            assert history(mongo_store, url) == history(sqlite_store, url)
        # ...and the tracker command reads it alike.
        for store_uri in (sqlite_uri, mongo_db_uri):
            shown = subprocess.run(
                [sys.executable, "-m", "tracker", "diff", urls[0], "1", "2", "--store", store_uri],
                cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
            )
            assert shown.returncode == 0, shown.stderr
            assert "[-five-]{+six+}" in shown.stdout


def test_unreachable_server_stops_the_crawl_at_once_with_one_line(tmp_path: Path) -> None:
    from bench._ferretdb import free_port

    uri = f"mongodb://reporter:s3cret-pass@127.0.0.1:{free_port()}/tracker"
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "washpo", "-s", f"TRACKER_STORE={uri}",
         "-s", f"TRACKER_SPOOL_DIR={tmp_path}/spool", "-a", f"url={washpo.ARTICLE_URLS[0]}"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert time.monotonic() - started < 60
    lines = [line for line in result.stderr.splitlines() if "store is unavailable" in line]
    assert len(lines) == 1 and "mongodb://reporter:***@127.0.0.1" in lines[0]
    assert "s3cret-pass" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert "Crawled" not in result.stderr  # no request was made


def test_server_lost_mid_crawl_loses_no_page(private_ferretdb: FerretDBServer, tmp_path: Path) -> None:
    # Short server timeouts: the store gives up on an operation after a few seconds (instead of
    # ~30 s of retries), so that an outage of seconds is one the spool must bridge.
    store_uri = with_database(private_ferretdb.uri, "outage") + "?serverSelectionTimeoutMS=400&connectTimeoutMS=400"
    urls = [f"https://www.washingtonpost.com/politics/2024/01/05/outage-story-{n}/" for n in range(30)]
    with FixtureSite() as site:
        serve_articles(site, urls, delay=0.3)  # a slow site: the crawl outlives the outage
        host_map = {host: site.base_url for host in washpo.HOSTS}
        settings = {
            **TEST_SETTINGS, "TRACKER_HOST_MAP": json.dumps(host_map), "TRACKER_STORE": store_uri,
            "TRACKER_SPOOL_DIR": str(tmp_path / "spool"), "TRACKER_SPOOL_RETRY": "0.5",
            "CONCURRENT_REQUESTS": "1",
        }
        command = [sys.executable, "-m", "scrapy", "crawl", "washpo", "-a", f"url={','.join(urls)}"]
        for name, value in settings.items():
            command += ["-s", f"{name}={value}"]
        env = {key: value for key, value in os.environ.items() if key not in ("TRACKER_STORE", "TRACKER_HOST_MAP")}
        crawl = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            # Stop the server once the first versions are in, while most pages are still to come.
            with open_store(store_uri) as store:
                deadline = time.monotonic() + 60
                while store.count("versions") < 2:
                    assert time.monotonic() < deadline and crawl.poll() is None, "crawl did not store anything"
                    time.sleep(0.1)
            private_ferretdb.kill()
            time.sleep(8)  # longer than the store's retries: pages arrive while it is gone

            private_ferretdb.start()
            stdout, stderr = crawl.communicate(timeout=180)
        finally:
            if crawl.poll() is None:
                crawl.kill()
    assert crawl.returncode == 0, stderr[-4000:]
    stats = stderr[stderr.rfind("Dumping Scrapy stats:"):]
    assert "'tracker/spool/queued'" in stats, stats
    assert "'tracker/spool/left': 0" in stats, stats
    with open_store(store_uri) as store:
        for url in urls:
            versions = store.list_versions(article_id(url))
            assert [v["version"] for v in versions] == [1], f"{url}: {versions}"
            assert [c["outcome"] for c in store.list_checks(article_id(url))] == ["new"]
    assert not list((tmp_path / "spool").glob("*.sqlite3")), "the emptied spool is removed"


def test_migrate_between_stores_from_the_command_line(mongo_db_uri: str, tmp_path: Path) -> None:
    sqlite_uri = f"sqlite:///{tmp_path}/tracker.sqlite3"
    back_uri = f"sqlite:///{tmp_path}/back.sqlite3"
    with FixtureSite() as site:
        urls = list(washpo.ARTICLE_URLS)
        host_map = {host: site.base_url for host in washpo.HOSTS}
        for word in ("five", "six"):
            serve_articles(site, urls, word)
            result = run_crawl("washpo", host_map=host_map, store_uri=sqlite_uri, args=["-a", f"url={','.join(urls)}"], settings=ALWAYS_DUE)
    assert "'tracker/revisions/changed': 3" in crawl_stats(result)

    def tracker(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tracker", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)

    for source, target in ((sqlite_uri, mongo_db_uri), (mongo_db_uri, back_uri)):
        moved = tracker("migrate", "--from", source, "--to", target)
        assert moved.returncode == 0, moved.stderr
        assert "6 versions" in moved.stdout
        again = tracker("migrate", "--from", source, "--to", target)  # resumable: nothing left to do
        assert "0 versions and 0 checks copied" in again.stdout
    with open_store(sqlite_uri) as original, open_store(back_uri) as round_trip:
        for url in urls:
            assert history(round_trip, url) == history(original, url)
