"""One store per crawl, shared by the spider (re-checks) and the pipeline (writes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import signals

from tracker.store import Store, open_store

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

_ATTRIBUTE = "_tracker_store"


def store_for(crawler: Crawler) -> Store:
    """The crawl's store, opened on first use from TRACKER_STORE and closed with the engine."""
    store: Store | None = getattr(crawler, _ATTRIBUTE, None)
    if store is None:
        store = open_store(crawler.settings.get("TRACKER_STORE"))
        setattr(crawler, _ATTRIBUTE, store)
        crawler.signals.connect(store.close, signal=signals.engine_stopped, weak=False)
    return store
