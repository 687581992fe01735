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

The pool hands pages to its workers itself, through a pair of pipes per worker read and written
from the crawl's event loop: ``concurrent.futures.ProcessPoolExecutor`` would cost two helper
threads' wake-ups per page (about a millisecond of the crawl's CPU on a 200 KB page), and a
worker that dies or hangs would take the other workers' pages with it. Each worker holds up to
two pages, the second waiting in its pipe, so that it never idles while the crawl's thread is
busy; a page's time limit counts from when its worker begins it.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import multiprocessing
import pickle
import signal
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from w3lib.encoding import html_to_unicode, read_bom

from tracker.extraction import empty_article, extract_article
from tracker.revisions import Limits, body_hash, prepare_page

logger = logging.getLogger(__name__)

# The pipes to and from a worker hold this much (Linux; elsewhere the system's size): a job (a
# page's bytes) or a result is then written at once, without waiting for the other side.
PIPE_BYTES = 1 << 20
_SETPIPE_SZ: int | None = getattr(fcntl, "F_SETPIPE_SZ", None)
_GETPIPE_SZ: int | None = getattr(fcntl, "F_GETPIPE_SZ", None)
# Pages a worker holds at once: the next one waits in its pipe while it extracts the one before,
# so that it never idles until the crawl's event loop gets round to handing it another. Only a
# page that fits in the pipe's free room is queued so (writing it never blocks the crawl).
PAGES_PER_WORKER = 2
# What a job takes in the pipe besides the page's bytes (message headers, the pickled URL...).
JOB_OVERHEAD_BYTES = 16 * 1024
# How long a worker gets to finish its page when the pool closes.
CLOSE_GRACE_SECONDS = 10.0


class BrokenWorker(Exception):
    """A worker process died (or its pipe broke) with a page."""


def _start_method() -> multiprocessing.context.BaseContext:
    # forkserver: workers do not inherit the crawl's threads and sockets (fork would).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tracker.extraction", "tracker.revisions"])
    return context


def decoded_body(body: bytes, encoding: str) -> tuple[str, bytes | None]:
    """The body as text, exactly as Scrapy's ``TextResponse.text`` gives it for a response of
    this ``encoding`` (``response.encoding``), and the body again when it is that text's UTF-8
    (valid UTF-8 without a byte order mark: most pages), which the HTML is then compressed
    from as it is."""
    if encoding == "utf-8" and read_bom(body)[0] is None:
        try:
            return body.decode("utf-8"), body
        except UnicodeDecodeError:
            pass  # Scrapy replaces the bad bytes: its way below
    return html_to_unicode(f"charset={encoding}", body)[1], None


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
    html, utf8 = decoded_body(body, encoding)
    fields: dict[str, Any] = dict(extract_article(html, url))
    fields["body_hash"] = body_hash(body, url, content_type)
    if limits is not None:
        fields["prepared"] = prepare_page(fields, html, limits, keep_html=keep_html, html_utf8=utf8)
    return fields


def _serve(
    jobs: Connection, results: Connection, initializer: Callable[[], None] | None, preparing: tuple[Any, ...]
) -> None:
    """A worker process: :func:`extract_page` of each job until the crawl closes the pipe
    (``preparing``: its last arguments, the same for every page)."""
    # Ctrl-C is the crawl's: it finishes the pages in hand, then closes the pool (end of jobs).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer()
    while True:
        try:
            body, job = jobs.recv_bytes(), jobs.recv_bytes()
        except EOFError:
            return
        results.send_bytes(_outcome(body, job, preparing))


def _outcome(body: bytes, job: bytes, preparing: tuple[Any, ...]) -> bytes:
    """The pickled ``(True, fields)`` of a page's job (the pickled URL, encoding and content
    type), or ``(False, exception)`` when it raised."""
    try:
        outcome: tuple[bool, Any] = (True, extract_page(body, *pickle.loads(job), *preparing))
    except Exception as exc:  # noqa: BLE001 - raised again in the crawl, as in-process
        outcome = (False, exc)
    try:
        return pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - a value or an exception that does not pickle
        return pickle.dumps((False, RuntimeError(f"extraction gave no picklable result: {exc!r}")))


def _widen(connection: Connection) -> int:
    """Enlarge a pipe to PIPE_BYTES where the system allows; its size in bytes (0: unknown)."""
    if _SETPIPE_SZ is not None:
        with contextlib.suppress(OSError):  # above the system's limit: the default size does
            fcntl.fcntl(connection.fileno(), _SETPIPE_SZ, PIPE_BYTES)
    if _GETPIPE_SZ is not None:
        with contextlib.suppress(OSError):
            return int(fcntl.fcntl(connection.fileno(), _GETPIPE_SZ))
    return 0


