"""Running :func:`tracker.extraction.extract_article` for a crawl, off the crawl's thread.

Extraction is the crawl's heaviest work (an lxml parse and the outlet parser's XPaths on every
page) and it is CPU-bound Python: in worker *processes* it runs on the other cores while the
crawl goes on downloading. A worker process also bounds hostile input: a page whose extraction
hangs or crashes the interpreter costs a timeout and a fresh worker, not the crawl.
``workers = 0`` runs it in a thread instead (one process, e.g. for debugging).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from tracker.extraction import empty_article, extract_article

logger = logging.getLogger(__name__)


def _start_method() -> multiprocessing.context.BaseContext:
    # forkserver: workers do not inherit the crawl's threads and sockets (fork would).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tracker.extraction"])
    return context


class ExtractorPool:
    def __init__(self, *, workers: int, timeout: float) -> None:
        self.workers = max(0, workers)
        self.timeout = timeout
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        # Run in each new worker process before its first page (e.g. a configured outlet's
        # parser: workers start with only the built-in ones). Picklable.
        self.initializer: Callable[[], None] | None = None

    async def extract(self, html: str, url: str) -> dict[str, Any]:
        """``extract_article(html, url)``; on a timeout or a crashed worker, a result without
        body (the pipeline records the check as ``extraction_failed``)."""
        loop = asyncio.get_running_loop()
        if self.workers == 0:
            return await loop.run_in_executor(None, extract_article, html, url)
        try:
            future = loop.run_in_executor(self._get_pool(), extract_article, html, url)
            return await asyncio.wait_for(future, self.timeout)
        except (TimeoutError, asyncio.TimeoutError):
            logger.error("tracker: extracting %s took over %.0f s; worker restarted", url, self.timeout)
        except BrokenProcessPool:
            logger.error("tracker: an extraction worker died on %s; worker restarted", url)
        self._restart()
        failed = empty_article()
        failed["looks_like_article"] = True  # it was fetched as an article: report it loudly
        return failed

    def _get_pool(self) -> concurrent.futures.ProcessPoolExecutor:
        if self._pool is None:
            self._pool = concurrent.futures.ProcessPoolExecutor(
                self.workers, mp_context=_start_method(), initializer=self.initializer
            )
        return self._pool

    def _restart(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # A hung worker never returns: kill it (the executor offers no public way to).
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
