"""End to end: crawls follow the re-check schedule (with a fake clock, TRACKER_NOW).

A new article is re-checked while fresh, less often as it ages, and retired after 40 days
without a real change; a retired article that a feed lists as modified is fetched again;
unchanged pages cost a 304.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

from tests.crawling import crawl_stats, run_crawl, serve_washpo_story
from tests.site import FixtureSite
from tests.site.outlets import washpo
from tests.site.pages import rss_feed
from tracker.normalize import article_id
from tracker.store import open_store

URL = washpo.ARTICLE_URLS[0]
PATH = urlsplit(URL).path
T0 = dt.datetime(2024, 1, 5, 12, 0, tzinfo=dt.timezone.utc)
BODY = [
    "The council approved the budget on Tuesday after a long and heated debate about costs.",
    "Officials said five people were detained outside the building during the protest.",
]


def test_schedule_recheck_backoff_retire_and_revive(tmp_path: Path) -> None:
    store_uri = f"sqlite:///{tmp_path}/tracker.sqlite3"
    with FixtureSite() as site:
        host_map = serve_washpo_story(site, URL, headline="Budget passes", paragraphs=BODY)

        def crawl_at(offset: dt.timedelta) -> str:
            result = run_crawl(
                "washpo", host_map=host_map, store_uri=store_uri,
                settings={"TRACKER_NOW": (T0 + offset).isoformat()},
            )
            return crawl_stats(result)

        def fetches() -> int:
            return len(site.requests_for(PATH))

        def article() -> dict:
            with open_store(store_uri) as store:
                found = store.get_article(article_id(URL))
                assert found is not None
                return found

        def last_outcome() -> str:
            with open_store(store_uri) as store:
                return store.list_checks(article_id(URL))[0]["outcome"]

        crawl_at(dt.timedelta(0))
        assert fetches() == 1 and last_outcome() == "new"
        assert article()["next_check_at"] == T0 + dt.timedelta(minutes=15)

        # Ten minutes later it is not due, although the feed still lists it.
        stats = crawl_at(dt.timedelta(minutes=10))
        assert fetches() == 1, stats
        assert "'tracker/discovery/not_due': 1" in stats

        # Sixteen minutes later it is due: a conditional GET, answered 304.
        crawl_at(dt.timedelta(minutes=16))
        assert fetches() == 2 and last_outcome() == "not_modified"
        assert site.requests_for(PATH)[-1].headers.get("If-None-Match")
        # The clock runs from the last real change: still every 15 minutes.
        assert article()["next_check_at"] == T0 + dt.timedelta(minutes=31)

        # Two days on, unchanged checks come every 3 hours...
        crawl_at(dt.timedelta(days=2))
        assert fetches() == 3
        assert article()["next_check_at"] == T0 + dt.timedelta(days=2, hours=3)
        crawl_at(dt.timedelta(days=2, hours=1))
        assert fetches() == 3
        # ...and after ten days once a day.
        crawl_at(dt.timedelta(days=10))
        assert fetches() == 4
        assert article()["next_check_at"] == T0 + dt.timedelta(days=11)

        # 40 days without a real change: retired, and no longer fetched.
        crawl_at(dt.timedelta(days=41))
        assert fetches() == 5
        assert article()["state"] == "retired" and article()["next_check_at"] is None
        crawl_at(dt.timedelta(days=60))
        assert fetches() == 5

        # The feed lists it again as modified: fetched at once, retired or not, and a real
        # change makes it active and fresh again.
        modified = (T0 + dt.timedelta(days=61)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        feed = rss_feed("Politics", [URL]).replace("</link>", f"</link><pubDate>{modified}</pubDate>")
        site.set_page("/rss/politics", feed, content_type="application/rss+xml")
        site.set_page(PATH, washpo.article_page(url=URL, headline="Budget passes", paragraphs=[BODY[0], BODY[1].replace("five", "six")]))
        crawl_at(dt.timedelta(days=62))
        assert fetches() == 6 and last_outcome() == "changed"
        assert article()["state"] == "active"
        assert article()["next_check_at"] == T0 + dt.timedelta(days=62, minutes=15)


def test_errors_back_off_and_two_404s_make_an_article_gone(tmp_path: Path) -> None:
    store_uri = f"sqlite:///{tmp_path}/tracker.sqlite3"
    with FixtureSite() as site:
        site.set_page(PATH, washpo.article_page(url=URL, headline="Budget passes", paragraphs=BODY))
        host_map = {host: site.base_url for host in washpo.HOSTS}

        def crawl_at(offset: dt.timedelta) -> None:
            run_crawl(
                "washpo", host_map=host_map, store_uri=store_uri,
                settings={"TRACKER_NOW": (T0 + offset).isoformat(), "RETRY_TIMES": "0"},
            )

        def article() -> dict:
            with open_store(store_uri) as store:
                return store.get_article(article_id(URL))

        run_crawl("washpo", host_map=host_map, store_uri=store_uri, args=["-a", f"url={URL}"],
                  settings={"TRACKER_NOW": T0.isoformat()})
        site.set_status(PATH, 503)
        crawl_at(dt.timedelta(minutes=20))
        assert article()["consecutive_errors"] == 1
        assert article()["next_check_at"] == T0 + dt.timedelta(minutes=50)  # 30 min back-off > 15 min tier
        crawl_at(dt.timedelta(minutes=51))
        assert article()["next_check_at"] == T0 + dt.timedelta(minutes=111)  # 60 min
        site.set_status(PATH, 404)
        crawl_at(dt.timedelta(minutes=112))
        assert article()["state"] == "active"
        crawl_at(dt.timedelta(hours=5))
        assert article()["state"] == "gone" and article()["next_check_at"] is None
        with open_store(store_uri) as store:
            assert store.count("versions") == 1
