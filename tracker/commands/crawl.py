"""``scrapy crawl``, which checks what it was asked before the first request and exits with a
status that says what happened.

Without its store, or with a malformed setting, a crawl can do nothing useful: it would fail
page after page and record bogus error checks. An unknown spider, an unknown ``-a`` argument
or a ``-a url=`` that is no article of the outlet would crawl nothing or the wrong thing. So
the crawl stops before any request, with one line saying what is wrong (store credentials
masked): exit status 1 for the store and settings, 2 for the command line. After a crawl, the
status is the one :mod:`tracker.crawlreport` decided (0, or 3 when nothing could be fetched).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.spiderloader import SpiderLoaderProtocol

from spiders.base import ArgumentError, NotAnArticleURL, requested_length, split_urls
from tracker.crawlreport import EXIT_ERROR, EXIT_USAGE, SUMMARY, exit_status
from tracker.hostmap import parse_host_map
from tracker.notify.rules import parse_rules
from tracker.schedule import policy_from_settings
from tracker.store import StoreError, open_store
from tracker.store.sqlite import path_from_uri

logger = logging.getLogger(__name__)

# Scrapy's start-up inventory (~80 lines of versions, components and settings) drowns what a
# crawl did; below LOG_LEVEL=DEBUG it is left out.
_INVENTORY = ("Versions:", "Enabled ", "Overridden settings:")


class StartupInventoryFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith(_INVENTORY))


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        if logging.getLevelName(self.settings.get("LOG_LEVEL")) != logging.DEBUG:
            for name in ("scrapy.utils.log", "scrapy.middleware", "scrapy.addons", "scrapy.crawler"):
                logging.getLogger(name).addFilter(StartupInventoryFilter())

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            return super().run(args, opts)  # Scrapy's own usage error
        settings = self.settings
        assert settings is not None and self.crawler_process is not None
        loader = self.crawler_process.spider_loader
        outlets_error = getattr(loader, "outlets_error", None)
        if outlets_error is not None:  # before find_spider: its outlets are missing
            return self._refuse(str(outlets_error), EXIT_ERROR)
        try:
            spider_class = find_spider(loader, args[0])
            check_arguments(loader, spider_class, opts.spargs)
            check_url_lengths(opts.spargs.get("url"), settings.getint("URLLENGTH_LIMIT"))
        except ArgumentError as exc:
            return self._refuse(str(exc), EXIT_USAGE)
        # -s options given on the command line are applied to the settings by now.
        try:
            parse_host_map(settings.get("TRACKER_HOST_MAP"))
            policy_from_settings(settings)
            parse_rules(settings.get("TRACKER_NOTIFY"))  # sent by `tracker notify`, refused here already
        except ValueError as exc:
            return self._refuse(f"bad setting: {exc}", EXIT_ERROR)
        store_uri = settings.get("TRACKER_STORE")
        new_file = new_sqlite_file(store_uri)
        try:
            open_store(store_uri).close()
        except StoreError as exc:
            return self._refuse(f"the store is unavailable: {exc}", EXIT_ERROR)
        if new_file:
            # Writers create the SQLite file and its directories (readers refuse a missing one).
            logger.info("tracker: created a new store at %s", new_file)
        self.exitcode = self._crawl(spider_class, opts.spargs)

    def _crawl(self, spider_class: type, arguments: dict[str, Any]) -> int:
        assert self.crawler_process is not None
        crawler = self._create_crawler(spider_class)
        self.crawler_process.crawl(crawler, **arguments)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed or crawler.stats is None:
            return EXIT_ERROR
        status = crawler.stats.get_value(f"{SUMMARY}/exit_status")
        return int(status) if status is not None else exit_status(crawler.stats.get_stats())

    def _refuse(self, reason: str, status: int) -> None:
        print(f"tracker: cannot crawl, {reason}", file=sys.stderr)
        self.exitcode = status


def new_sqlite_file(uri: str) -> str | None:
    """The path of a SQLite store that does not exist yet; None for any other store."""
    try:
        path = path_from_uri(uri) if uri.startswith("sqlite:") else ":memory:"
    except StoreError:
        return None
    return path if path != ":memory:" and not Path(path).exists() else None


def find_spider(loader: SpiderLoaderProtocol, name: str) -> type:
    try:
        return loader.load(name)
    except KeyError:
        raise ArgumentError(f"no spider named {name!r}; the outlets are: {', '.join(sorted(loader.list()))}") from None


def check_arguments(loader: SpiderLoaderProtocol, spider_class: type, arguments: dict[str, str]) -> None:
    """The spider's own checks of its -a arguments; a URL of another outlet is named so."""
    check = getattr(spider_class, "check_arguments", None)
    if check is None:
        return
    try:
        check(arguments)
    except NotAnArticleURL as exc:
        owner = outlet_of(loader, exc.url)
        raise ArgumentError(
            f"{exc}" + (f"; it is an article of {owner}: scrapy crawl {owner}" if owner else "")
        ) from None


def check_url_lengths(urls: str | None, limit: int) -> None:
    """Scrapy drops a request whose URL is longer than ``URLLENGTH_LIMIT`` with an INFO line
    (``0``: no limit): a ``-a url=`` that long would silently crawl nothing."""
    for url in split_urls(urls):
        length = requested_length(url)
        if limit and length > limit:
            raise ArgumentError(
                f"{url[:80]}... is {length} characters long, over URLLENGTH_LIMIT ({limit}); "
                f"to crawl it, raise the limit: -s URLLENGTH_LIMIT={length}"
            )


def outlet_of(loader: SpiderLoaderProtocol, url: str) -> str | None:
    """The spider whose article URL pattern ``url`` matches, if any."""
    for name in sorted(loader.list()):
        is_article_url = getattr(loader.load(name), "is_article_url", None)
        if is_article_url is not None and is_article_url(url):
            return name
    return None
