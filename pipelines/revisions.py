"""RevisionPipeline: every fetched article page becomes a check, and a version when it changed.

Thin on purpose: the logic lives in :mod:`tracker.revisions`.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.utils.defer import maybe_deferred_to_future

from tracker.crawlstore import store_for
from tracker.revisions import (
    VERSION_OUTCOMES,
    Limits,
    Recorder,
    Result,
    limits_from_settings,
)
from tracker.schedule import Policy, policy_from_settings
from tracker.storewriter import StoreWriter
from tracker.spool import Spool, spool_path
from tracker.store import StoreError, StoreUnavailable, mask_uri

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class RevisionPipeline:
    def __init__(
        self,
        *,
        keep_html: bool,
        limits: Limits,
        policy: Policy,
        spool_dir: str,
        spool_retry: float,
        crawler: Crawler,
        write_threads: int = 10,
    ) -> None:
        self.keep_html = keep_html
        self.limits = limits
        self.policy = policy
        self.spool_dir = spool_dir
        self.spool_retry = spool_retry
        self.crawler = crawler
        self.write_threads = write_threads
        self.stats: StatsCollector = crawler.stats  # type: ignore[assignment]
        self.recorder: Recorder | None = None
        self.writer: StoreWriter[Result | None] | None = None
        self.spool_file: Path | None = None
        self.spool: Spool | None = None  # opened when first needed: most crawls never are
        # Spooling keeps pages in order: while anything is spooled, everything is.
        self._spool_lock = threading.Lock()
        self._next_drain = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RevisionPipeline:
        settings = crawler.settings
        return cls(
            keep_html=settings.getbool("TRACKER_KEEP_HTML"),
            limits=limits_from_settings(settings),
            policy=policy_from_settings(settings),
            spool_dir=settings.get("TRACKER_SPOOL_DIR"),
            spool_retry=settings.getfloat("TRACKER_SPOOL_RETRY"),
            crawler=crawler,
            write_threads=settings.getint("REACTOR_THREADPOOL_MAXSIZE"),
        )

    def open_spider(self) -> None:
        try:
            store = store_for(self.crawler)
        except StoreUnavailable as exc:
            # The crawl can do nothing without its store: stop before fetching anything.
            logger.error("tracker: store unavailable, stopping the crawl: %s", exc)
            self.stats.set_value("tracker/store/unavailable", 1)
            raise
        self.recorder = Recorder(store, keep_html=self.keep_html, limits=self.limits, policy=self.policy)
        self.spool_file = spool_path(self.spool_dir, store.uri)
        # One thread for a store that writes through one connection; else as many as Twisted's pool.
        threads = 1 if store.serial_writes else self.write_threads
        self.writer = StoreWriter(self._record_or_spool, threads=threads)
        logger.info("tracker: storing in %s", mask_uri(store.uri))
        if self.spool_file.exists():
            self.spool = Spool(self.spool_file)
            if len(self.spool):
                logger.info("tracker: %d pages spooled by an earlier run, writing them first", len(self.spool))
                self._drain()

    def close_spider(self) -> None:
        if self.writer is not None:
            self.writer.close()  # every item is recorded by now: this only stops the threads
            self.writer = None
        if self.spool is None:
            return
        if len(self.spool):
            self._drain()
        left = len(self.spool)
        if left:
            logger.error(
                "tracker: %d pages stay spooled in %s (store unreachable); the next run writes them",
                left, self.spool.path,
            )
        self.stats.set_value("tracker/spool/left", left)
        self.spool.close()
        if not left:
            self.spool.remove()
        self.spool = None

    async def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        # A shallow copy: asdict() checks every value (each paragraph) for nested items.
        page = dict(adapter.items())
        if "prepared" in adapter:
            # Made for this pipeline only (binary): not for feed exports or later pipelines.
            adapter["prepared"] = None
        try:
            # Deciding, diffing and writing in a writer thread: the crawl goes on meanwhile. (The
            # text's hashes and the compressed HTML come ready from the extraction worker: ``prepared``.)
            assert self.writer is not None, "open_spider() was not called"
            result = await maybe_deferred_to_future(self.writer.submit(page))
        except StoreError as exc:
            self.stats.inc_value("tracker/store/errors")
            logger.error("tracker: could not store %s: %s", page.get("url"), exc)
            return item
        if result is not None:
            self._count(page, result)
        return item

    # --- in the writer threads -------------------------------------------------------------

    def _record_or_spool(self, page: dict[str, Any]) -> Result | None:
        """Record the page, or spool it while the store is unreachable (None: spooled)."""
        assert self.recorder is not None, "open_spider() was not called"
        if self.spool is not None and len(self.spool):
            with self._spool_lock:
                if len(self.spool) and (time.monotonic() < self._next_drain or not self._drain()):
                    self._append(page)
                    return None
        try:
            return self.recorder.record(page)
        except StoreUnavailable as exc:
            logger.warning("tracker: store unreachable, spooling pages locally until it is back: %s", exc)
            with self._spool_lock:
                self._append(page)
                self._next_drain = time.monotonic() + self.spool_retry
            return None

    def _append(self, page: dict[str, Any]) -> None:
        assert self.spool_file is not None
        if self.spool is None:
            self.spool = Spool(self.spool_file)
        # Without what the extraction worker prepared (binary, and made for this run's
        # settings): the replay computes it from the page's fields and HTML.
        self.spool.append({name: value for name, value in page.items() if name != "prepared"})
        self.stats.inc_value("tracker/spool/queued")

    def _drain(self) -> bool:
        """Write spooled pages in order; True when the spool is empty afterwards."""
        assert self.recorder is not None and self.spool is not None
        recorder = self.recorder

        def replay(page: dict[str, Any]) -> None:
            result = recorder.record(page, replay=True)
            self.stats.inc_value("tracker/spool/replayed")
            self._count(page, result)

        replayed = self.spool.drain(replay, stop_on=StoreUnavailable)
        if replayed:
            logger.info("tracker: store is back, wrote %d spooled pages", replayed)
        if len(self.spool):
            self._next_drain = time.monotonic() + self.spool_retry
            return False
        return True

    def _count(self, page: dict[str, Any], result: Result) -> None:
        self.stats.inc_value(f"tracker/checks/{result.outcome}")
        if result.outcome in VERSION_OUTCOMES:
            self.stats.inc_value(f"tracker/revisions/{result.outcome}")
        if result.truncated:
            self.stats.inc_value("tracker/text/truncated")
            logger.warning(
                "tracker: text of %s cut to TRACKER_MAX_PARAGRAPHS / TRACKER_MAX_BODY_CHARS", page.get("url")
            )
        if result.conflicts:
            self.stats.inc_value("tracker/revisions/conflicts", result.conflicts)
        if page.get("disagreement") is not None:
            # The outlet parser read something else than the generic extractor: a redesign?
            self.stats.inc_value("tracker/extraction/disagreement")
            logger.warning(
                "tracker: %s parser and the generic extractor disagree on %s (%.2f)",
                page.get("outlet"), page.get("url"), page["disagreement"],
            )
        if page.get("parser_failed") or result.outcome == "extraction_failed":
            # Loud on purpose: an outlet's parser that stops finding bodies means a redesign.
            self.stats.inc_value("tracker/extraction/fallback" if page.get("parser_failed") else "tracker/extraction/failed")
            logger.warning(
                "tracker: %s parser found no body on %s (outcome %s, extractor %s)",
                page.get("outlet"), page.get("url"), result.outcome, page.get("extractor"),
            )
        logger.debug("tracker: %s %s -> %s v%s", page.get("outlet"), page.get("url"), result.outcome, result.version)
