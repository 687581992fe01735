"""BBC News, as served by the local fixture site (the 2024 React layout)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from tracker.demo import pages

__all__ = ["ARTICLE_URLS", "HOSTS", "NON_ARTICLE_URLS", "SPIDER", "article_page", "discovery_pages"]

SPIDER = "bbc"
HOSTS = ("www.bbc.co.uk", "feeds.bbci.co.uk")
# One article per discovery source: feed, news sitemap (behind a sitemap index), section page.
ARTICLE_URLS = (
    "https://www.bbc.co.uk/news/articles/c4ng7xq2kdlo",
    "https://www.bbc.co.uk/news/world-europe-67891234",
    "https://www.bbc.co.uk/news/uk-england-kent-67890123",
)
# Links discovery must leave alone.
NON_ARTICLE_URLS = (
    "https://www.bbc.co.uk/news/av/uk-67891235",
    "https://www.bbc.co.uk/news/live/world-67891236",
    "https://www.bbc.co.uk/news/topics/c1038wnxnp7t",
    "https://www.bbc.co.uk/sport/football/67891237",
    "https://www.bbc.co.uk/news/world",
)
SUB_SITEMAP = "https://www.bbc.co.uk/sitemaps/https-sitemap-uk-news-1.xml"


def discovery_pages(article_urls: Sequence[str]) -> dict[str, tuple[str | bytes, str]]:
    """Path -> (body, content type) of the feed, sitemaps and section page listing the articles."""
    feed_url, sitemap_url, section_url = article_urls
    feed = pages.rss_feed("BBC News", [feed_url + "?at_medium=RSS&at_campaign=rss", *NON_ARTICLE_URLS])
    return {
        "/news/rss.xml": (feed, pages.RSS_TYPE),
        "/sitemaps/https-index-uk-news.xml": (
            pages.sitemap_index([SUB_SITEMAP, "https://www.bbc.co.uk/sitemaps/https-sitemap-uk-archive-1.xml"]),
            pages.XML_TYPE,
        ),
        "/sitemaps/https-sitemap-uk-news-1.xml": (
            pages.news_sitemap([sitemap_url, NON_ARTICLE_URLS[0]]),
            pages.XML_TYPE,
        ),
        "/news/world": (pages.section_page([section_url, *NON_ARTICLE_URLS]), pages.HTML_TYPE),
    }


def _block(component: str, inner: str, css: str = "ssrcss-uf6wea-RichTextComponentWrapper ep2nwvo0") -> str:
    return f'<div data-component="{component}" class="{css}">{inner}</div>'


def _text_block(paragraphs: Sequence[str]) -> str:
    ps = "".join(f'<p class="ssrcss-1q0x1qg-Paragraph e1jhz7w10">{p}</p>' for p in paragraphs)
    return _block("text-block", f'<div class="ssrcss-7uxr49-RichTextContainer e5tfeyi1">{ps}</div>')


@pages.article_layout(published="2024-01-05T10:00:00.000Z", modified="2024-01-05T12:00:00.000Z")
def article_page(article: pages.Article) -> str:
    """A BBC News article page of the 2024 layout: ``<article>`` children are
    ``data-component`` blocks, of which only text, crosshead and list blocks are the story."""
    jsonld = pages.news_article_jsonld(
        article,
        url_key="url",
        article_type="ReportageNewsArticle",
        publisher={"@type": "NewsMediaOrganization", "name": "BBC News"},
    )
    contributors = "".join(
        '<div class="ssrcss-h3c0s8-ContributorContainer e8mq1e916"><div class="ssrcss-1u2in0b-Container-ContributorDetails e8mq1e913">'
        f'<div class="ssrcss-68pt20-Text-TextContributorName e8mq1e96">{escape(name)}</div>'
        '<div class="ssrcss-84ltp5-Text e8mq1e910">BBC News</div></div></div>'
        for name in article.authors
    )
    texts = [escape(p) for p in article.paragraphs]
    blocks = [
        _block(
            "image-block",
            '<figure class="ssrcss-1vfya96-StyledFigure e34k3c22"><img src="https://ichef.bbci.co.uk/news/976/photo.jpg" alt="">'
            '<figcaption class="ssrcss-1sfmv1b-Caption"><span class="visually-hidden">Image caption, </span>'
            "A photo caption that is not part of the story</figcaption></figure>",
            "ssrcss-1b5y2ub-ComponentWrapper-FullWidthWrapper ey0461q0",
        ),
        _block("byline-block", f'<div class="ssrcss-qt5zqv-BylineWrapper e8mq1e917">{contributors}</div>', "ssrcss-1hbb5i-BylineComponentWrapper e8mq1e90"),
        _block(
            "metadata-block",
            '<ul role="list"><li><div class="visually-hidden">Published</div>'
            f'<time data-testid="timestamp" datetime="{article.published}">5 minutes ago</time></li></ul>'
            '<div class="ssrcss-12s5gl6-StyledShareTool"><button>Share</button><a href="#">Copy link</a></div>',
            "ssrcss-xza2yt-ComponentWrapper ep2nwvo1",
        ),
        _text_block(texts[:2]),
        _block("ad-slot", '<div id="dotcom-mpu" class="dotcom-ad"><span>Advertisement</span></div>', "ssrcss-ad"),
        _text_block(texts[2:]),
        _text_block(["Sign up for our morning newsletter and get BBC News in your inbox."]),
        _block(
            "links-block",
            '<section><h2>More on this story</h2><ul><li><a href="/news/articles/c0000000000o">A related story</a></li></ul></section>',
            "ssrcss-5i1hhv-LinksComponentWrapper e3eyuya0",
        ),
        _block("topic-list", '<h2>Related topics</h2><ul><li><a href="/news/topics/c1038wnxnp7t">Europe</a></li></ul>', "ssrcss-1qmkvfu-TopicListWrapper"),
    ]
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>{escape(article.headline)} - BBC News</title>
<link rel="canonical" href="{escape(article.url)}">
<meta property="og:title" content="{escape(article.headline)}">
<meta property="og:type" content="article">
{jsonld}
</head><body>
<header><nav><a href="https://www.bbc.co.uk/news">News</a><a href="https://www.bbc.co.uk/sport">Sport</a></nav></header>
<div id="main-wrapper"><main id="main-content"><article>
<header data-component="headline-block" class="ssrcss-bwbna7-ComponentWrapper-HeadlineComponentWrapper">
<h1 id="main-heading" type="headline" tabindex="-1" class="ssrcss-1s9pby4-Heading e10rt3ze0"><span role="text">{escape(article.headline)}</span></h1></header>
{"".join(blocks)}
</article>
<section data-component="most-read"><h2>Most read</h2><ol><li><a href="/news/uk-1">Another story</a></li></ol></section>
</main></div></body></html>
"""
