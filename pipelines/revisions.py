"""RevisionPipeline: every fetched article page becomes a check, and a version when it changed.

Thin on purpose: the logic lives in :mod:`tracker.revisions`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from tracker.crawlstore import store_for
from tracker.revisions import VERSION_OUTCOMES, Limits, Recorder
from tracker.schedule import Policy, policy_from_settings
from tracker.store import StoreError, StoreUnavailable, mask_uri

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class RevisionPipeline:
    def __init__(self, *, keep_html: bool, limits: Limits, policy: Policy, crawler: Crawler) -> None:
        self.keep_html = keep_html
        self.limits = limits
        self.policy = policy
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats  # type: ignore[assignment]
        self.recorder: Recorder | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RevisionPipeline:
        settings = crawler.settings
        limits = Limits(
            max_paragraphs=settings.getint("TRACKER_MAX_PARAGRAPHS"),
            max_body_chars=settings.getint("TRACKER_MAX_BODY_CHARS"),
            min_body_words=settings.getint("TRACKER_MIN_BODY_WORDS"),
        )
        return cls(
            keep_html=settings.getbool("TRACKER_KEEP_HTML"),
            limits=limits,
            policy=policy_from_settings(settings),
            crawler=crawler,
        )

    def open_spider(self) -> None:
        try:
            store = store_for(self.crawler)
        except StoreUnavailable as exc:
            # One line, no traceback: the crawl can do nothing without its store.
            logger.error("tracker: store unavailable, stopping the crawl: %s", exc)
            self.stats.set_value("tracker/store/unavailable", 1)
            raise
        self.recorder = Recorder(store, keep_html=self.keep_html, limits=self.limits, policy=self.policy)
        logger.info("tracker: storing in %s", mask_uri(store.uri))

    async def process_item(self, item: Any) -> Any:
        assert self.recorder is not None, "open_spider() was not called"
        page = ItemAdapter(item).asdict()
        try:
            # Hashing, diffing, compressing and writing in a thread: the crawl goes on meanwhile.
            result = await maybe_deferred_to_future(deferToThread(self.recorder.record, page))
        except StoreError as exc:
            self.stats.inc_value("tracker/store/errors")
            logger.error("tracker: could not store %s: %s", page.get("url"), exc)
            return item
        self.stats.inc_value(f"tracker/checks/{result.outcome}")
        if result.outcome in VERSION_OUTCOMES:
            self.stats.inc_value(f"tracker/revisions/{result.outcome}")
        if result.truncated:
            self.stats.inc_value("tracker/text/truncated")
        if result.conflicts:
            self.stats.inc_value("tracker/revisions/conflicts", result.conflicts)
        if page.get("parser_failed") or result.outcome == "extraction_failed":
            # Loud on purpose: an outlet's parser that stops finding bodies means a redesign.
            self.stats.inc_value("tracker/extraction/fallback" if page.get("parser_failed") else "tracker/extraction/failed")
            logger.warning(
                "tracker: %s parser found no body on %s (outcome %s, extractor %s)",
                page.get("outlet"), page.get("url"), result.outcome, page.get("extractor"),
            )
        logger.debug("tracker: %s %s -> %s v%s", page.get("outlet"), page.get("url"), result.outcome, result.version)
        return item
