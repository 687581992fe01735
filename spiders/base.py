"""OutletSpider: what every outlet's spider does; an outlet file only declares its sources.

A run requests, in this order:

* with ``-a url=URL[,URL...]``: exactly those articles, and nothing else;
* otherwise discovery -- the outlet's RSS/Atom feeds, news sitemaps (and sitemap indexes)
  and section pages, keeping links that match the outlet's article URL pattern -- plus the
  outlet's articles that the schedule says are due, most overdue first, at most
  ``TRACKER_MAX_RECHECKS`` of them. A known article found again by discovery is fetched only
  when it is due, or when the feed or sitemap gives it a modification time newer than its
  last check (then even a retired article is fetched).

Known articles are fetched with a conditional GET (If-None-Match / If-Modified-Since from
their last good response), so an unchanged page costs a 304.

Each article response becomes one :class:`tracker.items.Article` item, also when it is an
error page or the download failed, so that the pipeline records every check.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
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

from tracker.crawlstore import store_for
from tracker.extracting import ExtractorPool
from tracker.items import Article
from tracker.normalize import article_id, canonical_url
from tracker.store.base import as_utc, utcnow

# What extract_article() gives that goes into the item.
EXTRACTED_FIELDS = (
    "canonicalUrl", "headline", "authors", "datePublished", "dateModified", "articleBody",
    "paragraphs", "inLanguage", "description", "isAccessibleForFree", "extractor",
    "looks_like_article", "parser_failed",
)
# HTTP statuses of an article page that are recorded as a check instead of being dropped.
RECORDED_ERROR_STATUSES = [304, 400, 401, 403, 404, 410, 429, 451, 500, 502, 503, 504]
_GZIP_MAGIC = b"\x1f\x8b"


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

    def __init__(self, *args: Any, url: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.requested_urls = [u.strip() for u in (url or "").split(",") if u.strip()]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> OutletSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.extractor = ExtractorPool(
            workers=crawler.settings.getint("TRACKER_EXTRACT_WORKERS"),
            timeout=crawler.settings.getfloat("TRACKER_EXTRACT_TIMEOUT"),
        )
        crawler.signals.connect(spider.extractor.close, signal=signals.spider_closed, weak=False)
        return spider

    # --- what to request ----------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.requested_urls:
            for url in self.requested_urls:
                yield self.article_request(url, source="argument", known=self._known(url))
            return
        for url in self.feeds:
            yield scrapy.Request(url, callback=self.parse_feed, meta={"tracker_source": "feed"})
        for url in self.sitemaps:
            yield scrapy.Request(url, callback=self.parse_sitemap, meta={"tracker_source": "sitemap"})
        for url in self.sections:
            yield scrapy.Request(url, callback=self.parse_section, meta={"tracker_source": "section"})
        for request in self.recheck_requests():
            yield request

    def recheck_requests(self) -> Iterator[scrapy.Request]:
        """Requests for the outlet's articles that are due, most overdue first."""
        limit = self.settings.getint("TRACKER_MAX_RECHECKS")
        due = store_for(self.crawler).due_articles(self.now(), outlet=self.name, limit=limit)
        self.crawler.stats.set_value("tracker/rechecks/due", len(due))  # type: ignore[union-attr]
        for article in due:
            yield self.article_request(article["url"], source="recheck", known=article)

    def now(self) -> dt.datetime:
        """The crawl's clock: TRACKER_NOW when set (tests, replays), else the real time."""
        return as_utc(self.settings.get("TRACKER_NOW")) or utcnow()

    def _known(self, url: str) -> dict[str, Any] | None:
        return store_for(self.crawler).get_article(article_id(url))

    def is_article_url(self, url: str) -> bool:
        """Whether a canonical URL is an article of this outlet."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not any(host == d or host.endswith("." + d) for d in self.allowed_domains):
            return False
        if self.excluded_url_pattern is not None and self.excluded_url_pattern.search(url):
            return False
        return bool(self.article_url_pattern.search(url))

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
            },
        )

    # --- discovery ----------------------------------------------------------------------

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """RSS 2.0, RSS 1.0 (RDF), Atom and JSON Feed feeds."""
        yield from self._article_requests(feed_entries(response), source="feed")

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
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
                        request = response.follow(loc, callback=self.parse_sitemap, meta={"tracker_source": "sitemap"})
                    except ValueError:  # bad port, malformed host, no http(s) URL
                        self.logger.warning("tracker: bad sub-sitemap URL %r in %s", loc, response.url)
                        continue
                    yield request
        elif sitemap.type == "urlset":
            entries = ((entry.get("loc", ""), sitemap_modified(entry)) for entry in sitemap)
            yield from self._article_requests(entries, source="sitemap")

    def parse_section(self, response: Response) -> Iterator[scrapy.Request]:
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
        now = self.now()
        for url, modified in entries:
            url = url.strip()
            try:
                wanted = bool(url) and self.is_article_url(canonical_url(url))
            except ValueError:  # bad port, malformed host: one bad link must not lose the others
                continue
            if not wanted:
                continue
            known = self._known(url)
            if known is not None and not is_due(known, now, modified):
                self.crawler.stats.inc_value("tracker/discovery/not_due")  # type: ignore[union-attr]
                continue
            yield self.article_request(url, source=source, known=known)

    # --- articles -----------------------------------------------------------------------

    async def parse_article(self, response: Response) -> AsyncIterator[Article]:
        fields = None
        if has_article_body(response):
            fields = await self.extractor.extract(response.text, response.url)  # type: ignore[attr-defined]
        yield self.article_item(response, fields)

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
            for name in EXTRACTED_FIELDS:
                setattr(item, name, fields.get(name, getattr(item, name)))
            if self.settings.getbool("TRACKER_KEEP_HTML") and isinstance(response, TextResponse):
                item.html = response.text
        return item

    def article_failed(self, failure: Failure) -> Iterator[Article]:
        request = failure.request  # type: ignore[attr-defined]
        self.logger.warning("tracker: fetching %s failed: %s", request.url, failure.getErrorMessage())
        yield Article(
            url=request.meta.get("redirect_urls", [request.url])[0],
            outlet=self.name,
            fetched_at=self.now().isoformat(),
            status=None,
            error=f"{failure.type.__name__}: {failure.getErrorMessage()}"[:500],
            duration_ms=_elapsed_ms(request.meta),
        )


def has_article_body(response: Response) -> bool:
    """Whether a response carries a page to extract (not an error page, not a 304)."""
    return response.status == 200 and isinstance(response, TextResponse)


def is_due(article: dict[str, Any], now: dt.datetime, modified: dt.datetime | None) -> bool:
    """Whether a known article found by discovery should be fetched now."""
    checked = article.get("last_checked_at")
    if modified is not None and (checked is None or modified > checked):
        return True  # modified since we last looked: due at once, even when retired
    next_check_at = article.get("next_check_at")
    return article.get("state") == "active" and (next_check_at is None or next_check_at <= now)


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
