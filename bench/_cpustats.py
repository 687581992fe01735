"""A Scrapy extension of the crawl benchmarks: where a crawl's CPU time went (Linux: /proc).

Enabled by ``bench/_crawl.py`` in the crawls it runs. When the spider closes it sets, counted
from the spider's opening (process start-up left out):

* ``bench/cpu_ms/reactor``: the crawl process's main thread (Scrapy, Twisted, HTTP, callbacks);
* ``bench/cpu_ms/threads``: its other threads (store writes in the writer threads; extraction
  itself with ``TRACKER_EXTRACT_WORKERS=0``: the workers' pipes are served by the reactor);
* ``bench/cpu_ms/workers``: the extraction worker processes, ended by then (the forkserver
  collects their CPU time when it reaps them).
"""

from __future__ import annotations

import os
import threading
import time
from multiprocessing import forkserver
from typing import TYPE_CHECKING

from scrapy import signals

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

_TICKS = os.sysconf("SC_CLK_TCK")


def _stat_seconds(path: str, *fields: int) -> float:
    """Sum of the given CPU time fields of a /proc stat file (0 when it is gone)."""
    try:
        with open(path) as stat:
            values = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return sum(int(values[field]) for field in fields) / _TICKS


def _reactor_seconds() -> float:
    return _stat_seconds(f"/proc/self/task/{threading.main_thread().native_id}/stat", 11, 12)


def _workers_seconds() -> float:
    """CPU time of the forkserver's reaped children, the extraction workers."""
    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
    return _stat_seconds(f"/proc/{pid}/stat", 13, 14) if pid else 0.0


class CrawlCPU:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.start: tuple[float, float, float] = (0.0, 0.0, 0.0)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        # Connected after the spider's own handlers: its extraction pool has shut down by then.
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlCPU:
        return cls(crawler)

    @staticmethod
    def _now() -> tuple[float, float, float]:
        return time.process_time(), _reactor_seconds(), _workers_seconds()

    def spider_opened(self) -> None:
        self.start = self._now()

    def spider_closed(self) -> None:
        process, reactor, workers = (end - start for end, start in zip(self._now(), self.start))
        for name, seconds in (("reactor", reactor), ("threads", process - reactor), ("workers", workers)):
            self.stats.set_value(f"bench/cpu_ms/{name}", max(0, round(seconds * 1000)))  # type: ignore[union-attr]
