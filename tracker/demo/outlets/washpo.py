"""The Washington Post, as served by the local fixture site."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from tracker.demo import pages

__all__ = ["ARTICLE_URLS", "HOSTS", "NON_ARTICLE_URLS", "SPIDER", "article_page", "discovery_pages"]

SPIDER = "washpo"
HOSTS = ("www.washingtonpost.com", "feeds.washingtonpost.com")
# One article per discovery source: feed, news sitemap, section page.
ARTICLE_URLS = (
    "https://www.washingtonpost.com/politics/2024/01/05/senate-vote-budget/",
    "https://www.washingtonpost.com/world/2024/01/05/summit-ends-without-deal/",
    "https://www.washingtonpost.com/national/2024/01/04/storm-hits-coast/",
)
# Links discovery must leave alone.
NON_ARTICLE_URLS = (
    "https://www.washingtonpost.com/video/politics/2024/01/05/some-video/",
    "https://www.washingtonpost.com/people/jane-reporter/",
)


def discovery_pages(article_urls: Sequence[str]) -> dict[str, tuple[str | bytes, str]]:
    """Path -> (body, content type) of the feed, sitemap and section page listing the articles."""
    feed_url, sitemap_url, section_url = article_urls
    return {
        "/rss/politics": (
            pages.rss_feed("Politics", [feed_url + "?utm_source=rss", *NON_ARTICLE_URLS]),
            pages.RSS_TYPE,
        ),
        "/sitemaps/news-sitemap.xml.gz": (pages.news_sitemap([sitemap_url]), pages.XML_TYPE),
        "/national/": (pages.section_page([section_url, *NON_ARTICLE_URLS]), pages.HTML_TYPE),
    }


@pages.article_layout(published="2024-01-05T10:00:00.000Z", modified="2024-01-05T12:00:00.000Z")
def article_page(
    article: pages.Article,
    *,
    updated_note: str = "Updated 5 minutes ago",
    related_links: Iterable[str] = (),
    raw_paragraphs: bool = False,
) -> str:
    """A Washington Post article page of the 2024 layout.

    ``raw_paragraphs`` puts the paragraph strings in as markup (to test formatting noise);
    otherwise they are escaped text.
    """
    jsonld = pages.news_article_jsonld(article, url_key="mainEntityOfPage", isAccessibleForFree=False)
    bylines = "".join(
        f'<div class="dib items-center" data-qa="author-byline"><span data-qa="attribution-text">By </span>'
        f'<a data-qa="author-name" rel="author" href="https://www.washingtonpost.com/people/x/">{escape(name)}</a></div>'
        for name in article.authors
    )
    texts = article.paragraphs if raw_paragraphs else [escape(paragraph) for paragraph in article.paragraphs]
    body = pages.with_noise(
        (
            f'<div class="wpds-c-PJLV article-body" data-qa="article-body">'
            f'<p data-el="text" class="font-copy" dir="null">{text}</p></div>'
            for text in texts
        ),
        {
            1: [
                '<div class="wpds-c-PJLV article-body" data-qa="article-body">'
                '<div class="cb db dn-ns" data-qa="article-body-ad"><span>Story continues below advertisement</span></div></div>',
                '<figure data-qa="sc-figure-image"><img src="/photo.jpg" alt="">'
                '<figcaption>A photo caption that is not part of the story. (Photographer/The Post)</figcaption></figure>',
            ],
        },
    )
    related = "".join(f'<li><a href="{escape(link)}">Related story</a></li>' for link in related_links)
    return f"""<!DOCTYPE html>
<html lang="en-US"><head><meta charset="utf-8">
<title>{escape(article.headline)} - The Washington Post</title>
<link rel="canonical" href="{escape(article.url)}">
<meta property="og:title" content="{escape(article.headline)}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{article.published}">
{jsonld}
</head><body>
<header><nav><a href="https://www.washingtonpost.com/politics/">Politics</a></nav></header>
<main><article>
<h1 data-qa="headline"><span data-qa="headline-text">{escape(article.headline)}</span></h1>
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


