"""Spiders of the configured outlets (``TRACKER_OUTLETS_FILE``, see :mod:`tracker.outlets`).

Scrapy finds spiders through its spider loader; :class:`OutletsSpiderLoader` (the project's
``SPIDER_LOADER_CLASS``) loads the built-in ones from ``SPIDER_MODULES`` as Scrapy does, then
adds one :class:`ConfiguredOutletSpider` subclass per configured outlet. So ``scrapy list``,
``scrapy crawl <name>``, scrapyd's ``listspiders.json`` and ``tracker schedule`` see them all.

An invalid file costs the configured outlets (one warning line), never the built-in ones:
``scrapy crawl`` refuses to start on it with that line (tracker/commands/crawl.py).
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any, ClassVar

from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.spiderloader import SpiderLoader

from spiders.base import OutletSpider
from tracker.items import Article
from tracker.outlets import (
    OutletConfig,
    OutletsFileError,
    load_outlets,
    outlets_file,
    register_configured_parser,
)

logger = logging.getLogger(__name__)


class ConfiguredOutletSpider(OutletSpider):
    """Base of the spiders built from a configured outlet; subclasses set ``config``."""

    config: ClassVar[OutletConfig]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ConfiguredOutletSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if cls.config.selectors is not None:
            # Extraction runs here (workers = 0) or in worker processes, which start empty.
            register_configured_parser(cls.config)
            spider.extractor.initializer = functools.partial(register_configured_parser, cls.config)
        return spider  # type: ignore[return-value]

    def article_item(self, response: Response, fields: dict[str, Any] | None) -> Article:
        item = super().article_item(response, fields)
        if fields is not None and not item.inLanguage and self.config.language:
            item.inLanguage = self.config.language  # the page does not say; the file does
        return item


def spider_class(config: OutletConfig) -> type[ConfiguredOutletSpider]:
    """A spider class for one configured outlet, like the hand-written ones in this package."""
    attributes = {
        "config": config,
        "name": config.name,
        "outlet_name": config.name,
        "allowed_domains": list(config.hosts),
        "feeds": config.feeds,
        "sitemaps": config.sitemaps,
        "sections": config.sections,
        "article_url_pattern": re.compile(config.article_url),
        "excluded_url_pattern": re.compile(config.exclude_url) if config.exclude_url else None,
        "__module__": __name__,
    }
    class_name = "".join(part.capitalize() for part in re.split(r"[-_]", config.name)) + "Spider"
    return type(class_name, (ConfiguredOutletSpider,), attributes)


def configured_outlets(settings: BaseSettings, builtin_names: set[str]) -> list[OutletConfig]:
    """The outlets of the settings' TRACKER_OUTLETS_FILE (none without a file);
    raises :class:`OutletsFileError`."""
    path = outlets_file(settings.get("TRACKER_OUTLETS_FILE"))
    return [] if path is None else load_outlets(path, reserved_names=builtin_names)


class OutletsSpiderLoader(SpiderLoader):
    """Scrapy's spider loader plus the configured outlets."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.outlets_error: OutletsFileError | None = None
        try:
            outlets = configured_outlets(settings, set(self._spiders))
        except OutletsFileError as exc:
            self.outlets_error = exc
            return
        for config in outlets:
            self._spiders[config.name] = spider_class(config)

    def list(self) -> list[str]:
        # Said here, not on loading: `scrapy crawl` refuses with this line before listing.
        if self.outlets_error is not None:
            logger.warning("tracker: configured outlets not loaded: %s", self.outlets_error)
        return super().list()
