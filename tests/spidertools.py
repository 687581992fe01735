"""Shared helpers of the spider tests: spiders built with the project's settings but without a
reactor, the URLs of the requests they yield, and the saved real feeds."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import scrapy
from scrapy.http import XmlResponse
from scrapy.utils.test import get_crawler

import tracker.settings
from tests.realpages import fixture_root

SpiderT = TypeVar("SpiderT", bound=scrapy.Spider)

FEEDS = fixture_root().parent / "feeds"  # read in place, never copied into the repository


def project_settings(tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    """The project's settings, minus what needs a reactor (download handlers), plus a test store."""
    settings = {name: value for name, value in vars(tracker.settings).items() if name.isupper()}
    settings.pop("DOWNLOAD_HANDLERS")
    settings["TRACKER_STORE"] = f"sqlite:///{tmp_path}/spider.sqlite3"
    settings.update(overrides)
    return settings


def make_spider(
    spider_class: type[SpiderT], tmp_path: Path, settings: dict[str, Any] | None = None, **kwargs: Any
) -> SpiderT:
    """``spider_class`` with the project's settings (plus ``settings``) and spider arguments ``kwargs``."""
    crawler = get_crawler(spider_class, project_settings(tmp_path, **(settings or {})))
    return spider_class.from_crawler(crawler, **kwargs)


def request_urls(requests: Iterable[Any]) -> list[str]:
    """The URL of each request, checking that each is a request."""
    out = []
    for request in requests:
        assert isinstance(request, scrapy.Request)
        out.append(request.url)
    return out


def real_feed_bytes(name: str) -> bytes:
    """The saved real feed ``name`` under the shared fixtures."""
    return (FEEDS / name).read_bytes()


def real_feed(url: str, name: str) -> XmlResponse:
    """The saved real feed ``name`` as the response for ``url``."""
    return XmlResponse(url, body=real_feed_bytes(name))
