"""Builders for feeds, sitemaps, section pages and JSON-LD served by :class:`tracker.demo.site.FixtureSite`.

Outlet-shaped article pages are in :mod:`tests.site.outlets` (those the demo serves in
:mod:`tracker.demo.outlets`), one module per outlet; :func:`article_layout` gives each its
``article_page``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from xml.sax.saxutils import escape as xml_escape

# content types of discovery pages
RSS_TYPE = "application/rss+xml"
XML_TYPE = "application/xml"
HTML_TYPE = "text/html; charset=utf-8"


def rss_feed(title: str, links: Iterable[str]) -> str:
    items = "".join(
        f"<item><title>Story {number}</title><link>{xml_escape(link)}</link>"
        f"<guid isPermaLink=\"true\">{xml_escape(link)}</guid></item>"
        for number, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<rss version="2.0"><channel><title>{xml_escape(title)}</title>{items}</channel></rss>'
    )


def news_sitemap(links: Iterable[str], published: str = "2024-01-05T10:00:00Z") -> str:
    urls = "".join(
        f"<url><loc>{xml_escape(link)}</loc><news:news><news:publication_date>{published}"
        "</news:publication_date></news:news></url>"
        for link in links
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{urls}</urlset>"
    )


def sitemap_index(locations: Iterable[str]) -> str:
    entries = "".join(f"<sitemap><loc>{xml_escape(loc)}</loc></sitemap>" for loc in locations)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'
    )


def section_page(links: Iterable[str]) -> str:
    anchors = "".join(f'<li><a href="{escape(link)}">A story</a></li>' for link in links)
    return f"<!DOCTYPE html><html><body><h1>Section</h1><ul>{anchors}</ul></body></html>"


def feed_sitemap_section(
    non_article_urls: Sequence[str],
    *,
    feed: tuple[str, str],
    sitemap: str,
    section: str,
    feed_query: str = "",
    section_query: str = "",
    xml_type: str | None = None,
) -> Callable[[Sequence[str]], dict[str, tuple[str | bytes, str]]]:
    """The usual ``discovery_pages`` of an outlet module: the first article in an RSS feed
    (``feed`` is its path and title), the second in a news sitemap, the third on a section page,
    each listed with the non-articles (the sitemap with the first one only). The queries are
    appended to the article's link; ``xml_type`` replaces the feed's and the sitemap's content type."""
    feed_path, feed_title = feed

    def discovery_pages(article_urls: Sequence[str]) -> dict[str, tuple[str | bytes, str]]:
        """Path -> (body, content type) of the feed, sitemap and section page listing the articles."""
        feed_url, sitemap_url, section_url = article_urls
        return {
            feed_path: (rss_feed(feed_title, [feed_url + feed_query, *non_article_urls]), xml_type or RSS_TYPE),
            sitemap: (news_sitemap([sitemap_url, non_article_urls[0]]), xml_type or XML_TYPE),
            section: (section_page([section_url + section_query, *non_article_urls]), HTML_TYPE),
        }

    return discovery_pages


def with_noise(blocks: Iterable[str], after: Mapping[int, Sequence[str]]) -> list[str]:
    """An article body: ``blocks`` with the noise ``after[n]`` (ads, captions, related links)
    put after block ``n``, when there is one."""
    body: list[str] = []
    for index, block in enumerate(blocks):
        body.append(block)
        body.extend(after.get(index, ()))
    return body


DEFAULT_AUTHORS = ("Jane Reporter",)


@dataclass(frozen=True)
class Article:
    """One edition of a story, as an outlet's layout puts it on the page (the times in the
    outlet's own format)."""

    url: str
    headline: str
    paragraphs: Sequence[str]
    authors: Sequence[str]
    published: str
    modified: str


def news_article_jsonld(
    article: Article,
    *,
    url_key: str | None = None,
    dates: bool = True,
    article_type: str = "NewsArticle",
    **extra: Any,
) -> str:
    """A ``<script type="application/ld+json">`` element with a schema.org article: its URL
    under ``url_key`` (left out when None), its dates unless ``dates`` is false, its authors as
    Persons, then ``extra`` merged in (an ``author`` there replaces the Persons)."""
    ld: dict[str, Any] = {"@context": "https://schema.org", "@type": article_type}
    if url_key is not None:
        ld[url_key] = article.url
    ld["headline"] = article.headline
    if dates:
        ld["datePublished"] = article.published
        ld["dateModified"] = article.modified
    ld["author"] = [{"@type": "Person", "name": name} for name in article.authors]
    ld.update(extra)
    # "</" in a value would close the script element early
    ld_json = json.dumps(ld).replace("</", "<\\/")
    return f'<script type="application/ld+json">{ld_json}</script>'


def article_layout(*, published: str, modified: str) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """Make an outlet's ``layout(article, **options) -> str`` its ``article_page``: that takes
    the :class:`Article` fields as keywords (``authors``, ``published`` and ``modified`` may be
    left out: ``published`` and ``modified`` here are the outlet's usual times) and the
    layout's own ``options``."""

    def decorate(layout: Callable[..., str]) -> Callable[..., str]:
        @functools.wraps(layout)
        def article_page(
            *,
            url: str,
            headline: str,
            paragraphs: Sequence[str],
            authors: Sequence[str] = DEFAULT_AUTHORS,
            published: str = published,  # the outlet's usual times, from article_layout()
            modified: str = modified,
            **options: Any,
        ) -> str:
            return layout(Article(url, headline, paragraphs, authors, published, modified), **options)

        return article_page

    return decorate