# A page handed to a worker or waiting for one: its bytes, its pickled job, its result to come.
Job = tuple[bytes, bytes, "asyncio.Future[dict[str, Any]]"]


class _Worker:
    """One worker process, the pipes of its jobs and results, and the pages it holds (the
    first is the one it works on)."""

    def __init__(
        self,
        context: multiprocessing.context.BaseContext,
        initializer: Callable[[], None] | None,
        preparing: tuple[Any, ...],
    ) -> None:
        job_end, self.jobs = context.Pipe(duplex=False)
        self.results, result_end = context.Pipe(duplex=False)
        self.pipe_bytes = _widen(self.jobs)
        _widen(self.results)
        self.process: BaseProcess = context.Process(  # type: ignore[attr-defined]
            target=_serve, args=(job_end, result_end, initializer, preparing), daemon=True
        )
        self.process.start()
        # Only the worker holds these ends now: its death is the end of our pipes.
        job_end.close()
        result_end.close()
        self.pages: deque[Job] = deque()
        self.began = 0.0  # event-loop time at which it began its first page

    def can_queue(self, body: bytes) -> bool:
        """Whether a page may wait in the pipe behind those it holds (never one that would
        block the crawl until the worker reads it)."""
        if not self.pages:
            return True
        return len(self.pages) < PAGES_PER_WORKER and len(body) + JOB_OVERHEAD_BYTES <= self.pipe_bytes

    def send(self, page: Job) -> None:
        """Give the worker a page (OSError: it died). The body goes as it is, unpickled: no
        copy of it is made on this side."""
        self.pages.append(page)
        body, job, _ = page
        self.jobs.send_bytes(body)
        self.jobs.send_bytes(job)

    def receive(self) -> tuple[bool, Any]:
        """The result of its page, once readable (EOFError, OSError: it died)."""
        return pickle.loads(self.results.recv_bytes())

    def stop(self, *, kill: bool) -> None:
        """End the process: at once, or once it finished its page (end of jobs)."""
        self.jobs.close()
        if kill:
            self.process.kill()
        self.process.join(CLOSE_GRACE_SECONDS)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()
        self.results.close()


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
        # Run in each new worker process before its first page (e.g. a configured outlet's
        # parser: workers start with only the built-in ones). Picklable.
        self.initializer: Callable[[], None] | None = None
        self._workers: list[_Worker] = []
        self._waiting: deque[Job] = deque()
        self._loop: asyncio.AbstractEventLoop | None = None  # whose loop reads the results

    @property
    def _preparing(self) -> tuple[Limits | None, bool]:
        """The arguments of :func:`extract_page` after the page's, given to each worker once."""
        return self.limits, self.keep_html

    @property
    def processes(self) -> list[BaseProcess]:
        """The worker processes running now."""
        return [worker.process for worker in self._workers]

    async def extract(self, body: bytes, url: str, *, encoding: str, content_type: str = "") -> dict[str, Any]:
        """:func:`extract_page` of a response's ``body`` in its ``encoding`` (``content_type``:
        its header, part of the body hash); on a timeout or a crashed worker, a result without
        body (the pipeline records the check as ``extraction_failed``)."""
        loop = asyncio.get_running_loop()
        job = (url, encoding, content_type)
        if self.workers == 0:
            page = loop.run_in_executor(None, extract_page, body, *job, *self._preparing)
        else:
            page = self._submit(loop, body, pickle.dumps(job, pickle.HIGHEST_PROTOCOL))
        try:
            return await (asyncio.wait_for(page, self.timeout) if self.workers == 0 else self._result(page))
        except TimeoutError:
            logger.error("tracker: extracting %s took over %.0f s; worker restarted", url, self.timeout)
        except BrokenWorker:
            logger.error("tracker: an extraction worker died on %s; worker restarted", url)
        except Exception:  # a bug met on a hostile page: the page's check is still recorded
            logger.exception("tracker: extracting %s failed; recorded as extraction_failed", url)
        failed = empty_article()
        failed["looks_like_article"] = True  # it was fetched as an article: report it loudly
        return failed

    async def _result(self, page: asyncio.Future[dict[str, Any]]) -> dict[str, Any]:
        """The page's result; TimeoutError once a worker spent ``timeout`` on it (the time it
        waited for a worker, or behind another page, does not count)."""
        loop = asyncio.get_running_loop()
        wait = self.timeout
        while True:
            try:
                return await asyncio.wait_for(asyncio.shield(page), wait)
            except TimeoutError:
                began = self._began(page)
                spent = loop.time() - began if began is not None else 0.0
                if spent < self.timeout:
                    wait = self.timeout - spent
                    continue
                page.cancel()
                self._give_up(page)
                raise

    def _now(self) -> float:
        return self._loop.time() if self._loop is not None else 0.0

    def _began(self, page: asyncio.Future[dict[str, Any]]) -> float | None:
        """When a worker began the page; None while it waits."""
        for worker in self._workers:
            if worker.pages and worker.pages[0][2] is page:
                return worker.began
        return None

    def close(self) -> None:
        """Stop the workers, each after its page; pages still to come back are dropped."""
        pages = [page for *_, page in self._waiting] + [page for w in self._workers for *_, page in w.pages]
        for worker in list(self._workers):
            self._discard(worker, kill=False)
        self._waiting.clear()
        if self._loop is not None and not self._loop.is_closed():
            for page in pages:
                page.cancel()

    # --- hand-off, in the event loop --------------------------------------------------------

    def _submit(self, loop: asyncio.AbstractEventLoop, body: bytes, job: bytes) -> asyncio.Future[dict[str, Any]]:
        if loop is not self._loop:  # a new event loop (tests run several): fresh workers
            self.close()
            self._loop = loop
        page: asyncio.Future[dict[str, Any]] = loop.create_future()
        self._waiting.append((body, job, page))
        self._dispatch()
        return page

    def _dispatch(self) -> None:
        """Hand waiting pages to workers: an idle one, a new one up to ``workers``, else one
        that can queue the page behind its current one."""
        while self._waiting:
            body, job, page = self._waiting[0]
            if page.done():  # given up while waiting
                self._waiting.popleft()
                continue
            worker = self._worker_for(body)
            if worker is None:
                return
            self._waiting.popleft()
            if not worker.pages:
                worker.began = self._now()
            try:
                worker.send((body, job, page))
            except OSError:  # it died while idle
                self._lost(worker)

    def _worker_for(self, body: bytes) -> _Worker | None:
        idle = next((worker for worker in self._workers if not worker.pages), None)
        if idle is not None:
            return idle
        new = self._new_worker()
        if new is not None:
            return new
        queueing = [worker for worker in self._workers if worker.can_queue(body)]
        return min(queueing, key=lambda worker: len(worker.pages), default=None)

    def _new_worker(self) -> _Worker | None:
        if len(self._workers) >= self.workers or self._loop is None:
            return None
        worker = _Worker(_start_method(), self.initializer, self._preparing)
        self._workers.append(worker)
        self._loop.add_reader(worker.results.fileno(), self._on_result, worker)
        return worker

    def _on_result(self, worker: _Worker) -> None:
        """A worker's pipe is readable: its first page's result, or its end."""
        try:
            ok, value = worker.receive()
        except (EOFError, OSError):
            self._lost(worker)
            return
        page = worker.pages.popleft()[2] if worker.pages else None
        worker.began = self._now()  # on the page queued behind, if any
        if page is not None and not page.done():
            if ok:
                page.set_result(value)
            else:
                page.set_exception(value)
        self._dispatch()

    def _lost(self, worker: _Worker) -> None:
        """A worker died: the page it worked on fails, the pages queued behind it wait again."""
        pages = list(worker.pages)
        self._discard(worker, kill=True)
        if pages and not pages[0][2].done():
            pages[0][2].set_exception(BrokenWorker(f"extraction worker {worker.process.pid} died"))
        self._waiting.extendleft(reversed(pages[1:]))
        self._dispatch()

    def _give_up(self, page: asyncio.Future[dict[str, Any]]) -> None:
        """A page over the time limit: the worker stuck with it goes, and the other pages it
        held wait again (a page still waiting for a worker is simply dropped)."""
        for worker in list(self._workers):
            if any(held is page for *_, held in worker.pages):
                others = [job for job in worker.pages if job[2] is not page]
                self._discard(worker, kill=True)
                self._waiting.extendleft(reversed(others))
        self._dispatch()

    def _discard(self, worker: _Worker, *, kill: bool) -> None:
        if worker not in self._workers:  # gone already
            return
        self._workers.remove(worker)
        if self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(worker.results.fileno())
        worker.stop(kill=kill)
