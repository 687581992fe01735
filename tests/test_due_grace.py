"""TRACKER_DUE_GRACE: a crawl re-checks what is due by its start plus the grace.

An article's next check counts from its fetch, seconds or minutes into a round, so without
the grace a round every 15 minutes finds the 15-minute tier not yet due and checks it every
30 minutes (docs/SCALING.md, section 1).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from spiders.washpo import WashingtonPostSpider
from tests.crawling import crawl_stats, run_crawl, serve_washpo_story
from tests.site import FixtureSite
from tests.site.outlets import washpo
from tests.site.pages import rss_feed
from tests.spidertools import make_spider, request_urls
from tracker.normalize import article_id
from tracker.revisions import Recorder
from tracker.status import outlet_status
from tracker.store import open_store

T0 = dt.datetime(2024, 1, 5, 12, 0, tzinfo=dt.UTC)
BODY = [
    "The council approved the budget on Tuesday after a long and heated debate about costs.",
    "Officials said five people were detained outside the building during the protest.",
]
STORY = "https://www.washingtonpost.com/politics/2024/01/05/senate-vote-budget/"


def spider_at(tmp_path: Path, now: dt.datetime, **settings: object) -> WashingtonPostSpider:
    return make_spider(WashingtonPostSpider, tmp_path, settings={"TRACKER_NOW": now.isoformat(), **settings})


def record_first_sight(store_uri: str, url: str, fetched_at: dt.datetime) -> None:
    """The article seen once at ``fetched_at``: its next check is 15 minutes later."""
    with open_store(store_uri) as store:
        Recorder(store).record({"url": url, "outlet": "washpo", "status": 200, "fetched_at": fetched_at.isoformat(),
                                "headline": "Budget passes", "paragraphs": BODY})


# --- the spider's due time ------------------------------------------------------------------

@pytest.mark.parametrize(("grace", "expected"), [(None, 180), ("0", 0), ("45.5", 45.5), ("-60", 0)])
def test_due_by_is_the_start_plus_the_grace(tmp_path: Path, grace: str | None, expected: float) -> None:
    settings = {"TRACKER_DUE_GRACE": grace} if grace is not None else {}  # None: the project default
    spider = spider_at(tmp_path, T0, **settings)
    assert spider.now() == T0
    assert spider.due_by() == T0 + dt.timedelta(seconds=expected)


@pytest.mark.parametrize(("grace", "fetched"), [("180", True), ("0", False)])
def test_the_due_query_and_discovery_look_ahead_by_the_grace(tmp_path: Path, grace: str, fetched: bool) -> None:
    # Seen 30 s into the last round: due 30 s after this round's start.
    spider = spider_at(tmp_path, T0 + dt.timedelta(minutes=15), TRACKER_DUE_GRACE=grace)
    record_first_sight(spider.settings["TRACKER_STORE"], STORY, T0 + dt.timedelta(seconds=30))
    expected = [STORY] if fetched else []
    assert request_urls(spider.recheck_requests()) == expected
    assert request_urls(spider._article_requests([(STORY, None)], source="feed")) == expected


def test_status_counts_as_due_now_what_a_crawl_would_re_check(tmp_path: Path) -> None:
    store_uri = f"sqlite:///{tmp_path}/status.sqlite3"
    record_first_sight(store_uri, STORY, T0)                                          # due at T0 + 15 min
    record_first_sight(store_uri, STORY.replace("senate", "house"), T0 + dt.timedelta(minutes=5))  # + 20 min
    with open_store(store_uri) as store:
        now = T0 + dt.timedelta(minutes=13)
        assert outlet_status(store, now)[0]["due_now"] == 1  # the default grace, 3 minutes
        assert outlet_status(store, now, due_grace=dt.timedelta(0))[0]["due_now"] == 0
        assert outlet_status(store, now, due_grace=dt.timedelta(minutes=7))[0]["due_now"] == 2


# --- end to end: 15-minute rounds -----------------------------------------------------------

@pytest.mark.parametrize(("grace", "fetches"), [("180", 2), ("0", 1)])
def test_a_round_re_checks_what_the_last_round_fetched_late(tmp_path: Path, grace: str, fetches: int) -> None:
    """First fetched 30 s into a round, the article is re-checked by the round 15 minutes later
    with the grace; without it, it would wait for the round after."""
    url = washpo.ARTICLE_URLS[0]
    path = urlsplit(url).path
    store_uri = f"sqlite:///{tmp_path}/tracker.sqlite3"
    with FixtureSite() as site:
        host_map = serve_washpo_story(site, url, headline="Budget passes", paragraphs=BODY)

        def crawl_at(offset: dt.timedelta) -> str:
            settings = {"TRACKER_NOW": (T0 + offset).isoformat(), "TRACKER_DUE_GRACE": grace}
            return crawl_stats(run_crawl("washpo", host_map=host_map, store_uri=store_uri, settings=settings))

        crawl_at(dt.timedelta(seconds=30))
        assert len(site.requests_for(path)) == 1
        with open_store(store_uri) as store:
            article = store.get_article(article_id(url))
        assert article is not None and article["next_check_at"] == T0 + dt.timedelta(minutes=15, seconds=30)

        # The feed no longer lists it: only the crawl's due query can fetch it.
        site.set_page("/rss/politics", rss_feed("Politics", []), content_type="application/rss+xml")
        stats = crawl_at(dt.timedelta(minutes=15))
        assert len(site.requests_for(path)) == fetches, stats
        assert f"'tracker/rechecks/due': {fetches - 1}" in stats
