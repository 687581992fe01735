"""What a crawl did: one line per failed URL, a summary at its end, and its exit status.

The spider calls :func:`note_response` for every response that reaches a callback and
:func:`note_failure` for every request that failed (its errback); both count into the crawl's
stats under ``tracker/summary/``. :class:`CrawlReport`, an extension, logs the summary block
when the spider closes, stores it as the outlet's last run, and sets
``tracker/summary/exit_status``, which ``scrapy crawl`` exits with.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from OpenSSL import SSL
from scrapy import signals
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net
from twisted.web.http import RESPONSES

from tracker.crawlstore import store_for
from tracker.redirects import RedirectLoop
from tracker.store import StoreError, mask_uri
from tracker.store.base import utcnow

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.spiders import Spider
    from scrapy.statscollectors import StatsCollector
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

# Exit statuses of `scrapy crawl` (documented in the README).
EXIT_OK = 0  # the run did its job, failures of single pages included
EXIT_ERROR = 1  # the store failed, a setting is malformed, or the crawl crashed
EXIT_USAGE = 2  # unknown spider, bad or unknown -a argument
EXIT_NOTHING_FETCHED = 3  # requests were made and not one got an HTTP answer

EXIT_MEANINGS = {
    EXIT_OK: "ok",
    EXIT_ERROR: "the store failed",
    EXIT_USAGE: "usage error",
    EXIT_NOTHING_FETCHED: "nothing could be fetched",
}

SUMMARY = "tracker/summary"


@dataclass(frozen=True)
class Reason:
    """Why a request failed: a stats key and the same in words."""

    key: str
    words: str


# Expected failures, by the exception Scrapy (or Twisted underneath it) raises.
_NETWORK_REASONS: tuple[tuple[tuple[type[BaseException], ...], Reason], ...] = (
    ((SSL.Error,), Reason("tls", "TLS error")),
    ((CannotResolveHostError, net.DNSLookupError), Reason("dns", "DNS lookup failed")),
    ((DownloadConnectionRefusedError, net.ConnectionRefusedError), Reason("refused", "connection refused")),
    ((DownloadTimeoutError, net.TimeoutError, net.TCPTimedOutError), Reason("timeout", "timed out")),
    ((DownloadCancelledError,), Reason("too_large", "larger than DOWNLOAD_MAXSIZE")),
    (
        (ResponseDataLossError, DownloadFailedError, net.ConnectionLost, net.ConnectionDone, net.ConnectError),
        Reason("connection", "connection failed"),
    ),
)


ROBOTS_TXT = Reason("robots_txt", "forbidden by robots.txt")
REDIRECT_LOOP = Reason("redirect_loop", "redirect loop")
# Reason keys in words, for the summary.
REASON_WORDS = {reason.key: reason.words for _, reason in _NETWORK_REASONS} | {
    ROBOTS_TXT.key: ROBOTS_TXT.words,
    REDIRECT_LOOP.key: REDIRECT_LOOP.words,
    "ignored": "ignored",
    "other": "other errors",
}


def reason_words(key: str) -> str:
    if key.startswith("http_"):
        return f"HTTP {key.removeprefix('http_')}"
    return REASON_WORDS.get(key, key)


def http_reason(status: int) -> Reason:
    phrase = RESPONSES.get(status, b"").decode("latin-1")
    return Reason(f"http_{status}", f"HTTP {status} {phrase}".rstrip())


def failure_reason(exc: BaseException) -> Reason | None:
    """The reason of an expected failure (network, TLS, HTTP status, robots.txt); None for
    anything else, which is a bug worth a traceback."""
    if isinstance(exc, HttpError) and exc.response is not None:
        return http_reason(exc.response.status)
    if isinstance(exc, RedirectLoop):  # its words name the loop's URLs
        return Reason(REDIRECT_LOOP.key, str(exc))
    if isinstance(exc, IgnoreRequest):
        if "robots.txt" in str(exc):
            return ROBOTS_TXT
        return Reason("ignored", f"ignored: {exc}" if str(exc) else "ignored")
    chain = _exception_chain(exc)
    for types, reason in _NETWORK_REASONS:  # the most telling reason anywhere in the chain
        if any(isinstance(link, types) for link in chain):
            return reason
    return None


def _exception_chain(exc: BaseException) -> list[BaseException]:
    """The exception, those it was raised from (Scrapy wraps Twisted's) and the reasons
    Twisted's HTTP client lists (ResponseNeverReceived holds the TLS error)."""
    chain: list[BaseException] = []
    pending: list[BaseException] = [exc]
    while pending and len(chain) < 20:
        current = pending.pop(0)
        if current in chain:
            continue
        chain.append(current)
        pending += [cause for cause in (current.__cause__, current.__context__) if cause is not None]
        pending += [reason.value for reason in getattr(current, "reasons", None) or () if hasattr(reason, "value")]
    return chain


# --- counting, called by the spider ----------------------------------------------------------


def note_response(stats: StatsCollector, response: Response) -> None:
    """Count a response that reached a callback; an HTTP error status counts as a failure."""
    stats.inc_value(f"{SUMMARY}/requests")
    stats.inc_value(f"{SUMMARY}/answered")
    if response.status >= 400:
        _count_failure(stats, http_reason(response.status), response.url)
    else:
        stats.inc_value(f"{SUMMARY}/fetched")


def note_failure(stats: StatsCollector, failure: Failure) -> Reason:
    """Count a failed request and log it: one WARNING line when the failure is expected,
    an ERROR with the traceback when it is not."""
    request = failure.request  # type: ignore[attr-defined]
    stats.inc_value(f"{SUMMARY}/requests")
    reason = failure_reason(failure.value)
    if isinstance(failure.value, (HttpError, RedirectLoop)):  # the site answered
        stats.inc_value(f"{SUMMARY}/answered")
    if reason is None:
        reason = Reason("other", f"{failure.type.__name__}: {failure.getErrorMessage()}")
        logger.error("tracker: %s failed: %s", request.url, reason.words, exc_info=failure_exc_info(failure))
        _count(stats, reason)
        return reason
    _count_failure(stats, reason, request.url)
    return reason


def _count_failure(stats: StatsCollector, reason: Reason, url: str) -> None:
    logger.warning("tracker: %s failed: %s", url, reason.words)
    _count(stats, reason)


def _count(stats: StatsCollector, reason: Reason) -> None:
    stats.inc_value(f"{SUMMARY}/failed")
    stats.inc_value(f"{SUMMARY}/failed/{reason.key}")


def failure_exc_info(failure: Failure) -> tuple[Any, Any, Any]:
    return failure.type, failure.value, failure.getTracebackObject()


# --- Scrapy's own log lines of expected failures -------------------------------------------


class RobotsTxtFailureFilter(logging.Filter):
    """Scrapy logs a robots.txt that could not be downloaded as an ERROR with two chained
    tracebacks, naming the page that asked for it. An unreachable site is expected: this
    makes it one WARNING line naming robots.txt."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        reason = failure_reason(exc) if exc is not None else None
        if reason is None or not isinstance(record.args, dict):
            return True
        request = record.args.get("request")
        origin = getattr(request, "url", "?").split("/", 3)[:3]
        record.msg = "tracker: %s/robots.txt failed: %s; the site's pages are requested as allowed"
        record.args = ("/".join(origin), reason.words)
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info, record.exc_text = None, None
        return True


class DownloadFailureFilter(logging.Filter):
    """Scrapy's download handler warns of a page over DOWNLOAD_MAXSIZE or cut short, under the
    mirror's URL; the failed request gets our line already, under the real URL."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        return "larger than download max size" not in message and not message.startswith("Got data loss in ")


# Scrapy's loggers whose lines of expected failures are ours to say, and how.
_FILTERS: tuple[tuple[str, type[logging.Filter]], ...] = (
    ("scrapy.downloadermiddlewares.robotstxt", RobotsTxtFailureFilter),
    ("scrapy.core.downloader.handlers.http11", DownloadFailureFilter),
)


# --- the summary -----------------------------------------------------------------------------


def exit_status(stats: dict[str, Any]) -> int:
    """The exit status a crawl with these stats deserves."""
    store_failed = (
        stats.get("tracker/store/unavailable") or stats.get("tracker/store/errors") or stats.get("tracker/spool/left")
    )
    if store_failed:
        return EXIT_ERROR
    if stats.get(f"{SUMMARY}/requests", 0) and not stats.get(f"{SUMMARY}/answered", 0):
        return EXIT_NOTHING_FETCHED
    return EXIT_OK


def run_summary(
    stats: dict[str, Any], *, outlet: str, store_uri: str, started_at: Any, seconds: float
) -> dict[str, Any]:
    """The run's summary, as stored by ``Store.record_run`` (field names: docs/DATA.md)."""
    checks = {
        key.removeprefix("tracker/checks/"): value for key, value in stats.items() if key.startswith("tracker/checks/")
    }
    failures = {
        key.removeprefix(f"{SUMMARY}/failed/"): value
        for key, value in sorted(stats.items())
        if key.startswith(f"{SUMMARY}/failed/")
    }
    summary = {
        "outlet": outlet,
        "started_at": started_at,
        "finished_at": utcnow(),
        "seconds": round(seconds, 1),
        "requests": stats.get(f"{SUMMARY}/requests", 0),
        "fetched": stats.get(f"{SUMMARY}/fetched", 0),
        "failed": stats.get(f"{SUMMARY}/failed", 0),
        "failures": failures,
        "new_articles": checks.get("new", 0),
        "new_versions": checks.get("changed", 0),
        "unchanged": checks.get("unchanged", 0) + checks.get("boring", 0),
        "not_modified": checks.get("not_modified", 0),
        "store": mask_uri(store_uri),
    }
    summary["exit_status"] = exit_status(stats)
    return summary


def summary_lines(summary: dict[str, Any]) -> list[str]:
    """The summary block, a few short lines."""
    failures = ", ".join(f"{reason_words(key)} {count}" for key, count in summary["failures"].items())
    status = summary["exit_status"]
    verdict = EXIT_MEANINGS.get(status, "?")
    if status == EXIT_OK and summary["failed"]:
        verdict = f"ok, with {summary['failed']} failed"
    return [
        f"tracker: {summary['outlet']} crawl summary ({summary['seconds']} s)",
        f"  requests {summary['requests']}: fetched {summary['fetched']}, failed {summary['failed']}"
        + (f" ({failures})" if failures else ""),
        f"  articles: new {summary['new_articles']}, new versions {summary['new_versions']}, "
        f"unchanged {summary['unchanged']}, not modified {summary['not_modified']}",
        f"  stored in {summary['store']}",
        f"  exit status {status}: {verdict}",
    ]


class CrawlReport:
    """Logs the summary of the crawl when the spider closes, sets it as stats
    (``tracker/summary/*``) and records it in the store as the outlet's last run."""

    def __init__(self, crawler: Crawler, store_uri: str) -> None:
        self.crawler = crawler
        self.store_uri = store_uri
        self.started = time.monotonic()
        self.started_at = utcnow()
        self.log_filters = [(logging.getLogger(name), kind()) for name, kind in _FILTERS]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlReport:
        report = cls(crawler, crawler.settings.get("TRACKER_STORE"))
        crawler.signals.connect(report.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(report.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(report.engine_stopped, signal=signals.engine_stopped)
        return report

    def spider_opened(self, spider: Spider) -> None:
        self.started, self.started_at = time.monotonic(), utcnow()
        for target, log_filter in self.log_filters:
            target.addFilter(log_filter)

    def engine_stopped(self) -> None:
        for target, log_filter in self.log_filters:
            target.removeFilter(log_filter)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats
        assert stats is not None
        summary = run_summary(
            stats.get_stats(),
            outlet=spider.name,
            store_uri=self.store_uri,
            started_at=self.started_at,
            seconds=time.monotonic() - self.started,
        )
        self._record(summary)
        # requests, fetched, failed and failed/<reason> are counted as the crawl goes; the
        # other numbers are tracker/checks/* and elapsed_time_seconds already.
        for key in ("requests", "fetched", "failed", "exit_status"):
            stats.set_value(f"{SUMMARY}/{key}", summary[key])
        level = logging.INFO if summary["exit_status"] == EXIT_OK else logging.ERROR
        logger.log(level, "\n".join(summary_lines(summary)))

    def _record(self, summary: dict[str, Any]) -> None:
        """Keep the summary as the outlet's last run (``tracker status`` shows it)."""
        if summary["exit_status"] == EXIT_ERROR:
            return  # the store is what failed
        try:
            store_for(self.crawler).record_run(summary)
        except StoreError as exc:
            logger.error("tracker: could not record the run in the store: %s", exc)
            summary["exit_status"] = EXIT_ERROR
