"""A demo archive built without the internet: ``tracker demo`` (also ``python -m tracker.demo``).

A local site on 127.0.0.1 serves six articles of three outlets in their real page layouts
(:mod:`tracker.demo.outlets`); the real ``scrapy crawl`` of each outlet fetches them three
times, a few hours apart on the crawl's clock (``TRACKER_NOW``), and the site edits the
articles between the crawls (a new headline, changed words, an added paragraph). What is left
is an ordinary archive: ``tracker serve`` shows it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from itertools import groupby

from tracker.demo.site import FixtureSite
from tracker.demo.stories import Edition, Story, stories
from tracker.store import open_store
from tracker.store.base import utcnow

DEMO_STORE = "sqlite:///data/demo.sqlite3"
# The crawls' clock, in hours before now: the history spreads over a working day.
CRAWL_HOURS_AGO = (9.0, 5.5, 1.0)
# Fast and quiet against a local site; one process per crawl is enough for six pages.
CRAWL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "LOG_LEVEL": "WARNING",
    "TRACKER_EXTRACT_WORKERS": "0",
}
CRAWL_TIMEOUT = 120.0


class DemoError(Exception):
    """The demo could not be built (the message says why, in one line)."""


def crawl_times(now: dt.datetime) -> list[dt.datetime]:
    return [now - dt.timedelta(hours=hours) for hours in CRAWL_HOURS_AGO]


def publish(site: FixtureSite, story: Story, edition: Edition, published: dt.datetime) -> None:
    """Serve ``edition`` of ``story`` at its path, in its outlet's layout."""
    stamp = published.isoformat(timespec="seconds").replace("+00:00", "Z")
    html = story.outlet.article_page(
        url=story.url,
        headline=edition.headline,
        paragraphs=list(edition.paragraphs),
        authors=edition.authors,
        published=stamp,
        modified=stamp,
    )
    site.set_page(story.path, html)


def crawl_command(outlet: str, urls: Sequence[str], settings: dict[str, str]) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", outlet, "-a", "url=" + ",".join(urls)]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return command


def crawl_all(by_outlet: dict[str, list[Story]], settings: dict[str, str]) -> None:
    """One real ``scrapy crawl`` per outlet, run side by side; any failure stops the demo."""
    # The project's settings wherever the user is; the store and host map come from -s only.
    env = {key: value for key, value in os.environ.items() if key not in ("TRACKER_STORE", "TRACKER_HOST_MAP")}
    env["SCRAPY_SETTINGS_MODULE"] = "tracker.settings"
    running = {
        outlet: subprocess.Popen(
            crawl_command(outlet, [story.url for story in group], settings),
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        for outlet, group in by_outlet.items()
    }
    try:
        for outlet, process in running.items():
            try:
                _, stderr = process.communicate(timeout=CRAWL_TIMEOUT)
            except subprocess.TimeoutExpired:
                raise DemoError(f"scrapy crawl {outlet} took more than {CRAWL_TIMEOUT:.0f} s") from None
            if process.returncode != 0:
                last = (stderr.strip().splitlines() or ["no output"])[-1]
                raise DemoError(f"scrapy crawl {outlet} failed (exit {process.returncode}): {last}")
    finally:
        for process in running.values():  # the others, when one failed
            if process.poll() is None:
                process.kill()
                process.wait()


def check_empty(store_uri: str) -> None:
    """Refuse to mix the demo into an archive that has articles already."""
    with open_store(store_uri) as store:
        if store.count("articles"):
            raise DemoError(f"{store.uri} already holds articles: remove it or pick another --store")


def build_demo(
    store_uri: str = DEMO_STORE,
    *,
    now: dt.datetime | None = None,
    progress: Callable[[str], None] = lambda line: None,
) -> dict[str, int]:
    """Build the demo archive in ``store_uri`` (an empty or new store); returns its counts."""
    check_empty(store_uri)
    times = crawl_times(now or utcnow())
    demo_stories = stories()
    by_outlet = {
        outlet: list(group)
        for outlet, group in groupby(sorted(demo_stories, key=lambda s: s.outlet.SPIDER), key=lambda s: s.outlet.SPIDER)
    }
    with FixtureSite() as site, tempfile.TemporaryDirectory(prefix="tracker-demo-") as spool:
        site.set_page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        host_map = {host: site.base_url for story in demo_stories for host in story.outlet.HOSTS}
        published = times[0] - dt.timedelta(minutes=20)
        for number, at in enumerate(times):
            for story in demo_stories:
                publish(site, story, story.editions[number], published)
            progress(f"crawl {number + 1} of {len(times)} (clock: {at:%Y-%m-%d %H:%M} UTC): {', '.join(by_outlet)}")
            crawl_all(by_outlet, {
                **CRAWL_SETTINGS,
                "TRACKER_STORE": store_uri,
                "TRACKER_HOST_MAP": json.dumps(host_map),
                "TRACKER_NOW": at.isoformat(),
                "TRACKER_SPOOL_DIR": spool,
            })
    with open_store(store_uri) as store:
        return {kind: store.count(kind) for kind in ("articles", "versions", "checks")}
