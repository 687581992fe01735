"""Builders for outlet-shaped pages, feeds and sitemaps served by :class:`tests.site.FixtureSite`.

The article markup follows the real pages of each outlet (see
../shared/fixtures/real-pages/), trimmed to what a parser reads plus the noise it must skip:
captions, ad slots, related links, newsletter boxes, an "Updated N minutes ago" line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from html import escape
from xml.sax.saxutils import escape as xml_escape


def washpo_article(
    *,
    url: str,
    headline: str,
    paragraphs: Sequence[str],
    authors: Sequence[str] = ("Jane Reporter",),
    published: str = "2024-01-05T10:00:00.000Z",
    modified: str = "2024-01-05T12:00:00.000Z",
    updated_note: str = "Updated 5 minutes ago",
    related_links: Iterable[str] = (),
    raw_paragraphs: bool = False,
) -> str:
    """A Washington Post article page of the 2024 layout.

    ``raw_paragraphs`` puts the paragraph strings in as markup (to test formatting noise);
    otherwise they are escaped text.
    """
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": url,
        "headline": headline,
        "datePublished": published,
        "dateModified": modified,
        "author": [{"@type": "Person", "name": name} for name in authors],
        "isAccessibleForFree": False,
    }
    bylines = "".join(
        f'<div class="dib items-center" data-qa="author-byline"><span data-qa="attribution-text">By </span>'
        f'<a data-qa="author-name" rel="author" href="https://www.washingtonpost.com/people/x/">{escape(name)}</a></div>'
        for name in authors
    )
    body = []
    for index, paragraph in enumerate(paragraphs):
        text = paragraph if raw_paragraphs else escape(paragraph)
        body.append(
            f'<div class="wpds-c-PJLV article-body" data-qa="article-body">'
            f'<p data-el="text" class="font-copy" dir="null">{text}</p></div>'
        )
        if index == 1:
            body.append(
                '<div class="wpds-c-PJLV article-body" data-qa="article-body">'
                '<div class="cb db dn-ns" data-qa="article-body-ad"><span>Story continues below advertisement</span></div></div>'
            )
            body.append(
                '<figure data-qa="sc-figure-image"><img src="/photo.jpg" alt="">'
                '<figcaption>A photo caption that is not part of the story. (Photographer/The Post)</figcaption></figure>'
            )
    ld_json = json.dumps(ld).replace("</", "<\\/")
    related = "".join(f'<li><a href="{escape(link)}">Related story</a></li>' for link in related_links)
    return f"""<!DOCTYPE html>
<html lang="en-US"><head><meta charset="utf-8">
<title>{escape(headline)} - The Washington Post</title>
<link rel="canonical" href="{escape(url)}">
<meta property="og:title" content="{escape(headline)}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{published}">
<script type="application/ld+json">{ld_json}</script>
</head><body>
<header><nav><a href="https://www.washingtonpost.com/politics/">Politics</a></nav></header>
<main><article>
<h1 data-qa="headline"><span data-qa="headline-text">{escape(headline)}</span></h1>
<div data-qa="author-byline">{bylines}</div>
<div data-qa="timestamp"><span>{escape(updated_note)}</span></div>
<div class="meteredContent grid-center"><div class="teaser-content">
{"".join(body)}
</div></div>
<div data-qa="newsletter-signup"><p>Sign up for The 5-Minute Fix newsletter.</p></div>
</article>
<aside data-qa="right-rail-item"><ul>{related}</ul></aside>
</main></body></html>
"""


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
