"""Builders for feeds, sitemaps and section pages served by :class:`tests.site.FixtureSite`.

Outlet-shaped article pages are in :mod:`tests.site.outlets`, one module per outlet.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from xml.sax.saxutils import escape as xml_escape


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


def section_page(links: Iterable[str]) -> str:
    anchors = "".join(f'<li><a href="{escape(link)}">A story</a></li>' for link in links)
    return f"<!DOCTYPE html><html><body><h1>Section</h1><ul>{anchors}</ul></body></html>"
