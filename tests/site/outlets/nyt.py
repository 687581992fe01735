"""The New York Times, as served by the local fixture site."""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from html import escape

from tests.site import pages

SPIDER = "nyt"
HOSTS = ("www.nytimes.com", "rss.nytimes.com")
# One article per discovery source: feed, news sitemap, section page.
ARTICLE_URLS = (
    "https://www.nytimes.com/2024/01/05/us/politics/senate-budget-vote.html",
    "https://www.nytimes.com/2024/01/05/world/europe/summit-ends-without-deal.html",
    "https://www.nytimes.com/2024/01/04/nyregion/storm-hits-coast.html",
)
# Links discovery must leave alone.
NON_ARTICLE_URLS = (
    "https://www.nytimes.com/video/us/politics/100000009236410/senate-vote.html",
    "https://www.nytimes.com/live/2024/01/05/us/senate-budget-vote-news",
    "https://www.nytimes.com/2024/01/05/podcasts/the-daily/senate-budget.html",
    "https://www.nytimes.com/by/jane-reporter",
)


def discovery_pages(article_urls: Sequence[str]) -> dict[str, tuple[str | bytes, str]]:
    """Path -> (body, content type) of the feed, sitemap and section page listing the articles."""
    feed_url, sitemap_url, section_url = article_urls
    # The real feeds tag every link with ?emc=rss&partner=rss; the news sitemap is gzipped.
    feed = pages.rss_feed("NYT > Politics", [feed_url + "?emc=rss&partner=rss", *NON_ARTICLE_URLS])
    sitemap = gzip.compress(pages.news_sitemap([sitemap_url, NON_ARTICLE_URLS[0]]).encode("utf-8"))
    return {
        "/services/xml/rss/nyt/Politics.xml": (feed, pages.RSS_TYPE),
        "/sitemaps/new/news.xml.gz": (sitemap, "application/x-gzip"),
        "/section/nyregion": (pages.section_page([section_url, *NON_ARTICLE_URLS]), pages.HTML_TYPE),
    }


@pages.article_layout(published="2024-01-05T10:00:00.000Z", modified="2024-01-05T12:00:00.000Z")
def article_page(article: pages.Article) -> str:
    """A New York Times article page of the current layout: the text in
    ``div.StoryBodyCompanionColumn`` blocks inside ``section[name=articleBody]``, with an ad
    slot, a photo, a related-story promo between the blocks and a bracketed newsletter promo
    inside one."""
    jsonld = pages.news_article_jsonld(article, url_key="mainEntityOfPage", isAccessibleForFree=False)
    byline = " and ".join(
        f'<a href="https://www.nytimes.com/by/x" class="css-n8ff4n"><span class="css-1baulvz last-byline"'
        f' itemprop="name">{escape(name)}</span></a>'
        for name in article.authors
    )
    share_tools = (
        '<div class="css-1r5gb7q" data-testid="share-tools"><ul><li><button aria-label="Share">Share full article</button>'
        '</li><li><a href="#commentsContainer">1,024</a></li></ul></div>'
    )
    # a bracketed newsletter promo at the end of the first block
    promo = (
        '<p class="css-at9mc1 evys1bk0"><em>[Get the best of The Times in your inbox:</em>'
        ' <a href="https://www.nytimes.com/newsletters/the-morning">Sign up for The Morning'
        ' newsletter</a><em>.]</em></p>'
    )
    columns = pages.with_noise(
        (
            '<div class="css-s99gbd StoryBodyCompanionColumn" data-testid="companionColumn-%d">'
            '<div class="css-53u6y8"><p class="css-at9mc1 evys1bk0">%s</p>%s</div>'
            '<aside class="css-ew4tgv" aria-label="companion column"></aside></div>'
            % (index, escape(paragraph), promo if index == 0 else "")
            for index, paragraph in enumerate(article.paragraphs)
        ),
        {
            0: [
                '<div id="story-ad-1-wrapper" class="css-1c8bmc8" data-testid="StandardAd">'
                '<div class="ad story-ad-1-wrapper"><p class="css-1ly73wi">Advertisement</p>'
                '<a href="#after-story-ad-1" class="css-1ly73wi">SKIP ADVERTISEMENT</a><div id="story-ad-1"></div></div></div>',
            ],
            1: [
                '<div><figure class="sizeMedium css-1a48zt4" aria-label="media" role="group">'
                '<div data-testid="imageblock-wrapper"><img src="https://static01.nyt.com/images/photo.jpg" alt=""></div>'
                '<figcaption class="css-1l44abu"><span class="css-cnj6d5">A photo caption that is not part of'
                ' the story.</span><span class="css-1ly73wi">Credit...</span><span>Photographer for The New'
                " York Times</span></figcaption></figure></div>"
                '<div><div class="css-14zrrfg"><a class="css-1a9ghz5" href="https://www.nytimes.com/2024/01/03/us/earlier.html">'
                '<div class="css-1rha1bf"><h2 class="css-9t9pfs">An earlier story on the subject</h2>'
                '<p class="css-vop5d5">Its summary, promoted between the paragraphs.</p></div></a></div></div>',
            ],
        },
    )
    return f"""<!DOCTYPE html>
<html lang="en" class=" story nytapp-vi-article"><head><meta charset="utf-8">
<title>{escape(article.headline)} - The New York Times</title>
<link rel="canonical" href="{escape(article.url)}">
<meta property="og:title" content="{escape(article.headline)}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{article.published}">
<meta property="article:modified_time" content="{article.modified}">
<meta name="byl" content="By {escape(' and '.join(article.authors))}">
{jsonld}
</head><body><div id="app">
<header class="css-1bymuyk"><nav><a href="https://www.nytimes.com/section/us">U.S.</a></nav></header>
<main id="site-content"><div><article id="story" class="css-1vxca1d">
<header class="css-11kk65x">
<div class="css-1vkm6nb"><h1 data-testid="headline" class="css-1icycqh">{escape(article.headline)}</h1></div>
<p id="article-summary" class="css-h99hf">A summary of the story under the headline.</p>
{share_tools}
<div class="css-ymxi58"><p class="css-aknsld"><span class="byline-prefix">By </span>{byline}</p>
<time datetime="{article.published}">Jan. 5, 2024</time></div>
</header>
<section name="articleBody" class="meteredContent css-1r7ky0e">
{"".join(columns)}
</section>
<div class="bottom-of-article"><div class="css-1hvpcve">A version of this article appears in print on
Jan. 6, 2024, Section A, Page 1 of the New York edition.</div>{share_tools}</div>
</article></div></main></div></body></html>
"""
