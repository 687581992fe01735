"""Running :func:`tracker.extraction.extract_article` for a crawl, off the crawl's thread.

Extraction is the crawl's heaviest work (an lxml parse and the outlet parser's XPaths on every
page) and it is CPU-bound Python: in worker *processes* it runs on the other cores while the
crawl goes on downloading. A worker process also bounds hostile input: a page whose extraction
hangs or crashes the interpreter costs a timeout and a fresh worker, not the crawl.
``workers = 0`` runs it in a thread instead (one process, e.g. for debugging).

The worker gets the response's raw bytes (cheaper to send than text), hashes them
(``body_hash``) and, given the crawl's ``limits``, also does the recording work that needs
nothing from the store (tracked text, hashes, compressed HTML:
:func:`tracker.revisions.prepare_page`), so that the crawl's process is left with fetching and
writing.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from w3lib.encoding import html_to_unicode

from tracker.extraction import empty_article, extract_article
from tracker.revisions import Limits, body_hash, prepare_page

logger = logging.getLogger(__name__)


def _start_method() -> multiprocessing.context.BaseContext:
    # forkserver: workers do not inherit the crawl's threads and sockets (fork would).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tracker.extraction", "tracker.revisions"])
    return context


def decode_body(body: bytes, encoding: str) -> str:
    """The body as text, exactly as Scrapy's ``TextResponse.text`` gives it for a response
    of this ``encoding`` (``response.encoding``)."""
    return html_to_unicode(f"charset={encoding}", body)[1]


def extract_page(
    body: bytes,
    url: str,
    encoding: str,
    content_type: str = "",
    limits: Limits | None = None,
    keep_html: bool = False,
) -> dict[str, Any]:
    """A worker's job for one page: ``extract_article`` of the body decoded as Scrapy does,
    the hash of the raw bytes (``body_hash``) and, with ``limits``, ``prepared`` (see
    :func:`tracker.revisions.prepare_page`)."""
    html = decode_body(body, encoding)
    fields: dict[str, Any] = dict(extract_article(html, url))
    fields["body_hash"] = body_hash(body, url, content_type)
    if limits is not None:
        fields["prepared"] = prepare_page(fields, html, limits, keep_html=keep_html)
    return fields


class ExtractorPool:
    def __init__(
        self, *, workers: int, timeout: float, limits: Limits | None = None, keep_html: bool = False
    ) -> None:
        self.workers = max(0, workers)
        self.timeout = timeout
        # What the recorder bounds the text to (None: prepare nothing for it), and whether it
        # keeps the HTML (then the worker compresses it).
        self.limits = limits
        self.keep_html = keep_html
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        # Run in each new worker process before its first page (e.g. a configured outlet's
        # parser: workers start with only the built-in ones). Picklable.
        self.initializer: Callable[[], None] | None = None

    async def extract(self, body: bytes, url: str, *, encoding: str, content_type: str = "") -> dict[str, Any]:
        """:func:`extract_page` of a response's ``body`` in its ``encoding`` (``content_type``:
        its header, part of the body hash); on a timeout or a crashed worker, a result without
        body (the pipeline records the check as ``extraction_failed``)."""
        loop = asyncio.get_running_loop()
        job = (extract_page, body, url, encoding, content_type, self.limits, self.keep_html)
        if self.workers == 0:
            return await loop.run_in_executor(None, *job)
        try:
            future = loop.run_in_executor(self._get_pool(), *job)
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
