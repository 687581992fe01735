"""OutletSpider: what every outlet's spider does; an outlet file only declares its sources.

A run requests, in this order:

* with ``-a url=URL[,URL...]``: exactly those articles, and nothing else;
* otherwise discovery -- the outlet's RSS/Atom feeds, news sitemaps (and sitemap indexes)
  and section pages, keeping links that match the outlet's article URL pattern -- plus the
  outlet's articles that the schedule says are due (by the run's start plus
  ``TRACKER_DUE_GRACE``), most overdue first, at most ``TRACKER_MAX_RECHECKS`` of them. A known article found again by discovery is fetched only
  when it is due, or when the feed or sitemap gives it a modification time newer than its
  last check (then even a retired article is fetched).

Known articles are fetched with a conditional GET (If-None-Match / If-Modified-Since from
their last good response), so an unchanged page costs a 304.

Each article response becomes one :class:`tracker.items.Article` item, also when it is an
error page or the download failed, so that the pipeline records every check. Every request
has an errback: a URL that fails is one WARNING line with the reason in words, counted for
the crawl's summary (:mod:`tracker.crawlreport`). ``check_arguments`` refuses unknown ``-a``
arguments and ``-a url=`` values that are no article of the outlet, before the crawl starts.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure
from w3lib.url import safe_url_string

from tracker.crawlreport import note_failure, note_response
from tracker.crawlstore import store_for
from tracker.extracting import ExtractorPool
from tracker.items import Article
from tracker.normalize import article_id, canonical_url
from tracker.revisions import body_hash, can_skip_extraction, limits_from_settings
from tracker.store.base import as_utc, utcnow

logger = logging.getLogger(__name__)

# What extract_article() gives that goes into the item.
EXTRACTED_FIELDS = (
    "canonicalUrl", "headline", "authors", "datePublished", "dateModified", "articleBody",
    "paragraphs", "inLanguage", "description", "isAccessibleForFree", "extractor",
    "looks_like_article", "parser_failed", "disagreement", "standfirst", "byline",
)
# HTTP statuses of an article page that are recorded as a check instead of being dropped.
RECORDED_ERROR_STATUSES = [304, 400, 401, 403, 404, 410, 429, 451, 500, 502, 503, 504]
_GZIP_MAGIC = b"\x1f\x8b"


class ArgumentError(ValueError):
    """A spider argument (-a NAME=VALUE) the spider cannot run with."""


class NotAnArticleURL(ArgumentError):
    """A ``-a url=`` value that is no article URL of the spider's outlet."""

    def __init__(self, url: str, spider: str) -> None:
        super().__init__(f"{url} is not an article URL of {spider}")
        self.url = url


