"""Recording pages off the crawl's thread, with one hand-off back per burst of pages.

The crawl's pipeline records each page in a thread so that the event loop never waits on the
store. Twisted's ``deferToThread`` costs two thread wake-ups and an event-loop wake-up per page;
for an unchanged re-check (a 304: one small write) that hand-off cost more CPU than the write
itself (issue 13, ``bench/recheck.py``). Here the writer threads take pages from one queue and
hand their results back to the event loop together: once the queue is empty, or every
``burst`` pages while it is not. Pages are recorded in the order they come, one at a time per
thread: a store that writes through one connection (SQLite) gets one thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

Result = TypeVar("Result")
Done = list[tuple[Deferred, Any]]  # a page's Deferred and its result, or the Failure it raised


class StoreWriter(Generic[Result]):
    """Calls ``record(page)`` in ``threads`` threads; :meth:`submit` gives a Deferred of its result."""

    def __init__(self, record: Callable[[Any], Result], *, threads: int = 1, burst: int = 16) -> None:
        if threads < 1:
            raise ValueError(f"a store writer needs at least one thread, not {threads}")
        self._record = record
        self._burst = burst
        self._jobs: queue.SimpleQueue[tuple[Any, Deferred] | None] = queue.SimpleQueue()
        self._threads = [
            threading.Thread(target=self._work, name=f"tracker-store-writer-{number}", daemon=True)
            for number in range(threads)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, page: Any) -> Deferred:
        """Queue a page (from the event loop's thread); the Deferred fires there."""
        done: Deferred = Deferred()
        self._jobs.put((page, done))
        return done

    def close(self) -> None:
        """Record what is queued, then stop the threads."""
        for _ in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join()

    def _work(self) -> None:
        done: Done = []
        while (job := self._jobs.get()) is not None:
            page, deferred = job
            try:
                outcome: Any = self._record(page)
            except BaseException:  # noqa: BLE001 - raised again where the page was submitted
                outcome = Failure()
            done.append((deferred, outcome))
            if len(done) >= self._burst or self._jobs.empty():
                self._hand_back(done)
                done = []
        self._hand_back(done)

    @staticmethod
    def _hand_back(done: Done) -> None:
        if not done:
            return
        from twisted.internet import reactor  # the crawl's, installed by Scrapy by now

        reactor.callFromThread(_fire, done)  # type: ignore[attr-defined]


def _fire(done: Done) -> None:
    for deferred, outcome in done:
        if isinstance(outcome, Failure):
            deferred.errback(outcome)
        else:
            deferred.callback(outcome)
