"""The sentence tables of an export computed in worker processes, handed back in article order.

Sentence splitting and matching is most of an export's time and independent per article, so
it spreads over processes; reading the store and writing the tables stay in the exporting
process, which keeps the output identical to a single-process export. Articles go to the
workers in batches (one inter-process round trip per batch) and at most a few batches per
worker are in flight, so memory stays bounded whatever the archive's size.

Workers are started with multiprocessing's ``spawn`` (a fresh interpreter: no copy of the
store's connections and threads), so a script that exports with workers must guard its entry
point with ``if __name__ == "__main__":``; the ``tracker`` command does.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from tracker.export.rows import Rows, SentenceJob, sentence_tables, with_sentence_tables

# Versions per batch: enough to amortise the round trip, few enough to keep workers busy.
BATCH_VERSIONS = 64
# Batches per worker submitted ahead of the one being written.
IN_FLIGHT_PER_WORKER = 4
# How often a worker looks whether the exporting process is still there (seconds).
PARENT_POLL = 1.0

# An article's rows without the sentence tables and its sentence job; None: filtered out.
Pending = tuple[Rows, SentenceJob] | None


def completed_in_order(items: Iterable[Pending], workers: int) -> Iterator[Rows | None]:
    """Each item's rows with its sentence tables (None stays None), in the order of ``items``;
    the sentence tables computed in ``workers`` processes (in this one when ``workers`` is 1).

    Close the iterator (``contextlib.closing``) to stop the workers when not read to the end.
    """
    if workers <= 1:
        for item in items:
            yield None if item is None else with_sentence_tables(item[0], sentence_tables(*item[1]))
        return
    pool = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker, initargs=(os.getpid(),),
    )
    in_flight: deque[tuple[list[Pending], Future[list[Rows]]]] = deque()
    try:
        for batch in _batches(items):
            jobs = [item[1] for item in batch if item is not None]
            in_flight.append((batch, pool.submit(_sentence_tables_of, jobs)))
            if len(in_flight) > workers * IN_FLIGHT_PER_WORKER:
                yield from _merged(*in_flight.popleft())
        while in_flight:
            yield from _merged(*in_flight.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _batches(items: Iterable[Pending]) -> Iterator[list[Pending]]:
    batch: list[Pending] = []
    versions = 0
    for item in items:
        batch.append(item)
        versions += 0 if item is None else len(item[1][1])
        if versions >= BATCH_VERSIONS:
            yield batch
            batch, versions = [], 0
    if batch:
        yield batch


def _merged(batch: list[Pending], future: Future[list[Rows]]) -> Iterator[Rows | None]:
    tables = iter(future.result())
    for item in batch:
        yield None if item is None else with_sentence_tables(item[0], next(tables))


def _sentence_tables_of(jobs: list[SentenceJob]) -> list[Rows]:
    """Runs in a worker: the sentence tables of a batch of articles."""
    return [sentence_tables(article_id, versions) for article_id, versions in jobs]


def _start_worker(parent: int) -> None:
    # Ctrl-C is for the exporting process, which then stops the pool; and a worker must not
    # outlive an exporting process that was killed (nothing would ever tell it to stop).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), name="parent-watch", daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL)
    os._exit(1)