class OutletSpider(scrapy.Spider):
    """Base class of the outlet spiders. Subclasses set the class attributes below."""

    name: ClassVar[str]
    outlet_name: ClassVar[str] = ""                 # human name, e.g. "The Washington Post"
    allowed_domains: ClassVar[list[str]] = []
    feeds: ClassVar[tuple[str, ...]] = ()           # RSS / Atom feed URLs
    sitemaps: ClassVar[tuple[str, ...]] = ()        # news sitemaps or sitemap indexes
    sections: ClassVar[tuple[str, ...]] = ()        # HTML section / front pages
    article_url_pattern: ClassVar[re.Pattern[str]]  # matched against canonical URLs
    # Sub-sitemaps of an index worth following (e.g. only the news ones).
    sitemap_follow: ClassVar[re.Pattern[str]] = re.compile(r".")
    # Links that match the pattern but are no articles (video, galleries, live-blog posts...).
    excluded_url_pattern: ClassVar[re.Pattern[str] | None] = None

    extractor: ExtractorPool  # set by from_crawler: extraction in worker processes
    skip_identical_bodies = True  # TRACKER_SKIP_IDENTICAL_BODIES, set by from_crawler
    due_grace = dt.timedelta(0)  # TRACKER_DUE_GRACE, set by from_crawler

    # The spider arguments (-a NAME=VALUE) a run takes; scrapyd adds its own, named _job etc.
    arguments: ClassVar[tuple[str, ...]] = ("url",)

    def __init__(self, *args: Any, url: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.requested_urls = split_urls(url)

    @classmethod
    def check_arguments(cls, arguments: dict[str, str]) -> None:
        """Refuse, before any request, arguments the run cannot honour (ArgumentError)."""
        for name in arguments:
            if name not in cls.arguments and not name.startswith("_"):
                raise ArgumentError(
                    f"unknown spider argument -a {name}=... ({cls.name} takes -a url=URL[,URL...])"
                )
        if "url" not in arguments:
            return
        urls = split_urls(arguments["url"])
        if not urls:
            raise ArgumentError("-a url= names no URL (give article URLs, comma-separated)")
        for url in urls:
            if not is_http_url(url):
                raise ArgumentError(f"{url!r} is not an http(s) URL")
            if not cls.is_article_url(url):
                raise NotAnArticleURL(url, cls.name)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> OutletSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.extractor = ExtractorPool(
            workers=crawler.settings.getint("TRACKER_EXTRACT_WORKERS"),
            timeout=crawler.settings.getfloat("TRACKER_EXTRACT_TIMEOUT"),
            # The workers also prepare what the pipeline's recorder computes from a page alone.
            limits=limits_from_settings(crawler.settings),
            keep_html=crawler.settings.getbool("TRACKER_KEEP_HTML"),
        )
        crawler.signals.connect(spider.extractor.close, signal=signals.spider_closed, weak=False)
        spider.skip_identical_bodies = crawler.settings.getbool("TRACKER_SKIP_IDENTICAL_BODIES")
        spider.due_grace = dt.timedelta(seconds=max(0.0, crawler.settings.getfloat("TRACKER_DUE_GRACE")))
        return spider

    # --- what to request ----------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.requested_urls:
            for url in self.requested_urls:
                yield self.article_request(url, source="argument", known=self._known(url))
            return
        sources = (
            *((url, self.parse_feed, "feed") for url in self.feeds),
            *((url, self.parse_sitemap, "sitemap") for url in self.sitemaps),
            *((url, self.parse_section, "section") for url in self.sections),
        )
        for url, callback, source in sources:
            yield scrapy.Request(url, callback=callback, errback=self.source_failed, meta={"tracker_source": source})
        for request in self.recheck_requests():
            yield request

    def recheck_requests(self) -> Iterator[scrapy.Request]:
        """Requests for the outlet's articles that are due, most overdue first."""
        limit = self.settings.getint("TRACKER_MAX_RECHECKS")
        due = store_for(self.crawler).due_articles(self.due_by(), outlet=self.name, limit=limit)
        self.crawler.stats.set_value("tracker/rechecks/due", len(due))  # type: ignore[union-attr]
        for article in due:
            yield self.article_request(article["url"], source="recheck", known=article)

    def now(self) -> dt.datetime:
        """The crawl's clock: TRACKER_NOW when set (tests, replays), else the real time."""
        return as_utc(self.settings.get("TRACKER_NOW")) or utcnow()

    def due_by(self) -> dt.datetime:
        """The run takes as due what is due by this time: its start plus TRACKER_DUE_GRACE,
        since an article's next check counts from its fetch, seconds or minutes into a run."""
        return self.now() + self.due_grace

    def _known(self, url: str) -> dict[str, Any] | None:
        return store_for(self.crawler).get_article(article_id(url))

    def _body_known(self, known: dict[str, Any] | None) -> dict[str, Any] | None:
        if known is None or not self.skip_identical_bodies:
            return None
        return {name: known.get(name) for name in ("latest_body_hash", "latest_hash_scheme")}

    @classmethod
    def is_article_url(cls, url: str) -> bool:
        """Whether a URL is an article of this outlet (after canonicalisation; a malformed
        URL is none)."""
        try:
            url = canonical_url(url)
        except ValueError:
            return False
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https"):
            return False
        if not any(host == d or host.endswith("." + d) for d in cls.allowed_domains):
            return False
        if cls.excluded_url_pattern is not None and cls.excluded_url_pattern.search(url):
            return False
        return bool(cls.article_url_pattern.search(url))

    def article_request(
        self, url: str, *, source: str, known: dict[str, Any] | None = None
    ) -> scrapy.Request:
        url = canonical_url(url)
        headers = {}
        if known is not None:
            # Validators of the last good response: an unchanged page costs a 304.
            if known.get("etag"):
                headers["If-None-Match"] = known["etag"]
            if known.get("last_modified"):
                headers["If-Modified-Since"] = known["last_modified"]
        return scrapy.Request(
            url,
            headers=headers,
            callback=self.parse_article,
            errback=self.article_failed,
            meta={
                "tracker_source": source,
                "tracker_started": time.monotonic(),
                "handle_httpstatus_list": RECORDED_ERROR_STATUSES,
                # A cache must never answer for the site: versions come from the site.
                "dont_cache": True,
                # What an identical body is recognised by (see can_skip_extraction).
                "tracker_known": self._body_known(known),
            },
        )

    # --- discovery ----------------------------------------------------------------------

    def source_failed(self, failure: Failure) -> None:
        """A feed, sitemap or section page could not be fetched: one line, counted."""
        note_failure(self.crawler.stats, failure)  # type: ignore[arg-type]

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """RSS 2.0, RSS 1.0 (RDF), Atom and JSON Feed feeds."""
        note_response(self.crawler.stats, response)  # type: ignore[arg-type]
        yield from self._article_requests(feed_entries(response), source="feed")

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        note_response(self.crawler.stats, response)  # type: ignore[arg-type]
        body = response.body
        if body[:2] == _GZIP_MAGIC:
            try:
                body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
            except Exception:  # OSError, EOFError (truncated), zlib.error, size limit (ValueError)
                self.logger.warning("tracker: bad gzip sitemap %s", response.url)
                return
        try:
            sitemap = Sitemap(body)
        except Exception as exc:  # lxml raises several types on hostile XML
            self.logger.warning("tracker: unreadable sitemap %s: %s", response.url, exc)
            return
        if sitemap.type == "sitemapindex":
            for entry in sitemap:
                loc = entry.get("loc", "")
                if loc and self.sitemap_follow.search(loc):
                    try:
                        request = response.follow(
                            loc, callback=self.parse_sitemap, errback=self.source_failed,
                            meta={"tracker_source": "sitemap"},
                        )
                    except ValueError:  # bad port, malformed host, no http(s) URL
                        self.logger.warning("tracker: bad sub-sitemap URL %r in %s", loc, response.url)
                        continue
                    yield request
        elif sitemap.type == "urlset":
            entries = ((entry.get("loc", ""), sitemap_modified(entry)) for entry in sitemap)
            yield from self._article_requests(entries, source="sitemap")

    def parse_section(self, response: Response) -> Iterator[scrapy.Request]:
        note_response(self.crawler.stats, response)  # type: ignore[arg-type]
        if not isinstance(response, TextResponse):
            return
        links = []
        for href in response.xpath("//a/@href").getall():
            try:
                links.append((response.urljoin(href), None))
            except ValueError:  # e.g. a malformed IPv6 host: no link to follow
                continue
        yield from self._article_requests(links, source="section")

    def _article_requests(
        self, entries: Iterable[tuple[str, dt.datetime | None]], *, source: str
    ) -> Iterator[scrapy.Request]:
        """Requests for discovered article links that are new, due, or modified since checked."""
        due_by = self.due_by()
        for url, modified in entries:
            url = url.strip()
            # A malformed link (bad port, host) is no article: it must not lose the others.
            if not url or not self.is_article_url(url):
                continue
            if self._too_long(url, source):
                continue
            known = self._known(url)
            if known is not None and not is_due(known, due_by, modified):
                self.crawler.stats.inc_value("tracker/discovery/not_due")  # type: ignore[union-attr]
                continue
            yield self.article_request(url, source=source, known=known)

    def _too_long(self, url: str, source: str) -> bool:
        """A discovered article link longer than URLLENGTH_LIMIT: Scrapy would drop its request
        with an INFO line, losing the article unseen; one WARNING line of ours instead."""
        limit = self.settings.getint("URLLENGTH_LIMIT")
        length = requested_length(url)
        if not limit or length <= limit:
            return False
        self.crawler.stats.inc_value("tracker/discovery/url_too_long")  # type: ignore[union-attr]
        logger.warning(
            "tracker: %s link of %d characters, over URLLENGTH_LIMIT (%d), not crawled "
            "(-s URLLENGTH_LIMIT=%d crawls it): %s...", source, length, limit, length, url[:200],
        )
        return True

    # --- articles -----------------------------------------------------------------------

    async def parse_article(self, response: Response) -> AsyncIterator[Article]:
        note_response(self.crawler.stats, response)  # type: ignore[arg-type]
        fields = await self.page_fields(response) if has_article_body(response) else None  # type: ignore[arg-type]
        yield self.article_item(response, fields)

    async def page_fields(self, response: TextResponse) -> dict[str, Any]:
        """What the item of an article page carries besides the crawl facts: the extracted
        fields, or, for the very bytes of the last check, only that (``extraction_skipped``)."""
        known = response.meta.get("tracker_known")
        content_type = _header(response, b"Content-Type") or ""
        if known and known.get("latest_body_hash"):  # else there are no bytes to be identical to
            digest = body_hash(response.body, response.url, content_type)
            if can_skip_extraction(known, digest):
                # The pipeline records it unchanged.
                self.crawler.stats.inc_value("tracker/extraction/skipped")  # type: ignore[union-attr]
                return {"extraction_skipped": True, "body_hash": digest}
        # The raw bytes, sent as they are (cheaper than text): the worker decodes and hashes them.
        return await self.extractor.extract(
            response.body, response.url, encoding=response.encoding, content_type=content_type
        )

    def article_item(self, response: Response, fields: dict[str, Any] | None) -> Article:
        """The item of an article response: the crawl facts plus the extracted ``fields``
        (see tracker.extraction.extract_article; None for a response without a body)."""
        meta = response.meta
        item = Article(
            url=meta.get("redirect_urls", [response.url])[0],
            outlet=self.name,
            fetched_at=self.now().isoformat(),
            status=response.status,
            etag=_header(response, b"ETag"),
            last_modified=_header(response, b"Last-Modified"),
            final_url=response.url,
            duration_ms=_elapsed_ms(meta),
        )
        if fields is not None:
            for name in (*EXTRACTED_FIELDS, "body_hash", "extraction_skipped", "prepared"):
                setattr(item, name, fields.get(name, getattr(item, name)))
            # A skipped page carries its HTML too: the pipeline extracts it should the article
            # have moved on meanwhile.
            keep_html = self.settings.getbool("TRACKER_KEEP_HTML") or item.extraction_skipped
            if keep_html and isinstance(response, TextResponse):
                item.html = response.text
        return item

    def article_failed(self, failure: Failure) -> Iterator[Article]:
        request = failure.request  # type: ignore[attr-defined]
        note_failure(self.crawler.stats, failure)  # type: ignore[arg-type]
        yield Article(
            url=request.meta.get("redirect_urls", [request.url])[0],
            outlet=self.name,
            fetched_at=self.now().isoformat(),
            status=None,
            error=f"{failure.type.__name__}: {failure.getErrorMessage()}"[:500],
            duration_ms=_elapsed_ms(request.meta),
        )


def requested_length(url: str) -> int:
    """How long an article URL is as requested (canonical, then percent-encoded as Scrapy
    sends it): what URLLENGTH_LIMIT is compared with."""
    return len(safe_url_string(canonical_url(url)))


def split_urls(value: str | None) -> list[str]:
    """The URLs of a comma-separated ``-a url=`` value."""
    return [url.strip() for url in (value or "").split(",") if url.strip()]


def is_http_url(url: str) -> bool:
    """Whether ``url`` is a well-formed absolute http(s) URL."""
    try:
        parts = urlsplit(canonical_url(url))
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # bad port, malformed IPv6 host
        return False


def has_article_body(response: Response) -> bool:
    """Whether a response carries a page to extract (not an error page, not a 304)."""
    return response.status == 200 and isinstance(response, TextResponse)


def is_due(article: dict[str, Any], due_by: dt.datetime, modified: dt.datetime | None) -> bool:
    """Whether a known article found by discovery should be fetched by a run that takes as
    due what is due by ``due_by`` (see OutletSpider.due_by)."""
    checked = article.get("last_checked_at")
    if modified is not None and (checked is None or modified > checked):
        return True  # modified since we last looked: due at once, even when retired
    next_check_at = article.get("next_check_at")
    return article.get("state") == "active" and (next_check_at is None or next_check_at <= due_by)


_FEED_ITEMS = "//*[local-name()='item' or local-name()='entry']"
_FEED_LINK = (
    "*[local-name()='link'][not(@rel) or @rel='alternate']/@href"
    " | *[local-name()='link'][not(@href)]/text()"
)
_FEED_GUID = "*[local-name()='guid'][not(@isPermaLink='false')]/text()"
# FeedBurner feeds (rss.cnn.com, old Reuters and Fox feeds) link to a redirect on their own
# host; the article's URL is in <feedburner:origLink>.
_FEED_ORIG_LINK = "*[local-name()='origLink']/text()"
_FEED_DATES = ("updated", "modified", "date", "pubDate", "published")


def feed_entries(response: Response) -> list[tuple[str, dt.datetime | None]]:
    """(link, modification time) of each item of an RSS 2.0, RSS 1.0, Atom or JSON Feed feed."""
    text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
    if text.lstrip("\ufeff \t\r\n").startswith("{"):  # no XML feed starts so: JSON Feed (NPR's feed.json)
        return json_feed_entries(text)
    try:
        selector = scrapy.Selector(text=text, type="xml")
    except ValueError:
        return []
    entries = []
    for item in selector.xpath(_FEED_ITEMS):
        link = (
            item.xpath(_FEED_ORIG_LINK).get() or item.xpath(_FEED_LINK).get() or item.xpath(_FEED_GUID).get() or ""
        ).strip()
        if not link:
            continue
        modified = None
        for name in _FEED_DATES:
            value = item.xpath(f"*[local-name()='{name}']/text()").get()
            modified = parse_feed_date(value)
            if modified is not None:
                break
        entries.append((link, modified))
    return entries


def feed_links(response: Response) -> list[str]:
    """Article links of an RSS or Atom feed, in feed order."""
    return [link for link, _ in feed_entries(response)]


def sitemap_modified(entry: dict[str, Any]) -> dt.datetime | None:
    """A sitemap entry's modification (or news publication) time."""
    news = entry.get("news") if isinstance(entry.get("news"), dict) else {}
    return parse_feed_date(entry.get("lastmod")) or parse_feed_date(news.get("publication_date"))


def parse_feed_date(value: str | None) -> dt.datetime | None:
    """RFC 822 (RSS) or ISO 8601 (Atom, sitemaps) date; None when absent or unparseable."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        return as_utc(value)
    except ValueError:
        pass
    try:
        return as_utc(email.utils.parsedate_to_datetime(value))
    except (TypeError, ValueError, IndexError):
        return None


def json_feed_entries(text: str) -> list[tuple[str, dt.datetime | None]]:
    """(link, modification time) of each item of a JSON Feed (https://jsonfeed.org, 1.0 and
    1.1): ``url``, else ``external_url``; ``date_modified``, else ``date_published``."""
    try:
        feed = json.loads(text.lstrip("\ufeff"))
    except (ValueError, RecursionError):
        return []
    items = feed.get("items") if isinstance(feed, dict) else None
    entries = []
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, dict):
            continue
        links = (item.get("url"), item.get("external_url"))
        link = next((value.strip() for value in links if isinstance(value, str) and value.strip()), "")
        if not link:
            continue
        modified = None
        for key in ("date_modified", "date_published"):
            value = item.get(key)
            modified = parse_feed_date(value) if isinstance(value, str) else None
            if modified is not None:
                break
        entries.append((link, modified))
    return entries


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _elapsed_ms(meta: dict[str, Any]) -> int | None:
    started = meta.get("tracker_started")
    return int((time.monotonic() - started) * 1000) if started is not None else None
