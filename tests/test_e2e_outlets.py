"""End to end, for every outlet: ``scrapy crawl <outlet>`` against its local fixture site.

Discovery (feed, sitemap, section page) finds three articles and nothing else; each is stored
as version 1 with exactly its text; an edited paragraph then makes version 2 of that article
only, and a 404 makes a check, not a version. The detailed scenarios (formatting noise,
conditional GET, redirects, error pages) are in test_e2e_washpo.py.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import pytest

from tests.crawling import crawl_stats, run_crawl
from tests.site import FixtureSite
from tests.site.outlets import outlet_sites
from tracker.normalize import article_id
from tracker.store import open_store

ALWAYS_DUE = {"TRACKER_SCHEDULE_TIERS": "40d:0s"}
AUTHORS = ("Jane Reporter", "John Correspondent")


def body(title: str) -> list[str]:
    return [
        f"{title}: officials said on Tuesday that five people were hurt in the incident downtown.",
        f"Witnesses described a loud bang shortly after noon, according to local reports on {title}.",
        "The investigation is continuing, and the authorities asked the public for information.",
        "A spokesperson declined to comment further on the matter when reached by phone.",
    ]


def headline(number: int) -> str:
    return f"Story number {number} makes headlines"


@pytest.fixture(params=outlet_sites(), ids=lambda module: module.SPIDER)
def outlet(request: pytest.FixtureRequest) -> ModuleType:
    return request.param


def serve(site: FixtureSite, outlet: ModuleType, bodies: dict[str, list[str]]) -> None:
    site.set_page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    for path, (content, content_type) in outlet.discovery_pages(outlet.ARTICLE_URLS).items():
        site.set_page(path, content, content_type=content_type)
    for number, url in enumerate(outlet.ARTICLE_URLS):
        page = outlet.article_page(url=url, headline=headline(number), paragraphs=bodies[url], authors=AUTHORS)
        site.set_page(urlsplit(url).path, page)


def test_outlet_crawl_end_to_end(outlet: ModuleType, tmp_path: Path) -> None:
    store_uri = f"sqlite:///{tmp_path}/tracker.sqlite3"
    bodies = {url: body(f"Story {number}") for number, url in enumerate(outlet.ARTICLE_URLS)}
    with FixtureSite() as site:
        serve(site, outlet, bodies)
        host_map = {host: site.base_url for host in outlet.HOSTS}
        result = run_crawl(outlet.SPIDER, host_map=host_map, store_uri=store_uri, settings=ALWAYS_DUE)
        with open_store(store_uri) as store:
            assert store.count("articles") == len(outlet.ARTICLE_URLS), crawl_stats(result)
            for number, url in enumerate(outlet.ARTICLE_URLS):
                version = store.latest_version(article_id(url))
                assert version is not None, f"{url} not stored: {crawl_stats(result)}"
                assert version["version"] == 1
                assert version["headline"] == headline(number)
                assert version["paragraphs"] == bodies[url], f"{outlet.SPIDER} parser kept noise or lost text"
                assert version["extractor"] == outlet.SPIDER
                assert set(AUTHORS) <= set(version["authors"])

        edited_url, gone_url = outlet.ARTICLE_URLS[0], outlet.ARTICLE_URLS[1]
        bodies[edited_url][0] = bodies[edited_url][0].replace("five people", "six people")
        serve(site, outlet, bodies)
        site.set_status(urlsplit(gone_url).path, 404)
        result = run_crawl(outlet.SPIDER, host_map=host_map, store_uri=store_uri, settings=ALWAYS_DUE)
        with open_store(store_uri) as store:
            edited = store.latest_version(article_id(edited_url))
            assert edited is not None and edited["version"] == 2, crawl_stats(result)
            words = [op for entry in edited["diff"]["paragraphs"] if entry["op"] == "replace" for op in entry["words"]]
            assert ["-", "five"] in words and ["+", "six"] in words
            assert store.latest_version(article_id(outlet.ARTICLE_URLS[2]))["version"] == 1
            assert store.latest_version(article_id(gone_url))["version"] == 1
            assert store.list_checks(article_id(gone_url))[0]["outcome"] == "gone"
